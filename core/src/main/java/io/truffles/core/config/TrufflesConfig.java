package io.truffles.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Truffles' configuration. Every key is fed from the environment variable of the seed design named in its Javadoc
 * (see {@code META-INF/microprofile-config.properties} and {@code .env.example}); secrets are {@link Secret}s.
 */
@ConfigMapping(prefix = "truffles")
public interface TrufflesConfig {

    /** {@code TRUFFLES_DATA_DIR}: the embedded database, stored objects, the inbox and logs. */
    Path dataDir();

    Mongo mongodb();

    PostHog posthog();

    OpenRouter openrouter();

    Storage s3();

    GitHub github();

    Admin admin();

    Anthropic anthropic();

    Agents agents();

    SettingsDefaults settings();

    interface Mongo {
        /** {@code MONGODB_URI}: a replica set in production, so change streams work. */
        String uri();
    }

    interface PostHog {
        /** {@code POSTHOG_API_KEY}: without it the poller reads the inbox folder instead. */
        Optional<Secret> apiKey();

        /** {@code POSTHOG_PROJECT_ID}. */
        Optional<String> projectId();

        /** {@code POSTHOG_HOST}. */
        URI host();
    }

    interface OpenRouter {
        /** {@code OPENROUTER_API_KEY}: without it the analyzer runs its deterministic detectors only. */
        Optional<Secret> apiKey();

        /** {@code truffles.openrouter.back-off}: the wait after a first failed call; it doubles per further one. */
        @WithDefault("1S")
        Duration backOff();

        /** {@code truffles.openrouter.max-wait}: the longest wait between calls, whatever a Retry-After asks. */
        @WithDefault("2M")
        Duration maxWait();
    }

    interface Storage {
        /** {@code S3_BUCKET}. */
        String bucket();

        /** {@code AWS_REGION}. */
        String region();

        /** {@code S3_ENDPOINT}: an S3-compatible server instead of AWS. */
        Optional<URI> endpoint();

        /** {@code AWS_ACCESS_KEY_ID}. */
        Optional<String> accessKeyId();

        /** {@code AWS_SECRET_ACCESS_KEY}. */
        Optional<Secret> secretAccessKey();
    }

    interface GitHub {
        /** {@code GITHUB_TOKEN}: a PAT with repo scope; never enters an agent's sandbox. */
        Optional<Secret> token();

        /** {@code GITHUB_REPO}: {@code owner/name} of the product's repository. */
        Optional<String> repo();
    }

    interface Admin {
        /** {@code ADMIN_PASSWORD}: the bearer token of every mutating API call; unset means they answer 503. */
        Optional<Secret> password();
    }

    interface Anthropic {
        /** {@code ANTHROPIC_API_KEY}: without it agents are not started and the dashboard says why. */
        Optional<Secret> apiKey();
    }

    interface Agents {
        /** {@code REPO_CLONE_PATH}: the local clone agents' worktrees are made from. */
        Optional<Path> repoClonePath();

        /** {@code WORKTREE_BASE_PATH}: where agents' worktrees are made. */
        Optional<Path> worktreeBasePath();
    }

    /** Where the settings document starts when it does not exist yet; admins change the document live. */
    interface SettingsDefaults {
        /** {@code MAX_CONCURRENT_AGENTS}. */
        @WithDefault("5")
        int maxConcurrentAgents();

        /** {@code AGENT_TIMEOUT_MINUTES}. */
        @WithDefault("15")
        int agentTimeoutMinutes();

        /** {@code POLLING_INTERVAL_SECONDS}. */
        @WithDefault("60")
        int pollingIntervalSeconds();

        /** {@code VIDEO_MODEL_PRIMARY}. */
        String videoModelPrimary();

        /** {@code VIDEO_MODEL_SECONDARY}. */
        String videoModelSecondary();

        /** {@code TEXT_MODEL}. */
        String textModel();

        /** {@code SCREENING_MODEL}. */
        String screeningModel();
    }
}
