package io.truffles.analyzer.models;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.truffles.core.documents.ModelSpend;
import io.truffles.core.mongo.Documents;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/** The day's model spend, shared by every analyzer through MongoDB, and the daily budget it is held to. */
public class SpendLedger {
    private final Documents documents;
    private final Clock clock;

    public SpendLedger(Documents documents, Clock clock) {
        this.documents = documents;
        this.clock = clock;
    }

    public void record(double costUsd) {
        documents.modelSpend().updateOne(eq("_id", today()), Updates.combine(Updates.inc("costUsd", costUsd),
                Updates.inc("calls", 1L), Updates.set("updatedAt", clock.instant())), new UpdateOptions().upsert(true));
    }

    public double spentToday() {
        ModelSpend spend = documents.modelSpend().find(eq("_id", today())).first();
        return spend == null ? 0 : spend.costUsd;
    }

    /** Why no more model calls may be made today, when the budget is used up. */
    public Optional<String> budgetExhausted(Double dailyBudgetUsd) {
        if (dailyBudgetUsd == null) {
            return Optional.empty();
        }
        double spent = spentToday();
        return spent >= dailyBudgetUsd
                ? Optional.of(String.format("Today's model budget is used up ($%.2f of $%.2f, dailyModelBudgetUsd); "
                        + "detectors carry on, models resume tomorrow (UTC) or when the budget is raised.", spent,
                        dailyBudgetUsd))
                : Optional.empty();
    }

    private String today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
    }
}
