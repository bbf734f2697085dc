package io.truffles.agentrunner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.core.json.JsonMapping;
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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jboss.logging.Logger;

/**
 * The sandbox's only way out, and the reason the model key never enters it. The sandbox has an empty network
 * namespace; inside, {@code model-bridge.cjs} listens on {@code 127.0.0.1:}{@value #INNER_PORT} (where the CLI's
 * {@code ANTHROPIC_BASE_URL} points, plain HTTP) and carries each connection over a Unix socket in the agent's run
 * folder to this class, in the runner. Here every request is read whole, checked and rewritten before it leaves:
 * <ul>
 * <li>{@link ModelRequestPolicy}: {@code POST} to the Messages API's two paths only, a plain target (no {@code %},
 * {@code ..}, bare CR/LF), allowed headers, beta flags and body keys, no {@code mcp_servers} and no server-side tools;
 * a body with Content-Length of at most {@value #MAX_BODY_BYTES} bytes; the head and body within
 * {@link #READ_LIMIT}; anything else is answered with an error naming what was refused;</li>
 * <li>it goes to the configured model API and nowhere else, whatever its Host header says;</li>
 * <li>the CLI was given a random placeholder key; the placeholder is replaced with the real key on egress
 * ({@code x-api-key}), so the real key is in the runner's memory only — not in the sandbox's environment, files or
 * {@code /proc};</li>
 * <li>the tokens of every response are counted ({@link ModelSpend}, streams included) and once the agent's budget is
 * spent no request leaves: the CLI gets a 400 saying so, which it reports as its result;</li>
 * <li>TLS to the real API is the runner's (hostname verified), so the CLI inside speaks plain HTTP to the bridge;</li>
 * <li>one request per connection ({@code Connection: close} both ways; bytes after the body are never read), at most
 * {@value #MAX_CONNECTIONS} connections at once per agent, on a thread pool shared by all agents and bounded at
 * {@value #MAX_THREADS} threads;</li>
 * <li>the socket is {@code 0600} and owned by the agent's user, in a folder only the runner can write.</li>
 * </ul>
 * This is the design of Anthropic's {@code @anthropic-ai/sandbox-runtime} (proxy outside, socket bridged into an
 * empty network namespace, credentials masked with a sentinel), without its TLS interception: the CLI's base URL can
 * point at the plain-HTTP bridge, so no certificate authority has to be trusted inside.
 */
