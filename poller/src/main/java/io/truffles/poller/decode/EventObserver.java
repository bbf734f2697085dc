package io.truffles.poller.decode;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sees every decoded event once (duplicates are dropped before), in file order, before it is serialized: extraction
 * happens in the same pass as decoding, and an observer may redact the event in place so the stored copy is redacted
 * too; it then returns {@code true} so the event is serialized again.
 */
@FunctionalInterface
public interface EventObserver {
    EventObserver NONE = (event, windowId, timestamp) -> false;

    /** Returns whether it changed the event. */
    boolean observe(ObjectNode event, String windowId, long timestamp);
}
