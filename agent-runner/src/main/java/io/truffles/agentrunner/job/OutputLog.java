package io.truffles.agentrunner.job;

import static com.mongodb.client.model.Updates.push;
import static com.mongodb.client.model.Updates.set;

import io.truffles.core.documents.OutputEntry;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.bson.conversions.Bson;

/**
 * An agentSession's {@code outputLog} during one attempt, after what earlier attempts wrote: each stdout line of the CLI becomes an entry as it arrives,
 * but bounded, because a document cannot grow past MongoDB's 16 MB and a CLI flooding its output must not make the
 * writes fail. At most {@link #MAX_ENTRIES} entries of at most {@link #MAX_ENTRY_CHARS} characters are kept (4 M
 * characters, under 16 MB even at 3 UTF-8 bytes each); later lines are counted and dropped, except each phase's
 * {@code result} line (its cost and outcome), and one marker entry in the log says how many were dropped.
 */
final class OutputLog {
    static final int MAX_ENTRIES = 1000;
    static final int MAX_ENTRY_CHARS = 4000;
    /** Result lines kept beyond the cap: one per phase, with room to spare. */
    private static final int RESULT_RESERVE = 8;
    /** During a flood the marker's count is brought up to date this often (in dropped lines), besides each phase end. */
    private static final long MARKER_EVERY = 10_000;

    private final Consumer<Bson> write;
    private final Clock clock;
    private final UnaryOperator<String> scrub;
    private int stored;
    private int markerIndex = -1;
    private long dropped;
    private long droppedShown;

    /** @param write applies one update to the agentSession (fenced on the claim) */
    OutputLog(Consumer<Bson> write, Clock clock) {
        this(write, clock, UnaryOperator.identity(), 0);
    }

    /**
     * @param scrub applied to every line before it is stored: known secrets and host paths out
     * @param written entries earlier attempts left in the log; they count towards the cap
     */
    OutputLog(Consumer<Bson> write, Clock clock, UnaryOperator<String> scrub, int written) {
        this.write = write;
        this.clock = clock;
        this.scrub = scrub;
        this.stored = written;
    }

    synchronized void append(String phase, String line) {
        boolean keep = stored < MAX_ENTRIES || (isResult(line) && stored < MAX_ENTRIES + RESULT_RESERVE);
        if (!keep) {
            dropped++;
            if (markerIndex < 0) {
                markerIndex = stored;
                pushEntry(phase, marker());
                droppedShown = dropped;
            } else if (dropped - droppedShown >= MARKER_EVERY) {
                flush();
            }
            return;
        }
        pushEntry(phase, cut(scrub.apply(line)));
    }

    /** Brings the dropped-lines marker up to date; called at phase ends. */
    synchronized void flush() {
        if (markerIndex >= 0 && dropped != droppedShown) {
            write.accept(set("outputLog." + markerIndex + ".content", marker()));
            droppedShown = dropped;
        }
    }

    private void pushEntry(String phase, String content) {
        write.accept(push("outputLog", new OutputEntry(clock.instant(), phase, content)));
        stored++;
    }

    private String marker() {
        return "… " + dropped + " entries dropped: the output log keeps " + MAX_ENTRIES
                + " entries (and each phase's result)";
    }

    /** The CLI prints {@code "type":"result"} unescaped only as the key of its result line. */
    private static boolean isResult(String line) {
        return line.contains("\"type\":\"result\"");
    }

    static String cut(String line) {
        if (line.length() <= MAX_ENTRY_CHARS) {
            return line;
        }
        int end = Character.isHighSurrogate(line.charAt(MAX_ENTRY_CHARS - 1)) ? MAX_ENTRY_CHARS - 1 : MAX_ENTRY_CHARS;
        return line.substring(0, end) + "… [" + (line.length() - end) + " more characters cut]";
    }
}
