package io.truffles.api.stats;

import static com.mongodb.client.model.Filters.eq;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.truffles.core.documents.ModelSpend;
import io.truffles.core.documents.Settings;
import io.truffles.core.mongo.Documents;
import io.truffles.core.settings.SettingsStore;
import io.truffles.core.spend.SpendKind;
import io.truffles.core.spend.SpendLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spend as Prometheus reads it, from the spend ledger every service writes: {@code truffles_spend_today_dollars{kind}}
 * (models, agents; the UTC day), {@code truffles_spend_today_model_dollars{model}},
 * {@code truffles_spend_month_dollars} and {@code truffles_budget_held{kind}} (1 while a cap holds that kind of
 * work). One read of MongoDB serves a scrape: the figures are cached for a few seconds.
 */
@ApplicationScoped
public class SpendMeters {
    private static final Duration FRESH = Duration.ofSeconds(5);

    private final Documents documents;
    private final SettingsStore settings;
    private final Clock clock;
    private final MeterRegistry registry;
    private final SpendLedger ledger;
    private final Set<String> modelsRegistered = ConcurrentHashMap.newKeySet();
    private volatile Snapshot snapshot;

    private record Snapshot(Instant at, ModelSpend today, double month, Map<SpendKind, Boolean> held) {
    }

    SpendMeters(Documents documents, SettingsStore settings, Clock clock, MeterRegistry registry) {
        this.documents = documents;
        this.settings = settings;
        this.clock = clock;
        this.registry = registry;
        this.ledger = new SpendLedger(documents, clock, settings::read);
    }

    void register(@Observes StartupEvent event) {
        for (SpendKind kind : SpendKind.values()) {
            Gauge.builder("truffles.spend.today.dollars", () -> today(kind)).tag("kind", kind.name())
                    .description("US dollars spent today (UTC), by kind").register(registry);
            Gauge.builder("truffles.budget.held", () -> Boolean.TRUE.equals(read().held().get(kind)) ? 1 : 0)
                    .tag("kind", kind.name()).description("1 while a spending cap holds this kind of work")
                    .register(registry);
        }
        Gauge.builder("truffles.spend.month.dollars", () -> read().month())
                .description("US dollars spent this month (UTC), models and agents").register(registry);
    }

    private double today(SpendKind kind) {
        ModelSpend today = read().today();
        if (today == null) {
            return 0;
        }
        return kind == SpendKind.models ? today.costUsd : today.agentCostUsd;
    }

    private double todayOn(String key) {
        ModelSpend today = read().today();
        Double usd = today == null || today.byModel == null ? null : today.byModel.get(key);
        return usd == null ? 0 : usd;
    }

    /** The figures, read again when older than {@link #FRESH}; a model seen for the first time gets its gauge. */
    private Snapshot read() {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        if (current != null && current.at().plus(FRESH).isAfter(now)) {
            return current;
        }
        ModelSpend today = documents.modelSpend().find(eq("_id", SpendLedger.dayOf(now))).first();
        Settings caps = settings.read();
        Map<SpendKind, Boolean> held = new java.util.EnumMap<>(SpendKind.class);
        for (SpendKind kind : SpendKind.values()) {
            held.put(kind, ledger.hold(kind, caps).isPresent());
        }
        current = new Snapshot(now, today, ledger.spentThisMonth(), held);
        snapshot = current;
        if (today != null && today.byModel != null) {
            for (String key : today.byModel.keySet()) {
                if (modelsRegistered.add(key)) {
                    Gauge.builder("truffles.spend.today.model.dollars", () -> todayOn(key))
                            .tag("model", SpendLedger.modelName(key))
                            .description("US dollars spent today (UTC) on each model").register(registry);
                }
            }
        }
        return current;
    }
}
