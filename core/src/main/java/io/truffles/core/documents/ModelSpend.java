package io.truffles.core.documents;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What models and agents cost on one UTC day ({@code _id} is the date, {@code 2026-11-24}), added to with {@code $inc}
 * after every model call and every agent phase ({@code io.truffles.core.spend.SpendLedger}); the analyzer stops calling
 * models once {@code costUsd} reaches {@code dailyModelBudgetUsd}, the runner starts no agent once
 * {@code agentCostUsd} reaches {@code dailyAgentBudgetUsd}. The collection keeps its first name, {@code modelSpend}.
 */
@MongoEntity(collection = ModelSpend.COLLECTION)
public class ModelSpend {
    public static final String COLLECTION = "modelSpend";

    public String id;
    /** The analyzer's model calls. */
    public double costUsd;
    public long calls;
    /** The agents' model use. */
    public double agentCostUsd;
    /** Dollars by model name (the analyzer's OpenRouter models, the agents' Claude model), names encoded as keys. */
    public Map<String, Double> byModel;
    /** Incremented by every write, so a write can be made conditional on the totals it read. */
    public long version;
    /** The budget events filed for this day ({@code models:warning}...): each at most once. */
    public List<String> budgetEvents;
    public Instant updatedAt;
}
