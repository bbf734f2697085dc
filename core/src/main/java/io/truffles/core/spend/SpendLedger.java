package io.truffles.core.spend;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.truffles.core.documents.ModelSpend;
import io.truffles.core.documents.MonthlySpend;
import io.truffles.core.documents.Settings;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.DuplicateKey;
import io.truffles.core.notifications.NotificationEvent;
import io.truffles.core.notifications.Outbox;
import io.truffles.core.notifications.OutboxEntry;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.jboss.logging.Logger;

/**
 * The one place spend is written and measured against the caps: the day's spend by kind and by model
 * ({@code modelSpend}, {@code _id} the UTC day) and the month's total ({@code monthlySpend}), each added to with
 * {@code $inc}. A write that takes a total over 80 % or 100 % of a cap files {@code budget.warning} /
 * {@code budget.reached} in that same write: the write is conditional on the {@code version} it read, so of writers
 * racing over the line exactly one files the event, and the document keeps the events filed ({@code budgetEvents}),
 * so each is filed once per cap and period even when an admin lowers a cap below what is already spent.
 */
public final class SpendLedger {
    private static final Logger LOG = Logger.getLogger(SpendLedger.class);
    /** The share of a cap at which {@code budget.warning} is filed. */
    public static final double WARNING_SHARE = 0.8;
    private static final int MAX_TRIES = 20;
    private static final String EVENTS = "budgetEvents";

    private final MongoCollection<Document> days;
    private final MongoCollection<Document> months;
    private final Clock clock;
    private final Supplier<Settings> settings;

