package io.truffles.agentrunner.worktree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The git command line, for what JGit cannot do (worktrees). Every call runs with hooks pointed at nothing and
 * fsmonitor off, and with an environment holding only PATH and a private HOME, with no global or system configuration
 * read ({@link PrivateGitConfig}), so nothing a checkout or another local user's git configuration contains can make
 * the runner's git run code or go elsewhere, and no credential leaks into git's environment.
 */
final class GitCli {
    private static final long TIMEOUT_SECONDS = 300;

    private GitCli() {
    }

    static String run(Path directory, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "core.hooksPath=/dev/null",
                "-c", "core.fsmonitor=false", "-c", "safe.directory=*", "-c", "protocol.ext.allow=never"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.environment().put("HOME", PrivateGitConfig.home().toString());
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new GitException("git " + String.join(" ", args) + " in " + directory + " took over "
                        + TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new GitException("git " + String.join(" ", args) + " in " + directory + " failed (exit "
                        + process.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new GitException("Could not run git in " + directory + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitException("Interrupted while running git in " + directory, e);
        }
    }
}
