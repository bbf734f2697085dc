package io.truffles.api.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A refusal a client can act on: the status, what was wrong, and the request field it was about. */
public final class ApiError extends WebApplicationException {
    private ApiError(Response.Status status, String message, String field) {
        super(message, Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(message, field)).build());
    }

    public static ApiError badField(String field, String message) {
        return new ApiError(Response.Status.BAD_REQUEST, field + ": " + message, field);
    }

    public static ApiError notFound(String what, String id) {
        return new ApiError(Response.Status.NOT_FOUND, "No " + what + " with id '" + id + "'", null);
    }

    public static ApiError conflict(String message) {
        return new ApiError(Response.Status.CONFLICT, message, null);
    }

    /** The JSON body of every error answer. */
    public record ErrorBody(String error, String field) {
    }
}
