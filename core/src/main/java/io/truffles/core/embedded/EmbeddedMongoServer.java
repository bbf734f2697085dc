package io.truffles.core.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link EmbeddedMongo} as its own process for {@code ./truffles up}:
 * {@code EmbeddedMongoServer --port 27027 --file data/mongo/truffles.mv}. Stops cleanly on SIGTERM.
 */
public final class EmbeddedMongoServer {
    private EmbeddedMongoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = 27027;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--file" -> file = Path.of(value(args, ++i, "--file"));
                default -> usage("unknown argument " + args[i]);
            }
        }
        EmbeddedMongo mongo = file == null ? EmbeddedMongo.inMemory() : EmbeddedMongo.onFile(file, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mongo.close();
            stopped.countDown();
        }, "embedded-mongo-shutdown"));
        System.out.println("Embedded MongoDB " + (file == null ? "in memory" : "on " + file.toAbsolutePath())
                + " listening on " + mongo.uri("").replaceAll("/$", ""));
        System.out.flush();
        stopped.await();
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            usage(flag + " needs a value");
        }
        return args[index];
    }

    private static void usage(String problem) {
        System.err.println("embedded-mongo: " + problem + ". Usage: EmbeddedMongoServer [--port N] [--file PATH]");
        System.exit(2);
    }
}
