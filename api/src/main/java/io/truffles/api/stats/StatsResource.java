package io.truffles.api.stats;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Projections;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.ModelSpend;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.mongo.Documents;
import io.truffles.core.settings.SettingsStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
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

    StatsResource(Documents documents, Clock clock, SettingsStore settings) {
        this.documents = documents;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Counts per status (every status listed, zeros included) and today's spend (UTC day): the cost of the agents
     * started today plus the analyzer's model calls today ({@code modelSpend}), and the runtime setting
     * {@code dailyModelBudgetUsd} they are measured against (the header warns from 80 % of it).
     */
    public record Stats(Map<String, Long> sessions, Map<String, Long> issues, Map<String, Long> agents,
            double spendTodayUsd, double modelSpendTodayUsd, double agentSpendTodayUsd, Instant since,
            Double dailyModelBudgetUsd) {
    }

    @GET
    @Operation(summary = "Counts per status for sessions, issues and agents; spend today (UTC)")
    public Stats stats() {
        Instant today = LocalDate.now(clock.withZone(ZoneOffset.UTC)).atStartOfDay(ZoneOffset.UTC).toInstant();
        double agentSpend = 0;
        for (AgentSession agent : documents.agentSessions().find(gte("createdAt", today))
                .projection(Projections.include("costUsd"))) {
            agentSpend += agent.costUsd == null ? 0 : agent.costUsd;
        }
        ModelSpend models = documents.modelSpend()
                .find(eq("_id", LocalDate.ofInstant(today, ZoneOffset.UTC).toString())).first();
        double modelSpend = models == null ? 0 : models.costUsd;
        return new Stats(counts(documents.sessions(), SessionStatus.values()),
                counts(documents.issues(), IssueStatus.values()),
                counts(documents.agentSessions(), AgentStatus.values()), agentSpend + modelSpend, modelSpend,
                agentSpend, today, settings.read().dailyModelBudgetUsd);
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
