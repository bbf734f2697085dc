package io.truffles.poller.extract;

import io.truffles.core.documents.ConsoleError;
import io.truffles.core.documents.NetworkFailure;
import java.util.List;

/**
 * What a recording's plugin events say went wrong, with times relative to the recording's start.
 *
 * @param firstUrl the page the recording starts on (its earliest Meta event's href, redacted), {@code null} if none
 */
public record SessionFacts(List<ConsoleError> consoleErrors, List<NetworkFailure> networkFailures, String firstUrl) {
}
