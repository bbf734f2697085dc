package io.truffles.poller.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.poller.decode.DecodedRecording;
import io.truffles.poller.decode.SnapshotDecoder;
import io.truffles.poller.extract.FactsCollector;
import io.truffles.poller.extract.SessionFacts;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decode + extract throughput on large recordings, and the peak heap it takes. The input is one or more PostHog JSONL
 * files recorded by {@code tools/rrweb-recorder} ({@code node record.mjs poller busy <out.jsonl> <MB>}); several files
 * are read as one recording with several windows. Each pass decodes, extracts and writes the stored JSON array (to
 * nowhere), which is all the poller does with a recording besides the upload.
 *
 * <pre>./mvnw -B -q -pl poller -am -Pbench test-compile -Dbench.files="/tmp/poller-bench/busy.jsonl" -Dbench.heap=128m</pre>
 */
public final class DecodeBenchmark {
    private DecodeBenchmark() {
    }

    public static void main(String... args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String arg : args) {
            for (String name : arg.trim().split("\\s+")) {
                if (!name.isBlank()) {
                    files.add(Path.of(name));
                }
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: DecodeBenchmark <recording.jsonl>...  (make one with tools/rrweb-recorder)");
            System.exit(2);
        }
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        ObjectMapper json = new ObjectMapper();
        SnapshotDecoder decoder = new SnapshotDecoder(json);
        System.out.printf("Input: %s, %.1f MB, max heap %d MB%n", files, bytes / 1e6,
                Runtime.getRuntime().maxMemory() / (1 << 20));
        System.out.printf("Machine: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(),
                loadAverage());
        for (int pass = 0; pass < 4; pass++) {
            System.gc();
            resetPeaks();
            long started = System.nanoTime();
            FactsCollector collector = new FactsCollector(json);
            DecodedRecording recording;
            try (InputStream in = open(files)) {
                recording = decoder.decode(in, collector);
            }
            SessionFacts facts = collector.facts(recording.firstTimestamp().orElse(0L));
            recording.writeJsonArray(OutputStream.nullOutputStream());
            double seconds = (System.nanoTime() - started) / 1e9;
            long peak = peakHeap();
            System.out.printf("%s pass %d: %.2f s, %.1f MB/s, %,.0f events/s, %,d events (%d duplicates dropped, "
                    + "%d unreadable lines), %d console errors, %d failed requests, %d windows, peak heap %d MB, "
                    + "load average %s%n",
                    pass == 0 ? "warm-up" : "timed  ", pass, seconds, bytes / 1e6 / seconds,
                    recording.events().size() / seconds, recording.events().size(), recording.duplicatesDropped(),
                    recording.problems().size(), facts.consoleErrors().size(), facts.networkFailures().size(),
                    recording.byWindow().size(), peak / (1 << 20), loadAverage());
        }
    }

    /** The 1, 5 and 15 minute load averages where the OS tells them ({@code /proc/loadavg}), else the 1 minute one. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2] + " (1, 5, 15 min)";
        } catch (IOException | RuntimeException notLinux) {
            double oneMinute = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return oneMinute < 0 ? "unknown" : String.format("%.2f (1 min)", oneMinute);
        }
    }

    private static InputStream open(List<Path> files) throws IOException {
        List<InputStream> streams = new ArrayList<>();
        for (Path file : files) {
            streams.add(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        }
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the reset: an upper bound of the live peak. */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
