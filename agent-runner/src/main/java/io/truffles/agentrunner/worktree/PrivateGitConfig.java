package io.truffles.agentrunner.worktree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * The runner's own git — the CLI ({@link GitCli}) and JGit ({@link Checkout}, the push) — reads no configuration but
 * the repository's own. A user's {@code ~/.gitconfig}, {@code /tmp/.gitconfig} (when HOME is the temp folder) or
 * {@code /etc/gitconfig} can name commands git runs ({@code core.fsmonitor}, {@code uploadpack.packObjectsHook},
 * {@code filter.*.clean} through {@code core.attributesFile}, {@code credential.helper}) or send a fetch or push
 * elsewhere ({@code url.*.insteadOf}); any local user who can write one of them would run code as the runner. So the
 * CLI runs with a private HOME (0700, the runner's own), {@code GIT_CONFIG_NOSYSTEM=1} and
 * {@code GIT_CONFIG_GLOBAL=/dev/null}, and JGit with a {@link SystemReader} whose user, system and JGit configs are
 * empty and whose home is that private one.
 */
public final class PrivateGitConfig {
    private static Path home;

    private PrivateGitConfig() {
    }

    /**
     * Makes {@code folder} (0700, not a symlink) the private home and puts JGit's empty configs in place, process-wide.
     * Called at the runner's start with a folder under its data directory.
     */
    public static synchronized Path install(Path folder) {
        try {
            Files.createDirectories(folder.getParent());
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                throw new GitException("The runner's private git home " + folder + " is not a folder (a symlink?): "
                        + "remove it");
            }
            // whoever made it, it is only ours from now on
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new GitException("Cannot make the runner's private git home " + folder + ": " + e.getMessage(), e);
        }
        home = folder.toAbsolutePath();
        SystemReader current = SystemReader.getInstance();
        SystemReader.setInstance(new NoSharedConfig(current instanceof NoSharedConfig own ? own.base : current,
                home));
        return home;
    }

    /** The private home; a fresh one in the temp folder (mkdtemp: 0700, unguessable) when none was installed. */
    static synchronized Path home() {
        if (home == null) {
            try {
                install(Files.createTempDirectory("truffles-git-home-", PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------"))));
            } catch (IOException e) {
                throw new GitException("Cannot make a private git home: " + e.getMessage(), e);
            }
        }
        return home;
    }

    private static final class NoSharedConfig extends SystemReader.Delegate {
        private final SystemReader base;
        private final Path home;

        NoSharedConfig(SystemReader base, Path home) {
            super(base);
            this.base = base;
            this.home = home;
        }

        @Override
        public FileBasedConfig openUserConfig(Config parent, FS fs) {
            return new EmptyConfig(parent, fs);
        }

        @Override
        public FileBasedConfig openSystemConfig(Config parent, FS fs) {
            return new EmptyConfig(parent, fs);
        }

        @Override
        public FileBasedConfig openJGitConfig(Config parent, FS fs) {
            return new EmptyConfig(parent, fs);
        }

        @Override
        public String getProperty(String key) {
            return "user.home".equals(key) ? home.toString() : super.getProperty(key);
        }

        @Override
        public String getenv(String variable) {
            return switch (variable) {
                case "HOME" -> home.toString();
                case "XDG_CONFIG_HOME" -> home.resolve(".config").toString();
                case "GIT_CONFIG_NOSYSTEM" -> "1";
                default -> super.getenv(variable);
            };
        }
    }

    /** A config with no file: nothing to load, never outdated, never saved. */
    private static final class EmptyConfig extends FileBasedConfig {
        EmptyConfig(Config parent, FS fs) {
            super(parent, null, fs);
        }

        @Override
        public void load() {
            // no shared configuration is read
        }

        @Override
        public boolean isOutdated() {
            return false;
        }

        /** JGit caches file-system timings in its own config; here they are simply not kept. */
        @Override
        public void save() {
            // nothing shared is written either
        }

        @Override
        public String toString() {
            return "(no shared git configuration)";
        }
    }
}
