package io.truffles.poller.decode;

/**
 * One rrweb event as it will be stored: its compact JSON (with {@code windowId} when the source named one), kept as
 * bytes so a large recording is held once, compactly, instead of as a tree of objects.
 */
public record RecordedEvent(long timestamp, String windowId, int type, byte[] json) {
}
