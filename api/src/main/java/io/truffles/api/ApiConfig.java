package io.truffles.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** The api's own settings, beside core's {@code truffles.*} environment mapping. */
@ConfigMapping(prefix = "truffles.api")
public interface ApiConfig {

    /** The {@code .env} file secret writes go to; the launcher runs services from the repository root. */
    @WithDefault(".env")
    Path envFile();

    /**
     * The command that restarts systemd units after a secret changed; the unit names are appended as arguments.
     * The default works where {@code systemd/install.sh} installed Truffles (its polkit rule lets the truffles user
     * restart {@code truffles-*.service} only); {@code ./truffles up} sets its own {@code truffles restart}.
     */
    @WithDefault("systemctl --no-ask-password restart")
    String restartCommand();

    /** Failed admin logins from one address before each further attempt must wait. */
    @WithDefault("3")
    int freeFailures();

    /** The first wait after {@link #freeFailures()}; it doubles with every further failure. */
    @WithDefault("1S")
    Duration failureBackoff();

    /** The longest wait a run of failures can cause. */
    @WithDefault("5M")
    Duration maxFailureBackoff();

    /**
     * Addresses whose failed logins are remembered at most; beyond it the one that failed least recently is
     * forgotten, so many addresses cannot grow the api's memory without bound.
     */
    @WithDefault("10000")
    int maxTrackedAddresses();

    /**
     * {@code TRUFFLES_TRUSTED_PROXIES}: the proxies (IP addresses) whose {@code X-Forwarded-For} is believed; failed
     * logins through one of them count against the address it appended, all others against the connection's peer.
     */
    @WithDefault("127.0.0.1,::1")
    java.util.List<String> trustedProxies();

    /** Messages a WebSocket client may have unsent before it is dropped as too slow. */
    @WithDefault("20000")
    int maxPendingMessages();

    /** The live feed's fallback re-read behind the change-stream doorbell. */
    @WithDefault("500MS")
    Duration feedPoll();
}
