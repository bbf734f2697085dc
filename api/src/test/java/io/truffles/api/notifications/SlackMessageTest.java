package io.truffles.api.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Slack's rendering cannot be seen offline, so the message is checked against Block Kit's documented structure
 * (docs.slack.dev reference/block-kit: at most 50 blocks; header plain_text ≤ 150; section text 1-3000; actions ≤ 25
 * buttons, button text plain_text ≤ 75, url ≤ 3000; image accessory image_url + alt_text ≤ 2000).
 */
class SlackMessageTest {
    private static final Set<String> BLOCK_TYPES = Set.of("header", "section", "actions", "context", "divider",
            "image");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aRedIssueHasSeverityTitleUsersThumbnailAndLinksWithinBlockKitLimits() throws IOException {
        String longTitle = "Checkout <button> & \"Pay\" does nothing " + "x".repeat(5000);
        NotificationContent content = new NotificationContent("pr.opened", "pr.opened:abc:7", Instant.now(),
                Map.of("prNumber", 7),
                new NotificationContent.Issue("abc", longTitle, "red", "pr_open", 42, 57,
                        "https://truffles.example/issues/abc", "https://truffles.example/sessions/s1?t=12",
                        "https://truffles.example/api/notifications/thumbnails/s1.jpg"),
                null, new NotificationContent.PullRequest("https://github.com/o/r/pull/7", 7), null);

        JsonNode message = json.readTree(SlackMessage.request(json, content).body());

        assertWithinBlockKit(message);
        assertThat(message.path("text").asText()).startsWith("🛠️ Pull request opened: Checkout &lt;button&gt;");
        JsonNode section = message.path("blocks").get(1);
        String text = section.path("text").path("text").asText();
        assertThat(text).contains("&lt;button&gt; &amp; \"Pay\"").doesNotContain("<button>")
                .contains("🔴 Red · 42 users affected · 57 sessions");
        assertThat(section.path("accessory").path("image_url").asText())
                .isEqualTo("https://truffles.example/api/notifications/thumbnails/s1.jpg");
        List<String> buttons = new ArrayList<>();
        message.path("blocks").get(2).path("elements").forEach(button -> buttons.add(button.path("url").asText()));
        assertThat(buttons).containsExactly("https://truffles.example/issues/abc",
                "https://truffles.example/sessions/s1?t=12", "https://github.com/o/r/pull/7");
    }

    @Test
    void everyEventMakesAValidMessageAndNoThumbnailMeansNoImage() throws IOException {
        NotificationContent.Issue issue = new NotificationContent.Issue("abc", "Title", "yellow", "queued", 1, 1,
                "http://localhost/issues/abc", null, null);
        List<NotificationContent> contents = List.of(
                new NotificationContent("issue.red", "k", Instant.now(), Map.of(), issue, null, null, null),
                new NotificationContent("issue.users", "k", Instant.now(), Map.of("threshold", 100), issue, null,
                        null, null),
                new NotificationContent("agent.failed", "k", Instant.now(), Map.of(), issue,
                        new NotificationContent.Agent("ag", "x".repeat(4000), "http://localhost/agents/ag"), null,
                        null),
                new NotificationContent("budget.reached", "k", Instant.now(), Map.of(), null, null, null,
                        new NotificationContent.Budget("agents", 20.0, 20.5, "2026-12-07")),
                NotificationContent.test("test:1", Instant.now()));
        for (NotificationContent content : contents) {
            JsonNode message = json.readTree(SlackMessage.request(json, content).body());
            assertWithinBlockKit(message);
            assertThat(message.toString()).doesNotContain("\"image\"");
        }
        assertThat(SlackMessage.headline(contents.get(1))).isEqualTo("📈 An issue reached 100 users");
        assertThat(json.readTree(SlackMessage.request(json, contents.get(3)).body()).path("blocks").get(1)
                .path("text").path("text").asText()).startsWith("Spent $20.50 of $20.00 on 2026-12-07");
    }

    @Test
    void theThumbnailIsOfferedOnlyThroughAnAddressSlackCanReach() {
        assertThat(NotificationContents.isPublicHost("truffles.example.com")).isTrue();
        assertThat(NotificationContents.isPublicHost("203.0.113.7")).isTrue();
        assertThat(NotificationContents.isPublicHost("localhost")).isFalse();
        assertThat(NotificationContents.isPublicHost("127.0.0.1")).isFalse();
        assertThat(NotificationContents.isPublicHost("192.168.1.20")).isFalse();
        assertThat(NotificationContents.isPublicHost("10.0.0.5")).isFalse();
        assertThat(NotificationContents.isPublicHost("[::1]")).isFalse();
        assertThat(NotificationContents.isPublicHost("box.internal")).isFalse();
    }

    /** Block Kit's documented structure and limits, checked on the JSON as sent. */
    private static void assertWithinBlockKit(JsonNode message) {
        assertThat(message.path("text").asText()).isNotBlank();
        JsonNode blocks = message.path("blocks");
        assertThat(blocks.isArray()).isTrue();
        assertThat(blocks.size()).isBetween(1, 50);
        for (JsonNode block : blocks) {
            String type = block.path("type").asText();
            assertThat(BLOCK_TYPES).contains(type);
            switch (type) {
                case "header" -> {
                    assertThat(block.path("text").path("type").asText()).isEqualTo("plain_text");
                    assertThat(block.path("text").path("text").asText().length()).isBetween(1, 150);
                }
                case "section" -> {
                    assertThat(block.path("text").path("type").asText()).isIn("mrkdwn", "plain_text");
                    assertThat(block.path("text").path("text").asText().length()).isBetween(1, 3000);
                    JsonNode accessory = block.path("accessory");
                    if (!accessory.isMissingNode()) {
                        assertThat(accessory.path("type").asText()).isEqualTo("image");
                        assertThat(accessory.path("image_url").asText().length()).isBetween(1, 3000);
                        assertThat(accessory.path("alt_text").asText().length()).isBetween(1, 2000);
                    }
                }
                case "actions" -> {
                    assertThat(block.path("elements").size()).isBetween(1, 25);
                    for (JsonNode button : block.path("elements")) {
                        assertThat(button.path("type").asText()).isEqualTo("button");
                        assertThat(button.path("text").path("type").asText()).isEqualTo("plain_text");
                        assertThat(button.path("text").path("text").asText().length()).isBetween(1, 75);
                        assertThat(button.path("url").asText().length()).isBetween(1, 3000);
                        if (button.has("style")) {
                            assertThat(button.path("style").asText()).isIn("primary", "danger");
                        }
                    }
                }
                default -> {
                }
            }
        }
    }
}
