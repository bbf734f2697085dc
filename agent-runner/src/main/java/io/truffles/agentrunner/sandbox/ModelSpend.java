package io.truffles.agentrunner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Tokens and dollars one agent spent, counted by its {@link ModelBridge} from the {@code usage} of each response (a
 * JSON body, or the {@code message_start} and {@code message_delta} events of a stream), priced by model. The CLI's own
 * {@code --max-budget-usd} counts only what the CLI itself asked for; this counts every request that left the sandbox.
 */
public final class ModelSpend {
    /** US dollars per million tokens: input, output, cache write, cache read (anthropic.com/pricing, Dec 2026). */
    private record Price(double input, double output, double cacheWrite, double cacheRead) {
    }

    private static final Price OPUS_4_0 = new Price(15, 75, 18.75, 1.5);
    private static final Price OPUS = new Price(5, 25, 6.25, 0.5);
    private static final Price SONNET = new Price(3, 15, 3.75, 0.3);
    private static final Price HAIKU = new Price(1, 5, 1.25, 0.1);

    private long inputTokens;
    private long outputTokens;
    private long cacheWriteTokens;
    private long cacheReadTokens;
    private double usd;

    /** An unknown model is priced as the dearest, so the budget errs on the side of stopping. */
    static Price priceOf(String model) {
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        if (m.contains("haiku")) {
            return HAIKU;
        }
        if (m.contains("sonnet")) {
            return SONNET;
        }
        if (m.contains("opus-4-5") || m.contains("opus-4-6") || m.contains("opus-4-7") || m.contains("opus-5")) {
            return OPUS;
        }
        return OPUS_4_0;
    }

    /** The usage of one response as it arrives; a stream repeats counts so far, so only growth is added. */
    final class Response {
        private static final String[] FIELDS = {"input_tokens", "output_tokens", "cache_creation_input_tokens",
            "cache_read_input_tokens"};
        private final long[] seen = new long[FIELDS.length];
        private String model;

        void model(String name) {
            if (name != null && !name.isBlank()) {
                model = name;
            }
        }

        void usage(JsonNode usage) {
            long[] growth = new long[FIELDS.length];
            for (int i = 0; i < FIELDS.length; i++) {
                JsonNode value = usage.get(FIELDS[i]);
                if (value != null && value.canConvertToLong() && value.asLong() > seen[i]) {
                    growth[i] = value.asLong() - seen[i];
                    seen[i] = value.asLong();
                }
            }
            add(model, growth[0], growth[1], growth[2], growth[3]);
        }
    }

    Response response(String requestedModel) {
        Response response = new Response();
        response.model(requestedModel);
        return response;
    }

    private synchronized void add(String model, long in, long out, long write, long read) {
        Price price = priceOf(model);
        inputTokens += in;
        cacheWriteTokens += write;
        cacheReadTokens += read;
        outputTokens += out;
        usd += (in * price.input() + out * price.output() + write * price.cacheWrite() + read * price.cacheRead()) / 1e6;
    }

    public synchronized double usd() {
        return usd;
    }

    public synchronized long inputTokens() {
        return inputTokens + cacheWriteTokens + cacheReadTokens;
    }

    public synchronized long outputTokens() {
        return outputTokens;
    }

    @Override
    public synchronized String toString() {
        return String.format(Locale.ROOT, "%d input (%d cache write, %d cache read) and %d output tokens, $%.4f",
                inputTokens + cacheWriteTokens + cacheReadTokens, cacheWriteTokens, cacheReadTokens, outputTokens, usd);
    }
}
