package io.truffles.agentrunner.job;

import io.truffles.agentrunner.claude.ClaudeCli;
import io.truffles.agentrunner.sandbox.SandboxCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runner's check before it starts any agent: nothing a sandbox mounts may show the Truffles install (its
 * launcher, jars and {@code .env}), its data folder (database, recordings, logs), the product's clone (its main
 * checkout and {@code .git/config}, where credentials live) or the agents' run folders; and the run folder, which holds
 * the model bridges' sockets, must sit where no other local user could have made or can change a folder on its path.
 */
final class SandboxExposure {
    private SandboxExposure() {
    }

    /** One sentence saying why agents must not start, or empty. */
    static Optional<String> problem(SandboxCommand sandbox, Path cliFolder, Path dataDir, Path clone, Path runDir) {
        List<Path> secrets = new ArrayList<>();
        installDir().ifPresent(install -> {
            secrets.add(install);
            secrets.add(install.resolve(".env"));
        });
        Optional.ofNullable(System.getenv("TRUFFLES_ENV_FILE")).map(Path::of).ifPresent(secrets::add);
        // where the systemd install keeps the .env (EnvironmentFile=/etc/truffles/truffles.env)
        secrets.add(Path.of("/etc/truffles"));
        secrets.add(dataDir);
        secrets.add(clone);
        secrets.add(runDir);
        List<Path> shown = sandbox.exposed(secrets, List.of(cliFolder));
        if (!shown.isEmpty()) {
            return Optional.of("Agents are not started: their sandbox would show " + shown + " (it mounts "
                    + sandbox.visibleRoots(List.of(cliFolder)) + "); move the Truffles install, its data and the clone "
                    + "out of those folders or narrow AGENT_TOOLCHAIN_PATHS");
        }
        return unsafeAncestor(runDir.toAbsolutePath().normalize()).map(unsafe -> "Agents are not started: the agent "
                + "run folder " + runDir + " lies under " + unsafe + ", which another local user owns or may write to; "
                + "set AGENT_RUN_DIR to a folder only the runner can change (the default is under TRUFFLES_DATA_DIR)");
    }

    /** The Truffles install: the nearest folder above the runner's code holding the {@code truffles} launcher. */
    static Optional<Path> installDir() {
        for (Path dir = ClaudeCli.codeLocation().orElse(null); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("truffles")) && Files.isDirectory(dir.resolve("agent-runner"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /**
     * The first existing folder on {@code path} (from the root down) that someone other than root or the runner owns,
     * or that others may write to without the sticky bit — where a folder of the runner's could be swapped.
     */
    static Optional<Path> unsafeAncestor(Path path) {
        int self = ownUid();
        Path current = path.getRoot();
        for (Path part : path) {
            current = current.resolve(part);
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                break;
            }
            try {
                PosixFileAttributes attributes = Files.readAttributes(current, PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                int owner = (Integer) Files.getAttribute(current, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(current, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                boolean sticky = (mode & 01000) != 0;
                boolean othersWrite = attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                        || attributes.permissions().contains(PosixFilePermission.GROUP_WRITE);
                if (owner != 0 && owner != self || othersWrite && !sticky) {
                    return Optional.of(current);
                }
            } catch (IOException e) {
                return Optional.of(current);
            }
        }
        return Optional.empty();
    }

    private static int ownUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            return -1;
        }
    }
}
