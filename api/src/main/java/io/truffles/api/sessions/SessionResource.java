package io.truffles.api.sessions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.api.errors.ApiError;
import io.truffles.api.paging.Cursor;
import io.truffles.api.paging.Ids;
import io.truffles.api.paging.Page;
import io.truffles.api.paging.QueryParams;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import jakarta.ws.rs.GET;
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
    @Operation(summary = "Sessions, newest first, with a presigned thumbnail URL; page with nextCursor")
    public Page<Session> list(@QueryParam("status") String status, @QueryParam("hasIssues") String hasIssues,
            @QueryParam("severity") String severity, @QueryParam("user") String user,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        Instant start = QueryParams.instant("from", from);
        Instant end = QueryParams.instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ApiError.badField("to",
                    "must be later than from (" + start + "); the range is from <= startTime < to");
        }
        SessionService.Filter filter = new SessionService.Filter(
                QueryParams.enumValue("status", status, SessionStatus.class),
                QueryParams.bool("hasIssues", hasIssues),
                QueryParams.enumValue("severity", severity, Severity.class),
                user, start, end);
        return sessions.list(filter, Cursor.parse(cursor), Cursor.limit(limit));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One session with its issues, video-time mapping and presigned video/thumbnail/events URLs")
    public ObjectNode get(@PathParam("id") String id) {
        return sessions.get(Ids.pathId("session", id));
    }
}
