package io.truffles.api.stats;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Projections;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.ModelSpend;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Settings;
import io.truffles.core.mongo.Documents;
import io.truffles.core.settings.SettingsStore;
import io.truffles.core.spend.BudgetHold;
import io.truffles.core.spend.SpendKind;
import io.truffles.core.spend.SpendLedger;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "stats")
public class StatsResource {
    private final Documents documents;
    private final Clock clock;
    private final SettingsStore settings;
    private final SpendLedger ledger;
    private final CostReport costs;

    StatsResource(Documents documents, Clock clock, SettingsStore settings) {
        this.documents = documents;
        this.clock = clock;
        this.settings = settings;
        this.ledger = new SpendLedger(documents, clock, settings::read);
        this.costs = new CostReport(documents, clock);
    }

    /**
     * Counts per status (every status listed, zeros included) and today's spend (UTC day) from the spend ledger: the
     * agents' model use and the analyzer's model calls, by model; this month's; the caps ({@code null}: none) with
     * {@code dailyModelBudgetUsd} repeated for the header, which warns from 80 % of it; and why work waits, by kind
     * ({@code holds.models}, {@code holds.agents}: the reason, or {@code null} when nothing is held).
     */
    public record Stats(Map<String, Long> sessions, Map<String, Long> issues, Map<String, Long> agents,
            double spendTodayUsd, double modelSpendTodayUsd, double agentSpendTodayUsd, Instant since,
            Double dailyModelBudgetUsd, Map<String, Double> spendTodayByModel, double spendThisMonthUsd,
            Map<String, Double> caps, Map<String, String> holds) {
    }

    @GET
    @Operation(summary = "Counts per status for sessions, issues and agents; spend today (UTC), by model; caps and holds")
    public Stats stats() {
        Instant today = LocalDate.now(clock.withZone(ZoneOffset.UTC)).atStartOfDay(ZoneOffset.UTC).toInstant();
        ModelSpend spend = documents.modelSpend().find(eq("_id", SpendLedger.dayOf(today))).first();
        double modelSpend = spend == null ? 0 : spend.costUsd;
        double agentSpend = spend == null ? 0 : spend.agentCostUsd;
        Map<String, Double> byModel = new TreeMap<>();
        SpendLedger.addByModel(spend, byModel);
        Settings current = settings.read();
        Map<String, Double> caps = new LinkedHashMap<>();
        caps.put("dailyModelBudgetUsd", current.dailyModelBudgetUsd);
        caps.put("dailyAgentBudgetUsd", current.dailyAgentBudgetUsd);
        caps.put("agentRunBudgetUsd", current.agentRunBudgetUsd);
        caps.put("monthlyBudgetUsd", current.monthlyBudgetUsd);
        Map<String, String> holds = new LinkedHashMap<>();
        for (SpendKind kind : SpendKind.values()) {
            holds.put(kind.name(), ledger.hold(kind, current).map(BudgetHold::reason).orElse(null));
        }
        return new Stats(counts(documents.sessions(), SessionStatus.values()),
                counts(documents.issues(), IssueStatus.values()),
                counts(documents.agentSessions(), AgentStatus.values()), agentSpend + modelSpend, modelSpend,
                agentSpend, today, current.dailyModelBudgetUsd, byModel, ledger.spentThisMonth(), caps, holds);
    }

    /**
     * Dollars over a range of UTC days: by day, by model, per session-minute analysed, per issue fixed. {@code to}
     * defaults to today, {@code from} to 30 days before it; at most 366 days.
     */
    @GET
    @Path("/costs")
    @Operation(summary = "Cost report: dollars by day, by model, per session-minute analysed and per issue fixed")
    public CostReport.Report costs(@QueryParam("from") String from, @QueryParam("to") String to) {
        return costs.between(from, to);
    }

    private static Map<String, Long> counts(MongoCollection<?> collection, Enum<?>[] statuses) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Enum<?> status : statuses) {
            counts.put(status.name(), 0L);
        }
        // one pass over the status field only, rather than a count query per status
        for (Document document : collection.withDocumentClass(Document.class).find()
                .projection(Projections.include("status"))) {
            Object status = document.get("status");
            if (status != null) {
                counts.merge(status.toString(), 1L, Long::sum);
            }
        }
        return counts;
    }
}
