package io.truffles.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The processes one stack under test owns, told from other stacks on the same machine (other tests run beside it): a
 * process belongs to it when its environment names the stack's data directory (what the services pass down to
 * Chromium and ffmpeg) or its command line or working directory lies under one of the stack's folders (an agent's
 * sandbox and CLI, whose environment is cleared). Found through /proc, so orphans whose parent died are found too.
 */
final class StackProcesses {
    /** One live process: pid, parent, process group, what runs. */
    record Process(long pid, long parent, long group, String command) {
        boolean is(String name) {
            String first = command.split(" ", 2)[0];
            return first.endsWith("/" + name) || first.equals(name) || first.contains(name);
        }
    }

    private StackProcesses() {
    }

    /** Every live process of the stack with data directory {@code data}, or working under one of {@code roots}. */
    static List<Process> of(Path data, Path... roots) {
        List<String> markers = new ArrayList<>();
        markers.add(data.toString());
        for (Path root : roots) {
            markers.add(root.toString());
        }
        List<Process> found = new ArrayList<>();
        try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
            for (Path dir : proc.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                read(dir, markers).ifPresent(found::add);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }

    /**
     * Whether {@code process} belongs to one of {@code services} (pids): it descends from one, following parents
     * through /proc, or is in one's process group (what daemonizes, like Chromium's crash handler, keeps the group).
     */
    static boolean belongsTo(Process process, Set<Long> services) {
        for (long service : services) {
            if (groupOf(service) == process.group()) {
                return true;
            }
        }
        return descendsFrom(process, services);
    }

    private static long groupOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /** Whether {@code process} descends from one of {@code ancestors} (pids), following parents through /proc. */
    static boolean descendsFrom(Process process, Set<Long> ancestors) {
        long pid = process.parent();
        for (int depth = 0; depth < 64 && pid > 1; depth++) {
            if (ancestors.contains(pid)) {
                return true;
            }
            pid = parentOf(pid);
        }
        return false;
    }

    /**
     * CPU time (user + system, including reaped children such as each render's ffmpeg) of the stack's live processes,
     * in seconds.
     */
    static double cpuSeconds(Path data, Path... roots) {
        double ticks = 0;
        for (Process process : of(data, roots)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // fields from state (3rd of the line): utime 14, stime 15, cutime 16, cstime 17
                for (int field = 11; field <= 14; field++) {
                    ticks += Long.parseLong(fields[field]);
                }
            } catch (IOException | RuntimeException gone) {
                // exited meanwhile: its parent's cutime has it once reaped
            }
        }
        return ticks / 100.0; // USER_HZ, 100 on Linux
    }

    static String describe(List<Process> processes) {
        return processes.stream().map(p -> p.pid() + " (parent " + p.parent() + "): " + p.command())
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private static Optional<Process> read(Path dir, List<String> markers) {
        try {
            long pid = Long.parseLong(dir.getFileName().toString());
            if (pid == ProcessHandle.current().pid()) {
                return Optional.empty();
            }
            String stat = Files.readString(dir.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (fields[0].equals("Z")) {
                return Optional.empty();
            }
            String command = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
            String environment = new String(Files.readAllBytes(dir.resolve("environ")), StandardCharsets.UTF_8);
            String cwd = "";
            try {
                cwd = Files.readSymbolicLink(dir.resolve("cwd")).toString();
            } catch (IOException unreadable) {
                // a process in another mount namespace (a sandbox) may hide its cwd; its command line still tells
            }
            for (String marker : markers) {
                if (environment.contains("TRUFFLES_DATA_DIR=" + marker) || command.contains(marker)
                        || cwd.startsWith(marker)) {
                    return Optional.of(new Process(pid, Long.parseLong(fields[1]), Long.parseLong(fields[2]), command));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException gone) {
            return Optional.empty(); // exited while we looked
        }
    }

    private static long parentOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
