package io.pulsehub.bridge.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
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
 * The device API of the contract. A token is in the answer to provisioning or rotation only; otherwise only its hash
 * exists. Rotating a token or removing a device revokes the old credentials on every broker node at once. Every
 * handler runs on the blocking pool: the registry talks to Redis synchronously.
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

    /** Answers carrying a token must not be kept by any cache on the way. */
    private static final String NO_STORE = "no-store";

    private final DeviceRegistry registry;
    private final CredentialRevocations revocations;

    DeviceController(final DeviceRegistry registry, final CredentialRevocations revocations) {
        this.registry = registry;
        this.revocations = revocations;
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
                    URI.create("/api/devices/" + device.id())).header(HttpHeaders.CACHE_CONTROL, NO_STORE);
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

    /**
     * The revocation goes out even when there was no such device: if a first attempt removed the device and then
     * failed to publish, its retry must still cut the connection.
     */
    @Delete("/{id}")
    HttpResponse<?> delete(@PathVariable final String id) {
        final Optional<ApiError> invalid = invalidId(id);
        if (invalid.isPresent()) {
            return HttpResponse.badRequest(invalid.get());
        }
        final boolean deleted = registry.delete(id);
        revocations.revoke(id);
        return deleted ? HttpResponse.noContent() : notFound(id);
    }

    /** A new token replaces the old one, whose connections are cut; a failed revocation answers 503, retry it. */
    @Post("/{id}/token")
    @Consumes(MediaType.ALL)
    HttpResponse<?> rotateToken(@PathVariable final String id) {
        final Optional<ApiError> invalid = invalidId(id);
        if (invalid.isPresent()) {
            return HttpResponse.badRequest(invalid.get());
        }
        final Optional<ProvisionedDevice> rotated = registry.rotateToken(id);
        if (rotated.isEmpty()) {
            return notFound(id);
        }
        revocations.revoke(id);
        final ProvisionedDevice device = rotated.get();
        return HttpResponse.ok(new Provisioned(device.id(), device.owner(), device.token()))
                .header(HttpHeaders.CACHE_CONTROL, NO_STORE);
    }

    static Optional<ApiError> invalidId(final String id) {
        final String problem = Identifiers.deviceIdProblem(id);
        return problem == null ? Optional.empty() : Optional.of(ApiError.ofField("invalid_field", "id", problem));
    }

    static HttpResponse<ApiError> notFound(final String id) {
        return HttpResponse.<ApiError>status(HttpStatus.NOT_FOUND)
                .body(ApiError.ofField("device_not_found", "id", "no device '" + id + "'"));
    }
}
