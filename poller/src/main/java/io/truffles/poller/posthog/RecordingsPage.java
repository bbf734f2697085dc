package io.truffles.poller.posthog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One page of the recordings list: PostHog's recording objects as they came, and whether more follow. */
public record RecordingsPage(List<ObjectNode> results, boolean hasNext) {
}
