package io.pulsehub.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The provisioned Grafana dashboards and the InfluxQL Grafana would send for them: template variables, the time
 * filter and the interval replaced the way Grafana's InfluxDB data source replaces them in raw queries.
 */
final class DashboardFiles {

    static final String DATASOURCE_UID = "pulsehub-influx";

    /** $var, ${var} and ${var:format}; Grafana's own names start with two underscores or are timeFilter. */
    static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z0-9_]+)(?::([a-z]+))?}|([A-Za-z0-9_]+))");
    private static final Pattern REGEX_SPECIAL = Pattern.compile("[\\\\^$*+?.()|{}\\[\\]/]");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One dashboard file. */
    record Dashboard(Path file, JsonNode json) {

        String uid() {
            return json.path("uid").asText();
        }

        List<JsonNode> panels() {
            final List<JsonNode> panels = new ArrayList<>();
            json.path("panels").forEach(panel -> {
                panels.add(panel);
                // A collapsed row keeps its panels inside itself.
                panel.path("panels").forEach(panels::add);
            });
            return panels;
        }

        List<JsonNode> variables() {
            final List<JsonNode> variables = new ArrayList<>();
            json.path("templating").path("list").forEach(variables::add);
            return variables;
        }

        /**
         * The variable a panel is repeated over: its own {@code repeat}, or that of the row above it (panels follow
         * an expanded row in gridPos order until the next row).
         */
        Map<Integer, String> repeatOf() {
            final List<JsonNode> ordered = new ArrayList<>();
            json.path("panels").forEach(ordered::add);
            ordered.sort(Comparator.comparingInt((JsonNode panel) -> panel.path("gridPos").path("y").asInt())
                    .thenComparingInt(panel -> panel.path("gridPos").path("x").asInt()));
            final Map<Integer, String> repeats = new LinkedHashMap<>();
            String rowRepeat = null;
            for (final JsonNode panel : ordered) {
                if ("row".equals(panel.path("type").asText())) {
                    rowRepeat = panel.path("repeat").asText(null);
                    final String repeat = rowRepeat;
                    panel.path("panels").forEach(inner -> repeats.put(inner.path("id").asInt(), repeat));
                    continue;
                }
                final String own = panel.path("repeat").asText(null);
                repeats.put(panel.path("id").asInt(), own != null ? own : rowRepeat);
            }
            return repeats;
        }
    }

    private DashboardFiles() {
    }

    static List<Dashboard> all(final Path root) {
        try (Stream<Path> files = Files.list(root.resolve("grafana/dashboards"))) {
            final List<Dashboard> dashboards = new ArrayList<>();
            for (final Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(new Dashboard(file, JSON.readTree(file.toFile())));
            }
            return dashboards;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a variable's query, which Grafana stores either as a string or as {@code {query, refId}}. */
    static String variableQuery(final JsonNode variable) {
        final JsonNode query = variable.path("query");
        return query.isTextual() ? query.asText() : query.path("query").asText();
    }

    /**
     * The values a variable offers for the rows of its query: the {@code value} column of SHOW TAG VALUES, else the
     * first column, filtered through the variable's regex (its first capture group when it has one).
     */
    static List<String> variableValues(final JsonNode variable, final JsonNode influxResponse) {
        final List<String> values = new ArrayList<>();
        final String regex = variable.path("regex").asText("");
        final Pattern filter = regex.isEmpty() ? null : Pattern.compile(regex.replaceAll("^/(.*)/[a-z]*$", "$1"));
        for (final JsonNode result : influxResponse.path("results")) {
            for (final JsonNode series : result.path("series")) {
                int column = 0;
                for (int i = 0; i < series.path("columns").size(); i++) {
                    if ("value".equals(series.path("columns").path(i).asText())) {
                        column = i;
                    }
                }
                for (final JsonNode row : series.path("values")) {
                    final String value = row.path(column).asText();
                    if (filter == null) {
                        values.add(value);
                        continue;
                    }
                    final Matcher matcher = filter.matcher(value);
                    if (matcher.find()) {
                        values.add(matcher.groupCount() > 0 ? matcher.group(1) : value);
                    }
                }
            }
        }
        return values.stream().distinct().sorted().toList();
    }

    /**
     * The query as Grafana sends it.
     *
     * @param selected value(s) of each template variable
     * @param multi    the variables that allow several values (Grafana regex-escapes and joins those)
     */
    static String interpolate(final String query, final long fromMillis, final long toMillis,
                              final long intervalMillis, final Map<String, List<String>> selected,
                              final Set<String> multi) {
        final Matcher matcher = VARIABLE.matcher(query);
        final StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            final String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(3);
            final String format = matcher.group(2);
            final String replacement = switch (name) {
                case "timeFilter", "__timeFilter" -> "time >= " + fromMillis + "ms and time <= " + toMillis + "ms";
                case "__interval" -> intervalMillis % 1000 == 0 ? intervalMillis / 1000 + "s" : intervalMillis + "ms";
                case "__interval_ms" -> Long.toString(intervalMillis);
                default -> {
                    if (name.startsWith("tag_")) {
                        // An alias pattern, never part of a query.
                        throw new IllegalArgumentException("$" + name + " belongs in an alias, not in a query");
                    }
                    final List<String> values = selected.get(name);
                    if (values == null) {
                        throw new IllegalArgumentException("no template variable " + name + " in " + query);
                    }
                    yield format(values, "regex".equals(format) || multi.contains(name));
                }
            };
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String format(final List<String> values, final boolean regex) {
        if (!regex) {
            return String.join(",", values);
        }
        final List<String> escaped = values.stream()
                .map(value -> REGEX_SPECIAL.matcher(value).replaceAll(match -> "\\\\" + Matcher.quoteReplacement(
                        match.group())))
                .toList();
        return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
    }
}
