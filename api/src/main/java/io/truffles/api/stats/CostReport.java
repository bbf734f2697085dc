package io.truffles.api.stats;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.model.Projections;
import io.truffles.api.errors.ApiError;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.IssueStatusChange;
import io.truffles.core.documents.ModelSpend;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.mongo.Documents;
import io.truffles.core.spend.SpendLedger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What models and agents cost over a range of UTC days, from the day documents of core's spend ledger: by day, by
 * model, per session-minute analysed (model dollars over the minutes of sessions completed in the range) and per
 * issue fixed (agent dollars over the issues that reached {@code pr_open} in the range).
 */
final class CostReport {
    /** The longest range one report covers. */
    static final int MAX_DAYS = 366;
    /** Without {@code from}, the report covers this many days up to {@code to}. */
    static final int DEFAULT_DAYS = 30;

    /** One UTC day's spend; every day of the range is listed, zeros included. */
    public record Day(String day, double modelUsd, double agentUsd, double totalUsd) {
    }

    /**
     * @param modelUsdPerSessionMinute {@code null} when no session was analysed
     * @param agentUsdPerIssueFixed    {@code null} when no issue reached {@code pr_open}
     */
    public record Report(String from, String to, double totalUsd, double modelUsd, double agentUsd, List<Day> days,
            Map<String, Double> byModel, double sessionMinutesAnalysed, Double modelUsdPerSessionMinute,
            long issuesFixed, Double agentUsdPerIssueFixed) {
    }

    private final Documents documents;
    private final Clock clock;

    CostReport(Documents documents, Clock clock) {
        this.documents = documents;
        this.clock = clock;
    }

    Report between(String fromParam, String toParam) {
        LocalDate to = toParam == null || toParam.isBlank() ? LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)
                : date("to", toParam);
        LocalDate from = fromParam == null || fromParam.isBlank() ? to.minusDays(DEFAULT_DAYS - 1L)
                : date("from", fromParam);
        if (from.isAfter(to)) {
            throw ApiError.badField("from", "must not be after to (" + from + " > " + to + ")");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            throw ApiError.badField("from", "the range is at most " + MAX_DAYS + " days; ask for it in parts");
        }
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

        Map<String, ModelSpend> byDay = new TreeMap<>();
        documents.modelSpend().find(and(gte("_id", from.toString()), lte("_id", to.toString())))
                .forEach(day -> byDay.put(day.id, day));
        List<Day> days = new ArrayList<>();
        Map<String, Double> byModel = new TreeMap<>();
        double models = 0;
        double agents = 0;
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            ModelSpend spend = byDay.get(day.toString());
            double modelUsd = spend == null ? 0 : spend.costUsd;
            double agentUsd = spend == null ? 0 : spend.agentCostUsd;
            days.add(new Day(day.toString(), modelUsd, agentUsd, modelUsd + agentUsd));
            models += modelUsd;
            agents += agentUsd;
            SpendLedger.addByModel(spend, byModel);
        }
        double minutes = minutesAnalysed(start, end);
        long fixed = issuesFixed(start, end);
        return new Report(from.toString(), to.toString(), models + agents, models, agents, days, sorted(byModel),
                minutes, minutes > 0 ? models / minutes : null, fixed, fixed > 0 ? agents / fixed : null);
    }

    /** Minutes of the sessions whose analysis completed in the range (their last write is the completing one). */
    private double minutesAnalysed(Instant start, Instant end) {
        double seconds = 0;
        for (Session session : documents.sessions().find(and(eq("status", SessionStatus.complete.name()),
                gte("updatedAt", start), lt("updatedAt", end))).projection(Projections.include("duration"))) {
            seconds += session.duration == null ? 0 : session.duration;
        }
        return seconds / 60;
    }

    /** Issues whose history shows them reaching {@code pr_open} in the range (once each, however often). */
    private long issuesFixed(Instant start, Instant end) {
        long fixed = 0;
        for (Issue issue : documents.issues().find(eq("statusHistory.status", IssueStatus.pr_open.name()))
                .projection(Projections.include("statusHistory"))) {
            for (IssueStatusChange change : issue.statusHistory) {
                if (change.status == IssueStatus.pr_open && change.at != null && !change.at.isBefore(start)
                        && change.at.isBefore(end)) {
                    fixed++;
                    break;
                }
            }
        }
        return fixed;
    }

    /** Dearest first. */
    private static Map<String, Double> sorted(Map<String, Double> byModel) {
        Map<String, Double> sorted = new LinkedHashMap<>();
        byModel.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    private static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException bad) {
            throw ApiError.badField(field, "must be a date as YYYY-MM-DD (UTC), was '" + value + "'");
        }
    }
}
