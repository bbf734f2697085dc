package io.truffles.api.errors;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A path no resource serves (an unknown {@code /api/...} above all) answers a JSON 404 like every other refusal,
 * rather than an empty body. The dashboard's own routes never get here: {@code DashboardRoutes} hands them the page.
 */
public class UnknownApiPaths {

    @ServerExceptionMapper
    public Response noRoute(NotFoundException error, HttpServerRequest request) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError.ErrorBody("No api route for " + request.method() + " " + request.path(), null))
                .build();
    }
}
