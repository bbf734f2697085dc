package io.truffles.renderer.bench;

import io.truffles.renderer.encode.FfmpegEncoder;
import io.truffles.renderer.encode.RenderedVideo;
import io.truffles.renderer.encode.VideoRenderer;
import io.truffles.renderer.replay.Recording;
import io.truffles.renderer.replay.RenderOptions;
import io.truffles.renderer.replay.ReplayBrowser;
import io.truffles.renderer.replay.ReplayBrowsers;
import io.truffles.renderer.replay.ReplayPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Speed-up (session length / render wall time) and peak RSS (this JVM + Chromium + its driver + ffmpeg) of stepped
 * rendering, and of rrweb's real-time playback as the baseline, on synthetic sessions built on the real recording's
 * page. {@code renderer/scripts/benchmark.sh "a,b,c" "5,10" "a"}: sessions, frame rates,
 * sessions to run the real-time baseline on (it takes as long as the session).
 */
public final class RenderBenchmark {
    public static void main(String[] args) throws Exception {
        String sessions = args.length > 0 ? args[0] : "a,b,c";
        String rates = args.length > 1 ? args[1] : "5,10";
        String baseline = args.length > 2 ? args[2] : "a";
        System.out.printf("renderer benchmark, 720p, %d cores; figures taken while other engineers' builds and tests"
                + " share the machine%n", Runtime.getRuntime().availableProcessors());
        Path dir = Files.createTempDirectory("truffles-bench");
        try (ReplayBrowsers browsers = new ReplayBrowsers("/usr/bin/chromium", 512)) {
            VideoRenderer renderer = new VideoRenderer(browsers);
            // warm the browser so the first figure is not a cold start
            browsers.giveBack(browsers.borrow(), true);
            for (String name : sessions.split(",")) {
                byte[] events = session(name);
                Recording recording = Recording.parse(events);
                for (String rate : rates.split(",")) {
                    RenderOptions options = RenderOptions.defaults().withFps(Integer.parseInt(rate))
                            .withTimeout(Duration.ofHours(2), Duration.ofSeconds(1));
                    try (RssSampler rss = RssSampler.start()) {
                        long started = System.nanoTime();
                        RenderedVideo video = renderer.render(recording, options, dir.resolve(name + rate + ".mp4"),
                                () -> { });
                        double wall = (System.nanoTime() - started) / 1e9;
                        System.out.printf(Locale.ROOT, "%s %2s fps stepped:   session %6.0f s, video %6.1f s, render"
                                        + " %6.1f s, speed-up %5.1fx, frames %6d (captured %6d), peak RSS %5d MB%n",
                                name, rate, video.sessionSeconds(), video.timeline().videoSeconds(), wall,
                                video.sessionSeconds() / wall, video.frames(), video.captured(), rss.peakMb());
                    }
                    if (baseline.contains(name)) {
                        try (RssSampler rss = RssSampler.start()) {
                            long started = System.nanoTime();
                            int frames = realTime(browsers, recording, options, dir.resolve(name + rate + "-rt.mp4"));
                            double wall = (System.nanoTime() - started) / 1e9;
                            System.out.printf(Locale.ROOT, "%s %2s fps real-time: session %6.0f s, render %6.1f s,"
                                            + " speed-up %5.2fx, frames %6d, peak RSS %5d MB%n", name, rate,
                                    recording.durationMs() / 1000.0, wall, recording.durationMs() / 1000.0 / wall,
                                    frames, rss.peakMb());
                        }
                    }
                }
            }
        }
    }

    static byte[] session(String name) throws IOException {
        return switch (name) {
            case "a" -> SyntheticSessions.session(80_000, 80_000, 80_000);
            case "b" -> SyntheticSessions.session(15 * 60_000, 20_000, 60_000);
            case "c" -> SyntheticSessions.session(60 * 60_000, 20_000, 60_000);
            default -> throw new IllegalArgumentException("sessions are a, b and c");
        };
    }

    /** The way rrvideo renders: rrweb plays in real time and a screenshot is taken every 1/fps of wall time. */
    static int realTime(ReplayBrowsers browsers, Recording recording, RenderOptions options, Path mp4)
            throws Exception {
        ReplayBrowser browser = browsers.borrow();
        int frames = 0;
        try (ReplayPage page = ReplayPage.open(browser.browser(), recording, options);
                FfmpegEncoder encoder = FfmpegEncoder.start(mp4, options.fps())) {
            page.playRealTime();
            long started = System.nanoTime();
            long frameNanos = 1_000_000_000L / options.fps();
            long end = started + recording.durationMs() * 1_000_000L;
            for (long next = started; next < end; next += frameNanos) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                encoder.write(page.captureJpeg());
                frames++;
            }
            encoder.finish();
        } finally {
            browsers.giveBack(browser, true);
        }
        return frames;
    }

    /** Samples the summed resident memory of this JVM and all its descendant processes every 100 ms. */
    static final class RssSampler implements AutoCloseable {
        private final AtomicLong peakKb = new AtomicLong();
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

        static RssSampler start() {
            RssSampler rss = new RssSampler();
            rss.sampler.scheduleAtFixedRate(rss::sample, 0, 100, TimeUnit.MILLISECONDS);
            return rss;
        }

        private void sample() {
            long total = rssKb(ProcessHandle.current().pid());
            total += ProcessHandle.current().descendants().mapToLong(p -> rssKb(p.pid())).sum();
            peakKb.accumulateAndGet(total, Math::max);
        }

        long peakMb() {
            return peakKb.get() / 1024;
        }

        private static long rssKb(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // the process ended between listing and reading
            }
            return 0;
        }

        @Override
        public void close() throws InterruptedException {
            sampler.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
