package io.truffles.agentrunner.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The sandbox's only way out: a Unix socket in the agent's run folder whose every connection the runner carries to the
 * model API's host and port, and nowhere else. Inside, {@code model-bridge.cjs} listens on 127.0.0.1 at the same port
 * and feeds the socket, so the CLI talks to {@code ANTHROPIC_BASE_URL} as usual while every other address stays
 * unreachable in the sandbox's empty network namespace.
 */
public final class ModelBridge implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ModelBridge.class);
    public static final String SOCKET = "model.sock";
    public static final String SCRIPT = "model-bridge.cjs";

    private final Path runDir;
    private final InetSocketAddress target;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private volatile boolean open = true;

    private ModelBridge(Path runDir, InetSocketAddress target) throws IOException {
        this.runDir = runDir;
        this.target = target;
        Files.createDirectories(runDir);
        Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InputStream script = Objects.requireNonNull(ModelBridge.class.getResourceAsStream(SCRIPT))) {
            Files.write(runDir.resolve(SCRIPT), script.readAllBytes());
        }
        Files.setPosixFilePermissions(runDir.resolve(SCRIPT), PosixFilePermissions.fromString("rw-r--r--"));
        Path socket = runDir.resolve(SOCKET);
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        // the agent runs as another user: it must be able to connect; the folder holds nothing else of value
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        this.acceptor = new Thread(this::accept, "model-bridge-" + runDir.getFileName());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Opens the bridge in {@code runDir} towards {@code host:port}. */
    public static ModelBridge open(Path runDir, String host, int port) {
        try {
            return new ModelBridge(runDir, new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open the model API bridge in " + runDir + ": " + e.getMessage(), e);
        }
    }

    public Path runDir() {
        return runDir;
    }

    public int port() {
        return target.getPort();
    }

    /** The command prefix, inside the sandbox, that starts the bridge's inner half before the agent command. */
    public List<String> innerCommand() {
        return List.of("/usr/bin/node", SandboxCommand.RUN_DIR + "/" + SCRIPT, String.valueOf(target.getPort()),
                SandboxCommand.RUN_DIR + "/" + SOCKET);
    }

    private void accept() {
        while (open) {
            try {
                SocketChannel inner = server.accept();
                Thread pump = new Thread(() -> carry(inner), "model-bridge-conn");
                pump.setDaemon(true);
                pump.start();
            } catch (IOException e) {
                if (open) {
                    LOG.warnf("Model API bridge in %s stopped accepting: %s", runDir, e.getMessage());
                }
                return;
            }
        }
    }

    private void carry(SocketChannel inner) {
        try (inner; SocketChannel outer = SocketChannel.open(target)) {
            Thread back = new Thread(() -> copy(outer, inner), "model-bridge-back");
            back.setDaemon(true);
            back.start();
            copy(inner, outer);
            back.join(60_000);
        } catch (IOException e) {
            LOG.debugf("Model API connection through %s ended: %s", runDir, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException closed) {
            // either side hung up: the other direction ends on its own
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
            Files.deleteIfExists(runDir.resolve(SOCKET));
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
