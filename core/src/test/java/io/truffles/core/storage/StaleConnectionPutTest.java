package io.truffles.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.core.testing.LocalS3;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A server that closes the connection on the first PUT while the client waits for "100 Continue", the way a server
 * drops a kept-alive connection it has timed out, then behaves. The put must arrive whole, once.
 */
class StaleConnectionPutTest {

    @Test
    void aPutWhoseConnectionTheServerDroppedIsSentAgainAndArrivesOnce() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0)) {
            Thread serving = new Thread(() -> serve(server, bodies), "fake-s3");
            serving.setDaemon(true);
            serving.start();
            ObjectStorage storage = LocalS3.storage(URI.create("http://127.0.0.1:" + server.getLocalPort()),
                    "truffles-recordings");

            storage.put("sessions/s1/metadata.json", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8),
                    "application/json");

            // the SDK signs the body in aws-chunked encoding: the JSON stands inside one chunk
            assertThat(bodies).singleElement().asString().contains("\n{\"ok\":true}\r\n");
        }
    }

    private static void serve(ServerSocket server, List<String> bodies) {
        boolean dropNextPut = true;
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                BufferedReader head = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
                String requestLine = head.readLine();
                if (requestLine == null) {
                    continue;
                }
                int length = 0;
                boolean expectsContinue = false;
                for (String line = head.readLine(); line != null && !line.isEmpty(); line = head.readLine()) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                    } else if (lower.startsWith("expect:") && lower.contains("100-continue")) {
                        expectsContinue = true;
                    }
                }
                OutputStream out = socket.getOutputStream();
                if (requestLine.startsWith("PUT ")) {
                    if (dropNextPut) {
                        dropNextPut = false;
                        continue; // closed without a word, as a timed-out keep-alive connection is
                    }
                    if (expectsContinue) {
                        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                    char[] body = new char[length];
                    int read = 0;
                    while (read < length) {
                        int n = head.read(body, read, length - read);
                        if (n < 0) {
                            break;
                        }
                        read += n;
                    }
                    bodies.add(new String(body, 0, read));
                }
                out.write(("HTTP/1.1 200 OK\r\nETag: \"1\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException closed) {
                return;
            }
        }
    }
}
