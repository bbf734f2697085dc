package io.truffles.agentrunner.claude;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.core.json.JsonMapping;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Claude Code's own settings for an agent, passed with {@code --settings} from the read-only run folder (flag settings
 * outrank the project's {@code .claude/settings.json} and the user's, both of which the agent could write). They turn
 * on Claude Code's Bash sandbox inside ours ({@code sandbox.enabled}), forbid the model's escape hatch of re-running a
 * command outside it ({@code allowUnsandboxedCommands: false}), allow the network to the model API's host only
 * ({@code sandbox.network.allowedDomains}), and turn off hooks a repository could bring ({@code disableAllHooks}).
 * Keys as Claude Code 2.1 reads them (code.claude.com/docs/en/settings, "Sandbox settings").
 *
 * <p>Inside the runner's bubblewrap Claude Code cannot start its own: it needs {@code socat} and a nested user
 * namespace, and the runner's sandbox forbids new user namespaces ({@code --disable-userns}). So
 * {@code failIfUnavailable} stays false — with it true the CLI refuses to start ("Sandbox required but unavailable") —
 * and the CLI's commands are confined by the runner's sandbox, which is the boundary that holds (network namespace,
 * read-only mounts, user, caps). These settings are the second layer wherever the CLI can build it.
 */
public final class ClaudeSettings {
    public static final String FILE = "claude-settings.json";
    private static final ObjectMapper JSON = JsonMapping.shared();

    private ClaudeSettings() {
    }

    public static String json(URI api) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode sandbox = root.putObject("sandbox");
        sandbox.put("enabled", true);
        sandbox.put("failIfUnavailable", false);
        sandbox.put("allowUnsandboxedCommands", false);
        sandbox.put("autoAllowBashIfSandboxed", true);
        sandbox.putObject("network").putArray("allowedDomains").add(api.getHost());
        root.put("disableAllHooks", true);
        root.putObject("permissions").putArray("deny").add("WebFetch").add("WebSearch");
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Writes the settings into {@code folder} (readable by the agent user, writable by the runner only). */
    public static Path write(Path folder, URI api) throws IOException {
        Path file = folder.resolve(FILE);
        Files.writeString(file, json(api));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }
}
