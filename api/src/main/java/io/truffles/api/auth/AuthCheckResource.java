package io.truffles.api.auth;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Lets the dashboard check a password before it shows the admin forms. It does nothing itself: being a POST under
 * {@code /api}, it passes {@link AdminAuthFilter} only with the right password, and a wrong one is counted by
 * {@link FailedLogins} exactly as on any other admin call, so it is no cheaper oracle for a guesser.
 */
@Path("/api/auth/check")
@Tag(name = "auth")
public class AuthCheckResource {

    @POST
    @SecurityRequirement(name = "admin")
    @Operation(summary = "204 when the Bearer token is the admin password; 401 (counted by the slow-down) when not")
    public Response check() {
        return Response.noContent().build();
    }
}
