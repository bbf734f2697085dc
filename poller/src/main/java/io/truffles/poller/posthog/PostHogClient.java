package io.truffles.poller.posthog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.truffles.core.config.Secret;
import io.truffles.core.config.TrufflesConfig;
import io.truffles.core.error.ConfigurationException;
import io.truffles.core.queue.Doorbell;
import io.truffles.core.retry.Pause;
import io.truffles.core.retry.RetryWaits;
import io.truffles.poller.PollerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * PostHog as Truffles uses it: the recordings list and a recording's snapshots, with PostHog's limits obeyed. Snapshot
 * calls are spaced to {@code snapshotCallsPerMinute} and held to {@code snapshotCallsPerHour} (12 and 60 on the free
 * plan); 429 waits out {@code Retry-After}; 5xx and failed connections back off exponentially; 404, 410 and 502
 * {@code recording_blocks_unavailable} on a recording end that recording ({@link RecordingGoneException}); 401/403,
 * and 404 on the project's list, are a configuration error, logged once and surfaced in health, never retried in a
 * loop.
 */
@ApplicationScoped
public class PostHogClient {
    private static final Logger LOG = Logger.getLogger(PostHogClient.class);
    /** PostHog rejects more than 20 blob keys in one call from a personal API key. */
    static final int MAX_KEYS_PER_CALL = 20;

    private final PostHogApi api;
    private final ObjectMapper json;
    private final PollerConfig.PostHog limits;
    private final String projectId;
    private final String authorization;
    /** Rung on shutdown, so a long Retry-After does not hold the process. */
    private final Doorbell stop = new Doorbell();
    private final Pause pause;
    private final RetryWaits waits;
    private final SnapshotCallLimit snapshotLimit;
    private volatile String configurationError;

    @Inject
    PostHogClient(@RestClient PostHogApi api, ObjectMapper json, Clock clock, PollerConfig config,
            TrufflesConfig truffles) {
        this(api, json, clock, config.posthog(), truffles.posthog().projectId().orElse(""),
                truffles.posthog().apiKey().map(Secret::reveal).orElse(null), null);
    }

    /** {@code pause} {@code null}: real waits, cut short by {@link #stop()}; tests pass one that moves their clock. */
    PostHogClient(PostHogApi api, ObjectMapper json, Clock clock, PollerConfig.PostHog limits, String projectId,
            String apiKey, Pause pause) {
        this.api = api;
        this.json = json;
        this.limits = limits;
        this.projectId = projectId;
        this.authorization = apiKey == null ? null : "Bearer " + apiKey;
        this.pause = pause != null ? pause : Pause.untilRung(stop);
        this.waits = new RetryWaits(limits.backOff(), limits.maxWait(), clock);
        this.snapshotLimit = new SnapshotCallLimit(clock, limits.snapshotCallsPerMinute(),
                limits.snapshotCallsPerHour());
    }

    /** Whether a key and a project are configured; without them the poller reads the inbox. */
    public boolean configured() {
        return authorization != null && !projectId.isBlank();
    }

    public String projectId() {
        return projectId;
    }

    /** The last 401/403 (or unknown project) in words an operator can act on; {@code null} once a call succeeds. */
    public String configurationError() {
        return configurationError;
    }

    /** Cuts every wait short, for shutdown. */
    public void stop() {
        stop.ring();
    }

    /** One page of recordings started since {@code dateFrom}, oldest first. */
    public RecordingsPage listRecordings(String dateFrom, int offset, int limit)
            throws PostHogUnavailableException, InterruptedException {
        JsonNode body = readJson(callWithRetries("list recordings", Call.LIST,
                () -> api.list(projectId, authorization, dateFrom, "start_time", "ASC", limit, offset)));
        List<ObjectNode> results = new ArrayList<>();
        for (JsonNode recording : body.path("results")) {
            if (recording.isObject()) {
                results.add((ObjectNode) recording);
            }
        }
        return new RecordingsPage(results, body.path("has_next").asBoolean(false));
    }

