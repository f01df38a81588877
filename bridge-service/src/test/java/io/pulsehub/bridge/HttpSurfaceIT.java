package io.pulsehub.bridge;

import io.micronaut.web.router.Router;
import io.micronaut.web.router.resource.StaticResourceConfiguration;
import io.pulsehub.testsupport.InfluxServer;
import io.pulsehub.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes the application really serves are exactly the ones its OpenAPI document describes, and the public
 * parts (the document, the web view) need no token.
 */
class HttpSurfaceIT {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head",
            "patch", "trace");

    private static RedisServer redis;
    private static InfluxServer influx;
    private static BridgeApp app;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        influx = InfluxServer.start();
        app = BridgeApp.start(BridgeApp.recordingAggregates(BridgeApp.settings(redis, influx)));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (influx != null) {
            influx.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static byte[] resource(final String name) {
        try (InputStream in = HttpSurfaceIT.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name + " on the classpath").isNotNull();
            return in.readAllBytes();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> openApi() {
        return new Yaml().load(new String(resource("openapi.yml"), StandardCharsets.UTF_8));
    }

    /** "GET /api/devices/{id}" for every operation of the document. */
    @SuppressWarnings("unchecked")
    private static Set<String> documentedRoutes(final Map<String, Object> document) {
        final Set<String> routes = new TreeSet<>();
        ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> item.keySet().stream()
                .filter(HTTP_METHODS::contains)
                .forEach(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        return routes;
    }

    /** Controller routes from Micronaut's router, plus the static mappings, which are served outside the router. */
    private static Set<String> servedRoutes() {
        final Set<String> routes = new TreeSet<>();
        app.bean(Router.class).uriRoutes().forEach(route ->
                routes.add(route.getHttpMethodName() + " " + route.getUriMatchTemplate().toPathString()));
        for (final StaticResourceConfiguration staticResources :
                app.applicationContext().getBeansOfType(StaticResourceConfiguration.class)) {
            final String mapping = staticResources.getMapping();
            assertThat(mapping).as("static mappings end in /**").endsWith("/**");
            routes.add("GET " + mapping.substring(0, mapping.length() - 2));
        }
        return routes;
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRoutesTheRouterServes() {
        final Set<String> served = servedRoutes();
        // Micronaut answers HEAD wherever it answers GET; the document says so once instead of per path.
        final Set<String> implicitHeads = new TreeSet<>();
        for (final String route : served) {
            if (route.startsWith("HEAD ")) {
                assertThat(served).as(route + " has its GET").contains("GET " + route.substring("HEAD ".length()));
                implicitHeads.add(route);
            }
        }
        served.removeAll(implicitHeads);
        assertThat((String) ((Map<?, ?>) openApi().get("info")).get("description"))
                .contains("Every GET also answers HEAD");

        assertThat(served).as("served routes").contains("POST /api/devices", "POST /api/devices/{id}/token",
                "POST /api/devices/{id}/commands/{name}", "GET /api/dlq", "POST /api/dlq/replay", "GET /health",
                "GET /prometheus", "GET /openapi.yml", "GET /");
        assertThat(documentedRoutes(openApi())).as("documented routes").isEqualTo(served);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentIsWellFormed() {
        final Map<String, Object> document = openApi();
        assertThat(document.get("openapi")).isEqualTo("3.0.3");
        assertThat(document).containsKeys("info", "paths", "components");
        final Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        paths.forEach((path, item) -> {
            assertThat(path).startsWith("/");
            item.forEach((method, operation) -> {
                if (HTTP_METHODS.contains(method)) {
                    final Map<String, Object> op = (Map<String, Object>) operation;
                    assertThat(op).as(method + " " + path).containsKeys("responses", "operationId", "summary");
                    assertThat((Map<String, Object>) op.get("responses")).as(method + " " + path).isNotEmpty();
                    // Path parameters are declared for every {variable} of the path.
                    final List<Object> parameters = new ArrayList<>();
                    if (item.get("parameters") != null) {
                        parameters.addAll((List<Object>) item.get("parameters"));
                    }
                    if (op.get("parameters") != null) {
                        parameters.addAll((List<Object>) op.get("parameters"));
                    }
                    for (final String variable : path.split("/")) {
                        if (variable.startsWith("{")) {
                            assertThat(parameters).as(method + " " + path + " declares " + variable).anySatisfy(p ->
                                    assertThat(resolve(document, p).get("name"))
                                            .isEqualTo(variable.substring(1, variable.length() - 1)));
                        }
                    }
                } else {
                    assertThat(method).as(path).isEqualTo("parameters");
                }
            });
        });
        final List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();
        refs.forEach(ref -> assertThat(resolve(document, Map.of("$ref", ref))).as(ref).isNotNull());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolve(final Map<String, Object> document, final Object node) {
        final Map<String, Object> map = (Map<String, Object>) node;
        if (!map.containsKey("$ref")) {
            return map;
        }
        final String ref = (String) map.get("$ref");
        assertThat(ref).startsWith("#/");
        Object target = document;
        for (final String part : ref.substring(2).split("/")) {
            target = target instanceof Map<?, ?> parent ? parent.get(part) : null;
        }
        assertThat(target).as(ref + " resolves").isInstanceOf(Map.class);
        return (Map<String, Object>) target;
    }

    private static void collectRefs(final Object node, final List<String> refs) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("$ref".equals(key)) {
                    refs.add((String) value);
                } else {
                    collectRefs(value, refs);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectRefs(item, refs));
        }
    }

    @Test
    void servesTheOpenApiDocumentWithoutAToken() {
        final HttpResponse<String> response = app.get("/openapi.yml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/yaml"));
        assertThat(response.body()).isEqualTo(new String(resource("openapi.yml"), StandardCharsets.UTF_8));
    }

    @Test
    void servesTheWebViewAtTheRootWithoutAToken() {
        final String page = new String(resource("public/index.html"), StandardCharsets.UTF_8);

        for (final String path : List.of("/", "/index.html")) {
            final HttpResponse<String> response = app.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/html"));
            assertThat(response.body()).as(path).isEqualTo(page);
        }
        // The static mapping covers everything outside the routes, yet unknown files and the API stay as they were.
        assertThat(app.get("/no-such-file.js").statusCode()).isEqualTo(404);
        assertThat(app.get("/api/devices/x").statusCode()).isEqualTo(401);
        assertThat(app.get("/../application.yml").statusCode()).isIn(400, 404);
    }
}
