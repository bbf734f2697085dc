package io.truffles.analyzer.job;

import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Updates;
import io.truffles.core.documents.Settings;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.settings.SettingsStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The models a test runs with. The analyzer reads its live settings, which follow the document a moment later: work
 * queued before they show the change would run with the old models, so this waits until they do.
 */
record ModelSettings(String text, String videoPrimary, String videoSecondary, String screening, double budgetUsd) {
    static final String GEMINI = "google/gemini-3-pro-preview";
    static final String KIMI = "moonshotai/kimi-k2.5";
    static final String OPUS = "anthropic/claude-opus-4.5";

    void apply(SettingsStore store, LiveSettings live) {
        store.update(List.of(Updates.set("textModel", text), Updates.set("videoModelPrimary", videoPrimary),
                Updates.set("videoModelSecondary", videoSecondary), Updates.set("screeningModel", screening),
                Updates.set("dailyModelBudgetUsd", budgetUsd)));
        await().atMost(Duration.ofSeconds(10)).until(() -> shownBy(live.current()));
    }

    private boolean shownBy(Settings current) {
        return Objects.equals(text, current.textModel) && Objects.equals(videoPrimary, current.videoModelPrimary)
                && Objects.equals(videoSecondary, current.videoModelSecondary)
                && Objects.equals(screening, current.screeningModel)
                && Double.valueOf(budgetUsd).equals(current.dailyModelBudgetUsd);
    }
}
