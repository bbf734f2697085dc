package io.truffles.core.notifications;

import java.util.Arrays;
import java.util.Optional;

/** What Truffles tells people about, by the names the notifications API and webhook receivers use. */
public enum NotificationEvent {
    /** A new red issue, after screening. */
    ISSUE_RED("issue.red"),
    /** A problem's users crossed 10, 100 or 1000. */
    ISSUE_USERS("issue.users"),
    /** An agent opened a pull request. */
    PR_OPENED("pr.opened"),
    /** A pull request Truffles opened was merged (by a human). */
    PR_MERGED("pr.merged"),
    /** An agent failed for good (no retry left). */
    AGENT_FAILED("agent.failed"),
    /** Today's spend reached 80 % of a cap. */
    BUDGET_WARNING("budget.warning"),
    /** Today's spend reached a cap: work waits. */
    BUDGET_REACHED("budget.reached");

    private final String wireName;

    NotificationEvent(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the API, the {@code X-Truffles-Event} header and the idempotency key. */
    public String wireName() {
        return wireName;
    }

    public static Optional<NotificationEvent> fromWireName(String name) {
        return Arrays.stream(values()).filter(event -> event.wireName.equals(name)).findFirst();
    }
}
