package io.truffles.api.sessions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.api.errors.ApiError;
import io.truffles.api.paging.Cursor;
import io.truffles.api.paging.Ids;
import io.truffles.api.paging.Page;
import io.truffles.api.paging.QueryParams;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
public class SessionResource {
    private final SessionService sessions;

    SessionResource(SessionService sessions) {
        this.sessions = sessions;
    }

    @GET
    @Operation(summary = "Sessions, newest first (or longest, or most errors), each with a presigned thumbnail URL, "
            + "its console-error and failed-request counts and first URL; page with nextCursor")
    public Page<SessionListItem> list(@QueryParam("status") String status, @QueryParam("hasIssues") String hasIssues,
            @QueryParam("severity") String severity, @QueryParam("user") String user,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("minDuration") String minDuration, @QueryParam("maxDuration") String maxDuration,
            @QueryParam("hasErrors") String hasErrors, @QueryParam("sort") String sort,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        Instant start = QueryParams.instant("from", from);
        Instant end = QueryParams.instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ApiError.badField("to",
                    "must be later than from (" + start + "); the range is from <= startTime < to");
        }
        Double shortest = QueryParams.seconds("minDuration", minDuration);
        Double longest = QueryParams.seconds("maxDuration", maxDuration);
        if (shortest != null && longest != null && longest < shortest) {
            throw ApiError.badField("maxDuration", "must not be less than minDuration (" + shortest + ")");
        }
        SessionService.Filter filter = new SessionService.Filter(
                QueryParams.enumValue("status", status, SessionStatus.class),
                QueryParams.bool("hasIssues", hasIssues),
                QueryParams.enumValue("severity", severity, Severity.class),
                user, start, end, shortest, longest, QueryParams.bool("hasErrors", hasErrors));
        SessionSort order = QueryParams.enumValue("sort", sort, SessionSort.class);
        return sessions.list(filter, order == null ? SessionSort.newest : order, cursor, Cursor.limit(limit));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One session with its issues, video-time mapping and presigned video/thumbnail/events URLs")
    public ObjectNode get(@PathParam("id") String id) {
        return sessions.get(Ids.pathId("session", id));
    }

    @POST
    @Path("/{id}/retry")
    @Operation(summary = "Queue a failed session again from the stage it failed in (admin). A session already back in "
            + "the queue answers as it is; a complete one, or one whose recording was never imported, is a 409")
    public ObjectNode retry(@PathParam("id") String id) {
        return sessions.retry(Ids.pathId("session", id));
    }
}
