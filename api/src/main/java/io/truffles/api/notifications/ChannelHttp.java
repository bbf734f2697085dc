package io.truffles.api.notifications;

import io.truffles.core.config.Secret;
import io.truffles.core.redaction.Redaction;
import io.truffles.core.retry.RetryAfter;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * POSTs a message to a channel's URL with short timeouts (connect {@link NotificationsConfig#connectTimeout()}, the
 * whole answer {@link NotificationsConfig#requestTimeout()}), following no redirect, and says what came of it. The
 * URL and the secret never appear in what it returns: an error names the status and the receiver's first words only.
 */
@Singleton
class ChannelHttp {
    /** Of a receiver's answer, only this much is read and kept as the error a person sees. */
    private static final int ANSWER_KEPT = 300;

    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;

    ChannelHttp(NotificationsConfig config, Clock clock) {
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.requestTimeout = config.requestTimeout();
        this.clock = clock;
    }

    SendResult post(Channel channel, OutgoingRequest message) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(channel.url())).timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        request.header("User-Agent", "Truffles-Notifications");
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            String answer = firstWords(response.body(), channel);
            if (status >= 200 && status < 300) {
                return new SendResult.Delivered(status);
            }
            String error = "HTTP " + status + (answer.isEmpty() ? "" : ": " + answer);
            String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
            if (status == 429) {
                return new SendResult.Retry(status, error, RetryAfter.wait(retryAfter, clock).orElse(null), false);
            }
            if (status >= 500) {
                return new SendResult.Retry(status, error, RetryAfter.wait(retryAfter, clock).orElse(null), true);
            }
            return new SendResult.Rejected(status, error);
        } catch (HttpTimeoutException timeout) {
            return new SendResult.Retry(null, "No answer within " + requestTimeout.toSeconds() + " s (timeout)", null,
                    true);
        } catch (IOException unreachable) {
            return new SendResult.Retry(null, "Could not reach the receiver: " + scrub(describe(unreachable), channel),
                    null, true);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return new SendResult.Retry(null, "Interrupted while sending (the api is stopping)", null, false);
        }
    }

    private static String firstWords(InputStream body, Channel channel) {
        try (body) {
            byte[] start = body.readNBytes(ANSWER_KEPT);
            return scrub(new String(start, StandardCharsets.UTF_8).strip(), channel);
        } catch (IOException unreadable) {
            return "";
        }
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    /** Takes the channel's URL and secret out of text from elsewhere (an echoing receiver, an exception). */
    static String scrub(String text, Channel channel) {
        String scrubbed = text;
        for (String secret : new String[] {channel.url(), channel.secret()}) {
            if (secret != null && !secret.isEmpty()) {
                scrubbed = scrubbed.replace(secret, Secret.mask(secret));
            }
        }
        return Redaction.text(scrubbed);
    }
}
