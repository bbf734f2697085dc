package io.truffles.core.settings;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.truffles.core.documents.Settings;
import io.truffles.core.documents.Severity;
import io.truffles.core.documents.VideoSessions;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bson.conversions.Bson;

/**
 * Reads and writes the {@code settings} singleton. A field the document lacks (first start, or a setting added by a
 * newer version) reads as its default, and the defaults are written with {@code $setOnInsert} only, so starting a
 * service never overwrites what an admin chose.
 */
public final class SettingsStore {
    private final MongoCollection<Settings> collection;
    private final Settings defaults;
    private final Clock clock;

    /** The injected clock this store stamps writes with, which those following it measure their waits on. */
    Clock clock() {
        return clock;
    }

    public SettingsStore(MongoCollection<Settings> collection, Settings defaults, Clock clock) {
        this.collection = collection;
        this.defaults = defaults;
        this.clock = clock;
    }

    /** The built-in defaults for what the environment does not set. */
    public static Settings builtInDefaults() {
        Settings settings = new Settings();
        settings.maxConcurrentAgents = 5;
        settings.agentTimeoutMinutes = 15;
        settings.pollingIntervalSeconds = 60;
        settings.videoModelPrimary = "google/gemini-3-pro-preview";
        settings.videoModelSecondary = "moonshotai/kimi-k2.5";
        settings.textModel = "anthropic/claude-opus-4.5";
        settings.screeningModel = "anthropic/claude-opus-4.5";
        settings.autoFixSeverities = List.of(Severity.red);
        settings.dailyModelBudgetUsd = 20.0;
        settings.rendererConcurrency = 2;
        settings.videoSessions = VideoSessions.all;
        settings.videoSamplePercent = 10;
        return settings;
    }

    /** Creates the document from the defaults if it does not exist; never changes an existing one. */
    public void initialize() {
        List<Bson> onInsert = new ArrayList<>();
        for (Field field : settingFields()) {
            Object value = read(field, defaults);
            if (value != null) {
                onInsert.add(Updates.setOnInsert(field.getName(), value));
            }
        }
        onInsert.add(Updates.setOnInsert("updatedAt", clock.instant()));
        collection.updateOne(eq("_id", Settings.GLOBAL_ID), Updates.combine(onInsert), new UpdateOptions().upsert(true));
    }

    /** The current settings, with defaults for whatever the document lacks. */
    public Settings read() {
        Settings stored = collection.find(eq("_id", Settings.GLOBAL_ID)).first();
        Settings merged = new Settings();
        for (Field field : settingFields()) {
            Object value = stored == null ? null : read(field, stored);
            write(field, merged, value != null ? value : read(field, defaults));
        }
        merged.updatedAt = stored == null ? null : stored.updatedAt;
        return merged;
    }

    /** Writes the given settings fields (name → value) in one update and stamps {@code updatedAt}. */
    public void update(List<Bson> changes) {
        List<Bson> all = new ArrayList<>(changes);
        all.add(Updates.set("updatedAt", clock.instant()));
        collection.updateOne(eq("_id", Settings.GLOBAL_ID), Updates.combine(all), new UpdateOptions().upsert(true));
    }

    /** Whether two readings hold the same settings, whatever their {@code updatedAt} says. */
    public static boolean sameValues(Settings first, Settings second) {
        for (Field field : settingFields()) {
            if (!Objects.equals(read(field, first), read(field, second))) {
                return false;
            }
        }
        return true;
    }

    private static List<Field> settingFields() {
        List<Field> fields = new ArrayList<>();
        for (Field field : Settings.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) && !field.getName().equals("id")
                    && !field.getName().equals("updatedAt")) {
                fields.add(field);
            }
        }
        return fields;
    }

    private static Object read(Field field, Settings settings) {
        try {
            return field.get(settings);
        } catch (IllegalAccessException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static void write(Field field, Settings settings, Object value) {
        try {
            field.set(settings, value);
        } catch (IllegalAccessException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
