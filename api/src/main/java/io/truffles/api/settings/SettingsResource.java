package io.truffles.api.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.truffles.api.ApiConfig;
import io.truffles.api.errors.ApiError;
import io.truffles.core.config.Secret;
import io.truffles.core.config.TrufflesConfig;
import io.truffles.core.documents.Settings;
import io.truffles.core.settings.SettingsStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Runtime settings live in the settings document and apply within seconds; secrets and other environment settings
 * live in {@code .env} and apply when the units that read them restart.
 */
@Path("/api/settings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "settings")
public class SettingsResource {
    private static final Logger LOG = Logger.getLogger(SettingsResource.class);
    private static final int MAX_VALUE = 4096;
    private static final String ADMIN_PASSWORD = "ADMIN_PASSWORD";

    private final SettingsStore store;
    private final TrufflesConfig config;
    private final EnvFile envFile;
    private final UnitRestarter restarter;
    /** One secrets write at a time: two interleaved read-modify-writes of .env would lose one. */
    private final Object envLock = new Object();

    SettingsResource(SettingsStore store, TrufflesConfig config, ApiConfig apiConfig, UnitRestarter restarter) {
        this.store = store;
        this.config = config;
        this.envFile = new EnvFile(apiConfig.envFile());
        this.restarter = restarter;
    }

    /** {@code limits}: what {@code POST /runtime} accepts for each runtime setting. */
    public record SettingsView(Settings runtime, Map<String, String> secrets, Map<String, String> environment,
            String envFile, RuntimeSettingsChange.Limits limits) {
    }

    @GET
    @Operation(summary = "Runtime settings, environment settings, and every secret as its last 4 characters or 'not set' "
            + "(ADMIN_PASSWORD only as 'set' or 'not set')")
    public SettingsView get() {
        Map<String, String> file = readEnvFile();
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String key : EnvironmentKeys.SECRETS.keySet()) {
            String value = file.containsKey(key) ? file.get(key) : running(key);
            // the admin password is what this page is unlocked with: not one character of it is shown
            secrets.put(key, key.equals(ADMIN_PASSWORD) ? (value == null || value.isEmpty() ? "not set" : "set")
                    : Secret.mask(value));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (String key : EnvironmentKeys.PLAIN.keySet()) {
            String value = file.containsKey(key) ? file.get(key) : running(key);
            environment.put(key, value == null || value.isEmpty() ? "not set" : value);
        }
        return new SettingsView(store.read(), secrets, environment, envFile.path().toString(),
                RuntimeSettingsChange.limits());
    }

    @POST
    @Path("/runtime")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Admin: change runtime settings; every service applies them within seconds")
    public Settings runtime(JsonNode body) {
        store.update(RuntimeSettingsChange.parse(body));
        return store.read();
    }

    /** {@code restarts}: each unit's own result ({@code restarted}, {@code failed}, {@code scheduled}) and output. */
    public record SecretsWritten(List<String> written, List<String> restartedUnits, boolean restartSucceeded,
            String restartOutput, List<UnitRestarter.UnitRestart> restarts) {
    }

    @POST
    @Path("/secrets")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Admin: write secrets and environment settings to .env atomically, then restart the units "
            + "that read them")
    public SecretsWritten secrets(JsonNode body) {
        Map<String, String> changes = secretChanges(body);
        synchronized (envLock) {
            try {
                envFile.update(changes);
            } catch (IOException cannotWrite) {
                throw new UncheckedIOException("Cannot write " + envFile.path() + ": " + cannotWrite.getMessage(),
                        cannotWrite);
            }
        }
        // names only: the values are secrets
        LOG.infof("Wrote %s to %s", changes.keySet(), envFile.path());
        UnitRestarter.Outcome outcome = restarter.restart(EnvironmentKeys.unitsFor(changes.keySet()));
        return new SecretsWritten(List.copyOf(changes.keySet()), outcome.units(), outcome.succeeded(),
                outcome.output(), outcome.perUnit());
    }

    private static Map<String, String> secretChanges(JsonNode body) {
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw ApiError.badField("body", "must be a JSON object of environment variables to set");
        }
        Map<String, String> changes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (!EnvironmentKeys.known(key)) {
                throw ApiError.badField(key, "not a setting that can be written here; known: "
                        + String.join(", ", EnvironmentKeys.SECRETS.keySet()) + ", "
                        + String.join(", ", EnvironmentKeys.PLAIN.keySet()));
            }
            if (!field.getValue().isTextual()) {
                throw ApiError.badField(key, "must be a string");
            }
            String value = field.getValue().textValue();
            if (EnvFile.hasLineBreak(value)) {
                throw ApiError.badField(key, "must not contain a line break");
            }
            if (value.length() > MAX_VALUE) {
                throw ApiError.badField(key, "is longer than " + MAX_VALUE + " characters");
            }
            changes.put(key, value);
        }
        return changes;
    }

    private Map<String, String> readEnvFile() {
        try {
            return envFile.read();
        } catch (IOException unreadable) {
            LOG.warnf("Cannot read %s (%s); showing the environment this process started with", envFile.path(),
                    unreadable.getMessage());
            return Map.of();
        }
    }

    /** The value this process was started with. */
    private String running(String key) {
        return switch (key) {
            case "POSTHOG_API_KEY" -> reveal(config.posthog().apiKey());
            case "OPENROUTER_API_KEY" -> reveal(config.openrouter().apiKey());
            case "AWS_ACCESS_KEY_ID" -> config.s3().accessKeyId().orElse(null);
            case "AWS_SECRET_ACCESS_KEY" -> reveal(config.s3().secretAccessKey());
            case "GITHUB_TOKEN" -> reveal(config.github().token());
            case "ADMIN_PASSWORD" -> reveal(config.admin().password());
            case "ANTHROPIC_API_KEY" -> reveal(config.anthropic().apiKey());
            case "POSTHOG_PROJECT_ID" -> config.posthog().projectId().orElse(null);
            case "POSTHOG_HOST" -> config.posthog().host().toString();
            case "GITHUB_REPO" -> config.github().repo().orElse(null);
            case "S3_BUCKET" -> config.s3().bucket();
            default -> null;
        };
    }

    private static String reveal(Optional<Secret> secret) {
        return secret.map(Secret::reveal).orElse(null);
    }
}
