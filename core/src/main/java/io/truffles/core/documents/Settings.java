package io.truffles.core.documents;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import java.util.List;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * The runtime settings singleton ({@code _id: "global"}). Admins change it while Truffles runs; every service
 * follows it live. Secrets never live here: they stay in the environment.
 */
@MongoEntity(collection = Settings.COLLECTION)
public class Settings {
    public static final String COLLECTION = "settings";
    public static final String GLOBAL_ID = "global";

    @BsonId
    public String id = GLOBAL_ID;
    public Integer maxConcurrentAgents;
    public Integer agentTimeoutMinutes;
    public Integer pollingIntervalSeconds;
    public String videoModelPrimary;
    public String videoModelSecondary;
    public String textModel;
    public String screeningModel;
    /** Severities whose queued issues get an agent without anyone asking. */
    public List<Severity> autoFixSeverities;
    /** Model spend per UTC day after which model calls stop and detectors carry on alone. */
    public Double dailyModelBudgetUsd;
    /** Agent spend per UTC day (the CLI's cost or the model bridge's count, the larger) after which no agent starts. */
    public Double dailyAgentBudgetUsd;
    /** What one agent run may spend over all its phases; the run stops when it crosses it. */
    public Double agentRunBudgetUsd;
    /** Models plus agents per UTC month; {@code null}: no monthly cap. */
    public Double monthlyBudgetUsd;
    /** Which sessions the video models watch ({@link VideoSessions}). */
    public VideoSessions videoSessions;
    /** With {@link VideoSessions#sampled}: the percentage of sessions without signals that are watched too. */
    public Integer videoSamplePercent;
    /** Renders one renderer runs at once. */
    public Integer rendererConcurrency;
    public Instant updatedAt;
}
