package io.truffles.core.documents;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;

/**
 * What model calls cost on one UTC day ({@code _id} is the date, {@code 2026-11-24}), added to with {@code $inc}
 * after every call; the analyzer stops calling models once the day's spend reaches {@code dailyModelBudgetUsd}.
 */
@MongoEntity(collection = ModelSpend.COLLECTION)
public class ModelSpend {
    public static final String COLLECTION = "modelSpend";

    public String id;
    public double costUsd;
    public long calls;
    public Instant updatedAt;
}
