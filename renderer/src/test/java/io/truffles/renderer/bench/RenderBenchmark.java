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
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Speed-up (session length / render wall time) and peak RSS (this JVM + Chromium + its driver + ffmpeg) of stepped
 * rendering, and of rrweb's real-time playback as the baseline, on synthetic sessions built on the real recording's
 * page. {@code renderer/scripts/benchmark.sh "a,b,c" "5,10" "a" "1.0,0.5"}: sessions, frame rates, sessions to run
 * the real-time baseline on (it takes as long as the session), capture scales. {@code -Dbench.slice-minutes=N} renders
 * only the first N minutes of (c), {@code -Dbench.baseline-seconds=N} plays only the first N seconds in real time.
 */
public final class RenderBenchmark {
    public static void main(String[] args) throws Exception {
        String sessions = args.length > 0 ? args[0] : "a,b,c";
        String rates = args.length > 1 ? args[1] : "5,10";
        String baseline = args.length > 2 ? args[2] : "a";
        String scales = args.length > 3 ? args[3] : Double.toString(RenderOptions.DEFAULT_CAPTURE_SCALE);
        // Longer sessions and the real-time baseline may be timed on their first minutes only (per-frame cost does
        // not grow with the session's length since stepping is incremental); every such line says so.
        int sliceMinutes = Integer.parseInt(System.getProperty("bench.slice-minutes", "0"));
        int baselineSeconds = Integer.parseInt(System.getProperty("bench.baseline-seconds", "0"));
        System.out.printf("renderer benchmark, 720p output, %d cores, load average %s at the start%n",
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip());
        Path dir = Files.createTempDirectory("truffles-bench");
        // two render slots: a lone render may use both (bench.lanes=1 renders with one page, as a busy renderer does)
        try (ReplayBrowsers browsers = new ReplayBrowsers("/usr/bin/chromium", 512, () -> 2)) {
            VideoRenderer renderer = new VideoRenderer(browsers);
            // warm the browsers so the first figure is not a cold start
            ReplayBrowser warm = browsers.borrow();
            browsers.borrowSpare().ifPresent(spare -> browsers.giveBack(spare, true));
            browsers.giveBack(warm, true);
            for (String name : sessions.split(",")) {
                byte[] full = session(name, 0);
                byte[] events = sliceMinutes > 0 && name.equals("c") ? session(name, sliceMinutes) : full;
                String sliced = events == full ? "" : " (first " + sliceMinutes + " min of 60 rendered; speed-up"
                        + " holds for the whole session as per-frame cost does not grow with its length)";
                Recording recording = Recording.parse(events);
                for (String rate : rates.split(",")) {
                    for (String scale : scales.split(",")) {
                        RenderOptions options = RenderOptions.defaults().withFps(Integer.parseInt(rate))
                                .withTimeout(Duration.ofHours(2), Duration.ofSeconds(1))
                                .withCaptureScale(Double.parseDouble(scale))
                                .withLanes(Integer.getInteger("bench.lanes", RenderOptions.DEFAULT_LANES));
                        try (RssSampler rss = RssSampler.start()) {
                            Map<String, Long> cpuParts = Cpu.parts();
                            long cpu = Cpu.treeCpuNanos();
                            long started = System.nanoTime();
                            RenderedVideo video = renderer.render(recording, options,
                                    dir.resolve(name + rate + ".mp4"), () -> { });
                            double wall = (System.nanoTime() - started) / 1e9;
                            double cpuSeconds = (Cpu.treeCpuNanos() - cpu) / 1e9;
                            System.out.printf(Locale.ROOT, "%s %2s fps stepped, %d page(s), capture scale %.2f: session %6.0f s,"
                                            + " video %6.1f s, render %6.1f s, speed-up %5.1fx, CPU %6.1f s, frames %6d"
                                            + " (captured %6d) [CPU s: %s], peak RSS %s [%s], load %s%s%n",
                                    name, rate, video.pages(), options.captureScale(), video.sessionSeconds(),
                                    video.timeline().videoSeconds(), wall, video.sessionSeconds() / wall, cpuSeconds,
                                    video.frames(), video.captured(), Cpu.difference(cpuParts, Cpu.parts()), rss,
                                    video.phases(), load(), sliced);
                            Files.deleteIfExists(video.mp4());
                        }
                    }
                    if (baseline.contains(name)) {
                        Recording played = baselineSeconds > 0 ? Recording.parse(session(name, -baselineSeconds))
                                : recording;
                        String slice = played == recording ? "" : " (first " + baselineSeconds + " s played; real"
                                + " time takes as long as the session, so the speed-up holds for all of it)";
                        RenderOptions options = RenderOptions.defaults().withFps(Integer.parseInt(rate));
                        try (RssSampler rss = RssSampler.start()) {
                            long cpu = Cpu.treeCpuNanos();
                            long started = System.nanoTime();
                            int frames = realTime(browsers, played, options, dir.resolve(name + rate + "-rt.mp4"));
                            double wall = (System.nanoTime() - started) / 1e9;
                            double cpuSeconds = (Cpu.treeCpuNanos() - cpu) / 1e9;
                            System.out.printf(Locale.ROOT, "%s %2s fps real-time (rrvideo's way): session %6.0f s,"
                                            + " render %6.1f s, speed-up %5.2fx, CPU %6.1f s, frames %6d, peak RSS %s%s%n",
                                    name, rate, played.durationMs() / 1000.0, wall,
                                    played.durationMs() / 1000.0 / wall, cpuSeconds, frames, rss, slice);
                        }
                    }
                }
            }
        }
    }

