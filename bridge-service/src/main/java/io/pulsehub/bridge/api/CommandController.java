package io.pulsehub.bridge.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.pulsehub.bridge.command.CommandPublishException;
import io.pulsehub.bridge.command.CommandPublisher;
import io.pulsehub.bridge.metrics.PipelineMeters;
import io.pulsehub.contract.DeviceRegistry;
import io.pulsehub.contract.Identifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * {@code POST /api/devices/{id}/commands/{name}}: for backends, the same as an app publishing to
 * {@code devices/{id}/commands/{name}}. 202 once the broker has the message; the device may still be offline, and a
 * persistent session gets it on reconnect.
 */
@Controller("/api/devices/{id}/commands")
@Produces(MediaType.APPLICATION_JSON)
@ExecuteOn(TaskExecutors.BLOCKING)
class CommandController {

    @Serdeable
    record Accepted(String device, String command, String topic) {
    }

    private static final Logger log = LoggerFactory.getLogger(CommandController.class);
    static final String NAME = "name";

    private final DeviceRegistry registry;
    private final CommandPublisher publisher;
    private final PipelineMeters meters;

    CommandController(final DeviceRegistry registry, final CommandPublisher publisher, final PipelineMeters meters) {
        this.registry = registry;
        this.publisher = publisher;
        this.meters = meters;
    }

    /** Any content type: the body is read as JSON whatever the client declared (curl defaults to a form type). */
    @Post("/{name}")
    @Consumes(MediaType.ALL)
    HttpResponse<?> send(@PathVariable final String id, @PathVariable final String name,
                         @Body @Nullable final byte[] body) {
        final Optional<ApiError> invalidId = DeviceController.invalidId(id);
        if (invalidId.isPresent()) {
            return HttpResponse.badRequest(invalidId.get());
        }
        final String nameProblem = Identifiers.commandNameProblem(name);
        if (nameProblem != null) {
            return HttpResponse.badRequest(ApiError.ofField("invalid_field", NAME, nameProblem));
        }
        final ApiError bodyProblem = CommandRequest.problem(body);
        if (bodyProblem != null) {
            return HttpResponse.badRequest(bodyProblem);
        }
        if (registry.find(id).isEmpty()) {
            return DeviceController.notFound(id);
        }
        try {
            final String topic = publisher.publish(id, name, body);
            meters.commandPublished();
            log.info("Command {} sent to device {}", name, id);
            return HttpResponse.accepted().body(new Accepted(id, name, topic));
        } catch (final CommandPublishException e) {
            log.warn("Command {} for device {} not sent: {}", name, id, e.getMessage());
            log.debug("Command publish failure", e);
            return e.unavailable()
                    ? HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(ApiError.of("mqtt_unavailable",
                    "the MQTT broker is not reachable; the command was not sent, try again"))
                    : HttpResponse.status(HttpStatus.BAD_GATEWAY).body(ApiError.of("command_refused",
                    "the MQTT broker refused the command: " + e.getMessage()));
        }
    }
}
