package io.truffles.core.queue;

import com.mongodb.MongoException;
import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.function.Supplier;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * The database server's time, read on this host: the host's clock plus its measured offset from the server. Leases
 * are written and compared by every runner, each on its own host; in one shared time a host whose clock runs ahead
 * cannot take a live lease for an expired one. The offset is measured at start and every {@link #REMEASURE}
 * ({@link #measure()}): the server's {@code localTime} ({@code isMaster}/{@code hello}), against the midpoint of the
 * host's clock before and after the round trip. Past {@link #MAX_SKEW} the host's clock is not trusted at all
 * ({@link #trusted()} false, one line logged): a worker then claims nothing until the clocks are fixed.
 */
public final class ServerClock extends Clock {
    private static final Logger LOG = Logger.getLogger(ServerClock.class);
    /** Beyond this the host is misconfigured (no time sync); timestamps it writes elsewhere would mislead too. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(2);
    public static final Duration REMEASURE = Duration.ofMinutes(1);

    private final Clock local;
    private final Supplier<Instant> serverNow;
    private volatile Duration offset = Duration.ZERO;
    private volatile boolean trusted = true;

    /** @param serverNow reads the server's current time (a round trip); see {@link #of(MongoDatabase)} */
    public ServerClock(Clock local, Supplier<Instant> serverNow) {
        this.local = local;
        this.serverNow = serverNow;
    }

    /**
     * The time of the MongoDB server behind {@code database}: {@code localTime} of {@code isMaster}, or of its newer
     * name {@code hello} where a server no longer knows the old one (MongoDB answers both; mongo-java-server, the
     * embedded database, knows only {@code isMaster}). The name that answered is used from then on.
     */
    public static ServerClock of(Clock local, MongoDatabase database) {
        String[] command = {"isMaster"};
        return new ServerClock(local, () -> {
            Document answer;
            try {
                answer = database.runCommand(new Document(command[0], 1));
            } catch (com.mongodb.MongoCommandException unknown) {
                if (!command[0].equals("isMaster")) {
                    throw unknown;
                }
                command[0] = "hello";
                answer = database.runCommand(new Document(command[0], 1));
            }
            Object time = answer.get("localTime");
            if (!(time instanceof Date date)) {
                throw new IllegalStateException("the database server's " + command[0] + " has no localTime");
            }
            return date.toInstant();
        });
    }

    /**
     * Measures the offset again. An unreachable server keeps the last offset (the worker's own retry deals with the
     * outage); a measure past {@link #MAX_SKEW} marks the clock untrusted, one within it trusted again.
     */
    public ServerClock measure() {
        Instant before = local.instant();
        Instant server;
        try {
            server = serverNow.get();
        } catch (MongoException | IllegalStateException e) {
            LOG.debugf("Could not read the database server's time: %s", e.getMessage());
            return this;
        }
        Instant after = local.instant();
        Instant midpoint = before.plus(Duration.between(before, after).dividedBy(2));
        offset = Duration.between(midpoint, server);
        boolean within = offset.abs().compareTo(MAX_SKEW) <= 0;
        if (within != trusted) {
            if (within) {
                LOG.infof("This host's clock is back within %ds of the database server's (%d ms off); claiming again",
                        MAX_SKEW.toSeconds(), offset.toMillis());
            } else {
                LOG.errorf("This host's clock is %d s off the database server's (more than %d s): no work is claimed "
                        + "until the clocks agree; fix the time synchronisation (NTP) of this host or the database's",
                        offset.toSeconds(), MAX_SKEW.toSeconds());
            }
        }
        trusted = within;
        return this;
    }

    /** The server's time minus this host's, as last measured. */
    public Duration offset() {
        return offset;
    }

    /** Whether the last measure was within {@link #MAX_SKEW}. */
    public boolean trusted() {
        return trusted;
    }

    @Override
    public Instant instant() {
        return local.instant().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return local.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        ServerClock zoned = new ServerClock(local.withZone(zone), serverNow);
        zoned.offset = offset;
        zoned.trusted = trusted;
        return zoned;
    }
}
