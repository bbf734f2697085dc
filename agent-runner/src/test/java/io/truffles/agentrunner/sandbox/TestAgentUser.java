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

    /**
     * Running processes started for the test whose folders live under {@code root}: their command line or
     * environment names it (every sandboxed process carries the checkout's path in {@code GIT_CONFIG_VALUE_0}). Other
     * engineers' agents on this shared machine run as the same user, so the user alone does not say whose a process
     * is.
     */
    public static java.util.List<ProcessHandle> processesUnder(java.nio.file.Path root) {
        String marker = root.toString();
        return ProcessHandle.allProcesses().filter(ProcessTree::running).filter(p -> {
            try {
                java.nio.file.Path proc = java.nio.file.Path.of("/proc", String.valueOf(p.pid()));
                return new String(java.nio.file.Files.readAllBytes(proc.resolve("cmdline"))).contains(marker)
                        || new String(java.nio.file.Files.readAllBytes(proc.resolve("environ"))).contains(marker);
            } catch (java.io.IOException | RuntimeException gone) {
                return false;
            }
        }).toList();
    }
}
