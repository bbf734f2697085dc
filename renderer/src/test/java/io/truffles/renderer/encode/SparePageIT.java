package io.truffles.renderer.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.truffles.renderer.replay.Recording;
import io.truffles.renderer.replay.RenderOptions;
import io.truffles.renderer.replay.ReplayBrowser;
import io.truffles.renderer.replay.ReplayBrowsers;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A render using a free slot's browser gives it back to a render that starts meanwhile, and still finishes whole. */
class SparePageIT {
    @TempDir
    Path dir;

    @Test
    void aRenderThatStartsMeanwhileGetsTheSparePagesBrowserBeforeTheFirstRenderEnds() throws Exception {
        byte[] events;
        try (InputStream in = SparePageIT.class.getResourceAsStream("/recordings/form-modal-idle.json")) {
            events = in.readAllBytes();
        }
        Recording recording = Recording.parse(events);
        // 10 fps gives this recording enough frames for two lanes (VideoRenderer.MIN_FRAMES_PER_LANE each).
        RenderOptions options = RenderOptions.defaults().withFps(10);
        try (ReplayBrowsers browsers = new ReplayBrowsers("/usr/bin/chromium", 512, () -> 2)) {
            AtomicLong renderedAt = new AtomicLong();
            CompletableFuture<RenderedVideo> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return new VideoRenderer(browsers).render(recording, options,
                            dir.resolve("first.mp4"), () -> { });
                } catch (Exception failed) {
                    throw new IllegalStateException(failed);
                } finally {
                    renderedAt.set(System.nanoTime());
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> browsers.inUse() == 2 || first.isDone());
            assertThat(browsers.inUse()).as("the first render took the free slot's browser too").isEqualTo(2);

            ReplayBrowser second = browsers.borrow();
            long borrowedAt = System.nanoTime();
            RenderedVideo video = first.get();

            assertThat(borrowedAt).as("the second render got a browser while the first still rendered")
                    .isLessThan(renderedAt.get());
            assertThat(browsers.alive()).as("no browser beyond the two slots").isEqualTo(2);
            assertThat(video.pages()).isEqualTo(2);
            int expectedFrames = (int) Math.ceil(video.timeline().videoSeconds() * options.fps() - 1e-6);
            assertThat(video.frames()).isEqualTo(expectedFrames);
            assertThat(FrameImages.frameAt(video.mp4(), video.timeline().videoSeconds() - 0.1)).isNotNull();
            browsers.giveBack(second, true);
        }
    }
}
