package io.truffles.analyzer.models;

import io.truffles.analyzer.detect.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Folds what a model reported into what is already known about a session: a report the model tied to a known finding
 * ({@code sameAs}), or one about the same moment (± {@link #SAME_MOMENT_SECONDS}) that describes the same problem,
 * confirms that finding (video + session data make {@code both}); anything else is a new finding.
 */
public final class FindingMerge {
    /** Models place what they see on a video to within a few seconds. */
    public static final double SAME_MOMENT_SECONDS = 3.0;
    private static final Set<String> FILLER = Set.of("with", "from", "that", "this", "when", "after", "before",
            "user", "users", "page", "there", "their", "into", "does", "nothing", "were", "have", "shows", "show");

    private FindingMerge() {
    }

    /**
     * A model's finding.
     *
     * @param sameAs the index in the known findings the model said it is, or -1
     */
    public record Reported(Finding finding, int sameAs) {
    }

    public static List<Finding> merge(List<Finding> known, List<Reported> reported) {
        List<Finding> merged = new ArrayList<>(known);
        for (Reported report : reported) {
            int target = report.sameAs() >= 0 && report.sameAs() < known.size() ? report.sameAs()
                    : sameProblemAt(merged, known.size(), report.finding());
            if (target >= 0) {
                merged.set(target, merged.get(target).confirmedBy(report.finding()));
            } else {
                merged.add(report.finding());
            }
        }
        return merged;
    }

    /** The closest known finding (among the first {@code knownCount}) at the same moment about the same problem. */
    private static int sameProblemAt(List<Finding> findings, int knownCount, Finding candidate) {
        int best = -1;
        double bestDistance = Double.MAX_VALUE;
        Set<String> words = words(candidate.title() + " " + candidate.description());
        for (int i = 0; i < knownCount; i++) {
            Finding finding = findings.get(i);
            double distance = Math.abs(finding.offsetSeconds() - candidate.offsetSeconds());
            if (distance <= SAME_MOMENT_SECONDS && distance < bestDistance
                    && sameProblem(words, words(finding.title() + " " + finding.description()))) {
                best = i;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Two descriptions of one problem share its words: at least two, or a quarter of them. */
    static boolean sameProblem(Set<String> a, Set<String> b) {
        Set<String> shared = new HashSet<>(a);
        shared.retainAll(b);
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return shared.size() >= 2 || (!all.isEmpty() && shared.size() * 4 >= all.size());
    }

    /** The meaningful words of a text, crudely stemmed so "failed", "fails" and "failing" are one word. */
    static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (word.length() < 4 || FILLER.contains(word)) {
                continue;
            }
            words.add(word.replaceFirst("(ing|ed|es|s)$", ""));
        }
        return words;
    }
}
