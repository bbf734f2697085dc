package io.truffles.api.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.core.documents.AgentStatus;
import java.util.List;
import org.bson.types.ObjectId;

/** The feed's messages as the text sent on the socket. */
final class FeedMessages {
    private final ObjectMapper json;

    FeedMessages(ObjectMapper json) {
        this.json = json;
    }

    String write(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static AgentEvent.AgentSummary summary(ObjectId id, AgentCursor agent) {
        return new AgentEvent.AgentSummary(id.toHexString(), hex(agent.issueId), name(agent.status), agent.issueTitle,
                agent.startedAt, agent.createdAt, agent.costUsd, agent.count, List.copyOf(agent.recent));
    }

    static String hex(ObjectId id) {
        return id == null ? null : id.toHexString();
    }

    static String name(AgentStatus status) {
        return status == null ? null : status.name();
    }
}
