package io.truffles.poller.posthog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.error.ConfigurationException;
import io.truffles.core.mongo.Documents;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.storage.StorageKeys;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.testing.MutableClock;
import io.truffles.poller.PollerConfig;
import io.truffles.poller.PollingService;
import io.truffles.poller.importing.SessionImporter;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.bson.Document;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(value = WireMockPostHog.class, restrictToAnnotatedClass = true)
class PostHogPollingTest {
    static final String BASE = "/api/projects/" + WireMockPostHog.PROJECT + "/session_recordings";
    static final Instant LONG_AGO = Instant.parse("2026-11-20T10:00:00Z");

    @Inject
    PollingService polling;
    @Inject
    Documents documents;
    @Inject
    ObjectStorage storage;
    @Inject
    ObjectMapper json;
    @Inject
    PostHogClient posthog;
    @Inject
    @RestClient
    PostHogApi api;
    @Inject
    PollerConfig pollerConfig;
    @Inject
    LiveSettings settings;

    String recordedJsonl;

    @BeforeEach
    void freshPostHogAndDatabase() throws IOException {
        WireMockPostHog.server.resetAll();
        documents.sessions().deleteMany(new Document());
        documents.database().getCollection(PollCursor.COLLECTION).deleteMany(new Document());
        try (InputStream in = getClass().getResourceAsStream("/recordings/checkout-rage-click.posthog.jsonl")) {
            recordedJsonl = new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        }
    }

    @Test
    void threePagesOf120RecordingsAreImportedOnceAndASecondPollImportsNothing() throws Exception {
        List<ObjectNode> recordings = recordings(120);
        stubPages(recordings, 50);
        for (ObjectNode recording : recordings) {
            stubSnapshots(recording.get("id").asText());
        }

        assertThat(polling.source().pollOnce()).isEqualTo(120);
        assertThat(polling.source().pollOnce()).isZero();

        assertThat(documents.sessions().countDocuments(Filters.eq("status", "pending"))).isEqualTo(120);
        assertThat(listCalls()).extracting(call -> call.queryParameter("offset").firstValue())
                .containsExactlyInAnyOrder("0", "50", "100", "0", "50", "100");
        assertThat(blockCalls()).hasSize(120);
        Session first = documents.sessions().find(Filters.eq("posthogSessionId", "rec-000")).first();
        assertThat(first.userEmail).isEqualTo("user0@example.com");
        assertThat(first.userId).isEqualTo("distinct-0");
        assertThat(first.startTime).isEqualTo(LONG_AGO);
        assertThat(first.duration).isEqualTo(9.5);
        assertThat(first.consoleErrors).hasSize(1);
        assertThat(json.readTree(storage.read(StorageKeys.metadata("rec-000"))).get("id").asText())
                .isEqualTo("rec-000");
        assertThat(json.readTree(storage.read(StorageKeys.rrwebEvents("rec-000")))).hasSize(55);
        // the second poll resumed from the newest recording's start
        assertThat(listCalls()).extracting(call -> call.queryParameter("date_from").firstValue())
                .containsOnly("-3d", LONG_AGO.plusSeconds(119 * 60).toString());
        assertThat(listCalls().get(0).header("Authorization").firstValue())
                .isEqualTo("Bearer " + WireMockPostHog.KEY);
    }

