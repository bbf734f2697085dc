package io.truffles.agentrunner.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a launch to its end for a test and keeps what it printed. */
record SandboxRun(int exitCode, String output) {

    static SandboxRun of(SandboxLaunch launch, Duration limit) throws Exception {
        Process process = launch.processBuilder().redirectErrorStream(true).start();
        process.getOutputStream().close();
        var output = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                process.getInputStream().transferTo(output);
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            new ProcessTree(process).kill(Duration.ofSeconds(1));
            throw new AssertionError("sandboxed command ran over " + limit + ": " + output);
        }
        reader.join(5000);
        return new SandboxRun(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }
}
