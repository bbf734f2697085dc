package io.truffles.poller.importing;

import io.truffles.poller.decode.LineProblem;
import java.util.List;

/**
 * What importing one recording did.
 *
 * @param created  whether this call inserted the session ({@code false}: it was already there)
 * @param events   events stored
 * @param problems lines of the recording that could not be read (the rest was kept)
 */
public record ImportOutcome(String posthogSessionId, boolean created, long events, List<LineProblem> problems) {
}
