package io.truffles.agentrunner.sandbox;

import io.truffles.agentrunner.worktree.Worktree;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Builds the command line that runs an agent confined to its checkout.
 *
 * <p>With bubblewrap: a fresh root holding the system folders read-only, a private {@code /proc}, {@code /dev},
 * {@code /tmp} and HOME, the checkout's files writable, and every piece of git metadata read-only (the clone's shared
 * {@code .git} with its config, hooks and objects, the worktree's own gitdir, and the checkout's {@code .git} file), so
 * {@code git status} and {@code git diff} work inside but nothing written there can make the host's git run code. All
 * namespaces are unshared (no network: the model API is reached only through the {@link ModelBridge} socket), the
 * sandbox dies with the runner, and no further user namespaces can be made. Outside bubblewrap the process runs as the
 * agent user (when the runner is root) under {@code prlimit} caps, with exactly the environment given.
 *
 * <p>Without bubblewrap: the same user, caps and cleared environment, scoped to the checkout only by its working
 * folder; the launch says {@code sandboxed == false} and the runner warns loudly.
 */
public final class SandboxCommand {
    private static final Logger LOG = Logger.getLogger(SandboxCommand.class);
    /** HOME inside the sandbox: a private tmpfs. */
    public static final String HOME = "/home/agent";
    /** Where the runner's per-agent run folder (bridge socket and script) appears inside the sandbox. */
    public static final String RUN_DIR = "/run/truffles";
    private static final List<String> SYSTEM_DIRS = List.of("/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc", "/opt");

    private final Optional<Path> bwrap;
    private final Optional<AgentUser> user;
    private final ResourceLimits limits;
    private final Optional<SystemdScope> scope;

    /** With a systemd scope around each agent when the host has one ({@link SystemdScope#detect()}). */
    public SandboxCommand(Optional<Path> bwrap, Optional<AgentUser> user, ResourceLimits limits) {
        this(bwrap, user, limits, SystemdScope.detect());
    }

    public SandboxCommand(Optional<Path> bwrap, Optional<AgentUser> user, ResourceLimits limits,
            Optional<SystemdScope> scope) {
        this.bwrap = bwrap;
        this.user = user;
        this.limits = limits;
        this.scope = scope;
    }

    /** Whether agents also get a systemd scope's MemoryMax/TasksMax, beyond prlimit's per-process caps. */
    public boolean scoped() {
        return scope.isPresent();
    }

    /** bubblewrap from PATH, when installed. */
    public static Optional<Path> findBwrap() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, "bwrap");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public boolean sandboxAvailable() {
        return bwrap.isPresent();
    }

    /**
     * @param worktree      the agent's checkout
     * @param readOnlyPaths host paths the agent must read (the CLI's install folder), mounted at the same path
     * @param readOnlyInCheckout paths inside the checkout the agent may read but not change (the evidence folder)
     * @param runDir        the per-agent run folder (bridge socket and script), or empty for none
     * @param home          a folder kept across the agent's runs (Claude Code keeps its session there for
     *                      {@code --resume}), mounted as HOME; empty for a fresh private one
     * @param environment   the complete environment of the agent (HOME and PATH are set here)
     * @param command       the agent command
     */
    public SandboxLaunch build(Worktree worktree, List<Path> readOnlyPaths, List<Path> readOnlyInCheckout,
            Optional<Path> runDir, Optional<Path> home, Map<String, String> environment, List<String> command) {
        List<String> argv = new ArrayList<>();
        // outermost, while still root: the scope must be made before privileges are dropped
        scope.ifPresent(s -> argv.addAll(s.prefix(worktree.id(), limits)));
        user.ifPresent(u -> argv.addAll(List.of("setpriv", "--reuid=" + u.uid(), "--regid=" + u.gid(),
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--")));
        argv.addAll(List.of("prlimit",
                "--nproc=" + limits.maxProcesses(),
                "--fsize=" + limits.maxFileSizeBytes(),
                "--as=" + limits.maxMemoryBytes(),
                "--nofile=" + limits.maxOpenFiles(),
                "--core=0", "--"));
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        // git inside is run by the agent user on metadata root owns: say it is trusted rather than weaken ownership
        env.put("GIT_CONFIG_COUNT", "1");
        env.put("GIT_CONFIG_KEY_0", "safe.directory");
        env.put("GIT_CONFIG_VALUE_0", worktree.path().toString());
        if (bwrap.isEmpty()) {
            Path fallbackHome = home.orElseThrow(() -> new IllegalArgumentException(
                    "Without bubblewrap an agent needs a HOME folder of its own"));
            env.put("HOME", fallbackHome.toString());
            env.put("TMPDIR", fallbackHome.toString());
            argv.addAll(command);
            LOG.warnf("bubblewrap (bwrap) is not installed: agent %s runs UNSANDBOXED, scoped only to %s with a "
                    + "cleared environment. Install bubblewrap to confine agents.", worktree.id(), worktree.path());
            return new SandboxLaunch(List.copyOf(argv), Map.copyOf(env), worktree.path(), false);
        }
        env.put("HOME", HOME);
        env.put("TMPDIR", "/tmp");
        argv.add(bwrap.get().toString());
        argv.addAll(List.of("--die-with-parent", "--new-session", "--unshare-all", "--unshare-user", "--disable-userns",
                "--hostname", "truffles-agent", "--cap-drop", "ALL"));
        for (String dir : SYSTEM_DIRS) {
            Path path = Path.of(dir);
            if (Files.isSymbolicLink(path)) {
                argv.addAll(List.of("--symlink", readLink(path), dir));
            } else if (Files.isDirectory(path)) {
                argv.addAll(List.of("--ro-bind", dir, dir));
            }
        }
        argv.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/home",
                "--tmpfs", "/run", "--tmpfs", "/var"));
        if (home.isPresent()) {
            argv.addAll(List.of("--bind", home.get().toString(), HOME));
        } else {
            argv.addAll(List.of("--dir", HOME));
        }
        for (Path path : readOnlyPaths) {
            argv.addAll(List.of("--ro-bind", path.toString(), path.toString()));
        }
        runDir.ifPresent(dir -> argv.addAll(List.of("--ro-bind", dir.toString(), RUN_DIR)));
        String checkout = worktree.path().toString();
        argv.addAll(List.of("--bind", checkout, checkout));
        // all git metadata read-only: the shared .git (config, hooks, objects, refs, worktrees/<id>) and the .git file
        argv.addAll(List.of("--ro-bind", worktree.commonDir().toString(), worktree.commonDir().toString()));
        if (!worktree.gitDir().startsWith(worktree.commonDir())) {
            argv.addAll(List.of("--ro-bind", worktree.gitDir().toString(), worktree.gitDir().toString()));
        }
        Path dotGit = worktree.path().resolve(".git");
        if (Files.exists(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            argv.addAll(List.of("--ro-bind", dotGit.toString(), dotGit.toString()));
        }
        for (Path inside : readOnlyInCheckout) {
            argv.addAll(List.of("--ro-bind", inside.toString(), inside.toString()));
        }
        argv.addAll(List.of("--chdir", checkout, "--"));
        argv.addAll(command);
        return new SandboxLaunch(List.copyOf(argv), Map.copyOf(env), worktree.path(), true);
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read the system link " + link, e);
        }
    }
}
