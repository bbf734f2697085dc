package io.truffles.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The recordings a chaos run sends through: variants of one real capture (a checkout page whose save answers 500 and
 * whose coupon button is rage-clicked) so that users share some problems and not others, plus deliberately broken
 * ones. Each knows which problems it shows, so the issues can be checked against it.
 */
final class ChaosRecordings {
    /** The problems the variants show, and how the analyzer titles them. */
    enum Problem {
        SAVE_ORDER_FAILS, PAYMENT_FAILS, COUPON_RAGE_CLICKS;

        boolean titles(String title) {
            return switch (this) {
                case SAVE_ORDER_FAILS -> title.contains("Save order") && title.contains("/api/orders");
                case PAYMENT_FAILS -> title.contains("Pay now") && title.contains("/api/payments");
                case COUPON_RAGE_CLICKS -> title.startsWith("Clicking") && title.contains("Apply coupon");
            };
        }
    }

    /** What a recording is made from. */
    enum Variant {
        /** The capture as it is: the failed save and the rage clicks. */
        CHECKOUT(Set.of(Problem.SAVE_ORDER_FAILS, Problem.COUPON_RAGE_CLICKS)),
        /** Another page of the product: its pay button fails instead; the same coupon button. */
        PAYMENT(Set.of(Problem.PAYMENT_FAILS, Problem.COUPON_RAGE_CLICKS)),
        /** The user left after the failed save, before reaching the coupon. */
        SAVE_ONLY(Set.of(Problem.SAVE_ORDER_FAILS)),
        /** Broken: every event but the FullSnapshot, so there is no page to replay (the renderer fails it). */
        NO_FULL_SNAPSHOT(Set.of()),
        /** Broken: not JSON at all (the poller fails it). */
        NOT_JSON(Set.of());

        final Set<Problem> problems;

        Variant(Set<Problem> problems) {
            this.problems = problems;
        }

        boolean broken() {
            return this == NO_FULL_SNAPSHOT || this == NOT_JSON;
        }
    }

    /** One recording of the run. */
    record Planned(PostHogStandIn.Recording recording, Variant variant) {
        /** The same recording, starting at {@code start} (PostHog lists recordings by their start). */
        Planned startingAt(Instant start) {
            PostHogStandIn.Recording r = recording;
            return new Planned(new PostHogStandIn.Recording(r.id(), r.distinctId(), r.email(), start,
                    r.durationSeconds(), r.blob()), variant);
        }
    }

    /** The last event of the capture before the coupon clicks start. */
    private static final long BEFORE_COUPON = 1795494570600L;

    private ChaosRecordings() {
    }

    /**
     * {@code count} recordings by {@code users} users: every seventh broken (alternating the two ways), the rest
     * cycling through the three good variants. Their start times are set when the run decides when each is listed.
     */
    static List<Planned> plan(int count, int users) {
        String capture = new String(PostHogStandIn.recordedBlob("checkout-rage-click.posthog.jsonl"),
                StandardCharsets.UTF_8);
        List<Planned> planned = new ArrayList<>();
        int broken = 0;
        for (int i = 0; i < count; i++) {
            Variant variant;
            if (i % 7 == 6) {
                variant = broken++ % 2 == 0 ? Variant.NO_FULL_SNAPSHOT : Variant.NOT_JSON;
            } else {
                variant = Variant.values()[i % 3];
            }
            int user = i % users;
            planned.add(new Planned(new PostHogStandIn.Recording(String.format("chaos-%03d", i), "user-" + user,
                    "user" + user + "@example.com", Instant.EPOCH, 9.5,
                    blob(capture, variant).getBytes(StandardCharsets.UTF_8)), variant));
        }
        return planned;
    }

    private static String blob(String capture, Variant variant) {
        return switch (variant) {
            case CHECKOUT -> capture;
            case PAYMENT -> capture.replace("/api/orders", "/api/payments").replace("Save order", "Pay now")
                    .replace("Order save failed", "Payment failed");
            case SAVE_ONLY -> capture.lines().filter(line -> timestamp(line) < BEFORE_COUPON)
                    .collect(Collectors.joining("\n")) + "\n";
            case NO_FULL_SNAPSHOT -> capture.lines().filter(line -> !line.matches("^\\[\"[^\"]*\",\\{\"type\":2,.*"))
                    .collect(Collectors.joining("\n")) + "\n";
            case NOT_JSON -> "this is not a recording\n\u0000\u0001 neither is this\n";
        };
    }

    private static long timestamp(String line) {
        int at = line.lastIndexOf("\"timestamp\":");
        return Long.parseLong(line.substring(at + "\"timestamp\":".length()).replaceAll("[^0-9].*$", ""));
    }
}
