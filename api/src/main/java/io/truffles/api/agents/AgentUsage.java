package io.truffles.api.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.OutputEntry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tokens and dollars an agent's model calls used so far, read from its output log (the {@code claude} CLI's
 * stream-json lines): tokens from each assistant message's usage (the CLI prints one line per content block, each with
 * the message's usage, so a message counts once), dollars from each phase's result line. The agent's own
 * {@code costUsd}, once written, is the final figure. The dashboard's lists show it; its agent page sums the same lines as they stream
 * ({@code ui/src/agents/logRows.ts}).
 */
public record AgentUsage(long inputTokens, long outputTokens, double costUsd) {

    /** The agent as lists show it: its log summed into {@code usage} and left out (the log is dropped from it). */
    public static ObjectNode withUsage(AgentSession agent, ObjectMapper json) {
        AgentUsage usage = of(agent.outputLog, agent.costUsd, json);
        agent.outputLog = null;
        ObjectNode row = json.valueToTree(agent);
        row.remove("outputLog");
        row.set("usage", json.valueToTree(usage));
        return row;
    }

    static AgentUsage of(List<OutputEntry> log, Double finalCostUsd, ObjectMapper json) {
        long in = 0;
        long out = 0;
        double cost = 0;
        Set<String> counted = new HashSet<>();
        for (OutputEntry entry : log == null ? List.<OutputEntry>of() : log) {
            String content = entry.content;
            // only lines that carry usage or cost are parsed
            if (content == null || !content.startsWith("{")
                    || !(content.contains("\"usage\"") || content.contains("\"total_cost_usd\""))) {
                continue;
            }
            JsonNode line;
            try {
                line = json.readTree(content);
            } catch (JsonProcessingException cut) {
                continue; // a line cut at the log's entry limit
            }
            String type = line.path("type").asText();
            if (type.equals("assistant")) {
                JsonNode message = line.path("message");
                JsonNode usage = message.path("usage");
                String id = message.path("id").asText("");
                if (usage.isObject() && (id.isEmpty() || counted.add(id))) {
                    in += usage.path("input_tokens").asLong() + usage.path("cache_creation_input_tokens").asLong()
                            + usage.path("cache_read_input_tokens").asLong();
                    out += usage.path("output_tokens").asLong();
                }
            } else if (type.equals("result")) {
                cost += line.path("total_cost_usd").asDouble();
            }
        }
        return new AgentUsage(in, out, finalCostUsd != null ? finalCostUsd : cost);
    }
}
