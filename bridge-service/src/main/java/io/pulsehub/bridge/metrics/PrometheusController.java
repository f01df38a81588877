package io.pulsehub.bridge.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/**
 * {@code GET /prometheus}, without authentication like /health: the Prometheus text format of every meter. No meter
 * carries a device id or any other tenant data, so nothing here needs the admin token.
 */
@Controller("/prometheus")
class PrometheusController {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    PrometheusController(final PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Get
    @Produces(CONTENT_TYPE)
    HttpResponse<String> scrape() {
        return HttpResponse.ok(registry.scrape()).contentType(CONTENT_TYPE);
    }
}
