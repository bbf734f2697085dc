package io.truffles.agentrunner.claude;

import java.net.URI;
import java.nio.file.Path;

/**
 * How agents run the CLI.
 *
 * @param cli          the {@code claude} executable (the npm package's {@code bin/claude.exe})
 * @param model        the model id from settings
 * @param maxTurns     {@code --max-turns} per phase
 * @param maxBudgetUsd {@code --max-budget-usd} per phase
 * @param apiBaseUrl   the Messages API the CLI talks to (the real one, or a local fake in tests)
 */
public record ClaudeOptions(Path cli, String model, int maxTurns, double maxBudgetUsd, URI apiBaseUrl) {

    /** The folder to mount read-only in the sandbox: the CLI's npm package (bin and its files). */
    public Path installFolder() {
        Path real = cli.toAbsolutePath();
        try {
            real = real.toRealPath();
        } catch (java.io.IOException e) {
            // missing: the run fails later with the CLI's path in the error
        }
        return real.getParent().getParent();
    }

    public Path realCli() {
        try {
            return cli.toRealPath();
        } catch (java.io.IOException e) {
            return cli.toAbsolutePath();
        }
    }

    public int apiPort() {
        if (apiBaseUrl.getPort() > 0) {
            return apiBaseUrl.getPort();
        }
        return "https".equals(apiBaseUrl.getScheme()) ? 443 : 80;
    }
}
