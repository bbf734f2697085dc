package io.truffles.poller.decode;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sees every decoded event once, in file order, before it is serialized: extraction happens in the same pass as
 * decoding, and an observer may redact the event in place so the stored copy is redacted too.
 */
@FunctionalInterface
public interface EventObserver {
    EventObserver NONE = (event, windowId, timestamp) -> {
    };

    void observe(ObjectNode event, String windowId, long timestamp);
}
