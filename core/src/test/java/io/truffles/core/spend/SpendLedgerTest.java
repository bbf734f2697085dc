package io.truffles.core.spend;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.truffles.core.documents.ModelSpend;
import io.truffles.core.documents.MonthlySpend;
import io.truffles.core.documents.Settings;
import io.truffles.core.notifications.Outbox;
import io.truffles.core.notifications.OutboxEntry;
import io.truffles.core.testing.MutableClock;
import io.truffles.core.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.Document;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpendLedgerTest {
    @AutoClose
    private static final TestDatabase database = TestDatabase.start();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T22:00:00Z"));
    private final Settings caps = new Settings();
    private SpendLedger ledger;

    @BeforeEach
    void emptyLedger() {
        database.documents().modelSpend().deleteMany(new Document());
        database.documents().monthlySpend().deleteMany(new Document());
        ledger = new SpendLedger(database.documents(), clock, () -> caps);
    }

    @Test
    void spendIsSummedByDayKindAndModelAndTheMonthCountsBoth() {
        ledger.record(SpendKind.models, "google/gemini-3-pro-preview", 0.25);
        ledger.record(SpendKind.models, "google/gemini-3-pro-preview", 0.5);
        ledger.record(SpendKind.agents, "claude-sonnet-4-5", 2.0);

        ModelSpend today = database.documents().modelSpend().find(eq("_id", "2026-12-07")).first();
        assertThat(today.costUsd).isEqualTo(0.75);
        assertThat(today.calls).isEqualTo(2);
        assertThat(today.agentCostUsd).isEqualTo(2.0);
        assertThat(today.byModel).hasSize(2);
        assertThat(today.byModel.keySet()).extracting(SpendLedger::modelName)
                .containsExactlyInAnyOrder("google/gemini-3-pro-preview", "claude-sonnet-4-5");
        assertThat(ledger.spentThisMonth()).isEqualTo(2.75);
        clock.advance(Duration.ofHours(3));
        assertThat(ledger.spentToday(SpendKind.models)).isZero();
        assertThat(ledger.spentThisMonth()).isEqualTo(2.75);
    }

    @Test
    void aReachedCapHoldsItsKindWithTheReasonUntilMidnightOrARaise() {
        caps.dailyAgentBudgetUsd = 5.0;
        ledger.record(SpendKind.agents, "claude-sonnet-4-5", 5.5);

        BudgetHold hold = ledger.hold(SpendKind.agents, caps).orElseThrow();
        assertThat(hold.cap()).isEqualTo(BudgetCap.agents);
        assertThat(hold.reason()).contains("$5.50 of $5.00", "dailyAgentBudgetUsd", "00:00 UTC");
        assertThat(hold.resumesAt()).isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
        assertThat(ledger.hold(SpendKind.models, caps)).as("models have their own cap").isEmpty();

        caps.dailyAgentBudgetUsd = 6.0;
        assertThat(ledger.hold(SpendKind.agents, caps)).isEmpty();
        caps.dailyAgentBudgetUsd = 5.0;
        clock.advance(Duration.ofHours(2));
        assertThat(ledger.hold(SpendKind.agents, caps)).isEmpty();
    }

    @Test
    void theMonthlyCapHoldsBothKindsUntilTheNextMonth() {
        caps.monthlyBudgetUsd = 3.0;
        ledger.record(SpendKind.models, "m", 1.0);
        clock.advance(Duration.ofDays(1));
        ledger.record(SpendKind.agents, "a", 2.0);

        assertThat(ledger.hold(SpendKind.models, caps)).hasValueSatisfying(hold -> {
            assertThat(hold.cap()).isEqualTo(BudgetCap.monthly);
            assertThat(hold.resumesAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        });
        assertThat(ledger.hold(SpendKind.agents, caps)).isPresent();
    }

    @Test
    void eachBudgetEventIsFiledOnceByTheWriteThatCrossesItsLine() {
        caps.dailyModelBudgetUsd = 10.0;
        ledger.record(SpendKind.models, "m", 7.0);
        assertThat(entries("2026-12-07")).isEmpty();
        ledger.record(SpendKind.models, "m", 1.5);
        ledger.record(SpendKind.models, "m", 0.5);
        assertThat(entries("2026-12-07")).extracting(OutboxEntry::key)
                .containsExactly("budget.warning:2026-12-07:models");
        ledger.record(SpendKind.models, "m", 1.0);
        ledger.record(SpendKind.models, "m", 1.0);

        List<OutboxEntry> filed = entries("2026-12-07");
        assertThat(filed).extracting(OutboxEntry::key)
                .containsExactly("budget.warning:2026-12-07:models", "budget.reached:2026-12-07:models");
        assertThat(filed.get(1).facts()).containsEntry("cap", "models").containsEntry("limitUsd", 10.0)
                .containsEntry("spentUsd", 10.0).containsEntry("period", "2026-12-07");
    }

    @Test
    void aJumpPastBothLinesFilesOnlyReachedAndARelayedEventIsNotFiledAgain() {
        caps.monthlyBudgetUsd = 100.0;
        ledger.record(SpendKind.agents, "a", 150.0);
        assertThat(entries("2026-12")).extracting(OutboxEntry::key).containsExactly("budget.reached:2026-12:monthly");

        database.documents().database().getCollection(MonthlySpend.COLLECTION)
                .updateOne(eq("_id", "2026-12"), Outbox.remove("budget.reached:2026-12:monthly"));
        caps.monthlyBudgetUsd = 50.0;
        ledger.record(SpendKind.agents, "a", 1.0);
        assertThat(entries("2026-12")).isEmpty();
    }

    @Test
    void writersRacingOverTheLineFileTheEventExactlyOnceAndLoseNoSpend() throws Exception {
        caps.dailyModelBudgetUsd = 10.0;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                writes.add(() -> {
                    ledger.record(SpendKind.models, "m", 0.5);
                    return null;
                });
            }
            for (Future<Void> write : pool.invokeAll(writes)) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ledger.spentToday(SpendKind.models)).isCloseTo(20.0, within(1e-9));
        assertThat(entries("2026-12-07")).extracting(OutboxEntry::key)
                .containsExactly("budget.warning:2026-12-07:models", "budget.reached:2026-12-07:models");
    }

    private static List<OutboxEntry> entries(String period) {
        String collection = period.length() == 7 ? MonthlySpend.COLLECTION : ModelSpend.COLLECTION;
        Document document = database.documents().database().getCollection(collection).find(eq("_id", period)).first();
        return document == null ? List.of() : Outbox.entries(document);
    }
}
