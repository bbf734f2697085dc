package io.truffles.api.falsealarms;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.Sorts;
import io.truffles.api.errors.ApiError;
import io.truffles.api.paging.QueryParams;
import io.truffles.api.paging.Ids;
import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.FalseAlarmSource;
import io.truffles.core.falsealarms.FalseAlarmStore;
import io.truffles.core.issues.IssueStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The patterns screening drops findings by. Small enough to list whole (bounded by {@code limit}). */
@Path("/api/false-alarms")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "false alarms")
public class FalseAlarmResource {
    private static final int MAX_PATTERN = 4000;
    private static final int MAX_LIST = 1000;

    private final FalseAlarmStore falseAlarms;
    private final IssueStore issues;
    private final Clock clock;

    FalseAlarmResource(FalseAlarmStore falseAlarms, IssueStore issues, Clock clock) {
        this.falseAlarms = falseAlarms;
        this.issues = issues;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "False-alarm patterns, newest first")
    public List<FalseAlarm> list(@QueryParam("limit") String limit) {
        int max = QueryParams.integer("limit", limit, MAX_LIST, 1, MAX_LIST);
        return falseAlarms.find(new Document(), Sorts.descending("createdAt", "_id")).range(0, max - 1).list();
    }

    /** Body of {@code POST /api/false-alarms}. */
    public record NewFalseAlarm(String pattern, String reason, String issueId) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Admin: add a false-alarm pattern")
    public Response add(NewFalseAlarm request) {
        if (request == null || request.pattern() == null || request.pattern().isBlank()) {
            throw ApiError.badField("pattern", "is required");
        }
        if (request.pattern().length() > MAX_PATTERN) {
            throw ApiError.badField("pattern", "is longer than " + MAX_PATTERN + " characters");
        }
        FalseAlarm alarm = new FalseAlarm();
        alarm.id = new ObjectId();
        alarm.pattern = request.pattern().strip();
        alarm.reason = request.reason();
        alarm.source = FalseAlarmSource.manual;
        if (request.issueId() != null) {
            alarm.issueId = Ids.bodyId("issueId", request.issueId());
            if (issues.count(eq("_id", alarm.issueId)) == 0) {
                throw ApiError.badField("issueId", "no issue with id '" + request.issueId() + "'");
            }
        }
        alarm.createdAt = clock.instant();
        falseAlarms.add(alarm);
        return Response.status(Response.Status.CREATED).entity(alarm).build();
    }

    @DELETE
    @Path("/{id}")
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Admin: remove a false-alarm pattern")
    public Response delete(@PathParam("id") String id) {
        ObjectId key = Ids.pathId("false alarm", id);
        if (!falseAlarms.deleteById(key)) {
            throw ApiError.notFound("false alarm", id);
        }
        return Response.noContent().build();
    }
}
