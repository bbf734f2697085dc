package io.truffles.core.queue;

import com.mongodb.client.MongoClient;
import io.truffles.core.documents.Session;
import io.truffles.core.mongo.MongoConnections;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A render worker in its own JVM that claims one session, says so, and then holds it (heartbeating) until killed:
 * the stand-in for a renderer that dies mid-job. Args: MongoDB URI, lease TTL in milliseconds.
 */
public final class HoldingWorkerProcess {
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        Duration leaseTtl = Duration.ofMillis(Long.parseLong(args[1]));
        MongoClient client = MongoConnections.connect(uri);
        JobQueue<Session> queue = new JobQueue<>(MongoConnections.documents(client, uri).sessions(),
                QueueStage.RENDER.withLeaseTtl(leaseTtl), Clock.systemUTC(),
                WorkerIdentity.of("renderer"));
        CountDownLatch never = new CountDownLatch(1);
        new QueueWorker<>(queue, job -> {
            System.out.println("CLAIMED " + job.claim().id() + " " + job.claim().token());
            System.out.flush();
            never.await();
            return JobOutcome.moveTo(io.truffles.core.documents.SessionStatus.analyzing);
        }, new Doorbell(), () -> 1, Duration.ofMillis(100), Clock.systemUTC()).start();
        never.await();
    }
}
