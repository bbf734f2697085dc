package io.truffles.api.live;

import io.truffles.core.documents.AgentStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.types.ObjectId;

/** The feed's cursor of every agent it follows; guarded by the feed's lock. */
final class AgentCursors {
    private final Map<ObjectId, AgentCursor> agents = new HashMap<>();

    AgentCursor get(ObjectId id) {
        return agents.get(id);
    }

    AgentCursor add(ObjectId id, ObjectId issueId) {
        AgentCursor cursor = new AgentCursor(issueId);
        agents.put(id, cursor);
        return cursor;
    }

    void remove(ObjectId id) {
        agents.remove(id);
    }

    /** Log entries of the agent already broadcast: where the next read starts. */
    int count(ObjectId id) {
        AgentCursor cursor = agents.get(id);
        return cursor == null ? 0 : cursor.count;
    }

    List<ObjectId> liveIds() {
        return agents.entrySet().stream().filter(entry -> entry.getValue().live()).map(Map.Entry::getKey).toList();
    }

    /** The snapshot of a new client: agents working now and agents queued, by id. */
    AgentEvent.Snapshot snapshot() {
        List<AgentEvent.AgentSummary> active = new ArrayList<>();
        List<AgentEvent.AgentSummary> queued = new ArrayList<>();
        agents.entrySet().stream().filter(entry -> entry.getValue().live()).sorted(Map.Entry.comparingByKey())
                .forEach(entry -> (entry.getValue().status == AgentStatus.queued ? queued : active)
                        .add(FeedMessages.summary(entry.getKey(), entry.getValue())));
        return new AgentEvent.Snapshot(active, queued);
    }
}
