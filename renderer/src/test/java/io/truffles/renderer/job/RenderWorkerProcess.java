package io.truffles.renderer.job;

import com.mongodb.client.MongoClient;
import io.truffles.core.documents.Session;
import io.truffles.core.mongo.MongoConnections;
import io.truffles.core.queue.Doorbell;
import io.truffles.core.queue.JobQueue;
import io.truffles.core.queue.QueueStage;
import io.truffles.core.queue.QueueWorker;
import io.truffles.core.queue.WorkerIdentity;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.renderer.encode.VideoRenderer;
import io.truffles.renderer.replay.RenderOptions;
import io.truffles.renderer.replay.ReplayBrowsers;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A renderer in its own JVM — the real {@link RenderJob} on a real queue worker, Chromium and ffmpeg — that the
 * kill test can SIGKILL mid-render. Args: MongoDB URI, S3 endpoint, bucket, lease TTL in milliseconds.
 */
public final class RenderWorkerProcess {
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        URI endpoint = URI.create(args[1]);
        String bucket = args[2];
        Duration leaseTtl = Duration.ofMillis(Long.parseLong(args[3]));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("truffles", "truffles-local-secret"));
        S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create()).build();
        S3Presigner presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).build();
        ObjectStorage storage = new ObjectStorage(s3, presigner, bucket);
        MongoClient client = MongoConnections.connect(uri);
        JobQueue<Session> queue = new JobQueue<>(MongoConnections.documents(client, uri).sessions(),
                QueueStage.RENDER.withLeaseTtl(leaseTtl), Clock.systemUTC(), WorkerIdentity.of("renderer"));
        RenderJob render = new RenderJob(storage, new VideoRenderer(new ReplayBrowsers("/usr/bin/chromium", 512, () -> 1)),
                RenderOptions.defaults());
        new QueueWorker<>(queue, job -> {
            System.out.println("CLAIMED " + job.document().posthogSessionId + " attempt " + job.attempt());
            var outcome = render.handle(job);
            System.out.println("RENDERED " + job.document().posthogSessionId);
            return outcome;
        }, new Doorbell(), () -> 1, Duration.ofMillis(200), Clock.systemUTC()).start();
        new CountDownLatch(1).await();
    }
}