    /** @param settings the caps as they are now (live settings), read at each write */
    public SpendLedger(Documents documents, Clock clock, Supplier<Settings> settings) {
        this.days = documents.database().getCollection(ModelSpend.COLLECTION);
        this.months = documents.database().getCollection(MonthlySpend.COLLECTION);
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Adds what one model call or one agent phase cost. {@code model} names the model for the by-model report (may be
     * {@code null}). A negative or unknown cost counts the call and adds nothing.
     */
    public void record(SpendKind kind, String model, double usd) {
        double cost = Double.isFinite(usd) && usd > 0 ? usd : 0;
        Instant now = clock.instant();
        Settings caps = settings.get();
        List<Bson> day = new ArrayList<>(List.of(Updates.inc(kind.dayField(), cost)));
        if (kind == SpendKind.models) {
            day.add(Updates.inc("calls", 1L));
        }
        if (model != null && !model.isBlank() && cost > 0) {
            day.add(Updates.inc("byModel." + modelKey(model), cost));
        }
        write(days, dayOf(now), day, kind.dayField(), cost, BudgetCap.dailyOf(kind), caps, now);
        if (cost > 0) {
            write(months, monthOf(now), List.of(Updates.inc("totalUsd", cost)), "totalUsd", cost, BudgetCap.monthly,
                    caps, now);
        }
    }

    /** What {@code kind} has spent today (UTC). */
    public double spentToday(SpendKind kind) {
        return number(days.find(eq("_id", dayOf(clock.instant()))).first(), kind.dayField());
    }

    /** Models and agents this month (UTC). */
    public double spentThisMonth() {
        return number(months.find(eq("_id", monthOf(clock.instant()))).first(), "totalUsd");
    }

    /**
     * Why work of {@code kind} must wait now, if a cap it counts against is reached: its daily cap, or the monthly one.
     * A cap of 0 holds everything.
     */
    public Optional<BudgetHold> hold(SpendKind kind, Settings caps) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        BudgetCap daily = BudgetCap.dailyOf(kind);
        Optional<Double> dailyLimit = daily.limit(caps);
        if (dailyLimit.isPresent()) {
            double spent = spentToday(kind);
            if (spent >= dailyLimit.get()) {
                return Optional.of(new BudgetHold(daily, String.format(Locale.ROOT, "Today's %s budget is reached: "
                        + "$%.2f of $%.2f (%s); resumes after 00:00 UTC or when an admin raises the cap.",
                        kind.noun(), spent, dailyLimit.get(), daily.setting()),
                        today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            }
        }
        Optional<Double> monthlyLimit = BudgetCap.monthly.limit(caps);
        if (monthlyLimit.isPresent()) {
            double spent = spentThisMonth();
            if (spent >= monthlyLimit.get()) {
                LocalDate next = YearMonth.from(today).plusMonths(1).atDay(1);
                return Optional.of(new BudgetHold(BudgetCap.monthly, String.format(Locale.ROOT, "This month's budget "
                        + "is reached: $%.2f of $%.2f (monthlyBudgetUsd, models and agents); resumes on %s 00:00 UTC "
                        + "or when an admin raises the cap.", spent, monthlyLimit.get(), next),
                        next.atStartOfDay(ZoneOffset.UTC).toInstant()));
            }
        }
        return Optional.empty();
    }

    /**
     * One conditional {@code $inc}: filtered on the version read, so the events it files are decided on the totals it
     * changes. A lost race reads again; past {@link #MAX_TRIES} the spend is still added, without events (never lost).
     */
    private void write(MongoCollection<Document> collection, String period, List<Bson> increments, String totalField,
            double cost, BudgetCap cap, Settings caps, Instant now) {
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            Document current = collection.find(eq("_id", period)).first();
            Object version = current == null ? null : current.get("version");
            List<Bson> update = new ArrayList<>(increments);
            update.add(Updates.inc("version", 1L));
            update.add(Updates.set("updatedAt", now));
            List<String> filed = current == null ? List.of() : current.getList(EVENTS, String.class, List.of());
            crossed(cap, caps, number(current, totalField) + cost, filed, period, now).ifPresent(event -> {
                update.add(Updates.addEachToSet(EVENTS, event.marks()));
                update.add(Outbox.add(event.entry()));
            });
            Bson unchanged = version == null ? and(eq("_id", period), exists("version", false))
                    : and(eq("_id", period), eq("version", version));
            try {
                // matched, or inserted the period's first document; a concurrent change makes the upsert's insert
                // collide on _id, and the loop reads again
                collection.updateOne(unchanged, Updates.combine(update), new UpdateOptions().upsert(true));
                return;
            } catch (MongoWriteException raced) {
                if (!DuplicateKey.is(raced)) {
                    throw raced;
                }
            }
        }
        LOG.warnf("Spend on %s: %d writers raced; added without budget events", period, MAX_TRIES);
        List<Bson> update = new ArrayList<>(increments);
        update.add(Updates.inc("version", 1L));
        update.add(Updates.set("updatedAt", now));
        collection.updateOne(eq("_id", period), Updates.combine(update), new UpdateOptions().upsert(true));
    }

    /** A budget event and the marks that say it (and any lower one it stands for) was filed. */
    private record Crossing(OutboxEntry entry, List<String> marks) {
    }

    /**
     * The event a total of {@code spent} calls for that is not filed yet. When one write jumps past both lines only
     * {@code budget.reached} is filed (the warning would arrive in the same second and say less), and both are marked.
     */
    private static Optional<Crossing> crossed(BudgetCap cap, Settings caps, double spent, List<String> filed,
            String period, Instant now) {
        Optional<Double> limit = cap.limit(caps);
        if (limit.isEmpty()) {
            return Optional.empty();
        }
        String warning = cap.name() + ":warning";
        String reached = cap.name() + ":reached";
        NotificationEvent event;
        List<String> marks;
        if (spent >= limit.get() && !filed.contains(reached)) {
            event = NotificationEvent.BUDGET_REACHED;
            marks = List.of(warning, reached);
        } else if (spent >= WARNING_SHARE * limit.get() && spent < limit.get() && !filed.contains(warning)) {
            event = NotificationEvent.BUDGET_WARNING;
            marks = List.of(warning);
        } else {
            return Optional.empty();
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("cap", cap.name());
        facts.put("setting", cap.setting());
        facts.put("limitUsd", limit.get());
        facts.put("spentUsd", spent);
        facts.put("period", period);
        return Optional.of(new Crossing(OutboxEntry.of(event, period, cap.name(), now, facts), marks));
    }

    public static String dayOf(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
    }

    public static String monthOf(Instant at) {
        return YearMonth.from(LocalDate.ofInstant(at, ZoneOffset.UTC)).toString();
    }

    /** A model name as a field name: no dots or dollar signs (URL-encoded, dots too, so it reads back exactly). */
    static String modelKey(String model) {
        return URLEncoder.encode(model, StandardCharsets.UTF_8).replace(".", "%2E");
    }

    /** The model name a {@code byModel} key stands for. */
    public static String modelName(String key) {
        return URLDecoder.decode(key, StandardCharsets.UTF_8);
    }

    /** A day's dollars by model name (decoded), added to {@code into}. */
    public static void addByModel(ModelSpend day, Map<String, Double> into) {
        if (day != null && day.byModel != null) {
            day.byModel.forEach((key, usd) -> into.merge(modelName(key), usd, Double::sum));
        }
    }

    private static double number(Document document, String field) {
        Object value = document == null ? null : document.get(field);
        return value instanceof Number number ? number.doubleValue() : 0;
    }
}
