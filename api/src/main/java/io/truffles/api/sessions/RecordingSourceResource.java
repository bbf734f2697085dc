package io.truffles.api.sessions;

import io.truffles.core.config.TrufflesConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Where sessions come from, so the empty dashboard can tell a newcomer what to do: PostHog when its key and project
 * are set (as the poller decides), else the inbox folder (the poller's {@code INBOX_PATH}, default {@code <data>/inbox}),
 * named by its absolute path. No key is ever in the answer.
 */
@Path("/api/sessions/source")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
public class RecordingSourceResource {
    private final TrufflesConfig config;
    private final Optional<java.nio.file.Path> inboxPath;

    RecordingSourceResource(TrufflesConfig config,
            @ConfigProperty(name = "INBOX_PATH") Optional<java.nio.file.Path> inboxPath) {
        this.config = config;
        this.inboxPath = inboxPath;
    }

    /** {@code source} is {@code posthog} or {@code inbox}; {@code inboxPath} is the folder the poller reads. */
    public record RecordingSource(String source, String inboxPath) {
    }

    @GET
    @Operation(summary = "Where sessions come from: PostHog, or the inbox folder (its path) when no PostHog key is set")
    public RecordingSource source() {
        boolean posthog = config.posthog().apiKey().isPresent()
                && config.posthog().projectId().filter(id -> !id.isBlank()).isPresent();
        String inbox = inboxPath.orElse(config.dataDir().resolve("inbox")).toAbsolutePath().normalize().toString();
        return new RecordingSource(posthog ? "posthog" : "inbox", inbox);
    }
}