    @Test
    void a429WithRetryAfterIsWaitedOutAndTheRecordingImported() throws Exception {
        List<ObjectNode> recordings = recordings(1);
        stubPages(recordings, 50);
        stubSources("rec-000", "0");
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/rec-000/snapshots"))
                .withQueryParam("source", equalTo("blob_v2")).inScenario("limited")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("waited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"detail\":\"Rate limit exceeded. Expected available in 1 second.\"}")));
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/rec-000/snapshots"))
                .withQueryParam("source", equalTo("blob_v2")).inScenario("limited")
                .whenScenarioStateIs("waited").willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/jsonl").withBody(recordedJsonl)));

        assertThat(polling.source().pollOnce()).isEqualTo(1);

        List<LoggedRequest> calls = blockCalls();
        assertThat(calls).hasSize(2);
        assertThat(Duration.between(calls.get(0).getLoggedDate().toInstant(), calls.get(1).getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(documents.sessions().find(Filters.eq("posthogSessionId", "rec-000")).first().status)
                .isEqualTo(SessionStatus.pending);
    }

    @Test
    void deletedMissingAndUnavailableRecordingsEndWithoutBlockingTheOthers() throws Exception {
        List<ObjectNode> recordings = recordings(4);
        stubPages(recordings, 50);
        stubSources("rec-000", "0");
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/rec-000/snapshots"))
                .withQueryParam("source", equalTo("blob_v2")).willReturn(aResponse().withStatus(410).withBody(
                        "{\"error\":\"recording_deleted\",\"message\":\"This recording has been deleted\"}")));
        stubSources("rec-001", "0");
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/rec-001/snapshots"))
                .withQueryParam("source", equalTo("blob_v2")).willReturn(aResponse().withStatus(502).withBody(
                        "{\"type\":\"server_error\",\"code\":\"recording_blocks_unavailable\","
                                + "\"detail\":\"Recording blocks are unavailable\"}")));
        stubSources("rec-002", "0");
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/rec-002/snapshots"))
                .withQueryParam("source", equalTo("blob_v2")).willReturn(aResponse().withStatus(404)
                        .withHeader("Content-Type", "application/json").withBody("{\"detail\":\"Recording not found\"}")));
        stubSnapshots("rec-003");

        assertThat(polling.source().pollOnce()).isEqualTo(4);

        Session deleted = documents.sessions().find(Filters.eq("posthogSessionId", "rec-000")).first();
        assertThat(deleted.status).isEqualTo(SessionStatus.failed);
        assertThat(deleted.lastError).contains("HTTP 410").contains("deleted");
        Session unavailable = documents.sessions().find(Filters.eq("posthogSessionId", "rec-001")).first();
        assertThat(unavailable.status).isEqualTo(SessionStatus.failed);
        assertThat(unavailable.lastError).contains("HTTP 502");
        Session missing = documents.sessions().find(Filters.eq("posthogSessionId", "rec-002")).first();
        assertThat(missing.status).isEqualTo(SessionStatus.failed);
        assertThat(missing.lastError).contains("HTTP 404").contains("Recording not found");
        assertThat(documents.sessions().find(Filters.eq("posthogSessionId", "rec-003")).first().status)
                .isEqualTo(SessionStatus.pending);
        // final answers are not retried
        assertThat(blockCalls()).hasSize(4);
        assertThat(polling.source().pollOnce()).isZero();
        assertThat(blockCalls()).hasSize(4);
    }

    @Test
    void serverErrorsAreRetriedWithBackOff() throws Exception {
        List<ObjectNode> recordings = recordings(1);
        stubPages(recordings, 50);
        stubSources("rec-000", "0");
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/rec-000/snapshots"))
                .withQueryParam("source", equalTo("blob_v2")).inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("better")
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":\"ClickHouse over capacity. Please retry\"}")));
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/rec-000/snapshots"))
                .withQueryParam("source", equalTo("blob_v2")).inScenario("busy")
                .whenScenarioStateIs("better").willReturn(aResponse().withStatus(200).withBody(recordedJsonl)));

        assertThat(polling.source().pollOnce()).isEqualTo(1);
        assertThat(blockCalls()).hasSize(2);
    }

    @Test
    void anInvalidKeyIsAConfigurationErrorInHealthNotARetryStorm() throws Exception {
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/")).willReturn(aResponse().withStatus(401)
                .withBody("{\"type\":\"authentication_error\",\"code\":\"invalid_personal_api_key\","
                        + "\"detail\":\"Invalid Personal API key.\"}")));

        assertThatThrownBy(() -> polling.source().pollOnce()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Invalid Personal API key").hasMessageContaining("POSTHOG_API_KEY");
        assertThat(listCalls()).hasSize(1);
        given().when().get("/q/health/ready").then().statusCode(503)
                .body(containsString("Invalid Personal API key"));

        // once the key works again, health recovers
        assertHealthRecoversOnceListingWorks();
    }

    void assertHealthRecoversOnceListingWorks() throws Exception {
        WireMockPostHog.server.resetAll();
        stubPages(List.of(), 50);
        polling.source().pollOnce();
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void anUnknownProjectIsAConfigurationErrorLoggedOnceNotARetryStorm() throws Exception {
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\":\"Not found.\"}")));
        List<String> errors = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(PostHogClient.class.getName());
        log.addHandler(handler);
        try {
            for (int poll = 0; poll < 3; poll++) {
                assertThatThrownBy(() -> polling.source().pollOnce()).isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("POSTHOG_PROJECT_ID").hasMessageContaining(WireMockPostHog.PROJECT);
            }
        } finally {
            log.removeHandler(handler);
        }

        // one call a poll: neither retried by the client nor treated as a recording that is gone
        assertThat(listCalls()).hasSize(3);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).contains("HTTP 404").contains("POSTHOG_PROJECT_ID");
        given().when().get("/q/health/ready").then().statusCode(503)
                .body(containsString("has no project " + WireMockPostHog.PROJECT));
        assertHealthRecoversOnceListingWorks();
    }

    @Test
    void mobileRecordingsAreImportedAsMobileAndNeverQueuedForTheRenderer() throws Exception {
        List<ObjectNode> recordings = recordings(2);
        recordings.get(0).put("snapshot_source", "mobile");
        stubPages(recordings, 50);
        stubSnapshots("rec-000");
        stubSnapshots("rec-001");

        assertThat(polling.source().pollOnce()).isEqualTo(2);
        assertThat(polling.source().pollOnce()).isZero();

        Session mobile = documents.sessions().find(Filters.eq("posthogSessionId", "rec-000")).first();
        assertThat(mobile.snapshotSource).isEqualTo("mobile");
        assertThat(mobile.status).isEqualTo(SessionStatus.analyzing);
        assertThat(mobile.rrwebEventsUrl).isEqualTo(StorageKeys.rrwebEvents("rec-000"));
        Session web = documents.sessions().find(Filters.eq("posthogSessionId", "rec-001")).first();
        assertThat(web.snapshotSource).isEqualTo("web");
        assertThat(web.status).isEqualTo(SessionStatus.pending);
        assertThat(documents.sessions().countDocuments(Filters.eq("status", "pending"))).isEqualTo(1);
    }

    /**
     * PostHog's own payloads: the recordings-list mock (string durations, one person with an email, one with none),
     * a single recording's metadata, both snapshot-source layouts and a recorded blob_v2 block.
     */
    @Test
    void realShapedPostHogPayloadsAreImported() throws Exception {
        ArrayNode results = (ArrayNode) json.readTree(resource("/posthog/posthog_recordings_list_mock_with_email.json"));
        results.add(json.readTree(resource("/posthog/posthog_session_recording_meta.json")));
        ObjectNode page = json.createObjectNode();
        page.set("results", results);
        page.put("has_next", false);
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(asJson(page))));
        String identified = results.get(0).get("id").asText();
        String legacy = results.get(1).get("id").asText();
        String anonymous = results.get(2).get("id").asText();
        // a blob_v2 block next to a legacy blob; only the blob_v2 one can be fetched
        stubSourcesBody(identified, resource("/posthog/posthog_snapshot_sources_v2.json"));
        stubBlock(identified, resource("/recordings/posthog_blob_v2_idle_custom_event.jsonl"));
        stubSourcesBody(anonymous, resource("/posthog/posthog_snapshot_sources_v2.json"));
        stubBlock(anonymous, recordedJsonl.getBytes(StandardCharsets.UTF_8));
        // only legacy blob + realtime sources, which PostHog's snapshot endpoint no longer serves
        stubSourcesBody(legacy, resource("/posthog/posthog_snapshot_sources_v1_blob_plus_realtime.json"));

        assertThat(polling.source().pollOnce()).isEqualTo(3);

        Session first = documents.sessions().find(Filters.eq("posthogSessionId", identified)).first();
        assertThat(first.status).isEqualTo(SessionStatus.pending);
        assertThat(first.duration).as("recording_duration \"1172.675\" is a string").isEqualTo(1172.675);
        assertThat(first.userEmail).isEqualTo("test@posthog.com");
        assertThat(first.userId).isEqualTo("Nr5jM7FCbz1XaBmFBmsny4NrDmU9y9lOx1Cb3c2DAAw");
        assertThat(first.startTime).isEqualTo(Instant.parse("2021-10-04T05:19:17.458Z"));
        assertThat(first.metadata.get("click_count")).isEqualTo(45);
        JsonNode stored = json.readTree(storage.read(StorageKeys.rrwebEvents(identified)));
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).path("data").path("tag").asText()).isEqualTo("sessionIdle");

        Session old = documents.sessions().find(Filters.eq("posthogSessionId", legacy)).first();
        assertThat(old.status).isEqualTo(SessionStatus.failed);
        assertThat(old.duration).isEqualTo(18.925);
        assertThat(old.userEmail).isNull();
        assertThat(old.lastError).contains("legacy snapshot sources [blob, realtime]")
                .contains("serves only blob_v2 and blob_v2_lts");

        Session meta = documents.sessions().find(Filters.eq("posthogSessionId", anonymous)).first();
        assertThat(meta.status).isEqualTo(SessionStatus.pending);
        assertThat(meta.duration).isEqualTo(11.0);
        assertThat(meta.userEmail).isNull();
        assertThat(meta.consoleErrors).hasSize(1);

        // the three source lists, then blocks 0..0 of the two with a blob_v2 source: nothing asked of legacy sources
        assertThat(WireMockPostHog.server.findAll(getRequestedFor(urlPathMatching(BASE + "/.*/snapshots"))))
                .extracting(call -> call.getUrl().replaceAll(".*/session_recordings/|/snapshots.*", "") + " "
                        + (call.queryParameter("source").isPresent() ? call.queryParameter("source").firstValue()
                                + " " + call.queryParameter("start_blob_key").firstValue() + "-"
                                + call.queryParameter("end_blob_key").firstValue() : "sources"))
                .containsExactlyInAnyOrder(identified + " sources", legacy + " sources", anonymous + " sources",
                        identified + " blob_v2 0-0", anonymous + " blob_v2 0-0");
    }

    @Test
    void ongoingAndRecentRecordingsWaitAndHoldTheCursorButNotTheOthers() throws Exception {
        List<ObjectNode> recordings = recordings(3);
        recordings.get(0).put("ongoing", true);
        recordings.get(1).put("end_time", Instant.now().minusSeconds(60).toString());
        stubPages(recordings, 50);
        stubSnapshots("rec-002");

        assertThat(polling.source().pollOnce()).isEqualTo(1);

        assertThat(documents.sessions().countDocuments()).isEqualTo(1);
        Document cursor = documents.database().getCollection(PollCursor.COLLECTION).find().first();
        assertThat(cursor.get("dateFrom")).isNull();
    }

    /** The free plan's limits with a clock the client's waits move: nothing here waits for real. */
    @Test
    void snapshotCallsAreSpacedTwelveAMinuteAndHeldToSixtyAnHour() throws Exception {
        stubSources("rec-000", "0");
        MutableClock clock = MutableClock.startingNow();
        Instant start = clock.instant();
        List<Duration> waits = new ArrayList<>();
        PostHogClient client = new PostHogClient(api, json, clock, limits(12, 60, Duration.ofMinutes(2)),
                WireMockPostHog.PROJECT, WireMockPostHog.KEY, wait -> {
                    waits.add(wait);
                    clock.advance(wait);
                });

        List<Instant> calls = new ArrayList<>();
        for (int i = 0; i < 61; i++) {
            client.sources("rec-000");
            calls.add(clock.instant());
        }

        assertThat(WireMockPostHog.server.findAll(getRequestedFor(urlPathEqualTo(BASE + "/rec-000/snapshots"))))
                .hasSize(61);
        for (int i = 1; i < 60; i++) {
            assertThat(Duration.between(calls.get(i - 1), calls.get(i))).as("call %d", i)
                    .isEqualTo(Duration.ofSeconds(5));
        }
        // the 60th call went out at 59 × 5 s; the 61st waits until the first is an hour old
        assertThat(calls.get(0)).isEqualTo(start);
        assertThat(calls.get(60)).isEqualTo(start.plus(Duration.ofHours(1)));
        assertThat(waits).hasSize(60).last().isEqualTo(Duration.ofHours(1).minusSeconds(59 * 5));
    }

    /**
     * A Retry-After far longer than the lease: the poller that waits keeps the project (renewing while it waits), so
     * a second poller finds it taken, and the recording is imported and downloaded once.
     */
    @Test
    void aPollerWaitingOutRetryAfterKeepsItsLeaseSoASecondOneNeverTakesOver() throws Exception {
        stubPages(recordings(1), 50);
        stubSources("rec-000", "0");
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/rec-000/snapshots"))
                .withQueryParam("source", equalTo("blob_v2")).inScenario("limited")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("waited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "90")));
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/rec-000/snapshots"))
                .withQueryParam("source", equalTo("blob_v2")).inScenario("limited")
                .whenScenarioStateIs("waited").willReturn(aResponse().withStatus(200).withBody(recordedJsonl)));
        // the lease's clock is the test's; the Retry-After wait lasts until the test ends it
        MutableClock clock = MutableClock.startingNow();
        Duration ttl = Duration.ofSeconds(3);
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch waitedOut = new CountDownLatch(1);
        PostHogClient waitingClient = new PostHogClient(api, json, Clock.systemUTC(),
                limits(60_000, 1_000_000, ttl), WireMockPostHog.PROJECT, WireMockPostHog.KEY, wait -> {
                    if (wait.compareTo(Duration.ofSeconds(90)) == 0) {
                        waiting.countDown();
                        waitedOut.await();
                    }
                });
        SessionImporter importer = new SessionImporter(documents, storage, json, clock);
        PostHogSource first = new PostHogSource(waitingClient, importer,
                new PollCursor(documents, WireMockPostHog.PROJECT, "poller@first:1", clock, ttl), settings,
                limits(60_000, 1_000_000, ttl), clock);
        PostHogSource second = new PostHogSource(posthog, importer,
                new PollCursor(documents, WireMockPostHog.PROJECT, "poller@second:2", clock, ttl), settings,
                limits(60_000, 1_000_000, ttl), clock);

        CompletableFuture<Integer> firstPoll = CompletableFuture.supplyAsync(() -> {
            try {
                return first.pollOnce();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> waiting.getCount() == 0);
            Instant heldUntil = leaseUntil();
            clock.advance(ttl.multipliedBy(3));
            // without renewal the lease would now be over
            await().atMost(Duration.ofMinutes(1)).until(() -> leaseUntil().isAfter(clock.instant()));
            assertThat(leaseUntil()).isAfter(heldUntil);

            assertThat(second.pollOnce()).isZero();
            assertThat(listCalls()).as("the second poller did not even list").hasSize(1);
        } finally {
            waitedOut.countDown();
        }
        assertThat(firstPoll.get(2, TimeUnit.MINUTES)).isEqualTo(1);

        assertThat(documents.sessions().countDocuments()).isEqualTo(1);
        assertThat(blockCalls()).as("one 429, then the one download").hasSize(2);
        assertThat(documents.database().getCollection(PollCursor.COLLECTION).find().first().getString("owner"))
                .isEqualTo("poller@first:1");
    }

    @Test
    void manyBlobKeysAreFetchedTwentyAtATime() throws Exception {
        List<ObjectNode> recordings = recordings(1);
        stubPages(recordings, 50);
        String[] keys = new String[45];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = Integer.toString(i);
        }
        stubSources("rec-000", keys);
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/rec-000/snapshots"))
                .withQueryParam("source", equalTo("blob_v2"))
                .willReturn(aResponse().withStatus(200).withBody(recordedJsonl)));

        polling.source().pollOnce();

        assertThat(blockCalls()).extracting(call -> call.queryParameter("start_blob_key").firstValue() + "-"
                + call.queryParameter("end_blob_key").firstValue()).containsExactly("0-19", "20-39", "40-44");
        // the stub answers every range with the same blocks: stored and counted once
        assertThat(json.readTree(storage.read(StorageKeys.rrwebEvents("rec-000")))).hasSize(55);
        Session session = documents.sessions().find(Filters.eq("posthogSessionId", "rec-000")).first();
        assertThat(session.consoleErrors).hasSize(1);
        assertThat(session.networkFailures).hasSize(1);
    }

    Instant leaseUntil() {
        return documents.database().getCollection(PollCursor.COLLECTION).find().first().getDate("leaseUntil")
                .toInstant();
    }

    PollerConfig.PostHog limits(int perMinute, int perHour, Duration leaseTtl) {
        PollerConfig.PostHog configured = pollerConfig.posthog();
        return new Limits(configured.pageSize(), configured.firstDateFrom(), configured.quietPeriod(), perMinute,
                perHour, configured.maxAttempts(), configured.backOff(), configured.maxWait(), leaseTtl);
    }

    record Limits(int pageSize, String firstDateFrom, Duration quietPeriod, int snapshotCallsPerMinute,
            int snapshotCallsPerHour, int maxAttempts, Duration backOff, Duration maxWait, Duration leaseTtl)
            implements PollerConfig.PostHog {
    }

    List<ObjectNode> recordings(int count) {
        List<ObjectNode> recordings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode recording = json.createObjectNode();
            Instant start = LONG_AGO.plusSeconds(i * 60L);
            recording.put("id", String.format("rec-%03d", i));
            recording.put("distinct_id", "distinct-" + i);
            recording.put("start_time", start.toString());
            recording.put("end_time", start.plusMillis(9500).toString());
            recording.put("recording_duration", 9.5);
            recording.put("ongoing", false);
            recording.put("snapshot_source", "web");
            recording.putObject("person").putObject("properties").put("email", "user" + i + "@example.com");
            recordings.add(recording);
        }
        return recordings;
    }

    void stubPages(List<ObjectNode> recordings, int pageSize) {
        int offset = 0;
        do {
            ObjectNode page = json.createObjectNode();
            ArrayNode results = page.putArray("results");
            recordings.subList(offset, Math.min(recordings.size(), offset + pageSize)).forEach(results::add);
            page.put("has_next", offset + pageSize < recordings.size());
            page.put("version", 4);
            WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/"))
                    .withQueryParam("offset", equalTo(Integer.toString(offset)))
                    .withQueryParam("limit", equalTo(Integer.toString(pageSize)))
                    .withQueryParam("order_direction", equalTo("ASC"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(asJson(page))));
            offset += pageSize;
        } while (offset < recordings.size());
    }

    void stubSources(String id, String... keys) {
        ObjectNode body = json.createObjectNode();
        ArrayNode sources = body.putArray("sources");
        for (String key : keys) {
            sources.addObject().put("source", "blob_v2").put("start_timestamp", "2026-11-20T10:00:00Z")
                    .put("end_timestamp", "2026-11-20T10:00:09Z").put("blob_key", key);
        }
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/" + id + "/snapshots"))
                .withQueryParam("source", absent())
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(asJson(body))));
    }

    void stubSourcesBody(String id, byte[] body) {
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/" + id + "/snapshots"))
                .withQueryParam("source", absent())
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    void stubBlock(String id, byte[] jsonl) {
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/" + id + "/snapshots"))
                .withQueryParam("source", equalTo("blob_v2")).withQueryParam("start_blob_key", equalTo("0"))
                .withQueryParam("end_blob_key", equalTo("0"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/jsonl")
                        .withBody(jsonl)));
    }

    byte[] resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    void stubSnapshots(String id) {
        stubSources(id, "0");
        WireMockPostHog.server.stubFor(get(urlPathEqualTo(BASE + "/" + id + "/snapshots"))
                .withQueryParam("source", equalTo("blob_v2")).withQueryParam("start_blob_key", equalTo("0"))
                .withQueryParam("end_blob_key", equalTo("0"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/jsonl")
                        .withBody(recordedJsonl)));
    }

    static List<LoggedRequest> listCalls() {
        return inOrder(WireMockPostHog.server.findAll(getRequestedFor(urlPathEqualTo(BASE + "/"))));
    }

    static List<LoggedRequest> inOrder(List<LoggedRequest> requests) {
        List<LoggedRequest> sorted = new ArrayList<>(requests);
        sorted.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
        return sorted;
    }

    static List<LoggedRequest> blockCalls() {
        return inOrder(WireMockPostHog.server.findAll(getRequestedFor(
                urlPathMatching(BASE + "/.*/snapshots"))
                .withQueryParam("source", equalTo("blob_v2"))));
    }

    private String asJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
