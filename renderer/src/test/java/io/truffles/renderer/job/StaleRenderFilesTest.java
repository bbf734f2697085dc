package io.truffles.renderer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleRenderFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aDeadRenderersDirectoriesAreRemovedAndALiveOnesKept() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor(10, TimeUnit.SECONDS);
        Path dead = Files.createDirectory(tmp.resolve("truffles-render-" + finished.pid() + "-123"));
        Files.write(dead.resolve("recording.mp4"), new byte[] {1, 2, 3});
        long live = ProcessHandle.current().parent().orElseThrow().pid();
        Path alive = Files.createDirectory(tmp.resolve("truffles-render-" + live + "-456"));
        Path unrelated = Files.createDirectory(tmp.resolve("someone-else-789"));

        assertThat(StaleRenderFiles.clean(tmp, Instant.now())).containsExactly(dead);

        assertThat(dead).doesNotExist();
        assertThat(alive).exists();
        assertThat(unrelated).exists();
    }

    @Test
    void oldPlaywrightDirectoriesNoLiveProcessUsesAreRemoved() throws Exception {
        Path orphan = Files.createDirectory(tmp.resolve("playwright-java-111"));
        Files.write(orphan.resolve("node"), new byte[] {1});
        Path young = Files.createDirectory(tmp.resolve("playwright-java-222"));
        Instant old = Instant.now().minus(Duration.ofHours(1));
        Files.setLastModifiedTime(orphan, FileTime.from(old));
        // a live process naming the directory on its command line, as Playwright's driver and Chromium do
        Path used = Files.createDirectory(tmp.resolve("playwright_chromiumdev_profile-333"));
        Path log = Files.writeString(used.resolve("log"), "");
        Process user = new ProcessBuilder("tail", "-f", log.toString()).start();
        Files.setLastModifiedTime(used, FileTime.from(old));
        try {
            // start() may return before the child has exec'd into sleep with its arguments
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(
                    Path.of("/proc", Long.toString(user.pid()), "cmdline")).contains(used.getFileName().toString()));
            assertThat(StaleRenderFiles.clean(tmp, Instant.now())).containsExactly(orphan);
        } finally {
            user.destroy();
        }
        assertThat(young).exists();
        assertThat(used).exists();
    }

    @Test
    void aNewRenderDirectoryCarriesThisJvmsPidSoOthersKeepIt() throws Exception {
        Path dir = StaleRenderFiles.newRenderDirectory(tmp);
        assertThat(dir.getFileName().toString())
                .startsWith("truffles-render-" + ProcessHandle.current().pid() + "-");
    }
}
