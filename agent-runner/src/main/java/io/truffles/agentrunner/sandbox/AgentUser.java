package io.truffles.agentrunner.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The unprivileged account agents run as when the runner itself is root (Claude Code refuses to bypass permissions as
 * root, and a non-root agent cannot touch what root owns). The project's set-up creates it:
 * {@code useradd --system --home-dir /var/lib/truffles-agent --shell /usr/sbin/nologin truffles-agent}.
 */
public record AgentUser(String name, int uid, int gid) {
    public static final String DEFAULT_NAME = "truffles-agent";

    /** The user from {@code /etc/passwd}, if it exists. */
    public static Optional<AgentUser> lookup(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] fields = line.split(":");
                if (fields.length > 3 && fields[0].equals(name)) {
                    return Optional.of(new AgentUser(name, Integer.parseInt(fields[2]), Integer.parseInt(fields[3])));
                }
            }
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static boolean runnerIsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
