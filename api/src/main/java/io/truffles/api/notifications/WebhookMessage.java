package io.truffles.api.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generic webhook: {@code {"event", "delivery", "timestamp", <subject>, "facts"}} where the subject is
 * {@code issue}, {@code pullRequest} (with its issue), {@code agent} (with its issue) or {@code budget}; headers
 * {@code X-Truffles-Event}, {@code X-Truffles-Delivery} (the idempotency key: drop a second one),
 * {@code X-Truffles-Timestamp} (unix seconds) and {@code X-Truffles-Signature}.
 */
final class WebhookMessage {
    private WebhookMessage() {
    }

    static OutgoingRequest request(ObjectMapper json, NotificationContent content, long timestamp, String secret) {
        ObjectNode body = json.createObjectNode();
        body.put("event", content.event());
        body.put("delivery", content.key());
        body.put("timestamp", timestamp);
        if (content.pullRequest() != null) {
            ObjectNode pr = body.putObject("pullRequest");
            pr.put("url", content.pullRequest().url());
            if (content.pullRequest().number() != null) {
                pr.put("number", content.pullRequest().number());
            }
            pr.set("issue", json.valueToTree(content.issue()));
        } else if (content.agent() != null) {
            ObjectNode agent = json.valueToTree(content.agent());
            agent.set("issue", json.valueToTree(content.issue()));
            body.set("agent", agent);
        } else if (content.issue() != null) {
            body.set("issue", json.valueToTree(content.issue()));
        } else if (content.budget() != null) {
            body.set("budget", json.valueToTree(content.budget()));
        } else if ("test".equals(content.event())) {
            body.put("message", "Test message from Truffles: this channel receives notifications.");
        }
        body.set("facts", json.valueToTree(content.facts()));
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("A JSON tree always serializes", impossible);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Truffles-Event", content.event());
        headers.put("X-Truffles-Delivery", content.key());
        headers.put("X-Truffles-Timestamp", Long.toString(timestamp));
        headers.put("X-Truffles-Signature", WebhookSignature.sign(secret, timestamp, bytes));
        return new OutgoingRequest(bytes, headers);
    }
}
