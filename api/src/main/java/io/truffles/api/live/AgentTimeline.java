package io.truffles.api.live;

import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.AgentStatusChange;
import io.truffles.core.documents.OutputEntry;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.bson.types.ObjectId;

/**
 * The timeline merge: from one read of an agent, the messages that are news — the log entries past the cursor and the
 * statuses its history gained — in the order they were written. Used under the feed's lock.
 */
final class AgentTimeline {
    private final AgentCursors cursors;
    private final FeedMessages messages;
    /** Agents created before this are history: their past statuses are not news. */
    private final Instant startedAt;

    AgentTimeline(AgentCursors cursors, FeedMessages messages, Instant startedAt) {
        this.cursors = cursors;
        this.messages = messages;
        this.startedAt = startedAt;
    }

    /**
     * Broadcasts the entries past what was sent and every status the agent's history gained since the last pass (so
     * two changes between reads are both shown), merged in the order they were written — an entry before a status
     * change when its timestamp is earlier, or equal and of another phase (the runner stamps both from one clock, to
     * the millisecond, and tags each entry with the status it was written under) — then the current status if it
     * still differs (for writers that set the status without recording it in the history).
     *
     * @param from the log index of {@code entries}' first, the agent's count when it was read
     */
    void apply(AgentSession agent, int from, List<OutputEntry> entries, Consumer<String> broadcast) {
        ObjectId id = agent.id;
        AgentCursor known = cursors.get(id);
        List<AgentStatusChange> history = agent.statusHistory == null ? List.of() : agent.statusHistory;
        if (known == null) {
            known = cursors.add(id, agent.issueId);
            if (agent.createdAt != null && agent.createdAt.isBefore(startedAt)) {
                // an agent from before this api started: its past statuses are history, not news
                known.historyCount = history.size();
                if (agent.status != null && !agent.status.isLive()) {
                    // it ended before, and was written again (say, its cost): nothing new to show live, so its
                    // old log is not replayed
                    known.status = agent.status;
                    known.count = from + entries.size();
                    return;
                }
            }
        } else if (known.count != from) {
            return; // another pass got here first; the next pass continues from its count
        }
        known.startedAt = agent.startedAt;
        known.createdAt = agent.createdAt;
        known.costUsd = agent.costUsd;
        if (agent.issueTitle != null) {
            known.issueTitle = agent.issueTitle;
        }
        if (history.size() < known.historyCount) {
            known.historyCount = history.size(); // the history was rewritten; follow it from its new end
        }
        int sent = 0;
        for (int i = known.historyCount; i < history.size(); i++) {
            AgentStatusChange change = history.get(i);
            while (sent < entries.size() && writtenBefore(entries.get(sent), change)) {
                output(id, known, entries.get(sent++), broadcast);
            }
            known.historyCount = i + 1;
            if (change.status != null && change.status != known.status) {
                boolean last = i == history.size() - 1 && change.status == agent.status;
                changeStatus(agent, known, change.status, last, broadcast);
            }
        }
        while (sent < entries.size()) {
            output(id, known, entries.get(sent++), broadcast);
        }
        if (agent.status != known.status) {
            changeStatus(agent, known, agent.status, true, broadcast);
        }
    }

    /** Whether the entry was written before the status change; without times, entries first (as they were read). */
    static boolean writtenBefore(OutputEntry entry, AgentStatusChange change) {
        if (entry.timestamp == null || change.at == null) {
            return true;
        }
        int order = entry.timestamp.compareTo(change.at);
        return order < 0 || order == 0 && (change.status == null || !change.status.name().equals(entry.phase));
    }

    private void output(ObjectId id, AgentCursor known, OutputEntry entry, Consumer<String> broadcast) {
        AgentEvent.Output output = new AgentEvent.Output(id.toHexString(), known.count, entry.timestamp, entry.phase,
                entry.content);
        known.sent(output);
        broadcast.accept(messages.write(output));
    }

    private void changeStatus(AgentSession agent, AgentCursor known, AgentStatus status, boolean current,
            Consumer<String> broadcast) {
        AgentStatus previous = known.status;
        known.status = status;
        if (status != null && !status.isLive()) {
            known.recent.clear(); // ended agents are not in snapshots; keep the map small
        }
        // an intermediate status from the history carries no error or PR: those belong to the current one
        broadcast.accept(messages.write(new AgentEvent.Status(agent.id.toHexString(), FeedMessages.hex(agent.issueId),
                FeedMessages.name(status), FeedMessages.name(previous), known.count, current ? agent.error : null,
                current ? agent.prUrl : null)));
    }
}
