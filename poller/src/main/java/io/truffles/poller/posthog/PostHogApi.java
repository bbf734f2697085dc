package io.truffles.poller.posthog;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * PostHog's session recording endpoints, as plain HTTP. Every call returns the raw {@link Response}: statuses,
 * {@code Retry-After} and error bodies are {@link PostHogClient}'s business. Null query parameters are left out.
 */
@RegisterRestClient(configKey = "posthog")
@Path("/api/projects/{projectId}/session_recordings")
interface PostHogApi {

    /** Arrays and objects in query parameters must be JSON-encoded strings (PostHog json-loads every value). */
    @GET
    @Path("/")
    Response list(@PathParam("projectId") String projectId, @HeaderParam("Authorization") String authorization,
            @QueryParam("date_from") String dateFrom, @QueryParam("order") String order,
            @QueryParam("order_direction") String orderDirection, @QueryParam("limit") int limit,
            @QueryParam("offset") int offset);

    /** Without {@code source}: the list of snapshot sources. */
    @GET
    @Path("/{sessionId}/snapshots")
    Response sources(@PathParam("projectId") String projectId, @HeaderParam("Authorization") String authorization,
            @PathParam("sessionId") String sessionId);

    /** {@code source=blob_v2} with an inclusive key range (at most 20 keys), or {@code blob_v2_lts} with its key. */
    @GET
    @Path("/{sessionId}/snapshots")
    Response blocks(@PathParam("projectId") String projectId, @HeaderParam("Authorization") String authorization,
            @PathParam("sessionId") String sessionId, @QueryParam("source") String source,
            @QueryParam("start_blob_key") String startBlobKey, @QueryParam("end_blob_key") String endBlobKey,
            @QueryParam("blob_key") String blobKey);
}
