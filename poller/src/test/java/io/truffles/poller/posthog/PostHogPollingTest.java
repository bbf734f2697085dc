package io.truffles.poller.posthog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

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
import io.truffles.poller.PollingService;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
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
    void deletedAndUnavailableRecordingsEndWithoutBlockingTheOthers() throws Exception {
        List<ObjectNode> recordings = recordings(3);
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
        stubSnapshots("rec-002");

        assertThat(polling.source().pollOnce()).isEqualTo(3);

        Session deleted = documents.sessions().find(Filters.eq("posthogSessionId", "rec-000")).first();
        assertThat(deleted.status).isEqualTo(SessionStatus.failed);
        assertThat(deleted.lastError).contains("HTTP 410").contains("deleted");
        Session unavailable = documents.sessions().find(Filters.eq("posthogSessionId", "rec-001")).first();
        assertThat(unavailable.status).isEqualTo(SessionStatus.failed);
        assertThat(unavailable.lastError).contains("HTTP 502");
        assertThat(documents.sessions().find(Filters.eq("posthogSessionId", "rec-002")).first().status)
                .isEqualTo(SessionStatus.pending);
        // final answers are not retried
        assertThat(blockCalls()).hasSize(3);
        assertThat(polling.source().pollOnce()).isZero();
        assertThat(blockCalls()).hasSize(3);
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
        WireMockPostHog.server.resetAll();
        stubPages(List.of(), 50);
        polling.source().pollOnce();
        given().when().get("/q/health/ready").then().statusCode(200);
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
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(BASE + "/.*/snapshots"))
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
