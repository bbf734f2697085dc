package io.truffles.api.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.api.errors.ApiError;
import io.truffles.api.paging.Cursor;
import io.truffles.api.paging.Ids;
import io.truffles.api.paging.Page;
import io.truffles.api.paging.QueryParams;
import io.truffles.core.documents.AgentSession;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The seed's agent endpoints. */
@Path("/api/agents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "agents")
public class AgentResource {
    private final AgentService agents;

    AgentResource(AgentService agents) {
        this.agents = agents;
    }

    @POST
    @Path("/start")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Admin: queue an agent for an issue; 409 while another agent for it is live")
    public Response start(AgentService.StartRequest request) {
        if (request == null) {
            throw ApiError.badField("issueId", "is required");
        }
        AgentSession agent = agents.start(Ids.bodyId("issueId", request.issueId()), request);
        return Response.status(Response.Status.CREATED).entity(agent).build();
    }

    @GET
    @Operation(summary = "Active agents, the queue (each with its token and dollar usage), and stats (counts, total cost)")
    public AgentService.Overview list() {
        return agents.overview();
    }

    @GET
    @Path("/finished")
    @Operation(summary = "Agents that ended (done, failed, false_alarm), newest first, without their logs but with "
            + "their token and dollar usage; page with nextCursor")
    public Page<ObjectNode> finished(@QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return agents.finished(Cursor.parse(cursor), Cursor.limit(limit));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One agent with a page of its output log (logOffset, logLimit; outputLogTotal entries)")
    public ObjectNode details(@PathParam("id") String id, @QueryParam("logOffset") String logOffset,
            @QueryParam("logLimit") String logLimit) {
        int offset = QueryParams.integer("logOffset", logOffset, 0, 0, Integer.MAX_VALUE);
        int limit = QueryParams.integer("logLimit", logLimit, AgentService.DEFAULT_LOG_LIMIT, 1,
                AgentService.MAX_LOG_LIMIT);
        return agents.details(Ids.pathId("agent", id), offset, limit);
    }

    @POST
    @Path("/{id}/stop")
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Admin: stop the agent; the agent-runner sees the request in MongoDB and kills it")
    public Response stop(@PathParam("id") String id) {
        return Response.accepted(agents.stop(Ids.pathId("agent", id))).build();
    }
}
