package io.truffles.analyzer.models;

import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.openrouter.ModelReply;

/**
 * The part of one model call that each issue it reported carries: the call's tokens and cost shared between them,
 * the remainders to the first, so the issues of a call add up to exactly what OpenRouter reported for it.
 */
public final class CallShare {
    private CallShare() {
    }

    /** The note of issue {@code index} (from 0) of the {@code count} that {@code reply} reported. */
    public static Finding.ModelNote of(ModelReply reply, String promptVersion, String reasoning, int index,
            int count) {
        return new Finding.ModelNote(reply.modelUsed(), promptVersion, reasoning,
                share(reply.promptTokens(), index, count), share(reply.completionTokens(), index, count),
                reply.costUsd() / count);
    }

    static long share(long total, int index, int count) {
        return total / count + (index < total % count ? 1 : 0);
    }
}
