package io.truffles.agentrunner.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Bounds what an agent writes to the host's disk: RLIMIT_FSIZE caps each file, this caps the sum. It adds up the
 * sizes in the agent's checkout and HOME (never following a link) at most every {@link #EVERY}, when asked by the
 * process's stop check, and says "over" once they pass the cap — the agent is then stopped like a timed-out one.
 */
public final class WorkspaceGrowth implements BooleanSupplier {
    public static final Duration EVERY = Duration.ofSeconds(5);

    private final List<Path> folders;
    private final long capBytes;
    private final AtomicLong lastBytes = new AtomicLong();
    private long lastCheck;
    private volatile boolean over;

    public WorkspaceGrowth(List<Path> folders, long capBytes) {
        this.folders = List.copyOf(folders);
        this.capBytes = capBytes;
    }

    /** Whether the cap has been passed (measuring again when the last measure is older than {@link #EVERY}). */
    @Override
    public synchronized boolean getAsBoolean() {
        long now = System.nanoTime();
        if (!over && (lastCheck == 0 || now - lastCheck >= EVERY.toNanos())) {
            lastCheck = now;
            long bytes = folders.stream().mapToLong(WorkspaceGrowth::size).sum();
            lastBytes.set(bytes);
            over = bytes > capBytes;
        }
        return over;
    }

    public long capBytes() {
        return capBytes;
    }

    public long lastBytes() {
        return lastBytes.get();
    }

    private static long size(Path folder) {
        long[] total = {0};
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a folder removed while it was measured: what was counted stands
        }
        return total[0];
    }
}
