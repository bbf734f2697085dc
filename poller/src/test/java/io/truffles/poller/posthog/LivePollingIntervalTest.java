package io.truffles.poller.posthog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.core.mongo.Documents;
import io.truffles.core.settings.SettingsStore;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import io.truffles.poller.PollingService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The polling thread itself running against WireMock, following the live {@code pollingIntervalSeconds}. */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(value = WireMockPostHog.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = WireMockPostHog.POLLING, value = "true"))
class LivePollingIntervalTest {
    static final String LIST = "/api/projects/" + WireMockPostHog.PROJECT + "/session_recordings/";

    @Inject
    PollingService polling;
    @Inject
    SettingsStore settings;
    @Inject
    Documents documents;

    @AfterEach
    void defaultSettingsForTheNextTests() {
        documents.settings().deleteMany(new Document());
    }

    @Test
    void aChangedPollingIntervalAppliesWithoutARestart() {
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"results\":[],\"has_next\":false}")));
        Instant changed = Instant.now();
        settings.update(List.of(Updates.set("pollingIntervalSeconds", 3600)));
        // the change wakes the poller; after that poll it waits an hour
        await().atMost(Duration.ofMinutes(1))
                .until(() -> polling.lastPoll() != null && polling.lastPoll().isAfter(changed));
        WireMockPostHog.server.resetRequests();

        settings.update(List.of(Updates.set("pollingIntervalSeconds", 1)));

        // one poll for the wake-up, then one a second: with the hour still in force there would be one at most
        await().atMost(Duration.ofSeconds(40)).until(() ->
                WireMockPostHog.server.findAll(getRequestedFor(urlPathEqualTo(LIST))).size() >= 4);
    }
}
