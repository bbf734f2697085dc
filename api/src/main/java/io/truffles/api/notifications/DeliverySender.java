package io.truffles.api.notifications;

import static com.mongodb.client.model.Filters.eq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.truffles.core.mongo.Documents;
import io.truffles.core.notifications.NotificationEvent;
import io.truffles.core.queue.Doorbell;
import io.truffles.core.queue.StageWorkers;
import io.truffles.core.queue.WorkerIdentity;
import io.truffles.core.retry.RetryWaits;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * Sends deliveries: claims one under a lease, applies the quiet rule (on channels that keep it), reads the subject
 * fresh, POSTs, and marks the outcome — sent; failed at once on a 4xx but 429; otherwise retried after the receiver's
 * Retry-After or back-off with jitter, each failure counted on the channel, which pauses when it keeps failing. An
 * api killed between the POST and the mark leaves the lease to run out and the delivery is sent again with the same
 * key (receivers drop the second).
 */
@Singleton
public class DeliverySender {
    private static final Logger LOG = Logger.getLogger(DeliverySender.class);

    private final MongoDatabase database;
    private final MongoCollection<Document> notifications;
    private final ChannelStore channels;
    private final NotificationContents contents;
    private final ChannelHttp http;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final NotificationsConfig config;
    private final StageWorkers workers;
    private final Doorbell doorbell = new Doorbell();
    private final AtomicInteger inFlight = new AtomicInteger();
    private Clock clock;
    private DeliveryQueue queue;
    private QuietRule quiet;
    /**
     * The quiet rule holds back news of a problem (it turned red, it reached more users), not what someone acts on:
     * a PR opened or merged and an agent that gave up happen once per agent and always go out. A channel with
     * {@code quiet} off (an admin's choice, say a pager bridge that dedupes itself) gets every message.
     */
    static final Set<String> QUIETED_EVENTS = Set.of(NotificationEvent.ISSUE_RED.wireName(),
            NotificationEvent.ISSUE_USERS.wireName());
    private RetryWaits waits;
    private ExecutorService pool;
    private Thread dispatcher;
    private ChangeFollow follow;
    private volatile boolean running;

    DeliverySender(Documents documents, ChannelStore channels, NotificationContents contents, ChannelHttp http,
            ObjectMapper json, MeterRegistry meters, NotificationsConfig config, StageWorkers workers) {
        this.database = documents.database();
        this.notifications = database.getCollection(NotificationRelay.COLLECTION);
        this.channels = channels;
        this.contents = contents;
        this.http = http;
        this.json = json;
        this.meters = meters;
        this.config = config;
        this.workers = workers;
    }

