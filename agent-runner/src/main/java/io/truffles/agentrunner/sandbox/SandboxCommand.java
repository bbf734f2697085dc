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
    /** The system folders every toolchain needs, read-only; {@code /etc} and {@code /opt} are not among them. */
    static final List<String> SYSTEM_DIRS = List.of("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32");
    /**
     * The few {@code /etc} entries the CLI (node), git, bash and the usual toolchains read: the loader's cache, the
     * alternatives links, CA certificates (never {@code /etc/ssl/private}), time zone, name service order and hosts
     * (loopback only: there is no network).
     * {@code passwd} and {@code group} are written for the sandbox ({@link #etcFile}); nothing else of the host's
     * {@code /etc} (its git, ssh and shell configuration, machine id, credentials of installed services) is inside.
     */
    static final List<String> ETC_ALLOWED = List.of("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
            "/etc/alternatives", "/etc/ssl/certs", "/etc/ssl/openssl.cnf", "/etc/ca-certificates", "/etc/ca-certificates.conf", "/etc/localtime",
            "/etc/timezone", "/etc/nsswitch.conf", "/etc/hosts", "/etc/host.conf", "/etc/os-release",
            "/etc/mime.types", "/etc/protocols", "/etc/services", "/etc/inputrc", "/etc/bash.bashrc", "/etc/profile");
    /** Sizes of the sandbox's in-memory folders: what an agent writes there is host memory. */
    public static final long TMP_BYTES = 128L << 20;
    static final long SMALL_TMPFS_BYTES = 8L << 20;
    private static final boolean BWRAP_SIZES = bwrapSupportsSize();

    private final Optional<Path> bwrap;
    private final Optional<AgentUser> user;
    private final ResourceLimits limits;
    private final Optional<SystemdScope> scope;
    private final List<Path> toolchains;

    /** With a systemd scope around each agent when the host has one ({@link SystemdScope#detect()}). */
    public SandboxCommand(Optional<Path> bwrap, Optional<AgentUser> user, ResourceLimits limits) {
        this(bwrap, user, limits, SystemdScope.detect(), List.of());
    }

    /** @param toolchains host folders the product's build needs (a JDK, node, …), mounted read-only at their path */
    public SandboxCommand(Optional<Path> bwrap, Optional<AgentUser> user, ResourceLimits limits,
            List<Path> toolchains) {
        this(bwrap, user, limits, SystemdScope.detect(), toolchains);
    }

    public SandboxCommand(Optional<Path> bwrap, Optional<AgentUser> user, ResourceLimits limits,
            Optional<SystemdScope> scope) {
        this(bwrap, user, limits, scope, List.of());
    }

    public SandboxCommand(Optional<Path> bwrap, Optional<AgentUser> user, ResourceLimits limits,
            Optional<SystemdScope> scope, List<Path> toolchains) {
        this.bwrap = bwrap;
        this.user = user;
        this.limits = limits;
        this.scope = scope;
        this.toolchains = List.copyOf(toolchains);
    }

    /** The same sandbox for one agent running as {@code agentUser} (its own uid: its own process count). */
    public SandboxCommand as(AgentUser agentUser) {
        return new SandboxCommand(bwrap, Optional.of(agentUser), limits, scope, toolchains);
    }

    public Optional<AgentUser> user() {
        return user;
    }

    public ResourceLimits limits() {
        return limits;
    }

    /**
     * Every host path a sandbox of this runner gets to read besides the agent's own checkout and run folder: the
     * system folders, the allowed {@code /etc} entries, the toolchains and {@code extra} (the CLI's folder). What lies
     * at or under one of them is visible to every agent.
     */
    public List<Path> visibleRoots(List<Path> extra) {
        List<Path> roots = new ArrayList<>();
        for (String dir : SYSTEM_DIRS) {
            Path path = Path.of(dir);
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                roots.add(path);
            }
        }
        for (String entry : etcAllowed()) {
            roots.add(Path.of(entry));
        }
        roots.addAll(toolchains);
        roots.addAll(extra);
        return roots.stream().map(SandboxCommand::real).distinct().toList();
    }

    /**
     * The secrets of {@code secrets} that a sandbox would show: each one that lies at or under a visible root. The
     * runner refuses to start agents while this is not empty.
     */
    public List<Path> exposed(List<Path> secrets, List<Path> extra) {
        List<Path> roots = visibleRoots(extra);
        return secrets.stream().filter(secret -> {
            Path real = real(secret);
            return roots.stream().anyMatch(real::startsWith);
        }).toList();
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException missing) {
            return path.toAbsolutePath().normalize();
        }
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
        for (String entry : etcAllowed()) {
            argv.addAll(List.of("--ro-bind", entry, entry));
        }
        argv.addAll(List.of("--ro-bind", etcFile("passwd", worktree), "/etc/passwd",
                "--ro-bind", etcFile("group", worktree), "/etc/group"));
        argv.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
        tmpfs(argv, TMP_BYTES, "/tmp");
        tmpfs(argv, SMALL_TMPFS_BYTES, "/dev/shm");
        tmpfs(argv, SMALL_TMPFS_BYTES, "/home");
        tmpfs(argv, SMALL_TMPFS_BYTES, "/run");
        tmpfs(argv, SMALL_TMPFS_BYTES, "/var");
        if (home.isPresent()) {
            argv.addAll(List.of("--bind", home.get().toString(), HOME));
        } else {
            argv.addAll(List.of("--dir", HOME));
        }
        for (Path path : toolchains) {
            argv.addAll(List.of("--ro-bind", path.toString(), path.toString()));
        }
        for (Path path : readOnlyPaths) {
            argv.addAll(List.of("--ro-bind", path.toString(), path.toString()));
        }
        runDir.ifPresent(dir -> argv.addAll(List.of("--ro-bind", dir.toString(), RUN_DIR)));
        String checkout = worktree.path().toString();
        argv.addAll(List.of("--bind", checkout, checkout));
        // all git metadata read-only: the shared .git (hooks, objects, refs, this worktree's gitdir) and the .git file
        String common = worktree.commonDir().toString();
        argv.addAll(List.of("--ro-bind", common, common));
        // what the clone holds beyond this agent's errand is not shown: its config (where a token in a remote URL,
        // an http.extraheader or a credential helper would be) gives way to a sanitised copy; the other agents'
        // worktree metadata, the branches' reflogs and the other branches are hidden behind empty folders
        argv.addAll(List.of("--ro-bind", etcFile("gitconfig", worktree), common + "/config"));
        for (String hidden : List.of("worktrees", "logs", "refs/heads")) {
            if (Files.isDirectory(worktree.commonDir().resolve(hidden))) {
                argv.addAll(List.of("--tmpfs", common + "/" + hidden));
            }
        }
        argv.addAll(List.of("--ro-bind", worktree.gitDir().toString(), worktree.gitDir().toString()));
        Path ownBranch = worktree.commonDir().resolve("refs/heads").resolve(worktree.branch());
        if (Files.isRegularFile(ownBranch)) {
            argv.addAll(List.of("--ro-bind", ownBranch.toString(), ownBranch.toString()));
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

    /** The allowed {@code /etc} entries this host has, and its JDKs' configuration ({@code /etc/java-17-openjdk}). */
    static List<String> etcAllowed() {
        List<String> entries = new ArrayList<>();
        ETC_ALLOWED.stream().filter(e -> Files.exists(Path.of(e))).forEach(entries::add);
        try (java.util.stream.Stream<Path> etc = Files.list(Path.of("/etc"))) {
            etc.filter(p -> p.getFileName().toString().matches("java-[0-9]+-openjdk") && Files.isDirectory(p))
                    .map(Path::toString).sorted().forEach(entries::add);
        } catch (java.io.IOException e) {
            // no /etc listing: the fixed list stands
        }
        return entries;
    }

    private static void tmpfs(List<String> argv, long bytes, String path) {
        if (BWRAP_SIZES) {
            argv.addAll(List.of("--size", String.valueOf(bytes)));
        }
        argv.addAll(List.of("--tmpfs", path));
    }

    /** bubblewrap 0.5 and later size a tmpfs ({@code --size}); Debian 12 has 0.8. */
    private static boolean bwrapSupportsSize() {
        try {
            Process help = new ProcessBuilder("bwrap", "--help").redirectErrorStream(true).start();
            String text = new String(help.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            help.waitFor();
            if (!text.contains("--size")) {
                LOG.warn("This bubblewrap has no --size: the sandbox's /tmp is not capped; install bubblewrap 0.5 or "
                        + "later");
                return false;
            }
            return true;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A file the sandbox gets in place of the host's: {@code passwd} and {@code group} naming only root, the agent and
     * nobody; {@code gitconfig}, the clone's configuration reduced to what git inside needs to read the checkout (its
     * {@code core} format keys and the {@code origin} branch mapping, never a URL, header or helper). Written for each
     * launch into a folder of the runner's ({@link SandboxFiles}).
     */
    private String etcFile(String name, Worktree worktree) {
        int uid = user.map(AgentUser::uid).orElse((int) SandboxFiles.currentUid());
        int gid = user.map(AgentUser::gid).orElse((int) SandboxFiles.currentGid());
        String content = switch (name) {
            case "passwd" -> "root:x:0:0:root:/root:/usr/sbin/nologin\nagent:x:" + uid + ":" + gid + "::" + HOME
                    + ":/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
            case "group" -> "root:x:0:\nagent:x:" + gid + ":\nnogroup:x:65534:\n";
            default -> SandboxFiles.sanitisedGitConfig(worktree.commonDir().resolve("config"));
        };
        return SandboxFiles.write(name, content).toString();
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read the system link " + link, e);
        }
    }
}
