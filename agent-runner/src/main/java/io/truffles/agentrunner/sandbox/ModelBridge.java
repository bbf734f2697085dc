package io.truffles.agentrunner.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jboss.logging.Logger;

/**
 * The sandbox's only way out, and the reason the model key never enters it. The sandbox has an empty network
 * namespace; inside, {@code model-bridge.cjs} listens on {@code 127.0.0.1:}{@value #INNER_PORT} (where the CLI's
 * {@code ANTHROPIC_BASE_URL} points, plain HTTP) and carries each connection over a Unix socket in the agent's run
 * folder to this class, in the runner. Here every request is checked and rewritten before it leaves:
 * <ul>
 * <li>it goes to the configured model API and nowhere else, whatever its Host header says (the allow-list is that one
 * host), and only under the API's {@code /v1/} path; anything else is answered 403;</li>
 * <li>the CLI was given a random placeholder key; the placeholder is replaced with the real key on egress
 * ({@code x-api-key}), so the real key is in the runner's memory only — not in the sandbox's environment, files or
 * {@code /proc};</li>
 * <li>TLS to the real API is the runner's (hostname verified), so the CLI inside speaks plain HTTP to the bridge;</li>
 * <li>one request per connection ({@code Connection: close} both ways), so each request is checked.</li>
 * </ul>
 * This is the design of Anthropic's {@code @anthropic-ai/sandbox-runtime} (proxy outside, socket bridged into an
 * empty network namespace, credentials masked with a sentinel), without its TLS interception: the CLI's base URL can
 * point at the plain-HTTP bridge, so no certificate authority has to be trusted inside.
 */
