package io.truffles.renderer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time (user + system, reaped children included) of this JVM and every process below it, from /proc. */
final class Cpu {
    private static final double NANOS_PER_TICK = 1e9 / 100; // USER_HZ is 100 on Linux

    private Cpu() {
    }

    static long treeCpuNanos() {
        long ticks = ticks(ProcessHandle.current().pid());
        ticks += ProcessHandle.current().descendants().mapToLong(p -> ticks(p.pid())).sum();
        return (long) (ticks * NANOS_PER_TICK);
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which may contain spaces, closed by the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime, stime, cutime, cstime are fields 14-17 of the whole line: 12-15 here
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
