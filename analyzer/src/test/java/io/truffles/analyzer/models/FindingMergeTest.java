package io.truffles.analyzer.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.FindingKind;
import io.truffles.core.documents.AnalysisSource;
import io.truffles.core.documents.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingMergeTest {
    static final Finding FAILED_SAVE = new Finding(FindingKind.FAILED_REQUEST, Severity.red,
            "Request failed: POST /orders/:id/items (500)", "POST /orders/:id/items answered 500 once.", 12.0,
            "/orders/:id/edit", "", "POST /orders/:id/items 5xx");

    @Test
    void whatTheVideoShowsAtTheSameMomentAboutTheSameProblemConfirmsTheDetectorsFinding() {
        List<Finding> merged = FindingMerge.merge(List.of(FAILED_SAVE),
                List.of(new FindingMerge.Reported(seen("Saving the order items failed", 14.5), -1)));

        assertThat(merged).singleElement().satisfies(finding -> {
            assertThat(finding.source()).isEqualTo(AnalysisSource.both);
            assertThat(finding.fingerprint()).isEqualTo(FAILED_SAVE.fingerprint());
            assertThat(finding.model().model()).isEqualTo("google/gemini-3-pro-preview");
            assertThat(finding.model().reasoning()).isEqualTo("seen on screen");
        });
    }

    @Test
    void theSameProblemSeenLongAfterOrADifferentProblemAtTheSameMomentStaysSeparate() {
        List<Finding> merged = FindingMerge.merge(List.of(FAILED_SAVE), List.of(
                new FindingMerge.Reported(seen("Saving the order items failed", 30.0), -1),
                new FindingMerge.Reported(seen("Tooltip covers the menu button", 12.5), -1)));

        assertThat(merged).hasSize(3);
        assertThat(merged.get(0).source()).isEqualTo(AnalysisSource.session_data);
        assertThat(merged.subList(1, 3)).allSatisfy(f -> assertThat(f.source()).isEqualTo(AnalysisSource.video));
    }

    @Test
    void aModelThatNamesTheFindingMergesIntoItWhateverTheWordsAndKeepsBothModelsNotes() {
        Finding textConfirmed = FAILED_SAVE.confirmedBy(new Finding(FindingKind.MODEL_REPORT, Severity.red, "x", "",
                12.0, "", "", "x", AnalysisSource.session_data,
                new Finding.ModelNote("anthropic/claude-opus-4.5", Prompts.TEXT_VERSION, "from the logs", 10, 5, 0.01)));

        List<Finding> merged = FindingMerge.merge(List.of(textConfirmed),
                List.of(new FindingMerge.Reported(seen("Banner: something went wrong", 40.0), 0)));

        assertThat(merged).singleElement().satisfies(finding -> {
            assertThat(finding.source()).isEqualTo(AnalysisSource.both);
            assertThat(finding.model().model()).isEqualTo("anthropic/claude-opus-4.5 + google/gemini-3-pro-preview");
            assertThat(finding.model().reasoning()).contains("from the logs").contains("seen on screen");
            assertThat(finding.model().costUsd()).isCloseTo(0.03, org.assertj.core.api.Assertions.within(1e-12));
        });
    }

    private static Finding seen(String title, double offset) {
        return new Finding(FindingKind.MODEL_REPORT, Severity.red, title, "", offset, "", "", title.toLowerCase(),
                AnalysisSource.video, new Finding.ModelNote("google/gemini-3-pro-preview", Prompts.VIDEO_VERSION,
                        "seen on screen", 100, 20, 0.02));
    }
}
