package io.truffles.agentrunner.sandbox;

import java.util.Optional;

/**
 * The agent user for tests: when the tests run as root (CI) and the project's set-up has not created
 * {@code truffles-agent} yet, create it the way the set-up does, so the tests exercise the real user switch.
 */
public final class TestAgentUser {
    private TestAgentUser() {
    }

    public static synchronized Optional<AgentUser> ensure() {
        if (!AgentUser.runnerIsRoot()) {
            return Optional.empty();
        }
        Optional<AgentUser> existing = AgentUser.lookup(AgentUser.DEFAULT_NAME);
        if (existing.isPresent()) {
            return existing;
        }
        try {
            Process useradd = new ProcessBuilder("useradd", "--system", "--home-dir", "/var/lib/truffles-agent",
                    "--create-home", "--shell", "/usr/sbin/nologin", AgentUser.DEFAULT_NAME).inheritIO().start();
            if (useradd.waitFor() != 0) {
                throw new IllegalStateException("useradd truffles-agent failed with exit " + useradd.exitValue());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot run useradd: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Optional.of(AgentUser.lookup(AgentUser.DEFAULT_NAME).orElseThrow());
    }
}
