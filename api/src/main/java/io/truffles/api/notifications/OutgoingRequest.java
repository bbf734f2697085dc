package io.truffles.api.notifications;

import java.util.Map;

/** One POST to a channel: the JSON body exactly as sent (what a signature covers) and the headers beside it. */
record OutgoingRequest(byte[] body, Map<String, String> headers) {
}