    /** The recording's snapshot sources, in PostHog's order (by start time). */
    public List<SnapshotSource> sources(String sessionId)
            throws PostHogUnavailableException, RecordingGoneException, InterruptedException {
        JsonNode body = readJson(callForRecording("snapshot sources of " + sessionId,
                () -> api.sources(projectId, authorization, sessionId)));
        List<SnapshotSource> sources = new ArrayList<>();
        Set<String> unservable = new TreeSet<>();
        for (JsonNode source : body.path("sources")) {
            String kind = source.path("source").asText("");
            if (SnapshotSource.BLOB_V2.equals(kind) || SnapshotSource.BLOB_V2_LTS.equals(kind)) {
                sources.add(new SnapshotSource(kind, source.path("blob_key").asText(null)));
            } else {
                unservable.add(kind);
            }
        }
        if (sources.isEmpty() && !unservable.isEmpty()) {
            // PostHog's snapshot endpoint answers 400 to any source but blob_v2 / blob_v2_lts: asking would only
            // spend rate limit
            throw new RecordingGoneException(0, "PostHog lists only legacy snapshot sources " + unservable
                    + " for recording " + sessionId + "; its API serves only blob_v2 and blob_v2_lts, so this "
                    + "recording cannot be downloaded");
        }
        return sources;
    }

    /**
     * Writes the recording's JSONL to {@code out}: consecutive blob_v2 blocks 20 keys a call, each lts blob on its own.
     * Returns the number of calls made.
     */
    public int downloadSnapshots(String sessionId, List<SnapshotSource> sources, OutputStream out)
            throws PostHogUnavailableException, RecordingGoneException, InterruptedException, IOException {
        List<Integer> keys = new ArrayList<>();
        int calls = 0;
        for (SnapshotSource source : sources) {
            if (SnapshotSource.BLOB_V2_LTS.equals(source.source())) {
                fetchInto(out, "snapshot blob of " + sessionId, () -> api.blocks(projectId, authorization, sessionId,
                        SnapshotSource.BLOB_V2_LTS, null, null, source.blobKey()));
                calls++;
            } else {
                try {
                    keys.add(Integer.parseInt(source.blobKey()));
                } catch (NumberFormatException notAnIndex) {
                    throw new RecordingGoneException(0, "Recording " + sessionId + " has a blob_v2 source with key '"
                            + source.blobKey() + "', not a block index");
                }
            }
        }
        keys.sort(null);
        int i = 0;
        while (i < keys.size()) {
            int start = keys.get(i);
            int end = start;
            int j = i + 1;
            // a contiguous run, inclusive, of at most 20 keys
            while (j < keys.size() && keys.get(j) == end + 1 && keys.get(j) - start < MAX_KEYS_PER_CALL) {
                end = keys.get(j);
                j++;
            }
            String from = Integer.toString(start);
            String to = Integer.toString(end);
            fetchInto(out, "snapshot blocks " + from + "-" + to + " of " + sessionId, () -> api.blocks(projectId,
                    authorization, sessionId, SnapshotSource.BLOB_V2, from, to, null));
            calls++;
            i = j;
        }
        return calls;
    }

    private void fetchInto(OutputStream out, String what, Supplier<Response> call)
            throws PostHogUnavailableException, RecordingGoneException, InterruptedException, IOException {
        Response response = callForRecording(what, call);
        try (InputStream body = response.readEntity(InputStream.class)) {
            body.transferTo(out);
        }
        // PostHog strips the trailing newline of the joined blocks: keep the next call's first line on its own
        out.write('\n');
    }

    private Response callForRecording(String what, Supplier<Response> call)
            throws PostHogUnavailableException, RecordingGoneException, InterruptedException {
        try {
            return callWithRetries(what, Call.RECORDING, call);
        } catch (GoneSignal gone) {
            throw new RecordingGoneException(gone.status, gone.getMessage());
        }
    }

    /** The list call's 404 means the project is wrong; a recording's 404 means that recording is gone. */
    private enum Call { LIST, RECORDING }

