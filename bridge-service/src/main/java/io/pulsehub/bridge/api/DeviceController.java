package io.pulsehub.bridge.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.pulsehub.contract.DeviceAlreadyExistsException;
import io.pulsehub.contract.DeviceRecord;
import io.pulsehub.contract.DeviceRegistry;
import io.pulsehub.contract.Identifiers;
import io.pulsehub.contract.ProvisionedDevice;

import java.net.URI;
import java.util.Optional;

/**
 * The device API of the contract. The token is in the answer to provisioning only; afterwards only its hash exists.
 * Every handler runs on the blocking pool: the registry talks to Redis synchronously.
 */
@Controller("/api/devices")
@Produces(MediaType.APPLICATION_JSON)
@ExecuteOn(TaskExecutors.BLOCKING)
class DeviceController {

    @Serdeable
    record Provisioned(String id, String owner, String token) {
    }

    @Serdeable
    record Device(String id, String owner, boolean enabled, long createdAt) {
    }

    private final DeviceRegistry registry;

    DeviceController(final DeviceRegistry registry) {
        this.registry = registry;
    }

    /** Any content type: the body is read as JSON whatever the client declared (curl defaults to a form type). */
    @Post
    @Consumes(MediaType.ALL)
    HttpResponse<?> provision(@Body @Nullable final String body) {
        final DeviceRequest.Parsed parsed = DeviceRequest.parse(body);
        if (parsed.error() != null) {
            return HttpResponse.badRequest(parsed.error());
        }
        final DeviceRequest request = parsed.request();
        try {
            final ProvisionedDevice device = registry.provision(request.id(), request.owner());
            return HttpResponse.created(new Provisioned(device.id(), device.owner(), device.token()),
                    URI.create("/api/devices/" + device.id()));
        } catch (final DeviceAlreadyExistsException e) {
            return HttpResponse.status(HttpStatus.CONFLICT).body(
                    ApiError.ofField("device_exists", DeviceRequest.ID, e.getMessage()));
        } catch (final IllegalArgumentException e) {
            return HttpResponse.badRequest(ApiError.of("invalid_field", e.getMessage()));
        }
    }

    @Get("/{id}")
    HttpResponse<?> find(@PathVariable final String id) {
        final Optional<ApiError> invalid = invalidId(id);
        if (invalid.isPresent()) {
            return HttpResponse.badRequest(invalid.get());
        }
        final Optional<DeviceRecord> device = registry.find(id);
        if (device.isEmpty()) {
            return notFound(id);
        }
        final DeviceRecord record = device.get();
        return HttpResponse.ok(new Device(record.id(), record.owner(), record.enabled(), record.createdAtMillis()));
    }

    @Delete("/{id}")
    HttpResponse<?> delete(@PathVariable final String id) {
        final Optional<ApiError> invalid = invalidId(id);
        if (invalid.isPresent()) {
            return HttpResponse.badRequest(invalid.get());
        }
        return registry.delete(id) ? HttpResponse.noContent() : notFound(id);
    }

    private static Optional<ApiError> invalidId(final String id) {
        final String problem = Identifiers.deviceIdProblem(id);
        return problem == null ? Optional.empty() : Optional.of(ApiError.ofField("invalid_field", "id", problem));
    }

    private static HttpResponse<ApiError> notFound(final String id) {
        return HttpResponse.<ApiError>status(HttpStatus.NOT_FOUND)
                .body(ApiError.ofField("device_not_found", "id", "no device '" + id + "'"));
    }
}
