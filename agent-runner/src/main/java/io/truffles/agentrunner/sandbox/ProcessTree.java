package io.truffles.agentrunner.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A started agent process and everything it spawned. Killing takes the whole tree (children first are collected, then
 * all are sent SIGKILL), and liveness reads {@code /proc/<pid>/stat} because on hosts whose PID 1 does not reap, a
 * killed child lingers as a zombie that {@code kill -0} would still call alive.
 */
public final class ProcessTree {
    private final Process process;

    public ProcessTree(Process process) {
        this.process = process;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** Every process in the tree that is still running (not a zombie), the root included. */
    public List<ProcessHandle> living() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.toHandle().descendants().forEach(all::add);
        return all.stream().filter(ProcessTree::running).toList();
    }

    /** SIGTERM to every process of the tree, then SIGKILL to what is left after {@code grace}. */
    public void kill(Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.toHandle().descendants().forEach(tree::add);
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        try {
            process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.toHandle().descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** Whether a process exists and is not a zombie. */
    public static boolean running(ProcessHandle handle) {
        return running(handle.pid());
    }

    public static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // the state follows the parenthesised command name, which may itself hold spaces or parentheses
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (java.io.IOException | RuntimeException gone) {
            return false;
        }
    }
}
