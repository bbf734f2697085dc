package io.truffles.api.notifications;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * A real HTTP receiver on 127.0.0.1 (a free port): records every request and answers what the test scripted, one
 * answer per request, the last one repeated.
 */
final class LocalReceiver implements AutoCloseable {
    /** What came in: when, the headers (lower-case names) and the body exactly as received. */
    record Received(Instant at, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One answer: the status, the body, and a Retry-After (or null). */
    record Answer(int status, String body, String retryAfter) {
        static Answer of(int status) {
            return new Answer(status, status < 300 ? "ok" : "error " + status, null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Answer> script = new LinkedBlockingQueue<>();
    private volatile Answer last = Answer.of(200);
    /** Runs before each answer (a test may hold a request here). */
    private volatile Supplier<Void> beforeAnswer = () -> null;

    LocalReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            received.add(new Received(Instant.now(), headers, exchange.getRequestBody().readAllBytes()));
            beforeAnswer.get();
            Answer answer = script.poll();
            if (answer == null) {
                answer = last;
            } else {
                last = answer;
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            try {
                exchange.sendResponseHeaders(answer.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException senderGone) {
                // the sender was killed while we held its request
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /** The answers to the next requests, in order; the last one stays. */
    LocalReceiver answer(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    LocalReceiver beforeAnswer(Runnable hold) {
        beforeAnswer = () -> {
            hold.run();
            return null;
        };
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
