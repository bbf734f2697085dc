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

    @Test
    void whatTheVideoShowsOfAnIncidentMergesIntoItAndJoinsItsEvidence() {
        Finding incident = new Finding(FindingKind.FAILED_REQUEST, Severity.red,
                "Clicking \u201cSave billing settings\u201d fails silently (POST /api/billing \u2192 500, nothing shown)",
                "At 3.0 s the user clicked button#save-billing.", 3.0, "/billing", "button#save-billing",
                "POST /api/billing 5xx", AnalysisSource.session_data, null, "Data lost: the change was not saved.",
                List.of(new Finding.Signal("action", 3.0, "clicked button#save-billing"),
                        new Finding.Signal("failed_request", 3.1, "POST /api/billing failed 1 time with 500.")));

        List<Finding> merged = FindingMerge.merge(List.of(incident),
                List.of(new FindingMerge.Reported(seen("Saving billing settings shows no feedback", 4.0), -1)));

        assertThat(merged).singleElement().satisfies(finding -> {
            assertThat(finding.source()).isEqualTo(AnalysisSource.both);
            assertThat(finding.fingerprint()).isEqualTo(incident.fingerprint());
            assertThat(finding.severityReason()).isEqualTo(incident.severityReason());
            assertThat(finding.signals()).extracting(Finding.Signal::kind)
                    .containsExactly("action", "failed_request", "video_model");
            assertThat(finding.signals().get(2).detail()).isEqualTo("Saving billing settings shows no feedback");
        });
    }

    private static Finding seen(String title, double offset) {
        return new Finding(FindingKind.MODEL_REPORT, Severity.red, title, "", offset, "", "", title.toLowerCase(),
                AnalysisSource.video, new Finding.ModelNote("google/gemini-3-pro-preview", Prompts.VIDEO_VERSION,
                        "seen on screen", 100, 20, 0.02));
    }
}
