package io.truffles.poller.posthog;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A WireMock server standing in for PostHog (a paid service), with the poller pointed at it, the polling thread off
 * unless asked for (tests drive each poll) and the waits short enough for tests.
 */
public class WireMockPostHog implements QuarkusTestResourceLifecycleManager {
    public static final String PROJECT = "4242";
    public static final String KEY = "phx_TestPersonalApiKey0123456789abcdef";
    /** Init arg: {@code true} runs the polling thread, for tests of the poller's own schedule. */
    public static final String POLLING = "polling";
    static volatile WireMockServer server;
    private boolean polling;

    @Override
    public void init(Map<String, String> initArgs) {
        polling = Boolean.parseBoolean(initArgs.getOrDefault(POLLING, "false"));
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        return Map.ofEntries(
                Map.entry("truffles.posthog.host", server.baseUrl()),
                Map.entry("truffles.posthog.api-key", KEY),
                Map.entry("truffles.posthog.project-id", PROJECT),
                Map.entry("truffles.poller.enabled", Boolean.toString(polling)),
                Map.entry("truffles.poller.posthog.page-size", "50"),
                Map.entry("truffles.poller.posthog.snapshot-calls-per-minute", "60000"),
                Map.entry("truffles.poller.posthog.snapshot-calls-per-hour", "1000000"),
                Map.entry("truffles.poller.posthog.back-off", "50MS"),
                Map.entry("truffles.poller.posthog.max-attempts", "3"),
                Map.entry("truffles.poller.posthog.quiet-period", "35M"));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
