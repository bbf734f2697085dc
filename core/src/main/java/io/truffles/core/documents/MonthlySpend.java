package io.truffles.core.documents;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import java.util.List;

/**
 * Models plus agents over one UTC month ({@code _id} {@code 2026-12}), added to with each day's spend, for the
 * optional {@code monthlyBudgetUsd}.
 */
@MongoEntity(collection = MonthlySpend.COLLECTION)
public class MonthlySpend {
    public static final String COLLECTION = "monthlySpend";

    public String id;
    public double totalUsd;
    public long version;
    /** The budget events filed for this month ({@code monthly:warning}...): each at most once. */
    public List<String> budgetEvents;
    public Instant updatedAt;
}