    void start(@Observes StartupEvent started) {
        // leases and quiet periods are compared by every api: in the database server's time, like the job queue's
        clock = workers.serverClock();
        queue = new DeliveryQueue(database.getCollection(DeliveryQueue.COLLECTION), clock, config.leaseTtl(),
                WorkerIdentity.of("api"));
        quiet = new QuietRule(database.getCollection(QuietRule.COLLECTION), clock, config.quietPeriod());
        waits = new RetryWaits(config.firstBackOff(), config.maxBackOff(), clock);
        follow = ChangeFollow.of(database, List.of(DeliveryQueue.COLLECTION, ChannelStore.COLLECTION), doorbell,
                config.poll(), clock);
        Duration poll = follow.poll();
        pool = Executors.newFixedThreadPool(Math.max(1, config.concurrency()), runnable -> {
            Thread thread = new Thread(runnable, "notification-send");
            thread.setDaemon(true);
            return thread;
        });
        running = true;
        dispatcher = ChangeFollow.thread("notification-dispatch", () -> dispatch(poll));
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        if (follow != null) {
            follow.close();
        }
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Something may be due now (new deliveries relayed, a channel resumed). */
    void wake() {
        doorbell.ring();
    }

    /** A removed channel's waiting deliveries fail, so nothing stays pending for nowhere. */
    void channelRemoved(org.bson.types.ObjectId channelId) {
        queue.failWaiting(channelId, "The channel was removed before this was sent");
    }

    /** A test message to the channel, now, outside the queue: what the receiver answered. */
    SendResult sendTest(Channel channel) {
        Instant now = clock.instant();
        String key = "test:" + channel.id().toHexString() + ":" + now.toEpochMilli();
        return http.post(channel, request(channel, NotificationContent.test(key, now), now));
    }

    private void dispatch(Duration poll) {
        boolean unreachable = false;
        while (running) {
            long seen = doorbell.generation();
            try {
                if (inFlight.get() < Math.max(1, config.concurrency())) {
                    Optional<DeliveryQueue.Claimed> claim = queue.claim(channels.pausedIds());
                    unreachable = false;
                    if (claim.isPresent()) {
                        inFlight.incrementAndGet();
                        pool.execute(() -> run(claim.get()));
                        continue;
                    }
                }
                doorbell.awaitRingAfter(seen, untilNextDue(poll));
            } catch (MongoException failed) {
                if (!running) {
                    return;
                }
                if (!unreachable) {
                    LOG.warnf("Claiming notification deliveries failed (%s); retrying", failed.getMessage());
                    unreachable = true;
                }
                try {
                    doorbell.pause(poll);
                } catch (InterruptedException interrupted) {
                    return;
                }
            } catch (InterruptedException interrupted) {
                return;
            }
        }
    }

    private Duration untilNextDue(Duration poll) {
        return queue.nextDueAt().map(due -> Duration.between(clock.instant(), due))
                .filter(wait -> wait.compareTo(poll) < 0).orElse(poll);
    }

    private void run(DeliveryQueue.Claimed claimed) {
        try {
            deliver(claimed);
        } catch (RuntimeException unexpected) {
            LOG.errorf(unexpected, "Delivering %s failed on attempt %d", claimed.id(), claimed.attempt());
            try {
                afterFailedAttempt(claimed, null, describe(unexpected), null);
            } catch (RuntimeException stillFailing) {
                // the lease runs out and the delivery is claimed again
                LOG.warnf("Could not record the failure of %s (%s)", claimed.id(), stillFailing.getMessage());
            }
        } finally {
            inFlight.decrementAndGet();
            doorbell.ring();
        }
    }

    private void deliver(DeliveryQueue.Claimed claimed) {
        Optional<Channel> found = channels.find(claimed.channelId());
        if (found.isEmpty()) {
            queue.failed(claimed, null, "The channel was removed before this was sent");
            return;
        }
        Channel channel = found.get();
        if (channel.paused()) {
            queue.release(claimed);
            return;
        }
        Document notification = notifications.find(eq("_id", claimed.delivery().getString("notification"))).first();
        if (notification == null) {
            queue.failed(claimed, null, "Its notification was removed before this was sent");
            return;
        }
        String event = notification.getString("event");
        String issueId = claimed.delivery().getString("issueId");
        if (channel.quiet() && issueId != null && QUIETED_EVENTS.contains(event)) {
            Optional<String> holder = quiet.take(channel.id(), issueId, claimed.id());
            if (holder.isPresent()) {
                queue.quieted(claimed, holder.get());
                count("truffles.notifications.quieted", channel, event);
                return;
            }
        }
        Instant now = clock.instant();
        SendResult result = http.post(channel, request(channel, contents.read(notification), now));
        if (result instanceof SendResult.Delivered delivered) {
            if (!queue.sent(claimed, delivered.status())) {
                LOG.warnf("Delivery %s was sent after its lease ran out; another api may send it again", claimed.id());
            }
            channels.recordSuccess(channel.id(), delivered.status());
            count("truffles.notifications.sent", channel, event);
        } else if (result instanceof SendResult.Rejected rejected) {
            channels.recordFailure(channel.id(), rejected.status(), rejected.error(), true);
            failForGood(claimed, channel, issueId, rejected.status(), rejected.error(), event);
        } else if (result instanceof SendResult.Retry retry) {
            channels.recordFailure(channel.id(), retry.status(), retry.error(), retry.counts());
            afterFailedAttempt(claimed, retry.status(), retry.error(), retry.retryAfter());
        }
    }

    /** Retries after the wait, or fails for good when the delivery has had its attempts. */
    private void afterFailedAttempt(DeliveryQueue.Claimed claimed, Integer status, String error, Duration retryAfter) {
        if (claimed.attempt() >= config.maxAttempts()) {
            Channel channel = channels.find(claimed.channelId()).orElse(null);
            failForGood(claimed, channel, claimed.delivery().getString("issueId"), status,
                    "Gave up after " + claimed.attempt() + " attempts; the last: " + error,
                    claimed.delivery().getString("event"));
            return;
        }
        // the receiver's own wait is honoured beyond our back-off's cap: it knows when it can take messages again
        Duration wait = retryAfter == null ? waits.backOff(claimed.attempt())
                : retryAfter.compareTo(config.maxRetryAfter()) > 0 ? config.maxRetryAfter() : retryAfter;
        queue.retry(claimed, clock.instant().plus(wait), status, error);
    }

    private void failForGood(DeliveryQueue.Claimed claimed, Channel channel, String issueId, Integer status,
            String error, String event) {
        queue.failed(claimed, status, error);
        if (issueId != null) {
            quiet.release(claimed.channelId(), issueId, claimed.id());
        }
        if (channel != null) {
            count("truffles.notifications.failed", channel, event);
            LOG.warnf("Notification %s to channel %s (%s) failed: %s", claimed.delivery().getString("notification"),
                    channel.id(), channel.type(), error);
        }
    }

    private OutgoingRequest request(Channel channel, NotificationContent content, Instant now) {
        return switch (channel.type()) {
            case slack -> SlackMessage.request(json, content);
            case webhook -> WebhookMessage.request(json, content, now.getEpochSecond(), channel.secret());
        };
    }

    private void count(String name, Channel channel, String event) {
        Counter.builder(name).description("Notification deliveries by outcome, channel type and event")
                .tag("channel_type", channel.type().name()).tag("event", event == null ? "unknown" : event)
                .register(meters).increment();
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