public final class ModelBridge implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ModelBridge.class);
    public static final String SOCKET = "model.sock";
    public static final String SCRIPT = "model-bridge.cjs";
    /** Where the CLI reaches the bridge inside the sandbox (its own network namespace: no clash between agents). */
    public static final int INNER_PORT = 8765;
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final List<String> HOP_BY_HOP = List.of("host", "connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "upgrade", "te");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path runDir;
    private final URI api;
    private final String basePath;
    private final String realKey;
    private final String placeholder;
    private final SSLSocketFactory tls;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private volatile boolean open = true;

    private ModelBridge(Path runDir, URI api, String realKey, SSLSocketFactory tls) throws IOException {
        this.runDir = runDir;
        this.tls = tls;
        this.api = api;
        String path = api.getRawPath() == null ? "" : api.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.realKey = realKey == null || realKey.isBlank() ? null : realKey;
        this.placeholder = this.realKey == null ? null
                : "sk-ant-truffles-masked-" + HexFormat.of().formatHex(randomBytes());
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

    private static byte[] randomBytes() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Opens the bridge in {@code runDir} towards the model API at {@code api} (scheme, host, port and base path).
     *
     * @param realKey the model key, substituted on egress; {@code null} when there is none (the CLI then gets no key
     *                and says it is not logged in)
     */
    public static ModelBridge open(Path runDir, URI api, String realKey) {
        return open(runDir, api, realKey, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** With {@code tls} for HTTPS APIs (the JVM's default trust store and protocols, unless a test names its own). */
    public static ModelBridge open(Path runDir, URI api, String realKey, SSLSocketFactory tls) {
        try {
            return new ModelBridge(runDir, api, realKey, tls);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open the model API bridge in " + runDir + ": " + e.getMessage(), e);
        }
    }

    public Path runDir() {
        return runDir;
    }

    /** What the CLI inside the sandbox gets as {@code ANTHROPIC_BASE_URL}. */
    public String innerBaseUrl() {
        return "http://127.0.0.1:" + INNER_PORT + basePath;
    }

    /** What the CLI inside gets as {@code ANTHROPIC_API_KEY}: a random stand-in, or {@code null} without a key. */
    public String placeholderKey() {
        return placeholder;
    }

    /** The command prefix, inside the sandbox, that starts the bridge's inner half before the agent command. */
    public List<String> innerCommand() {
        return List.of("/usr/bin/node", SandboxCommand.RUN_DIR + "/" + SCRIPT, String.valueOf(INNER_PORT),
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
        InputStream fromAgent = in(inner);
        OutputStream toAgent = out(inner);
        try (inner) {
            byte[] head = readHead(fromAgent);
            if (head == null) {
                return;
            }
            String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] request = lines[0].split(" ");
            if (request.length != 3 || !request[2].startsWith("HTTP/1.") || !request[1].startsWith(basePath + "/v1/")
                    || request[1].contains("/../") || request[1].contains("/./")) {
                LOG.warnf("Model API bridge in %s refused a request that is not for the model API: %.200s", runDir,
                        lines[0]);
                answer(toAgent, "403 Forbidden", "Truffles sandbox: only the model API is reachable\n");
                return;
            }
            Socket connected;
            try {
                connected = connectUpstream();
            } catch (IOException e) {
                LOG.warnf("Model API bridge in %s cannot reach %s: %s", runDir, api, e.getMessage());
                answer(toAgent, "502 Bad Gateway", "Truffles sandbox: the model API could not be reached\n");
                return;
            }
            try (Socket upstream = connected) {
                OutputStream toApi = upstream.getOutputStream();
                toApi.write(rewriteRequest(lines));
                toApi.flush();
                Thread body = new Thread(() -> copy(fromAgent, toApi), "model-bridge-body");
                body.setDaemon(true);
                body.start();
                InputStream fromApi = upstream.getInputStream();
                byte[] responseHead = readHead(fromApi);
                if (responseHead != null) {
                    toAgent.write(rewriteResponse(new String(responseHead, StandardCharsets.ISO_8859_1)));
                    copy(fromApi, toAgent);
                }
            }
        } catch (IOException e) {
            LOG.debugf("Model API connection through %s ended: %s", runDir, e.getMessage());
        }
    }

    private Socket connectUpstream() throws IOException {
        int port = api.getPort() > 0 ? api.getPort() : "https".equals(api.getScheme()) ? 443 : 80;
        if (!"https".equals(api.getScheme())) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(api.getHost(), port), 10_000);
            return socket;
        }
        SSLSocket socket = (SSLSocket) tls.createSocket(api.getHost(), port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /** The request head as it leaves: the API's Host, the real key for the placeholder, one request per connection. */
    private byte[] rewriteRequest(String[] lines) {
        StringBuilder out = new StringBuilder(lines[0]).append("\r\n");
        int defaultPort = "https".equals(api.getScheme()) ? 443 : 80;
        out.append("Host: ").append(api.getHost())
                .append(api.getPort() > 0 && api.getPort() != defaultPort ? ":" + api.getPort() : "").append("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (HOP_BY_HOP.contains(name)) {
                continue;
            }
            if (name.equals("x-api-key") || name.equals("authorization")) {
                // only the placeholder is swapped; a key the agent made up itself goes nowhere
                if (placeholder != null && (value.equals(placeholder) || value.equals("Bearer " + placeholder))) {
                    out.append("x-api-key: ").append(realKey).append("\r\n");
                }
                continue;
            }
            out.append(lines[i]).append("\r\n");
        }
        out.append("Connection: close\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] rewriteResponse(String head) {
        StringBuilder out = new StringBuilder();
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("connection:") && !lower.startsWith("keep-alive:")) {
                out.append(line).append("\r\n");
            }
        }
        out.append("Connection: close\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void answer(OutputStream toAgent, String status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        toAgent.write(("HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        toAgent.write(body);
    }

    /** Bytes up to and without the blank line ending an HTTP head; {@code null} when the peer closed first. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (head.size() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                byte[] bytes = head.toByteArray();
                return java.util.Arrays.copyOf(bytes, bytes.length - 4);
            }
        }
        throw new IOException("HTTP head over " + MAX_HEAD_BYTES + " bytes");
    }

    private static void copy(InputStream from, OutputStream to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException closed) {
            // either side hung up: the other direction ends on its own
        }
    }

    // Direct channel reads and writes: the streams of java.nio.channels.Channels would share one lock between the two
    // directions, and a blocked read would stall every write.
    private static InputStream in(SocketChannel channel) {
        return new InputStream() {
            private final byte[] one = new byte[1];

            @Override
            public int read() throws IOException {
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return channel.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    private static OutputStream out(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
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
