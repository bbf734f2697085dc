package io.truffles.api.auth;

import io.truffles.api.errors.ApiError;
import io.truffles.core.config.Secret;
import io.truffles.core.config.TrufflesConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every mutating call under {@code /api} needs {@code Authorization: Bearer <ADMIN_PASSWORD>}; reads and the
 * WebSocket are open, as the seed says. Runs before the body is read, so a caller without the password learns
 * nothing about what its body would have done. The header's value is never logged.
 */
public class AdminAuthFilter {
    private static final Logger LOG = Logger.getLogger(AdminAuthFilter.class);
    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final String BEARER = "Bearer ";

    @Inject
    TrufflesConfig config;

    @Inject
    FailedLogins failedLogins;

    @Inject
    ClientAddress clientAddress;

    @ServerRequestFilter
    public Response requireAdmin(ContainerRequestContext context, HttpServerRequest request) {
        if (READS.contains(context.getMethod()) || !context.getUriInfo().getPath().startsWith("/api/")) {
            return null;
        }
        Optional<Secret> password = config.admin().password();
        if (password.isEmpty() || password.get().reveal().isBlank()) {
            return refuse(Response.Status.SERVICE_UNAVAILABLE,
                    "Admin actions are disabled: ADMIN_PASSWORD is not set on the server. Set it in .env and "
                            + "restart truffles-api.");
        }
        String address = clientAddress.of(request.remoteAddress() == null ? null
                : request.remoteAddress().hostAddress(), request.headers().getAll("X-Forwarded-For"));
        Optional<Duration> wait = failedLogins.waitFor(address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            return Response.status(Response.Status.TOO_MANY_REQUESTS).header("Retry-After", seconds)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError.ErrorBody("Too many wrong admin passwords from " + address + "; try again in "
                            + seconds + " s", null))
                    .build();
        }
        String header = context.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith(BEARER)) {
            return refuse(Response.Status.UNAUTHORIZED,
                    "This action needs the admin password: send 'Authorization: Bearer <ADMIN_PASSWORD>'");
        }
        if (!sameInConstantTime(header.substring(BEARER.length()), password.get().reveal())) {
            failedLogins.failed(address);
            LOG.warnf("Wrong admin password for %s %s from %s", context.getMethod(), context.getUriInfo().getPath(),
                    address);
            return refuse(Response.Status.UNAUTHORIZED, "Wrong admin password");
        }
        failedLogins.succeeded(address);
        return null;
    }

    /** Compares digests, so neither the content nor the length of the password shows in the time taken. */
    static boolean sameInConstantTime(String given, String expected) {
        return MessageDigest.isEqual(sha256(given), sha256(expected));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static Response refuse(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, status == Response.Status.UNAUTHORIZED ? "Bearer" : null)
                .entity(new ApiError.ErrorBody(message, null)).build();
    }
}
