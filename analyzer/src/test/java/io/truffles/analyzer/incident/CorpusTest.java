package io.truffles.analyzer.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Over the labelled corpus (real Chromium recordings with planted problems and calm ones): every planted problem
 * is found at its moment on its element, each is exactly one issue, and calm recordings yield nothing.
 */
class CorpusTest {
    @Test
    void everyPlantedProblemIsOneIssueAtItsMomentAndCalmRecordingsYieldNone() throws Exception {
        List<Corpus.Score> scores = new ArrayList<>();
        for (Corpus.Recording recording : Corpus.load()) {
            scores.add(Corpus.score(recording, recording.findings()));
        }
        System.out.print(Corpus.report(scores));

        assertThat(scores.stream().filter(score -> !score.recording().calm())
                .mapToInt(score -> score.recording().problems().size()).sum()).isGreaterThanOrEqualTo(12);
        assertThat(scores.stream().filter(score -> score.recording().calm()).count()).isGreaterThanOrEqualTo(3);
        for (Corpus.Score score : scores) {
            String name = score.recording().name();
            assertThat(score.missed()).as(name + ": missed problems").isEmpty();
            assertThat(score.unexplained()).as(name + ": findings that are no planted problem").isEmpty();
            assertThat(score.issues()).as(name + ": issues filed").isEqualTo(score.recording().problems().size());
        }
    }
}
