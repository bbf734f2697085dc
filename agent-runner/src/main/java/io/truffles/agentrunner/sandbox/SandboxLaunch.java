package io.truffles.agentrunner.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A ready-to-start agent process: argv (never holding a secret), the whole environment it gets, its working folder,
 * and whether bubblewrap confines it.
 */
public record SandboxLaunch(List<String> argv, Map<String, String> environment, Path directory, boolean sandboxed) {

    public ProcessBuilder processBuilder() {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }
}
