package io.truffles.core.embedded;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * mongo-java-server's H2 file backend, made to keep what it acknowledged: the stock backend leaves its changes to
 * the MVStore's background commit (once a second), so a kill -9 of the embedded server lost the writes of the last
 * second after their clients had been told they were done — the poller moved its cursor past a recording whose
 * session the crash then took back, and the recording was never imported. Here every command that changed something
 * is committed to the file before its answer goes out. A commit writes to the operating system, not through to the
 * disk: a process killed at any moment loses nothing it was told was written; a power cut still may (production
 * runs MongoDB with its journal).
 */
final class DurableH2Backend extends H2Backend {
    DurableH2Backend(String file) {
        super(file);
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        try {
            return super.handleCommand(channel, database, command, query);
        } finally {
            // a failed write may have applied part of itself (an unordered insert), so that part is kept too; a
            // read leaves nothing unsaved and costs nothing here
            if (getMvStore().hasUnsavedChanges()) {
                commit();
            }
        }
    }
}
