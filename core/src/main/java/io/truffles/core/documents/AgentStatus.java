package io.truffles.core.documents;

/** Constant names are the stored values of the seed's schema. */
public enum AgentStatus {
    queued, starting, verifying, planning, coding, reviewing, done, failed, false_alarm;

    /** Whether an agent in this status is still alive (queued or working). */
    public boolean isLive() {
        return this != done && this != failed && this != false_alarm;
    }
}
