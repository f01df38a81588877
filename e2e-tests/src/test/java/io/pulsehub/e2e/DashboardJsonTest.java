package io.pulsehub.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provisioned dashboards are well-formed Grafana dashboards wired to the provisioned data source. (Their queries
 * run against a real hub's InfluxDB in {@link DashboardQueriesIT}.)
 */
class DashboardJsonTest {

    private static final Set<String> BUILT_INS = Set.of("timeFilter", "__timeFilter", "__interval", "__interval_ms");
    private static final Pattern DASHBOARD_LINK = Pattern.compile("/d/([A-Za-z0-9_-]+)");

    private static Path root;
    private static List<DashboardFiles.Dashboard> dashboards;

    @BeforeAll
    static void read() {
        root = ComposeFile.repositoryRoot();
        dashboards = DashboardFiles.all(root);
    }

    @Test
    void theThreeDashboardsAreThere() {
        assertThat(dashboards).extracting(DashboardFiles.Dashboard::uid).containsExactlyInAnyOrder(
                "pulsehub-fleet-overview", "pulsehub-device-detail", "pulsehub-pipeline-health");
        assertThat(dashboards).extracting(dashboard -> dashboard.json().path("title").asText())
                .doesNotHaveDuplicates().allSatisfy(title -> assertThat(title).startsWith("PulseHub / "));
    }

    @Test
    void everyDashboardHasItsIdentityAndNoFixedId() {
        for (final DashboardFiles.Dashboard dashboard : dashboards) {
            final JsonNode json = dashboard.json();
            assertThat(dashboard.uid()).as(dashboard.file() + " uid").matches("[A-Za-z0-9_-]{1,40}");
            assertThat(json.path("title").asText()).as(dashboard.file() + " title").isNotBlank();
            assertThat(json.path("schemaVersion").isInt()).as(dashboard.file() + " schemaVersion").isTrue();
            // A numeric id would clash with the database ids Grafana assigns on provisioning.
            assertThat(json.path("id").isNumber()).as(dashboard.file() + " has no numeric id").isFalse();
            assertThat(json.path("panels").isArray() && !json.path("panels").isEmpty())
                    .as(dashboard.file() + " has panels").isTrue();
            assertThat(json.path("time").path("from").asText()).as(dashboard.file() + " time range").isNotBlank();
        }
    }

    @Test
    void panelsHaveUniqueIdsAndAPlaceOnTheGridThatNoOtherPanelTakes() {
        for (final DashboardFiles.Dashboard dashboard : dashboards) {
            final Set<Integer> ids = new HashSet<>();
            final List<int[]> cells = new ArrayList<>();
            for (final JsonNode panel : dashboard.panels()) {
                final String name = dashboard.file().getFileName() + " panel " + panel.path("id") + " '"
                        + panel.path("title").asText() + "'";
                assertThat(panel.path("id").isInt()).as(name + " id").isTrue();
                assertThat(ids.add(panel.path("id").asInt())).as(name + " id is unique").isTrue();
                assertThat(panel.path("type").asText()).as(name + " type").isNotBlank();
                assertThat(panel.path("title").asText()).as(name + " title").isNotBlank();
                final JsonNode grid = panel.path("gridPos");
                for (final String field : List.of("h", "w", "x", "y")) {
                    assertThat(grid.path(field).isInt()).as(name + " gridPos." + field).isTrue();
                }
                final int x = grid.path("x").asInt();
                final int y = grid.path("y").asInt();
                final int w = grid.path("w").asInt();
                final int h = grid.path("h").asInt();
                assertThat(w).as(name + " width").isBetween(1, 24);
                assertThat(h).as(name + " height").isPositive();
                assertThat(x).as(name + " x").isBetween(0, 24 - w);
                assertThat(y).as(name + " y").isNotNegative();
                for (final int[] other : cells) {
                    final boolean overlaps = x < other[0] + other[2] && other[0] < x + w
                            && y < other[1] + other[3] && other[1] < y + h;
                    assertThat(overlaps).as(name + " overlaps another panel").isFalse();
                }
                cells.add(new int[] {x, y, w, h});
            }
        }
    }

    @Test
    void everyQueryIsRawInfluxQlOnThePulseHubDataSource() {
        for (final DashboardFiles.Dashboard dashboard : dashboards) {
            for (final JsonNode panel : dashboard.panels()) {
                final String name = dashboard.file().getFileName() + " panel '" + panel.path("title").asText() + "'";
                if ("row".equals(panel.path("type").asText())) {
                    assertThat(panel.has("targets")).as(name + ": a row queries nothing").isFalse();
                    continue;
                }
                assertDataSource(name, panel.path("datasource"));
                assertThat(panel.path("targets").size()).as(name + " has queries").isPositive();
                final Set<String> refIds = new HashSet<>();
                for (final JsonNode target : panel.path("targets")) {
                    assertThat(refIds.add(target.path("refId").asText())).as(name + " refIds are unique").isTrue();
                    assertThat(target.path("rawQuery").asBoolean()).as(name + " rawQuery").isTrue();
                    assertThat(target.path("query").asText()).as(name + " query").startsWithIgnoringCase("SELECT ");
                    assertThat(target.path("resultFormat").asText()).as(name + " resultFormat")
                            .isIn("time_series", "table");
                    assertDataSource(name + " target " + target.path("refId").asText(), target.path("datasource"));
                }
            }
        }
    }

    @Test
    void everyVariableAQueryUsesIsDefinedOnItsDashboard() {
        for (final DashboardFiles.Dashboard dashboard : dashboards) {
            final Set<String> defined = new HashSet<>(BUILT_INS);
            for (final JsonNode variable : dashboard.variables()) {
                final String name = dashboard.file().getFileName() + " variable " + variable.path("name").asText();
                assertThat(variable.path("type").asText()).as(name).isEqualTo("query");
                assertDataSource(name, variable.path("datasource"));
                assertThat(DashboardFiles.variableQuery(variable)).as(name + " query").startsWithIgnoringCase("SHOW ");
                defined.add(variable.path("name").asText());
            }
            for (final JsonNode panel : dashboard.panels()) {
                final List<String> texts = new ArrayList<>();
                panel.path("targets").forEach(target -> texts.add(target.path("query").asText()));
                texts.add(panel.path("repeat").asText(""));
                for (final String text : texts) {
                    final Matcher variable = DashboardFiles.VARIABLE.matcher(text);
                    while (variable.find()) {
                        final String used = variable.group(1) != null ? variable.group(1) : variable.group(3);
                        assertThat(defined).as(dashboard.file().getFileName() + ": $" + used + " in " + text)
                                .contains(used);
                    }
                }
                if (!panel.path("repeat").asText("").isEmpty()) {
                    assertThat(defined).contains(panel.path("repeat").asText());
                }
            }
        }
    }

    @Test
    void linksBetweenDashboardsPointAtProvisionedOnes() {
        final Set<String> uids = new HashSet<>();
        dashboards.forEach(dashboard -> uids.add(dashboard.uid()));
        int links = 0;
        for (final DashboardFiles.Dashboard dashboard : dashboards) {
            final Matcher link = DASHBOARD_LINK.matcher(dashboard.json().toString());
            while (link.find()) {
                assertThat(uids).as(dashboard.file().getFileName() + " links to " + link.group())
                        .contains(link.group(1));
                links++;
            }
        }
        assertThat(links).as("the fleet overview links each device to its detail").isPositive();
    }

    @Test
    void provisioningLoadsTheseDashboardsFromTheDataSourceTheyName() throws IOException {
        final YAMLMapper yaml = new YAMLMapper();
        final JsonNode datasources = yaml.readTree(root.resolve("grafana/provisioning/datasources/influxdb.yml")
                .toFile()).path("datasources");
        assertThat(datasources.size()).isEqualTo(1);
        assertThat(datasources.path(0).path("uid").asText()).isEqualTo(DashboardFiles.DATASOURCE_UID);
        assertThat(datasources.path(0).path("type").asText()).isEqualTo("influxdb");
        assertThat(datasources.path(0).path("jsonData").path("version").asText()).isEqualTo("InfluxQL");

        final JsonNode providers = yaml.readTree(root.resolve("grafana/provisioning/dashboards/dashboards.yml")
                .toFile()).path("providers");
        assertThat(providers.path(0).path("type").asText()).isEqualTo("file");
        assertThat(providers.path(0).path("options").path("path").asText())
                .as("where docker-compose.yml mounts grafana/dashboards").isEqualTo("/etc/grafana/dashboards");
        final Map<String, Object> grafana = ComposeFile.read(root).raw();
        assertThat(grafana.toString()).contains("./grafana/dashboards", "/etc/grafana/dashboards");
    }

    private static void assertDataSource(final String what, final JsonNode datasource) {
        assertThat(datasource.path("uid").asText()).as(what + " datasource uid")
                .isEqualTo(DashboardFiles.DATASOURCE_UID);
        assertThat(datasource.path("type").asText()).as(what + " datasource type").isEqualTo("influxdb");
    }
}
