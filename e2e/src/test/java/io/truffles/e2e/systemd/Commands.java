package io.truffles.e2e.systemd;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end and keeps what it printed (stdout and stderr together). */
final class Commands {
    private Commands() {
    }

    record Result(List<String> command, int exitCode, String output) {
        String describe() {
            return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
        }
    }

    static Result run(Duration limit, String... command) throws IOException, InterruptedException {
        return run(limit, List.of(command));
    }

    static Result run(Duration limit, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("truffles-command-", ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " still running after " + limit + ":\n"
                        + new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
            }
            // decoded leniently: a WebSocket frame or a tool's binary output is not valid UTF-8
            return new Result(command, process.exitValue(),
                    new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The repository root the build runs in (failsafe sets truffles-home). */
    static Path home() {
        return Path.of(System.getProperty("truffles-home", "..")).toAbsolutePath().normalize();
    }

    static boolean installed(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
