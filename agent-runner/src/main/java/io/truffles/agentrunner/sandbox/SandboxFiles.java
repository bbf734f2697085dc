package io.truffles.agentrunner.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Files the runner writes for sandboxes to see in place of the host's ({@code /etc/passwd}, {@code /etc/group}, the
 * clone's git configuration). They hold nothing secret; they live in one folder of the runner's, readable by agents
 * (bubblewrap opens them as the agent's user) and writable by the runner only, named by their content so that a file
 * in use is never rewritten.
 */
final class SandboxFiles {
    /** What git inside needs of the clone's configuration to read the checkout; never a URL, header or helper. */
    private static final List<Pattern> GIT_KEYS = List.of(
            Pattern.compile("core\\.(repositoryformatversion|filemode|bare|logallrefupdates|ignorecase|"
                    + "precomposeunicode|symlinks)"),
            Pattern.compile("extensions\\.(objectformat|refstorage|worktreeconfig)"),
            Pattern.compile("remote\\.origin\\.fetch"),
            Pattern.compile("branch\\.[A-Za-z0-9._/-]+\\.(remote|merge)"));
    private static Path folder;

    private SandboxFiles() {
    }

    static synchronized Path write(String name, String content) {
        try {
            if (folder == null) {
                folder = Files.createTempDirectory("truffles-sandbox-files",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                Path made = folder;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> removeQuietly(made), "sandbox-files-cleanup"));
            }
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
            Path file = folder.resolve(name + "-" + hash);
            if (!Files.isRegularFile(file)) {
                Path staged = Files.createTempFile(folder, name, ".new");
                Files.writeString(staged, content);
                Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot write the sandbox's " + name + ": " + e.getMessage(), e);
        }
    }

    private static void removeQuietly(Path folder) {
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // the runner is stopping: a leftover folder of small generated files is harmless
        }
    }

    /**
     * The allowed keys of {@code config} as a git configuration file. Read with {@code git config --file} (includes
     * off, no system or global file), which runs nothing the file names.
     */
    static String sanitisedGitConfig(Path config) {
        if (!Files.isRegularFile(config)) {
            return "";
        }
        try {
            ProcessBuilder builder = new ProcessBuilder("git", "config", "--file", config.toString(), "--no-includes",
                    "--null", "--list").redirectErrorStream(false);
            builder.environment().clear();
            builder.environment().putAll(java.util.Map.of("PATH", "/usr/bin:/bin", "HOME", "/nonexistent",
                    "GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null"));
            Process git = builder.start();
            git.getOutputStream().close();
            String listed = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (git.waitFor() != 0) {
                throw new IllegalStateException("git config --list failed on " + config);
            }
            StringBuilder out = new StringBuilder();
            for (String entry : listed.split("\0")) {
                int newline = entry.indexOf('\n');
                if (newline < 0) {
                    continue;
                }
                String key = entry.substring(0, newline);
                String value = entry.substring(newline + 1);
                if (GIT_KEYS.stream().noneMatch(p -> p.matcher(key).matches())) {
                    continue;
                }
                int first = key.indexOf('.');
                int last = key.lastIndexOf('.');
                String section = key.substring(0, first);
                String header = first == last ? "[" + section + "]"
                        : "[" + section + " \"" + quote(key.substring(first + 1, last)) + "\"]";
                out.append(header).append("\n\t").append(key.substring(last + 1)).append(" = \"").append(quote(value))
                        .append("\"\n");
            }
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + config + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t");
    }

    static long currentUid() {
        return attribute("unix:uid");
    }

    static long currentGid() {
        return attribute("unix:gid");
    }

    private static long attribute(String name) {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), name)).longValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
