package io.pulsehub.bridge.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.pulsehub.bridge.stream.DeadLetterQueue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The dead letters for operators: {@code GET /api/dlq} lists them page by page, {@code POST /api/dlq/replay} puts
 * them back into their partition stream once the cause is fixed (all of them, or the ids given).
 */
@Controller("/api/dlq")
@Produces(MediaType.APPLICATION_JSON)
@ExecuteOn(TaskExecutors.BLOCKING)
class DeadLetterController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /**
     * @param payload the original payload as text, {@code null} when there was none or it is not UTF-8
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Entry(String id, long deadAt, String stream, String originalId, String device, String reason,
                 String payload, int payloadBytes) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Page(long total, List<Entry> entries, String next) {
    }

    @Serdeable
    record Replayed(String id, String stream, String newId) {
    }

    @Serdeable
    record Skipped(String id, String reason) {
    }

    @Serdeable
    record Report(List<Replayed> replayed, List<String> missing, List<Skipped> skipped) {
    }

    private final DeadLetterQueue queue;

    DeadLetterController(final DeadLetterQueue queue) {
        this.queue = queue;
    }

    @Get
    HttpResponse<?> list(@QueryValue @Nullable final String after, @QueryValue @Nullable final String limit) {
        if (after != null && !DeadLetterQueue.isEntryId(after)) {
            return HttpResponse.badRequest(ApiError.ofField("invalid_field", "after",
                    "after must be the id of a dead letter, e.g. 1732330000123-0"));
        }
        int pageSize = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                pageSize = Integer.parseInt(limit);
            } catch (final NumberFormatException e) {
                pageSize = -1;
            }
            if (pageSize < 1 || pageSize > MAX_LIMIT) {
                return HttpResponse.badRequest(ApiError.ofField("invalid_field", "limit",
                        "limit must be a whole number from 1 to " + MAX_LIMIT));
            }
        }
        final DeadLetterQueue.Page page = queue.list(after, pageSize);
        return HttpResponse.ok(new Page(page.total(), page.entries().stream().map(DeadLetterController::entry)
                .toList(), page.next()));
    }

    /** Any content type, and no body at all means every dead letter. */
    @Post("/replay")
    @Consumes(MediaType.ALL)
    HttpResponse<?> replay(@Body @Nullable final String body) {
        final ReplayRequest.Parsed parsed = ReplayRequest.parse(body);
        if (parsed.error() != null) {
            return HttpResponse.badRequest(parsed.error());
        }
        final DeadLetterQueue.ReplayReport report = parsed.ids() == null ? queue.replayAll()
                : queue.replay(parsed.ids());
        return HttpResponse.ok(new Report(
                report.replayed().stream().map(r -> new Replayed(r.id(), r.stream(), r.newId())).toList(),
                report.missing(),
                report.skipped().stream().map(s -> new Skipped(s.id(), s.reason())).toList()));
    }

    private static Entry entry(final DeadLetterQueue.DeadEntry dead) {
        final byte[] payload = dead.payload();
        return new Entry(dead.id(), dead.deadAtMillis(), dead.stream(), dead.originalId(), dead.device(),
                dead.reason(), payload == null ? null : utf8(payload), payload == null ? 0 : payload.length);
    }

    private static String utf8(final byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (final CharacterCodingException e) {
            return null;
        }
    }
}