public final class ModelBridge implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ModelBridge.class);
    private static final ObjectMapper JSON = JsonMapping.shared();
    public static final String SOCKET = "model.sock";
    public static final String SCRIPT = "model-bridge.cjs";
    /** Where the CLI reaches the bridge inside the sandbox (its own network namespace: no clash between agents). */
    public static final int INNER_PORT = 8765;
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    /** A whole conversation with a 1M-token context is about 4 MB of JSON. */
    static final int MAX_BODY_BYTES = 16 << 20;
    /** Claude Code runs at most a few requests at once (the turn, a title, a token count). */
    static final int MAX_CONNECTIONS = 8;
    /** Threads carrying requests, for all agents of this runner together. */
    static final int MAX_THREADS = 64;
    /** The time a request has to arrive whole (head and body) once its connection is accepted. */
    static final Duration READ_LIMIT = Duration.ofSeconds(30);
    /** The longest silence from the model API before the request is abandoned (a stream sends pings). */
    static final Duration UPSTREAM_SILENCE = Duration.ofMinutes(5);
    private static final int MAX_METERED_LINE = 1 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadPoolExecutor CARRIERS = new ThreadPoolExecutor(0, MAX_THREADS, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> daemon(r, "model-bridge-" + THREADS.incrementAndGet()));
    private static final ScheduledExecutorService DEADLINES = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> daemon(r, "model-bridge-deadlines"));

    /**
     * @param budgetUsd what the agent may spend on the model in all (the runner's {@code AGENT_MAX_BUDGET_USD});
     *                  infinite for no limit
     * @param owner     the user the socket is handed to (the agent's), when the runner may hand it over (root)
     */
    public record Options(double budgetUsd, OptionalInt owner) {
        public static Options unlimited() {
            return new Options(Double.POSITIVE_INFINITY, OptionalInt.empty());
        }
    }

    private final Path runDir;
    private final URI api;
    private final String basePath;
    private final String realKey;
    private final String placeholder;
    private final SSLSocketFactory tls;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final ModelRequestPolicy policy;
    private final ModelSpend spend = new ModelSpend();
    private final double budgetUsd;
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private volatile boolean open = true;

    private ModelBridge(Path runDir, URI api, String realKey, SSLSocketFactory tls, Options options)
            throws IOException {
        this.runDir = runDir;
        this.tls = tls;
        this.api = api;
        String path = api.getRawPath() == null ? "" : api.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.policy = new ModelRequestPolicy(basePath);
        this.budgetUsd = options.budgetUsd();
        this.realKey = realKey == null || realKey.isBlank() ? null : realKey;
        this.placeholder = this.realKey == null ? null
                : "sk-ant-truffles-masked-" + HexFormat.of().formatHex(randomBytes());
        Files.createDirectories(runDir);
        // readable (the sandbox mounts it) but writable by the runner only: nobody can swap the socket or script
        Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InputStream script = Objects.requireNonNull(ModelBridge.class.getResourceAsStream(SCRIPT))) {
            Files.write(runDir.resolve(SCRIPT), script.readAllBytes());
        }
        Files.setPosixFilePermissions(runDir.resolve(SCRIPT), PosixFilePermissions.fromString("rw-r--r--"));
        Path socket = runDir.resolve(SOCKET);
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        // only the agent's own user may connect (a Unix socket needs write permission to connect)
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        if (options.owner().isPresent()) {
            Files.setAttribute(socket, "unix:uid", options.owner().getAsInt(), LinkOption.NOFOLLOW_LINKS);
        }
        this.acceptor = daemon(this::accept, "model-bridge-" + runDir.getFileName());
        acceptor.start();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
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
        return open(runDir, api, realKey, Options.unlimited());
    }

    public static ModelBridge open(Path runDir, URI api, String realKey, Options options) {
        return open(runDir, api, realKey, (SSLSocketFactory) SSLSocketFactory.getDefault(), options);
    }

    /** With {@code tls} for HTTPS APIs (the JVM's default trust store and protocols, unless a test names its own). */
    public static ModelBridge open(Path runDir, URI api, String realKey, SSLSocketFactory tls) {
        return open(runDir, api, realKey, tls, Options.unlimited());
    }

    public static ModelBridge open(Path runDir, URI api, String realKey, SSLSocketFactory tls, Options options) {
        try {
            return new ModelBridge(runDir, api, realKey, tls, options);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open the model API bridge in " + runDir + ": " + e.getMessage(), e);
        }
    }

    public Path runDir() {
        return runDir;
    }

    /** What the agent spent through this bridge so far. */
    public ModelSpend spend() {
        return spend;
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
            SocketChannel inner;
            try {
                inner = server.accept();
            } catch (IOException e) {
                if (open) {
                    LOG.warnf("Model API bridge in %s stopped accepting: %s", runDir, e.getMessage());
                }
                return;
            }
            if (!connections.tryAcquire()) {
                refuseBusy(inner, "more than " + MAX_CONNECTIONS + " connections at once from one agent");
                continue;
            }
            try {
                CARRIERS.execute(() -> {
                    try {
                        carry(inner);
                    } finally {
                        connections.release();
                    }
                });
            } catch (RejectedExecutionException full) {
                connections.release();
                refuseBusy(inner, "all " + MAX_THREADS + " bridge threads of this runner are busy");
            }
        }
    }

    private void refuseBusy(SocketChannel inner, String why) {
        LOG.warnf("Model API bridge in %s refused a connection: %s", runDir, why);
        try (inner) {
            answer(out(inner), 503, "overloaded_error", "Truffles sandbox: " + why);
        } catch (IOException ignored) {
            // the agent hung up first
        }
    }

    private void carry(SocketChannel inner) {
        InputStream fromAgent = in(inner);
        OutputStream toAgent = out(inner);
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> closeQuietly(inner), READ_LIMIT.toMillis(),
                TimeUnit.MILLISECONDS);
        try (inner) {
            byte[] rawHead = readHead(fromAgent);
            if (rawHead == null) {
                return;
            }
            ModelRequestPolicy.Head head;
            byte[] body;
            JsonNode request;
            try {
                head = policy.head(rawHead);
                long length = contentLength(head);
                body = fromAgent.readNBytes((int) length);
                if (body.length < length) {
                    return;
                }
                deadline.cancel(false);
                policy.body(body);
                request = JSON.readTree(body);
            } catch (ModelRequestPolicy.Refused refused) {
                LOG.warnf("Model API bridge in %s refused a request: %s", runDir, refused.getMessage());
                answer(toAgent, refused.status(), refused.status() == 403 ? "permission_error"
                        : "invalid_request_error", "Truffles sandbox: " + refused.getMessage());
                return;
            }
            if (spend.usd() >= budgetUsd) {
                String why = "this agent's model budget of $" + java.math.BigDecimal.valueOf(budgetUsd)
                        .stripTrailingZeros().toPlainString() + " is spent (" + spend + "); no more model requests "
                        + "are forwarded";
                LOG.warnf("Model API bridge in %s: %s", runDir, why);
                answer(toAgent, 400, "invalid_request_error", "Truffles: " + why);
                return;
            }
            Socket connected;
            try {
                connected = connectUpstream();
            } catch (IOException e) {
                LOG.warnf("Model API bridge in %s cannot reach %s: %s", runDir, api, e.getMessage());
                answer(toAgent, 502, "api_error", "Truffles sandbox: the model API could not be reached");
                return;
            }
            try (Socket upstream = connected) {
                upstream.setSoTimeout((int) UPSTREAM_SILENCE.toMillis());
                OutputStream toApi = upstream.getOutputStream();
                toApi.write(rewriteRequest(head, body.length));
                toApi.write(body);
                toApi.flush();
                relayResponse(upstream.getInputStream(), toAgent, spend.response(request.path("model").asText(null)));
            }
        } catch (IOException | RuntimeException e) {
            // a hang-up, a timeout, or an answer the relay could not frame: the connection ends, the agent retries
            LOG.debugf("Model API connection through %s ended: %s", runDir, e.getMessage());
        } finally {
            deadline.cancel(false);
        }
    }

    private static long contentLength(ModelRequestPolicy.Head head) throws ModelRequestPolicy.Refused {
        String value = head.header("content-length").orElseThrow(() -> new ModelRequestPolicy.Refused(411,
                "a request without Content-Length"));
        long length;
        try {
            length = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ModelRequestPolicy.Refused(400, "a Content-Length that is not a number");
        }
        if (length < 0 || length > MAX_BODY_BYTES) {
            throw new ModelRequestPolicy.Refused(413, "a body of " + length + " bytes (at most " + MAX_BODY_BYTES + ")");
        }
        return length;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a connection that ran out of time
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

    /**
     * The request head as it leaves: the API's Host, only allowed headers, the real key for the placeholder, an
     * identity encoding (so the answer's usage can be read), the body's own length, one request per connection.
     */
    private byte[] rewriteRequest(ModelRequestPolicy.Head head, int bodyLength) {
        StringBuilder out = new StringBuilder("POST ").append(head.target()).append(" HTTP/1.1\r\n");
        int defaultPort = "https".equals(api.getScheme()) ? 443 : 80;
        out.append("Host: ").append(api.getHost())
                .append(api.getPort() > 0 && api.getPort() != defaultPort ? ":" + api.getPort() : "").append("\r\n");
        for (String[] header : head.headers()) {
            String name = header[0];
            String value = header[1];
            if (name.equals("x-api-key") || name.equals("authorization")) {
                // only the placeholder is swapped; a key the agent made up itself goes nowhere
                if (placeholder != null && (value.equals(placeholder) || value.equals("Bearer " + placeholder))) {
                    out.append("x-api-key: ").append(realKey).append("\r\n");
                }
            } else if (ModelRequestPolicy.HEADERS.contains(name)) {
                out.append(name).append(": ").append(value).append("\r\n");
            }
        }
        out.append("Accept-Encoding: identity\r\nContent-Length: ").append(bodyLength)
                .append("\r\nConnection: close\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Copies the answer to the agent as it comes (a stream stays a stream), with its own framing, while the body is
     * read for its {@code usage}.
     */
    private static void relayResponse(InputStream fromApi, OutputStream toAgent, ModelSpend.Response metered)
            throws IOException {
        byte[] rawHead = readHead(fromApi);
        if (rawHead == null) {
            return;
        }
        String head = new String(rawHead, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        long length = -1;
        boolean chunked = false;
        boolean stream = false;
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("connection:") || lower.startsWith("keep-alive:")) {
                continue;
            }
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:")) {
                chunked = lower.contains("chunked");
            } else if (lower.startsWith("content-type:")) {
                stream = lower.contains("text/event-stream");
            }
            out.append(line).append("\r\n");
        }
        out.append("Connection: close\r\n\r\n");
        toAgent.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
        UsageReader usage = new UsageReader(metered, stream);
        if (chunked) {
            for (long size = chunkSize(fromApi); size > 0; size = chunkSize(fromApi)) {
                byte[] chunk = fromApi.readNBytes((int) size);
                fromApi.readNBytes(2);
                toAgent.write((Long.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                toAgent.write(chunk);
                toAgent.write(new byte[] {'\r', '\n'});
                toAgent.flush();
                usage.feed(chunk, chunk.length);
                if (chunk.length < size) {
                    return;
                }
            }
            toAgent.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            byte[] buffer = new byte[16 * 1024];
            long left = length < 0 ? Long.MAX_VALUE : length;
            while (left > 0) {
                int n = fromApi.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                toAgent.write(buffer, 0, n);
                toAgent.flush();
                usage.feed(buffer, n);
                left -= n;
            }
        }
        usage.end();
    }

    private static long chunkSize(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.length() > 64) {
                return 0;
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        int extension = line.indexOf(";");
        return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).toString().strip(), 16);
    }

    /** Reads a response body for its usage: each {@code data:} line of a stream, or a whole JSON answer. */
    private static final class UsageReader {
        private final ModelSpend.Response metered;
        private final boolean stream;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean overflow;

        UsageReader(ModelSpend.Response metered, boolean stream) {
            this.metered = metered;
            this.stream = stream;
        }

        void feed(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                if (stream && bytes[i] == '\n') {
                    line();
                } else if (pending.size() < (stream ? MAX_METERED_LINE : MAX_BODY_BYTES)) {
                    pending.write(bytes[i]);
                } else {
                    overflow = true;
                }
            }
        }

        private void line() {
            String line = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            if (overflow || !line.startsWith("data:")) {
                overflow = false;
                return;
            }
            try {
                JsonNode event = JSON.readTree(line.substring(5));
                String type = event.path("type").asText();
                if (type.equals("message_start")) {
                    metered.model(event.path("message").path("model").asText(null));
                    metered.usage(event.path("message").path("usage"));
                } else if (type.equals("message_delta")) {
                    metered.usage(event.path("usage"));
                }
            } catch (IOException notJson) {
                // not an event the meter reads
            }
        }

        void end() {
            if (stream || overflow || pending.size() == 0) {
                return;
            }
            try {
                JsonNode answer = JSON.readTree(pending.toByteArray());
                metered.model(answer.path("model").asText(null));
                metered.usage(answer.path("usage"));
            } catch (IOException notJson) {
                // an error page: nothing was spent
            }
        }
    }

    private static void answer(OutputStream toAgent, int status, String type, String message) throws IOException {
        String reason = switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 411 -> "Length Required";
            case 413 -> "Payload Too Large";
            case 502 -> "Bad Gateway";
            default -> "Service Unavailable";
        };
        byte[] body = JSON.writeValueAsBytes(java.util.Map.of("type", "error",
                "error", java.util.Map.of("type", type, "message", message)));
        toAgent.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
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

    // Direct channel reads and writes: the streams of java.nio.channels.Channels would share one lock between the two
    // directions, and a blocked read would stall every write.
    private static InputStream in(SocketChannel channel) {
        return new java.io.BufferedInputStream(new InputStream() {
            private final byte[] one = new byte[1];

            @Override
            public int read() throws IOException {
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return channel.read(ByteBuffer.wrap(b, off, len));
            }
        });
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
