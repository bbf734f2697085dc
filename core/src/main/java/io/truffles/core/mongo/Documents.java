package io.truffles.core.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.ModelSpend;
import io.truffles.core.documents.MonthlySpend;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Settings;

/** The five collections of the seed design, typed, on one database. */
public final class Documents {
    private final MongoDatabase database;

    public Documents(MongoDatabase database) {
        this.database = database.withCodecRegistry(DocumentCodecs.REGISTRY);
    }

    public MongoDatabase database() {
        return database;
    }

    public MongoCollection<Session> sessions() {
        return database.getCollection(Session.COLLECTION, Session.class);
    }

    public MongoCollection<Issue> issues() {
        return database.getCollection(Issue.COLLECTION, Issue.class);
    }

    public MongoCollection<AgentSession> agentSessions() {
        return database.getCollection(AgentSession.COLLECTION, AgentSession.class);
    }

    public MongoCollection<FalseAlarm> falseAlarms() {
        return database.getCollection(FalseAlarm.COLLECTION, FalseAlarm.class);
    }

    public MongoCollection<ModelSpend> modelSpend() {
        return database.getCollection(ModelSpend.COLLECTION, ModelSpend.class);
    }

    public MongoCollection<MonthlySpend> monthlySpend() {
        return database.getCollection(MonthlySpend.COLLECTION, MonthlySpend.class);
    }

    public MongoCollection<Settings> settings() {
        return database.getCollection(Settings.COLLECTION, Settings.class);
    }

    /** The collection a queue stage claims from. */
    public <T> MongoCollection<T> collection(String name, Class<T> type) {
        return database.getCollection(name, type);
    }
}
