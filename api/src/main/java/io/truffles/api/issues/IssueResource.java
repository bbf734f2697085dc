package io.truffles.api.issues;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.api.errors.ApiError;
import io.truffles.api.paging.Cursor;
import io.truffles.api.paging.Ids;
import io.truffles.api.paging.Page;
import io.truffles.api.paging.QueryParams;
import io.truffles.core.documents.AnalysisSource;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Severity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/issues")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "issues")
public class IssueResource {
    private final IssueService issues;

    IssueResource(IssueService issues) {
        this.issues = issues;
    }

    @GET
    @Operation(summary = "Issues sorted by occurrences (sessions affected) or recency, each with its latest occurrence "
            + "(session, moment, presigned thumbnail) and latest agent (status, cost); page with nextCursor")
    public Page<ObjectNode> list(@QueryParam("status") String status, @QueryParam("severity") String severity,
            @QueryParam("source") String source, @QueryParam("sort") String sort,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        IssueService.Filter filter = new IssueService.Filter(
                QueryParams.enumValue("status", status, IssueStatus.class),
                QueryParams.enumValue("severity", severity, Severity.class),
                QueryParams.enumValue("source", source, AnalysisSource.class));
        IssueService.Sort order = QueryParams.enumValue("sort", sort, IssueService.Sort.class);
        return issues.list(filter, order == null ? IssueService.Sort.occurrences : order, Cursor.parse(cursor),
                Cursor.limit(limit));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One issue with occurrences, screening result, agent sessions and PR link")
    public ObjectNode get(@PathParam("id") String id) {
        return issues.get(Ids.pathId("issue", id));
    }

    /** Body of {@code POST /api/issues/{id}/false-alarm}; {@code pattern} defaults to the issue's title and description. */
    public record FalseAlarmRequest(String reason, String pattern) {
    }

    @POST
    @Path("/{id}/false-alarm")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Admin: mark the issue a false alarm with a reason; its pattern joins falseAlarms")
    public Issue markFalseAlarm(@PathParam("id") String id, FalseAlarmRequest request) {
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            throw ApiError.badField("reason", "is required");
        }
        return issues.markFalseAlarm(Ids.pathId("issue", id), request.reason().strip(), request.pattern());
    }
}
