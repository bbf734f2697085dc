package io.truffles.core.spend;

import java.time.Instant;

/**
 * Work that waits because a cap is reached.
 *
 * @param cap       the cap reached
 * @param reason    in words, for the document and the dashboard: the cap, spent / limit, when it resumes
 * @param resumesAt when the period ends (the next UTC day or month); an admin raising the cap resumes it sooner
 */
public record BudgetHold(BudgetCap cap, String reason, Instant resumesAt) {
}
