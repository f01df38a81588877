package io.pulsehub.bridge.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/** Redis down is the device registry being unavailable: 503, which a client may retry, rather than 500. */
@Singleton
@Requires(classes = {JedisException.class, ExceptionHandler.class})
class RedisUnavailableHandler implements ExceptionHandler<JedisException, HttpResponse<ApiError>> {

    private static final Logger log = LoggerFactory.getLogger(RedisUnavailableHandler.class);

    @Override
    public HttpResponse<ApiError> handle(final HttpRequest request, final JedisException exception) {
        log.warn("{} {}: device registry unavailable: {}", request.getMethod(), request.getPath(),
                exception.getMessage());
        log.debug("Registry failure", exception);
        return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(ApiError.of("registry_unavailable", "the device registry (Redis) is unavailable; try again"));
    }
}
