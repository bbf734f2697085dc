package io.truffles.renderer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** CPU time (user + system, reaped children included) of this JVM and every process below it, from /proc. */
final class Cpu {
    private static final double NANOS_PER_TICK = 1e9 / 100; // USER_HZ is 100 on Linux

    private Cpu() {
    }

    static long treeCpuNanos() {
        return (long) (parts().values().stream().mapToLong(Long::longValue).sum() * NANOS_PER_TICK);
    }

    /**
     * Ticks per part of the tree: the JVM itself, the children it reaped (each render's ffmpeg), and each live
     * descendant by kind (Playwright's driver, Chromium's processes by {@code --type}).
     */
    static Map<String, Long> parts() {
        Map<String, Long> parts = new TreeMap<>();
        long[] jvm = ticks(ProcessHandle.current().pid());
        parts.put("jvm", jvm[0]);
        parts.put("ffmpeg", jvm[1]);
        ProcessHandle.current().descendants().forEach(process -> {
            long[] ticks = ticks(process.pid());
            parts.merge(kind(process), ticks[0] + ticks[1], Long::sum);
        });
        return parts;
    }

    /** {@code after - before} per part, in seconds, e.g. {@code "jvm 3.1, gpu 10.2, ..."}. */
    static String difference(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder text = new StringBuilder();
        after.forEach((part, ticks) -> {
            double seconds = (ticks - before.getOrDefault(part, 0L)) / 100.0;
            if (seconds >= 0.05) {
                text.append(text.length() == 0 ? "" : ", ").append(part).append(' ')
                        .append(String.format(java.util.Locale.ROOT, "%.1f", seconds));
            }
        });
        return text.toString();
    }

    private static String kind(ProcessHandle process) {
        String command = process.info().commandLine().orElse("");
        if (command.contains("ffmpeg")) {
            return "ffmpeg";
        }
        if (!command.contains("chrom")) {
            return "driver";
        }
        int type = command.indexOf("--type=");
        return type < 0 ? "chromium" : "chromium-" + command.substring(type + 7).split(" ", 2)[0];
    }

    /** Own ticks (utime + stime) and reaped children's (cutime + cstime). */
    private static long[] ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which may contain spaces, closed by the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime, stime, cutime, cstime are fields 14-17 of the whole line: 12-15 here
            return new long[] {Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException gone) {
            return new long[2];
        }
    }
}
