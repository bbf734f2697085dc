package io.truffles.api.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Updates;
import io.truffles.api.errors.ApiError;
import io.truffles.core.documents.Severity;
import io.truffles.core.documents.VideoSessions;
import io.truffles.core.settings.SettingsLimits;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bson.conversions.Bson;

/**
 * A validated change of the settings document: only the fields given, each checked before anything is written, so a
 * request with one bad value changes nothing.
 */
public final class RuntimeSettingsChange {
    private static final Set<String> MODELS = Set.of("videoModelPrimary", "videoModelSecondary", "textModel",
            "screeningModel");
    private static final int MAX_MODEL_NAME = 200;
    private static final String MODEL_NAME = "[A-Za-z0-9._:/@+-]+";

    private RuntimeSettingsChange() {
    }

    /** An inclusive range: whole numbers for the counts and durations, dollars for the budget. */
    public record Range(double min, double max) {
    }

    /** What a model name must look like. */
    public record ModelNameRule(int maxLength, String pattern) {
    }

    /**
     * The limits {@link #parse} enforces, for the dashboard to check a value before it is sent: core's
     * {@link SettingsLimits}, so the environment check, the form and the api cannot disagree.
     */
    /**
     * @param clearable      the settings that may be {@code null} (no cap)
     * @param videoSessions  the choices of {@code videoSessions}
     */
    public record Limits(Map<String, Range> numbers, List<String> models, ModelNameRule modelName,
            List<Severity> autoFixSeverities, List<String> clearable, List<VideoSessions> videoSessions) {
    }

    public static Limits limits() {
        Map<String, Range> numbers = new TreeMap<>();
        SettingsLimits.BY_FIELD.forEach((name, range) -> numbers.put(name, new Range(range.min(), range.max())));
        SettingsLimits.BUDGET_FIELDS.forEach(name -> numbers.put(name, new Range(0, SettingsLimits.MAX_BUDGET_USD)));
        return new Limits(numbers, MODELS.stream().sorted().toList(), new ModelNameRule(MAX_MODEL_NAME, MODEL_NAME),
                List.of(Severity.values()), CLEARABLE, List.of(VideoSessions.values()));
    }

    /**
     * Caps that may be cleared ({@code null}: no cap). {@code dailyModelBudgetUsd} may not: a missing value reads as
     * its default, so "no cap" there is a large number.
     */
    private static final List<String> CLEARABLE = SettingsLimits.BUDGET_FIELDS.stream()
            .filter(name -> !name.equals("dailyModelBudgetUsd")).toList();

    public static List<Bson> parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.badField("body", "must be a JSON object of settings");
        }
        if (body.isEmpty()) {
            throw ApiError.badField("body", "names no setting to change");
        }
        List<Bson> changes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (SettingsLimits.BY_FIELD.containsKey(name)) {
                SettingsLimits.Range range = SettingsLimits.BY_FIELD.get(name);
                if (!value.isIntegralNumber() || !value.canConvertToInt() || !range.contains(value.intValue())) {
                    throw ApiError.badField(name, "must be " + range.describe());
                }
                changes.add(Updates.set(name, value.intValue()));
            } else if (MODELS.contains(name)) {
                if (!value.isTextual() || value.textValue().isBlank() || value.textValue().length() > MAX_MODEL_NAME
                        || !value.textValue().matches(MODEL_NAME)) {
                    throw ApiError.badField(name, "must be an OpenRouter model name such as google/gemini-3-pro-preview");
                }
                changes.add(Updates.set(name, value.textValue()));
            } else if (name.equals("autoFixSeverities")) {
                changes.add(Updates.set(name, severities(value)));
            } else if (SettingsLimits.BUDGET_FIELDS.contains(name)) {
                if (value.isNull() && CLEARABLE.contains(name)) {
                    changes.add(Updates.unset(name));
                } else if (!value.isNumber() || value.doubleValue() < 0
                        || value.doubleValue() > SettingsLimits.MAX_BUDGET_USD || Double.isNaN(value.doubleValue())) {
                    throw ApiError.badField(name, "must be a number of dollars from 0 to 100000"
                            + (CLEARABLE.contains(name) ? ", or null for no cap" : ""));
                } else {
                    changes.add(Updates.set(name, value.doubleValue()));
                }
            } else if (name.equals("videoSessions")) {
                if (!value.isTextual() || java.util.Arrays.stream(VideoSessions.values())
                        .noneMatch(mode -> mode.name().equals(value.textValue()))) {
                    throw ApiError.badField(name, "must be all, signals or sampled");
                }
                changes.add(Updates.set(name, value.textValue()));
            } else {
                throw ApiError.badField(name, "not a runtime setting (secrets go to POST /api/settings/secrets)");
            }
        }
        return changes;
    }

    private static List<String> severities(JsonNode value) {
        if (!value.isArray()) {
            throw ApiError.badField("autoFixSeverities", "must be a list of severities (red, yellow)");
        }
        Set<String> severities = new LinkedHashSet<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw ApiError.badField("autoFixSeverities", "must be a list of severities (red, yellow)");
            }
            try {
                severities.add(Severity.valueOf(item.textValue()).name());
            } catch (IllegalArgumentException unknown) {
                throw ApiError.badField("autoFixSeverities", "'" + item.textValue() + "' is not red or yellow");
            }
        }
        return List.copyOf(severities);
    }
}
