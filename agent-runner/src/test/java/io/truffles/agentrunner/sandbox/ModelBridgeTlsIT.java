package io.truffles.agentrunner.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge's way out to a real (HTTPS) model API: TLS is the runner's, with the server's name verified, and the
 * plain HTTP the CLI speaks inside the sandbox leaves as HTTPS with the real key. A certificate for another name is
 * refused, so the key is never sent to it.
 */
class ModelBridgeTlsIT {
    @TempDir
    Path dir;

    private KeyStore keyStore(String san) throws Exception {
        Path file = dir.resolve(san.replace(':', '-') + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "api", "-keyalg", "EC", "-dname", "CN=api", "-ext", "SAN=" + san,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).isTrue();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        return store;
    }

    private static SSLContext context(KeyStore store) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    /** An HTTPS "model API" on a free port that records each request's key and Host, answering 200. */
    private static HttpsServer api(SSLContext context, List<String> seen) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestHeaders().getFirst("x-api-key") + " " + exchange.getRequestHeaders()
                    .getFirst("Host") + " " + exchange.getRequestURI());
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** What the in-sandbox half does: one plain HTTP request over the Unix socket; answers the whole response. */
    private static String send(Path socket, String request) throws Exception {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            StringBuilder response = new StringBuilder();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            try {
                while (channel.read(buffer) >= 0) {
                    buffer.flip();
                    response.append(StandardCharsets.ISO_8859_1.decode(buffer));
                    buffer.clear();
                }
            } catch (java.io.IOException reset) {
                // a refusal closes without reading the request's body, which a Unix socket reports as a reset after
                // the answer: what was read is the whole answer
            }
            return response.toString();
        }
    }

    @Test
    void plainHttpFromTheSandboxLeavesAsVerifiedHttpsWithTheRealKey() throws Exception {
        SSLContext context = context(keyStore("IP:127.0.0.1"));
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpsServer server = api(context, seen);
        URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/anthropic");
        try (ModelBridge bridge = ModelBridge.open(dir.resolve("run"), uri, "sk-ant-REAL", context.getSocketFactory())) {
            String response = send(dir.resolve("run").resolve(ModelBridge.SOCKET), "POST /anthropic/v1/messages HTTP/1.1"
                    + "\r\nHost: 127.0.0.1:8765\r\nx-api-key: " + bridge.placeholderKey()
                    + "\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}");

            assertThat(bridge.innerBaseUrl()).isEqualTo("http://127.0.0.1:" + ModelBridge.INNER_PORT + "/anthropic");
            assertThat(response).startsWith("HTTP/1.1 200").contains("Connection: close").endsWith("{\"ok\":true}");
            assertThat(seen).containsExactly("sk-ant-REAL 127.0.0.1:" + server.getAddress().getPort()
                    + " /anthropic/v1/messages");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anApiWhoseCertificateNamesAnotherHostNeverGetsTheKey() throws Exception {
        SSLContext context = context(keyStore("DNS:other.example"));
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpsServer server = api(context, seen);
        URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
        try (ModelBridge bridge = ModelBridge.open(dir.resolve("run"), uri, "sk-ant-REAL", context.getSocketFactory())) {
            String response = send(dir.resolve("run").resolve(ModelBridge.SOCKET), "POST /v1/messages HTTP/1.1"
                    + "\r\nHost: x\r\nx-api-key: " + bridge.placeholderKey() + "\r\nContent-Length: 2\r\n\r\n{}");

            assertThat(response).startsWith("HTTP/1.1 502 Bad Gateway");
            assertThat(seen).isEmpty();
        } finally {
            server.stop(0);
        }
    }
}
