package io.truffles.api.dashboard;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The dashboard's client-side routes answer its page, so a reload or a shared link ({@code /sessions/<id>?t=42})
 * opens the ui, which reads the address itself. Only these paths: anything else unknown stays a 404 (JSON under
 * {@code /api}). Quinoa's own SPA fallback cannot be used here: it relies on REST passing unmatched paths on, which
 * REST does not do once an exception mapper covers {@code NotFoundException} (ours answer JSON).
 */
@Singleton
public class DashboardRoutes {
    /** The ui's routes (ui/src/routes.tsx) but {@code /}, which the page itself answers. */
    static final String PATHS = "/(sessions|issues|agents)(/[^/]+)?/?|/(false-alarms|settings)/?";

    void install(@Observes Router router) {
        // before REST (its routes come later), and rerouted so the request is served exactly as "/" is
        router.getWithRegex(PATHS).order(1).handler(context -> context.reroute("/"));
    }
}
