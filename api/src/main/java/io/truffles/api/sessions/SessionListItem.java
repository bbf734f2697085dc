package io.truffles.api.sessions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.truffles.core.documents.Session;

/**
 * A session as the list shows it: counts and the first page instead of the heavy arrays, which only the session page
 * loads ({@code GET /api/sessions/<id>}). Read straight from the list query, which computes the three fields.
 */
@JsonIgnoreProperties({"consoleErrors", "networkFailures", "metadata", "videoTimeline", "lease", "videoUrl",
        "rrwebEventsUrl"})
public class SessionListItem extends Session {
    public int consoleErrorCount;
    public int networkFailureCount;
    /** Console errors plus failed requests: what the {@code errors} sort orders by. */
    public int errorCount;
    /** The page the session started on (PostHog's {@code start_url}), else the page of its first console error. */
    public String firstUrl;
}
