package io.truffles.api.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.api.errors.ApiError;
import io.truffles.api.paging.Ids;
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
    @Operation(summary = "Active agents, the queue, and stats (running/queued/done/failed counts, total cost)")
    public AgentService.Overview list() {
        return agents.overview();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One agent with a page of its output log (logOffset, logLimit; outputLogTotal entries)")
    public ObjectNode details(@PathParam("id") String id, @QueryParam("logOffset") Integer logOffset,
            @QueryParam("logLimit") Integer logLimit) {
        int offset = logOffset == null ? 0 : logOffset;
        if (offset < 0) {
            throw ApiError.badField("logOffset", "must be 0 or more");
        }
        int limit = logLimit == null ? AgentService.DEFAULT_LOG_LIMIT : logLimit;
        if (limit < 1 || limit > AgentService.MAX_LOG_LIMIT) {
            throw ApiError.badField("logLimit", "must be between 1 and " + AgentService.MAX_LOG_LIMIT);
        }
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