    private Response callWithRetries(String what, Call kind, Supplier<Response> call)
            throws PostHogUnavailableException, InterruptedException {
        String lastProblem = null;
        for (int attempt = 1; attempt <= limits.maxAttempts(); attempt++) {
            if (kind == Call.RECORDING) {
                awaitSnapshotSlot();
            }
            Response response;
            try {
                response = respond(call);
            } catch (ProcessingException unreachable) {
                lastProblem = "PostHog did not answer (" + unreachable.getMessage() + ")";
                pause.pause(waits.backOff(attempt));
                continue;
            }
            int status = response.getStatus();
            if (status < 300) {
                if (configurationError != null) {
                    LOG.info("PostHog accepts the API key again");
                    configurationError = null;
                }
                return response;
            }
            String body = body(response);
            if (status == 401 || status == 403) {
                throw misconfigured("PostHog refused the API key (HTTP " + status + ": " + detail(body) + "). Check "
                        + "POSTHOG_API_KEY (a personal API key with session_recording:read) and POSTHOG_PROJECT_ID.");
            }
            if (status == 404 && kind == Call.LIST) {
                throw misconfigured("PostHog has no project " + projectId + " (HTTP 404: " + detail(body) + "). Check "
                        + "POSTHOG_PROJECT_ID (the number in the project's URL) and POSTHOG_HOST (US or EU cloud).");
            }
            if (status == 429) {
                Duration wait = waits.after(attempt, response.getHeaderString("Retry-After"));
                lastProblem = "PostHog rate-limited " + what + " (HTTP 429)";
                LOG.infof("%s; waiting %ss as asked", lastProblem, wait.toSeconds());
                rateLimitWait("http_429", wait);
                pause.pause(wait);
                continue;
            }
            if (status == 404 || status == 410 || status == 400
                    || (status == 502 && body.contains("recording_blocks_unavailable"))) {
                throw new GoneSignal(status, "PostHog will not serve " + what + " (HTTP " + status + ": "
                        + detail(body) + ")");
            }
            lastProblem = "PostHog failed " + what + " (HTTP " + status + ": " + detail(body) + ")";
            Duration wait = waits.after(attempt, response.getHeaderString("Retry-After"));
            LOG.debugf("%s; retrying in %s", lastProblem, wait);
            pause.pause(wait);
        }
        throw new PostHogUnavailableException(lastProblem + " after " + limits.maxAttempts() + " attempts", null);
    }

    /** The REST client answers error statuses with an exception that carries the response: unwrap it. */
    private static Response respond(Supplier<Response> call) {
        try {
            return call.get();
        } catch (WebApplicationException error) {
            return error.getResponse();
        }
    }

    /** Held while waiting, so callers on other threads queue behind it rather than all going at once. */
    private synchronized void awaitSnapshotSlot() throws InterruptedException {
        for (Duration wait = snapshotLimit.delay(); !wait.isZero(); wait = snapshotLimit.delay()) {
            if (wait.compareTo(Duration.ofMinutes(1)) > 0) {
                // past the spacing: the hourly allowance is used up, and the poller goes quiet for a while
                LOG.infof("PostHog allows %d snapshot calls an hour; the next one in %d min",
                        limits.snapshotCallsPerHour(), wait.toMinutes() + 1);
            }
            rateLimitWait("snapshot_allowance", wait);
            pause.pause(wait);
        }
        snapshotLimit.made();
    }

    /** {@code truffles_posthog_rate_limit_waits_seconds{cause}}: how often and how long PostHog's limits held us. */
    private static void rateLimitWait(String cause, Duration wait) {
        Timer.builder("truffles.posthog.rate.limit.waits").tag("cause", cause)
                .description("Waits for PostHog's rate limits: a 429's Retry-After, or the snapshot-call allowance")
                .register(Metrics.globalRegistry).record(wait);
    }

    private ConfigurationException misconfigured(String error) {
        if (!error.equals(configurationError)) {
            LOG.error(error);
        }
        configurationError = error;
        return new ConfigurationException(error);
    }

    private JsonNode readJson(Response response) throws PostHogUnavailableException {
        try (InputStream body = response.readEntity(InputStream.class)) {
            return json.readTree(body);
        } catch (IOException | RuntimeException unreadable) {
            throw new PostHogUnavailableException("PostHog answered with something that is not JSON: "
                    + unreadable.getMessage(), unreadable);
        }
    }

    private static String body(Response response) {
        try {
            String text = response.hasEntity() ? response.readEntity(String.class) : "";
            return text == null ? "" : text;
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    private String detail(String body) {
        if (body.isBlank()) {
            return "no body";
        }
        try {
            JsonNode error = json.readTree(body);
            for (String field : List.of("detail", "message", "error", "code")) {
                if (error.path(field).isTextual()) {
                    return error.get(field).asText();
                }
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    /** Internal: a status that ends the recording, turned into {@link RecordingGoneException} by the caller. */
    private static final class GoneSignal extends RuntimeException {
        final int status;

        GoneSignal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
