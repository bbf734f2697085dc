package io.truffles.api.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.core.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileCrashIT {
    @TempDir
    Path directory;

    @Test
    void aProcessDyingBeforeTheRenameLeavesTheOldFileWholeAndTheNextWriteSucceeds() throws Exception {
        Path file = directory.resolve(".env");
        String original = "# secrets\nADMIN_PASSWORD=old-password\nGITHUB_TOKEN=ghp_keep\n";
        Files.writeString(file, original);

        try (JavaProcess writer = JavaProcess.start(CrashingEnvWriter.class, file.toString(), "ADMIN_PASSWORD",
                "new-password")) {
            writer.awaitLine("WRITTEN", 60);
            Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> !writer.isAlive());
        }
        assertThat(Files.readString(file)).isEqualTo(original);
        // the crash left the new content only in the temporary file
        assertThat(Files.readString(new EnvFile(file).temporary())).contains("ADMIN_PASSWORD=new-password");

        new EnvFile(file).update(Map.of("ADMIN_PASSWORD", "newer-password"));
        assertThat(Files.readString(file)).isEqualTo("# secrets\nADMIN_PASSWORD=newer-password\nGITHUB_TOKEN=ghp_keep\n");
        assertThat(new EnvFile(file).temporary()).doesNotExist();
    }
}
