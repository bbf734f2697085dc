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
    /** How long {@link #kill} waits for SIGKILLed processes to be gone (the kernel frees them in milliseconds). */
    public static final Duration DEATH_WAIT = Duration.ofSeconds(10);
    private static final Duration DEATH_POLL = Duration.ofMillis(20);
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

    /**
     * SIGTERM to every process of the tree, SIGKILL to what is left after {@code grace}, then waits (up to
     * {@link #DEATH_WAIT}) until none is left, so whoever removes the agent's files afterwards removes them from under
     * no one. Works on an interrupted thread too (a lost lease interrupts the job): the interrupt is kept for the
     * caller, the waiting is done all the same.
     *
     * @return whether the whole tree is gone
     */
    public boolean kill(Duration grace) {
        boolean interrupted = Thread.interrupted();
        List<ProcessHandle> tree = new ArrayList<>();
        process.toHandle().descendants().forEach(tree::add);
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        if (!interrupted) {
            try {
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        process.toHandle().descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroyForcibly);
        long until = System.nanoTime() + DEATH_WAIT.toNanos();
        boolean gone;
        while (!(gone = tree.stream().noneMatch(ProcessTree::running)) && System.nanoTime() < until) {
            // a process forked between the two snapshots: take it too
            process.toHandle().descendants().filter(h -> !tree.contains(h)).forEach(h -> {
                tree.add(h);
                h.destroyForcibly();
            });
            java.util.concurrent.locks.LockSupport.parkNanos(DEATH_POLL.toNanos());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return gone;
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
