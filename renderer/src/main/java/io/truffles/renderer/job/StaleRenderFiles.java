package io.truffles.renderer.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * What a killed renderer leaves in the temp directory: its render directories (half an MP4, an ffmpeg log) and
 * Playwright's (the 200 MB driver it unpacks per JVM, Chromium profiles). Removed at start-up, but never another
 * live renderer's: a render directory carries its JVM's pid, and a Playwright directory still named on a live
 * process's command line (the driver runs from it, Chromium is given its profile) is kept.
 */
public final class StaleRenderFiles {
    private static final Logger LOG = Logger.getLogger(StaleRenderFiles.class);
    static final String RENDER_PREFIX = "truffles-render-";
    private static final Pattern RENDER_DIR = Pattern.compile(Pattern.quote(RENDER_PREFIX) + "(\\d+)-.*");
    private static final List<String> PLAYWRIGHT_PREFIXES = List.of("playwright-java-",
            "playwright_chromiumdev_profile-", "playwright-artifacts-");
    /** A Playwright directory this young may belong to a JVM that is still unpacking its driver. */
    private static final Duration PLAYWRIGHT_GRACE = Duration.ofMinutes(10);
    /** Render directories from before they carried a pid. */
    private static final Duration UNNAMED_RENDER_GRACE = Duration.ofHours(3);

    private StaleRenderFiles() {
    }

    /** A fresh render directory in {@code tmp}, named for this JVM. */
    public static Path newRenderDirectory(Path tmp) throws IOException {
        return Files.createTempDirectory(tmp, RENDER_PREFIX + ProcessHandle.current().pid() + "-");
    }

    /** Deletes stale leftovers in {@code tmp}; answers the paths removed. Call before this JVM renders anything. */
    public static List<Path> clean(Path tmp, Instant now) {
        List<Path> removed = new ArrayList<>();
        List<String> liveCommandLines = null;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean stale = false;
                if (name.startsWith(RENDER_PREFIX)) {
                    Matcher named = RENDER_DIR.matcher(name);
                    if (named.matches()) {
                        long pid = Long.parseLong(named.group(1));
                        // this JVM has rendered nothing yet: a directory with its pid is a dead namesake's
                        stale = pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).isEmpty();
                    } else {
                        stale = olderThan(entry, now, UNNAMED_RENDER_GRACE);
                    }
                } else if (PLAYWRIGHT_PREFIXES.stream().anyMatch(name::startsWith)
                        && olderThan(entry, now, PLAYWRIGHT_GRACE)) {
                    if (liveCommandLines == null) {
                        liveCommandLines = liveCommandLines();
                    }
                    // without /proc nothing can be told apart: keep everything
                    stale = Files.isDirectory(Path.of("/proc/self"))
                            && liveCommandLines.stream().noneMatch(line -> line.contains(name));
                }
                if (stale && deleteTree(entry)) {
                    removed.add(entry);
                }
            }
        } catch (IOException unreadable) {
            LOG.warnf("Could not look for stale render files in %s: %s", tmp, unreadable.getMessage());
        }
        if (!removed.isEmpty()) {
            LOG.infof("Removed %d stale render directories from %s", removed.size(), tmp);
        }
        return removed;
    }

    private static boolean olderThan(Path entry, Instant now, Duration age) {
        try {
            FileTime modified = Files.getLastModifiedTime(entry);
            return modified.toInstant().isBefore(now.minus(age));
        } catch (IOException gone) {
            return false;
        }
    }

    private static List<String> liveCommandLines() {
        List<String> lines = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    lines.add(new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8));
                } catch (IOException ended) {
                    // the process ended while we looked
                }
            }
        } catch (IOException noProc) {
            // no /proc: the caller keeps everything
        }
        return lines;
    }

    static boolean deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException partly) {
            // a file we may not touch stays; the rest is gone
        }
        return !Files.exists(dir);
    }
}
