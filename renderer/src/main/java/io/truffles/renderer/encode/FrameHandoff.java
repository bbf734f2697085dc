package io.truffles.renderer.encode;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Hands frame numbers out to the pages rendering a video, in increasing order, and their pictures back to the one
 * writer in video order. At most {@code window} frames are handed out ahead of the writer, so a fast page never
 * piles pictures up in memory. The first failure of any page ends the handoff and is thrown to the writer.
 */
final class FrameHandoff {
    /**
     * A page's picture for one frame; {@code thumbnailCandidate} when it was captured for this frame (not repeated)
     * and shows the page alone, with no idle marker over it.
     */
    record Frame(byte[] jpeg, boolean thumbnailCandidate) {
    }

    /** How often a waiting page re-checks whether it should retire (the condition lives outside this monitor). */
    private static final long RETIRE_CHECK_MS = 100;

    private final int frames;
    private final int window;
    private final Map<Integer, Frame> ready = new HashMap<>();
    private int nextToHandOut;
    private int nextToWrite;
    private Exception failure;
    private boolean stopped;

    FrameHandoff(int frames, int window) {
        this.frames = frames;
        this.window = window;
    }

    /**
     * The next frame for a page to render, or -1 when there is none for it: all are handed out, the render ended or
     * failed, or {@code retire} says this page should stop (checked while it waits, too).
     */
    synchronized int next(BooleanSupplier retire) throws InterruptedException {
        while (true) {
            if (stopped || failure != null || nextToHandOut >= frames || retire.getAsBoolean()) {
                return -1;
            }
            if (nextToHandOut < nextToWrite + window) {
                return nextToHandOut++;
            }
            wait(RETIRE_CHECK_MS);
        }
    }

    synchronized void put(int frame, Frame picture) {
        ready.put(frame, picture);
        notifyAll();
    }

    /** Ends the handoff with {@code failed}, unless it already failed. */
    synchronized void fail(Exception failed) {
        if (failure == null) {
            failure = failed;
        }
        notifyAll();
    }

    /** Ends the handoff: pages take no more frames. */
    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    /**
     * The picture of frame {@code frame} (frames are taken in order), waiting up to {@code timeoutMs}; {@code null}
     * when it is not ready by then. Throws the failure that ended the handoff.
     */
    synchronized Frame take(int frame, long timeoutMs) throws Exception {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            if (failure != null) {
                throw failure;
            }
            Frame picture = ready.remove(frame);
            if (picture != null) {
                nextToWrite = frame + 1;
                notifyAll();
                return picture;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