    /** The 1-minute load average: other work on the machine shows in the figures. */
    static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /**
     * @param minutes when positive, only the session's first {@code minutes} minutes; when negative, its first
     *                {@code -minutes} seconds; 0 the whole session
     */
    static byte[] session(String name, int minutes) throws IOException {
        long full = switch (name) {
            case "a" -> 80_000;
            case "b" -> 15 * 60_000;
            case "c" -> 60 * 60_000;
            default -> throw new IllegalArgumentException("sessions are a, b and c");
        };
        long length = minutes > 0 ? Math.min(full, minutes * 60_000L) : minutes < 0 ? Math.min(full, -minutes * 1000L)
                : full;
        return name.equals("a") ? SyntheticSessions.session(length, 80_000, 80_000)
                : SyntheticSessions.session(length, 20_000, 60_000);
    }

    /** The way rrvideo renders: rrweb plays in real time and a screenshot is taken every 1/fps of wall time. */
    static int realTime(ReplayBrowsers browsers, Recording recording, RenderOptions options, Path mp4)
            throws Exception {
        ReplayBrowser browser = browsers.borrow();
        int frames = 0;
        try (ReplayPage page = ReplayPage.open(browser.browser(), recording, options);
                FfmpegEncoder encoder = FfmpegEncoder.start(mp4, options.fps(), page.frameWidth(),
                        page.frameHeight())) {
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
        Files.deleteIfExists(mp4);
        return frames;
    }

    /**
     * Samples the memory of this JVM and all its descendant processes every {@code bench.sample-ms} (2 s). Not more
     * often: reading a process's smaps_rollup walks its whole address space under its memory lock, so sampling
     * Chromium every 100 ms cost the render itself a fifth of its speed.
     */
    static final class RssSampler implements AutoCloseable {
        private final AtomicLong peakKb = new AtomicLong();
        private final AtomicLong rssSumKb = new AtomicLong();
        private final AtomicLong jvmKb = new AtomicLong();
        private final AtomicLong chromiumKb = new AtomicLong();
        private final AtomicLong ffmpegKb = new AtomicLong();
        private final AtomicLong driverKb = new AtomicLong();
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

        static RssSampler start() {
            RssSampler rss = new RssSampler();
            rss.sampler.scheduleAtFixedRate(rss::sample, 0, Long.getLong("bench.sample-ms", 2000),
                    TimeUnit.MILLISECONDS);
            return rss;
        }

        private void sample() {
            long jvm = pssKb(ProcessHandle.current().pid());
            long rss = rssKb(ProcessHandle.current().pid());
            long chromium = 0;
            long ffmpeg = 0;
            long driver = 0;
            for (ProcessHandle process : ProcessHandle.current().descendants().toList()) {
                String command = process.info().command().orElse("");
                long kb = pssKb(process.pid());
                rss += rssKb(process.pid());
                if (command.contains("chrom")) {
                    chromium += kb;
                } else if (command.contains("ffmpeg")) {
                    ffmpeg += kb;
                } else {
                    driver += kb;
                }
            }
            peakKb.accumulateAndGet(jvm + chromium + ffmpeg + driver, Math::max);
            rssSumKb.accumulateAndGet(rss, Math::max);
            jvmKb.accumulateAndGet(jvm, Math::max);
            chromiumKb.accumulateAndGet(chromium, Math::max);
            ffmpegKb.accumulateAndGet(ffmpeg, Math::max);
            driverKb.accumulateAndGet(driver, Math::max);
        }

        /**
         * Peak of the summed proportional set size (PSS: a page shared by n processes counts 1/n in each, so
         * Chromium's many processes sharing libraries and memory are not counted several times), each part's own
         * peak PSS (JVM, Playwright's node driver, Chromium, ffmpeg), and the peak of the plain RSS sum (which counts
         * shared pages once per process, so overstates).
         */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%4d MB PSS (JVM %d, driver %d, Chromium %d, ffmpeg %d; RSS sum %d)",
                    peakKb.get() / 1024, jvmKb.get() / 1024, driverKb.get() / 1024, chromiumKb.get() / 1024,
                    ffmpegKb.get() / 1024, rssSumKb.get() / 1024);
        }

        private static long pssKb(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                    if (line.startsWith("Pss:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // the process ended between listing and reading
            }
            return 0;
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
