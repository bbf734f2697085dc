package io.truffles.agentrunner.claude;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the Claude Code CLI is. {@code CLAUDE_CLI_PATH} may be absolute; its default is relative to the agent-runner
 * module ({@code claude-code/node_modules/…}, where the module's build installs it), and the launcher starts the runner
 * from the repository's root — so a relative path is looked for in the working folder, then beside the runner's own
 * code and in each folder above it (and their {@code agent-runner/}), wherever the runner was started from.
 */
public final class ClaudeCli {
    private ClaudeCli() {
    }

    public static Path resolve(Path configured) {
        if (configured.isAbsolute() || Files.isExecutable(configured)) {
            return configured.toAbsolutePath();
        }
        for (Path dir = codeLocation().orElse(null); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve(configured), dir.resolve("agent-runner").resolve(configured)}) {
                if (Files.isExecutable(candidate)) {
                    return candidate.normalize();
                }
            }
        }
        return configured.toAbsolutePath();
    }

    /** The jar or classes folder the runner's code was loaded from. */
    public static Optional<Path> codeLocation() {
        try {
            var source = ClaudeCli.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The sentence an operator reads when the CLI is missing, or empty when it is there. */
    public static Optional<String> problem(Path resolved) {
        if (Files.isExecutable(resolved)) {
            return Optional.empty();
        }
        return Optional.of("The Claude Code CLI is not at " + resolved + ": build the agent-runner module (its build "
                + "installs it under agent-runner/claude-code/) or set CLAUDE_CLI_PATH; no agent is started until then");
    }
}
