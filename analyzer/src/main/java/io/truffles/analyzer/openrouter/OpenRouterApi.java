package io.truffles.analyzer.openrouter;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * OpenRouter's chat completions endpoint as it is on the wire. Bodies stay raw text: OpenRouter pads responses with
 * whitespace and reports some errors with HTTP 200, which {@link OpenRouterClient} reads itself.
 */
@RegisterRestClient(configKey = "openrouter")
@Path("/api/v1")
interface OpenRouterApi {

    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response complete(@HeaderParam("Authorization") String authorization,
            @HeaderParam("X-OpenRouter-Title") String title, String body);

    /** Every model with its {@code architecture.input_modalities}: which take video, which only images. */
    @GET
    @Path("/models")
    @Produces(MediaType.APPLICATION_JSON)
    Response models(@HeaderParam("Authorization") String authorization);
}
