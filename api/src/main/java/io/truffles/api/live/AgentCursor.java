package io.truffles.api.live;

import io.truffles.core.documents.AgentStatus;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.bson.types.ObjectId;

/**
 * What the feed broadcast last of one agent: how far into its log ({@code count}, the next entry's seq) and its status
 * history it got, and what a new client's snapshot shows of it.
 */
final class AgentCursor {
    /** Entries kept for a snapshot's {@code recentOutput}. */
    static final int RECENT = 100;

    final ObjectId issueId;
    AgentStatus status;
    int count;
    /** Entries of the agent's statusHistory already broadcast. */
    int historyCount;
    String issueTitle;
    Instant startedAt;
    Instant createdAt;
    Double costUsd;
    final Deque<AgentEvent.Output> recent = new ArrayDeque<>();

    AgentCursor(ObjectId issueId) {
        this.issueId = issueId;
    }

    boolean live() {
        return status != null && status.isLive();
    }

    void sent(AgentEvent.Output output) {
        count++;
        recent.addLast(output);
        if (recent.size() > RECENT) {
            recent.removeFirst();
        }
    }
}
