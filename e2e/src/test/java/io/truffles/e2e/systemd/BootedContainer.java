package io.truffles.e2e.systemd;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Debian bookworm root booted with systemd as PID 1 in a container (systemd-nspawn), driven from the host with
 * {@code nsenter -t <its PID 1> -a}: {@code machinectl} and {@code systemd-run -M} need a host D-Bus that build
 * machines do not have. {@code --volatile=overlay} keeps the cached root untouched (writes go to a tmpfs), and
 * {@code --private-network} gives the container its own loopback, so no host port is used.
 */
final class BootedContainer implements AutoCloseable {
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(60);

    private final Process nspawn;
    private final Path log;
    private final long pid1;

    private BootedContainer(Process nspawn, Path log, long pid1) {
        this.nspawn = nspawn;
        this.log = log;
        this.pid1 = pid1;
    }

    /**
     * Boots {@code root} with the host's {@code source} directory bound read-only at {@code /srv/truffles}. Empty
     * when this host cannot boot a container (no cgroup access): the caller skips with the reason printed.
     */
    static BootedContainer boot(Path root, Path source) throws IOException, InterruptedException {
        Path log = Files.createTempFile("truffles-nspawn-", ".log");
        String name = "truffles-it-" + UUID.randomUUID().toString().substring(0, 8);
        Process nspawn = new ProcessBuilder("systemd-nspawn", "-q", "-D", root.toString(), "--volatile=overlay", "-b",
                "-M", name, "--register=no", "--keep-unit", "--private-network", "--console=passive",
                "--bind-ro=" + source + ":/srv/truffles")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + BOOT_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Long> pid1 = nspawn.children().filter(child -> command(child).endsWith("systemd"))
                    .map(ProcessHandle::pid).findFirst();
            if (pid1.isPresent()) {
                BootedContainer container = new BootedContainer(nspawn, log, pid1.get());
                Commands.Result running = container.exec(BOOT_LIMIT, "systemctl", "is-system-running", "--wait");
                if (running.output().contains("running") || running.output().contains("degraded")) {
                    return container;
                }
                if (System.nanoTime() >= deadline) {
                    container.close();
                    throw new IllegalStateException("The container booted but systemd reports: " + running.describe());
                }
                // early in the boot systemd answers "offline" or has no bus yet: ask again
            }
            if (!nspawn.isAlive()) {
                throw new CannotBoot(Files.readString(log).strip());
            }
            nspawn.waitFor(200, TimeUnit.MILLISECONDS);
        }
        nspawn.destroyForcibly();
        throw new CannotBoot("no systemd inside after " + BOOT_LIMIT + ": " + Files.readString(log).strip());
    }

    /** systemd-nspawn exited before its container's systemd started: what it said. */
    static final class CannotBoot extends IllegalStateException {
        CannotBoot(String said) {
            super(said);
        }
    }

    private static String command(ProcessHandle process) {
        return process.info().command().orElse("");
    }

    /** Runs a command inside, in every namespace of the container, as root. */
    Commands.Result exec(Duration limit, String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(pid1), "-a"));
        argv.addAll(List.of(command));
        return Commands.run(limit, argv);
    }

    /** Runs a shell command line inside. */
    Commands.Result shell(Duration limit, String script) throws IOException, InterruptedException {
        return exec(limit, "/bin/bash", "-c", script);
    }

    /** What systemd-nspawn printed (the container's console is passive: only nspawn's own lines). */
    String nspawnLog() throws IOException {
        return Files.readString(log);
    }

    /** Powers the container off and waits for systemd-nspawn to end; kills it if it does not within 30 s. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (nspawn.isAlive()) {
                exec(Duration.ofSeconds(30), "systemctl", "poweroff", "--no-block");
            }
        } catch (RuntimeException | IOException cannotAsk) {
            // the container is already going or gone; the wait below settles it
        }
        if (!nspawn.waitFor(30, TimeUnit.SECONDS)) {
            nspawn.descendants().forEach(ProcessHandle::destroyForcibly);
            nspawn.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(log);
    }
}
