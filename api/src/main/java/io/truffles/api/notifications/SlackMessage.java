package io.truffles.api.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;

/**
 * A Slack incoming-webhook message: {@code text} (the notification's fallback) and Block Kit {@code blocks} — a header,
 * a section with the severity, title and users affected (the moment's thumbnail beside it when DASHBOARD_URL makes it
 * reachable), and buttons to the issue, the session at its moment, the pull request and the agent. Every text is cut
 * to Block Kit's documented limits, and recorded text (titles, errors) is escaped, so a recording cannot format or
 * break the message.
 */
final class SlackMessage {
    /** Block Kit limits (docs.slack.dev, reference/block-kit): header text, section text, button text, URLs. */
    static final int HEADER_MAX = 150;
    static final int SECTION_MAX = 3000;
    static final int BUTTON_TEXT_MAX = 75;
    static final int URL_MAX = 3000;
    static final int ALT_TEXT_MAX = 2000;
    /** Slack shows at most this much of the fallback in a notification; longer is cut. */
    static final int FALLBACK_MAX = 3000;

    private SlackMessage() {
    }

    static OutgoingRequest request(ObjectMapper json, NotificationContent content) {
        ObjectNode message = json.createObjectNode();
        String headline = headline(content);
        String title = content.issue() == null ? null : content.issue().title();
        // the fallback is mrkdwn too: escaped, so a recorded title cannot mention @channel or make a link
        message.put("text", cut(title == null ? headline : headline + ": " + escape(title), FALLBACK_MAX));
        ArrayNode blocks = message.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.set("text", plain(json, cut(headline, HEADER_MAX)));

        ObjectNode section = blocks.addObject().put("type", "section");
        section.set("text", json.createObjectNode().put("type", "mrkdwn").put("text", cut(details(content), SECTION_MAX)));
        if (content.issue() != null && content.issue().thumbnailUrl() != null
                && content.issue().thumbnailUrl().length() <= URL_MAX) {
            section.putObject("accessory").put("type", "image").put("image_url", content.issue().thumbnailUrl())
                    .put("alt_text", cut("The moment in the session: " + (title == null ? "" : title), ALT_TEXT_MAX));
        }

        ArrayNode buttons = json.createArrayNode();
        if (content.issue() != null) {
            button(json, buttons, "Open issue", content.issue().url(), "primary");
            button(json, buttons, "Watch the session", content.issue().sessionUrl(), null);
        }
        if (content.pullRequest() != null) {
            Integer number = content.pullRequest().number();
            button(json, buttons, number == null ? "Pull request" : "Pull request #" + number,
                    content.pullRequest().url(), null);
        }
        if (content.agent() != null) {
            button(json, buttons, "Agent log", content.agent().url(), null);
        }
        if (!buttons.isEmpty()) {
            blocks.addObject().put("type", "actions").set("elements", buttons);
        }
        try {
            return new OutgoingRequest(json.writeValueAsBytes(message), Map.of("Content-Type", "application/json"));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("A JSON tree always serializes", impossible);
        }
    }

    static String headline(NotificationContent content) {
        return switch (content.event()) {
            case "issue.red" -> "🔴 New red issue";
            case "issue.users" -> "📈 An issue reached " + fact(content, "threshold", "more") + " users";
            case "pr.opened" -> "🛠️ Pull request opened";
            case "pr.merged" -> "✅ Pull request merged";
            case "agent.failed" -> "❌ An agent failed for good";
            case "budget.warning" -> "⚠️ Budget at 80 %" + cap(content);
            case "budget.reached" -> "🛑 Budget reached" + cap(content) + ": work waits";
            case "test" -> "👋 Test message from Truffles";
            default -> content.event();
        };
    }

    private static String details(NotificationContent content) {
        StringBuilder text = new StringBuilder();
        NotificationContent.Issue issue = content.issue();
        if (issue != null) {
            String title = escape(cut(issue.title() == null ? "(untitled issue)" : issue.title(), 1000));
            text.append('*').append(issue.url() == null ? title : "<" + issue.url() + "|" + title + ">").append("*\n");
            text.append(severity(issue.severity())).append(" · ").append(issue.usersAffected())
                    .append(issue.usersAffected() == 1 ? " user affected" : " users affected").append(" · ")
                    .append(issue.sessionCount()).append(issue.sessionCount() == 1 ? " session" : " sessions");
        }
        if (content.agent() != null && content.agent().error() != null) {
            text.append("\nAgent error: ").append(escape(content.agent().error()));
        }
        NotificationContent.Budget budget = content.budget();
        if (budget != null) {
            text.append("Spent ").append(dollars(budget.spentUsd())).append(" of ").append(dollars(budget.limitUsd()))
                    .append(budget.day() == null ? "" : " on " + escape(budget.day()))
                    .append(content.event().equals("budget.reached")
                            ? ". Work waits until tomorrow (UTC) or until an admin raises the cap." : ".");
        }
        if (content.event().equals("test")) {
            text.append("This channel receives Truffles notifications.");
        }
        return text.isEmpty() ? content.event() : text.toString();
    }

    private static String severity(String severity) {
        if (severity == null) {
            return "⚪ Unknown severity";
        }
        String word = severity.substring(0, 1).toUpperCase(Locale.ROOT) + severity.substring(1);
        return switch (severity) {
            case "red" -> "🔴 " + word;
            case "yellow" -> "🟡 " + word;
            default -> "⚪ " + word;
        };
    }

    private static void button(ObjectMapper json, ArrayNode buttons, String text, String url, String style) {
        if (url == null || url.isBlank() || url.length() > URL_MAX) {
            return;
        }
        ObjectNode button = buttons.addObject().put("type", "button");
        button.set("text", plain(json, cut(text, BUTTON_TEXT_MAX)));
        button.put("url", url);
        if (style != null) {
            button.put("style", style);
        }
    }

    private static ObjectNode plain(ObjectMapper json, String text) {
        return json.createObjectNode().put("type", "plain_text").put("text", text).put("emoji", true);
    }

    private static String cap(NotificationContent content) {
        return content.budget() == null || content.budget().cap() == null ? "" : " (" + content.budget().cap() + ")";
    }

    private static String fact(NotificationContent content, String name, String otherwise) {
        Object value = content.facts().get(name);
        return value == null ? otherwise : value.toString();
    }

    private static String dollars(Double amount) {
        return amount == null ? "?" : String.format(Locale.ROOT, "$%.2f", amount);
    }

    /** Slack's mrkdwn control characters; everything else is shown as written. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** At most {@code max} characters (Java chars, which is what Slack counts), a cut marked with an ellipsis. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 2)) ? max - 2 : max - 1;
        return text.substring(0, end) + "…";
    }
}
