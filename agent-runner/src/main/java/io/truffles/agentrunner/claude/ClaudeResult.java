package io.truffles.agentrunner.claude;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The CLI's last stream-json line ({@code type: result}). A run succeeded only when the subtype is {@code success}
 * AND {@code is_error} is false: the CLI reports API failures (and "Not logged in") as {@code success} with
 * {@code is_error: true}.
 */
public record ClaudeResult(String subtype, boolean isError, double totalCostUsd, String resultText,
        JsonNode structuredOutput, String sessionId, String terminalReason) {

    public boolean succeeded() {
        return "success".equals(subtype) && !isError;
    }

    static ClaudeResult from(JsonNode line) {
        JsonNode structured = line.get("structured_output");
        return new ClaudeResult(
                line.path("subtype").asText(""),
                line.path("is_error").asBoolean(false),
                line.path("total_cost_usd").asDouble(0),
                line.path("result").asText(""),
                structured == null || structured.isNull() ? null : structured,
                line.path("session_id").asText(null),
                line.path("terminal_reason").asText(null));
    }

    /**
     * The CLI found no credentials: it answers at once, before any model request, with {@code success},
     * {@code is_error: true} and "Not logged in · Please run /login" (../shared/fixtures/claude_cli_2.1.328_nokey.jsonl).
     */
    public boolean notLoggedIn() {
        return isError && resultText != null && resultText.startsWith("Not logged in");
    }

    /** A sentence a person can act on, for a failed run. */
    public String describeFailure() {
        String text = resultText == null || resultText.isBlank() ? "" : ": " + resultText.strip();
        String said = "Claude Code ended with " + subtype + (isError ? " (is_error)" : "")
                + (terminalReason == null ? "" : ", " + terminalReason) + text;
        return notLoggedIn() ? "Claude Code has no model API key: set ANTHROPIC_API_KEY for the agent-runner (a "
                + "configuration error; retrying cannot help). " + said : said;
    }
}
