package io.truffles.e2e.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemd/install.sh --root DIR} into a scratch root: a second run changes nothing (every path, mode, owner,
 * size, time and content the same), files get the owners and modes an operator relies on (the .env 0600 and only the
 * truffles user's), and {@code --uninstall} removes what install added while the .env and the data stay.
 */
class InstallScriptIT {
    private static final Duration LIMIT = Duration.ofMinutes(3);

    @TempDir
    static Path root;

    private static Commands.Result first;
    private static Map<String, String> afterFirst;
    private static Commands.Result second;
    private static Map<String, String> afterSecond;

    @BeforeAll
    static void installTwice() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "install.sh creates users and owners: run as root");
        assumeTrue(Commands.installed("useradd"), "useradd is not installed (apt-get install passwd)");
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\n");
        Files.writeString(etc.resolve("shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(etc.resolve("gshadow"), "root:*::\n");
        first = install("--root", root.toString(), "--no-build");
        afterFirst = snapshot(root);
        second = install("--root", root.toString(), "--no-build");
        afterSecond = snapshot(root);
    }

    @Test
    void aSecondRunChangesNothing() {
        assertThat(first.exitCode()).as(first.describe()).isZero();
        assertThat(second.exitCode()).as(second.describe()).isZero();
        assertThat(afterSecond).isEqualTo(afterFirst);
        assertThat(second.output()).doesNotContain("installed /", "created ");
    }

    @Test
    void filesHaveTheirOwnersAndModes() throws Exception {
        assertThat(first.exitCode()).as(first.describe()).isZero();
        int truffles = uidOf("truffles");
        assertThat(truffles).isPositive();
        assertThat(uidOf("truffles-agent")).isPositive().isNotEqualTo(truffles);

        assertThat(entry("etc/truffles/truffles.env")).startsWith("file 600 " + truffles + ":");
        assertThat(entry("etc/truffles")).startsWith("dir 700 " + truffles + ":");
        assertThat(entry("var/lib/truffles")).startsWith("dir 751 " + truffles + ":");
        assertThat(entry("var/lib/truffles/worktrees")).startsWith("dir 755 0:0");
        for (String unit : List.of("truffles.target", "truffles-api.service", "truffles-poller.service",
                "truffles-renderer.service", "truffles-analyzer.service", "truffles-agent-runner.service")) {
            assertThat(entry("etc/systemd/system/" + unit)).startsWith("file 644 0:0");
        }
        assertThat(entry("etc/systemd/system/multi-user.target.wants/truffles.target")).startsWith("link");
        assertThat(entry("etc/polkit-1/rules.d/50-truffles.rules")).startsWith("file 644 0:0");
        assertThat(entry("etc/nginx/sites-enabled/truffles")).startsWith("link");
        assertThat(entry("opt/truffles/api/quarkus-app/quarkus-run.jar")).startsWith("file 644 0:0");
        assertThat(Files.readString(root.resolve("etc/truffles/truffles.env")))
                .contains("TRUFFLES_DATA_DIR=/var/lib/truffles", "REPO_CLONE_PATH=/var/lib/truffles/repo");
        assertThat(first.output()).contains("What is left to do", "replica set", "ADMIN_PASSWORD");
    }

    @Test
    void uninstallRemovesWhatInstallAddedAndKeepsTheEnvAndTheData() throws Exception {
        Path copy = Files.createTempDirectory("truffles-uninstall-");
        try {
            assertThat(Commands.run(LIMIT, "cp", "-a", root + "/.", copy.toString()).exitCode()).isZero();
            Files.writeString(copy.resolve("var/lib/truffles/inbox/recording.json"), "{}");

            Commands.Result uninstall = install("--root", copy.toString(), "--uninstall");

            assertThat(uninstall.exitCode()).as(uninstall.describe()).isZero();
            for (String gone : List.of("opt/truffles", "etc/systemd/system/truffles.target",
                    "etc/systemd/system/truffles-api.service", "etc/systemd/system/multi-user.target.wants/truffles.target",
                    "etc/polkit-1/rules.d/50-truffles.rules", "etc/nginx/sites-enabled/truffles",
                    "etc/nginx/sites-available/truffles")) {
                assertThat(copy.resolve(gone)).as(gone).doesNotExist();
            }
            assertThat(copy.resolve("etc/truffles/truffles.env")).exists();
            assertThat(copy.resolve("var/lib/truffles/inbox/recording.json")).hasContent("{}");
        } finally {
            Commands.run(LIMIT, "rm", "-rf", copy.toString());
        }
    }

    private static Commands.Result install(String... options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Commands.home().resolve("systemd/install.sh").toString()));
        command.addAll(List.of(options));
        return Commands.run(LIMIT, command);
    }

    private static int uidOf(String user) throws IOException {
        return Files.readAllLines(root.resolve("etc/passwd")).stream()
                .map(line -> line.split(":"))
                .filter(fields -> fields[0].equals(user))
                .mapToInt(fields -> Integer.parseInt(fields[2]))
                .findFirst().orElse(-1);
    }

    private static String entry(String path) {
        assertThat(afterFirst).as("installed: " + path).containsKey(path);
        return afterFirst.get(path);
    }

    /** Every path under the root: type, mode, owner, size, modification time and content hash (or link target). */
    private static Map<String, String> snapshot(Path top) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid,size,lastModifiedTime",
                        LinkOption.NOFOLLOW_LINKS);
                String type = Files.isSymbolicLink(path) ? "link" : Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                        ? "dir" : "file";
                String content = switch (type) {
                    case "link" -> Files.readSymbolicLink(path).toString();
                    case "file" -> sha256(path);
                    default -> "";
                };
                String times = type.equals("dir") ? "" : " " + unix.get("lastModifiedTime");
                entries.put(top.relativize(path).toString(), "%s %o %s:%s %s%s %s".formatted(type,
                        (Integer) unix.get("mode") & 07777, unix.get("uid"), unix.get("gid"),
                        type.equals("dir") ? "" : unix.get("size"), times, content));
            }
        }
        return entries;
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                    digest.update(buffer, 0, read);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
