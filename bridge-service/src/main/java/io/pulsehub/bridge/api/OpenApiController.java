package io.pulsehub.bridge.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yml}, without authentication: the hand-written description of every route, which a test holds
 * against the routes the application really has.
 */
@Controller("/openapi.yml")
class OpenApiController {

    static final String RESOURCE = "openapi.yml";
    static final String CONTENT_TYPE = "application/yaml";

    private final byte[] document;

    OpenApiController() {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            this.document = in.readAllBytes();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Get
    @Produces(CONTENT_TYPE)
    HttpResponse<byte[]> document() {
        return HttpResponse.ok(document).contentType(CONTENT_TYPE);
    }
}
