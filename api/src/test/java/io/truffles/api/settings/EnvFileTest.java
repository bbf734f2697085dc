package io.truffles.api.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {
    @TempDir
    Path directory;

    @Test
    void anUpdateReplacesValuesInPlaceKeepsCommentsAndOrderAndAppendsNewKeys() throws Exception {
        Path file = directory.resolve(".env");
        Files.writeString(file, """
                # MongoDB
                MONGODB_URI=mongodb://localhost:27017/truffles

                # OpenRouter (for analysis models)
                OPENROUTER_API_KEY=sk-or-old
                export GITHUB_TOKEN='ghp_old'   # PAT
                """);
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("OPENROUTER_API_KEY", "sk-or-new");
        changes.put("GITHUB_TOKEN", "it's $secret");
        changes.put("ANTHROPIC_API_KEY", "sk-ant-1");
        new EnvFile(file).update(changes);

        assertThat(Files.readString(file)).isEqualTo("""
                # MongoDB
                MONGODB_URI=mongodb://localhost:27017/truffles

                # OpenRouter (for analysis models)
                OPENROUTER_API_KEY=sk-or-new
                export GITHUB_TOKEN='it'\\''s $secret'
                ANTHROPIC_API_KEY=sk-ant-1
                """);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new EnvFile(file).read()).containsEntry("GITHUB_TOKEN", "it's $secret")
                .containsEntry("OPENROUTER_API_KEY", "sk-or-new")
                .containsEntry("MONGODB_URI", "mongodb://localhost:27017/truffles");
    }

    @Test
    void whatTheShellReadsIsWhatWasWritten() throws Exception {
        Path file = directory.resolve(".env");
        String tricky = "a b'c\"d$e`f\\g#h";
        new EnvFile(file).update(Map.of("ADMIN_PASSWORD", tricky));
        Process shell = new ProcessBuilder("sh", "-c", ". " + file + " && printf '%s' \"$ADMIN_PASSWORD\"").start();
        String read = new String(shell.getInputStream().readAllBytes());
        assertThat(shell.waitFor()).isZero();
        assertThat(read).isEqualTo(tricky);
        assertThat(new EnvFile(file).read()).containsEntry("ADMIN_PASSWORD", tricky);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"\n", "\r", "\u0000", "\u0085", "\u2028", "\u2029",
            "\u000B", "\u000C"})
    void aValueWithALineBreakOfAnyReaderIsRefusedAndTheFileIsUntouched(String lineBreak) throws Exception {
        Path file = directory.resolve(".env");
        Files.writeString(file, "ADMIN_PASSWORD=old\n");
        assertThatThrownBy(() -> new EnvFile(file).update(Map.of("ADMIN_PASSWORD", "new" + lineBreak + "EVIL=1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readString(file)).isEqualTo("ADMIN_PASSWORD=old\n");
    }
}
