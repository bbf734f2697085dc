package io.truffles.core.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The S3-compatible server of the embedded default and of tests: s3proxy with its filesystem backend, always as a
 * child process because its libraries clash with Quarkus's in one JVM.
 */
public final class EmbeddedS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "truffles";
    public static final String SECRET_KEY = "truffles-local-secret";
    public static final String REGION = "us-east-1";

    private final Process process;
    private final int port;

    private EmbeddedS3(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts s3proxy on {@code port} (0 picks a free one) storing objects under {@code directory}, and waits until it
     * accepts connections.
     */
    public static EmbeddedS3 start(Path directory, int port) throws IOException {
        Path jar = s3proxyJar();
        int chosen = port == 0 ? freePort() : port;
        Path objects = Files.createDirectories(directory.resolve("objects"));
        Path properties = directory.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + chosen,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + objects.toAbsolutePath(),
                ""), StandardCharsets.UTF_8);
        Path log = directory.resolve("s3proxy.log");
        Process process = new ProcessBuilder(List.of(javaExecutable(), "-Xmx256m", "-jar", jar.toString(),
                "--properties", properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        EmbeddedS3 s3 = new EmbeddedS3(process, chosen);
        s3.awaitListening(Duration.ofSeconds(60), log);
        return s3;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    private void awaitListening(Duration timeout, Path log) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IOException("s3proxy exited with " + process.exitValue() + " before listening; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    process.waitFor(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for s3proxy", interrupted);
                }
            }
        }
        close();
        throw new IOException("s3proxy did not listen on port " + port + " within " + timeout + "; see " + log);
    }

    /**
     * The s3proxy jar the build puts in {@code core/target/embedded}: from the {@code truffles-embedded-dir} system
     * property (set by the build for tests), else {@code TRUFFLES_HOME}/core/target/embedded.
     */
    static Path s3proxyJar() {
        String dir = System.getProperty("truffles-embedded-dir");
        if (dir == null) {
            String home = System.getenv().getOrDefault("TRUFFLES_HOME", ".");
            dir = Path.of(home, "core", "target", "embedded").toString();
        }
        Path jar = Path.of(dir, "s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new UncheckedIOException(new IOException("No s3proxy jar at " + jar.toAbsolutePath()
                    + "; build core first (./mvnw -pl core package)"));
        }
        return jar;
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException interrupted) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
