package io.truffles.analyzer.issues;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.ne;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.model.Sorts;
import io.truffles.analyzer.models.Prompts;
import io.truffles.analyzer.openrouter.ModelCall;
import io.truffles.analyzer.openrouter.ModelCallException;
import io.truffles.analyzer.openrouter.ModelReply;
import io.truffles.analyzer.openrouter.OpenRouterClient;
import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Settings;
import io.truffles.core.json.JsonMapping;
import io.truffles.core.mongo.Documents;
import io.truffles.core.spend.BudgetHold;
import io.truffles.core.spend.SpendKind;
import io.truffles.core.spend.SpendLedger;
import io.truffles.core.redaction.EvidenceBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * Screens a new issue before it is recorded. First against the known false alarms as patterns: a pattern written
 * {@code /regex/} is a case-insensitive regular expression, any other a case-insensitive phrase, matched against the
 * issue's title, description and fingerprint. Then, with a key, budget and a {@code screeningModel}, the model judges
 * it against the false-alarm patterns and the open issues: a real problem, a false alarm, or a duplicate of an open
 * issue. Without the model (or when its call fails) the pattern verdict stands.
 */
public class Screening {
    private static final ObjectMapper JSON = JsonMapping.shared();
    /** Open issues the screening model compares a new one with, newest first. */
    static final int OPEN_ISSUES_SHOWN = 40;
    static final List<String> OPEN = IssueStatus.openNames();

    /**
     * @param duplicateOf the open issue this one is, when the screening model said so
     * @param costUsd     what the screening model's call cost, 0 without one
     */
    public record Verdict(boolean passed, String reasoning, ObjectId duplicateOf, double costUsd) {
        public Verdict(boolean passed, String reasoning) {
            this(passed, reasoning, null, 0);
        }
    }

    private final Documents documents;
    private final OpenRouterClient models;
    private final SpendLedger spend;

    /** Pattern screening only. */
    public Screening(Documents documents) {
        this(documents, null, null);
    }

    public Screening(Documents documents, OpenRouterClient models, SpendLedger spend) {
        this.documents = documents;
        this.models = models;
        this.spend = spend;
    }

    /** Pattern screening only. */
    public Verdict screen(Issue issue) {
        String text = String.join("\n", nonNull(issue.title), nonNull(issue.description), nonNull(issue.fingerprint));
        for (FalseAlarm alarm : documents.falseAlarms().find()) {
            if (matches(alarm.pattern, text)) {
                return new Verdict(false, "Matches the known false alarm \"" + alarm.pattern + "\""
                        + (alarm.reason == null || alarm.reason.isBlank() ? "." : ": " + alarm.reason));
            }
        }
        return new Verdict(true, "No known false-alarm pattern matches (pattern screening; no screening model "
                + "was consulted).");
    }

    /** Patterns, then the screening model when one can be used. */
    public Verdict screen(Issue candidate, Settings settings) throws InterruptedException {
        Verdict byPattern = screen(candidate);
        if (!byPattern.passed()) {
            return byPattern;
        }
        Optional<String> noModel = modelUnavailable(settings);
        if (noModel.isPresent()) {
            return new Verdict(true, "No known false-alarm pattern matches (pattern screening only: "
                    + noModel.get() + ").");
        }
        // the issue being screened is open too (detected, then screening): it is not its own duplicate
        Bson others = candidate.id == null ? in("status", OPEN) : and(in("status", OPEN), ne("_id", candidate.id));
        List<Issue> open = documents.issues().find(others).sort(Sorts.descending("updatedAt"))
                .limit(OPEN_ISSUES_SHOWN).into(new ArrayList<>());
        String evidence = EvidenceBlock.quote(evidence(candidate, documents.falseAlarms().find(), open));
        ModelReply reply;
        try {
            reply = models.complete(new ModelCall(settings.screeningModel, Prompts.SCREENING_SYSTEM,
                    List.of(JSON.createObjectNode().put("type", "text").put("text", evidence)), "issue_screening",
                    Prompts.screeningSchema()));
        } catch (ModelCallException failed) {
            spend.record(SpendKind.models, settings.screeningModel, failed.costUsd());
            return new Verdict(true, "No known false-alarm pattern matches; the screening model's call failed ("
                    + failed.getMessage() + "), so only patterns were checked.", null, failed.costUsd());
        }
        spend.record(SpendKind.models, settings.screeningModel, reply.costUsd());
        return interpret(reply, open);
    }

    private Optional<String> modelUnavailable(Settings settings) {
        if (models == null) {
            return Optional.of("no screening model is wired");
        }
        if (settings.screeningModel == null || settings.screeningModel.isBlank()) {
            return Optional.of("no screeningModel is set");
        }
        Optional<String> unavailable = models.unavailableBecause();
        return unavailable.isPresent() ? unavailable : spend.hold(SpendKind.models, settings).map(BudgetHold::reason);
    }

    private static Verdict interpret(ModelReply reply, List<Issue> open) {
        JsonNode answer = reply.answer();
        String reasoning = reply.modelUsed() + " (" + Prompts.SCREENING_VERSION + "): "
                + answer.path("reasoning").asText("(no reasoning given)");
        switch (answer.path("verdict").asText("")) {
            case "false_alarm":
                return new Verdict(false, reasoning, null, reply.costUsd());
            case "duplicate":
                String id = answer.path("duplicateOf").asText("");
                Optional<Issue> duplicate = open.stream().filter(issue -> issue.id.toHexString().equals(id))
                        .findFirst();
                if (duplicate.isPresent()) {
                    return new Verdict(true, reasoning, duplicate.get().id, reply.costUsd());
                }
                return new Verdict(true, reasoning + " (it named " + id + ", which is not an open issue, so this is "
                        + "recorded as a new issue)", null, reply.costUsd());
            case "real":
                return new Verdict(true, reasoning, null, reply.costUsd());
            default:
                return new Verdict(true, "No known false-alarm pattern matches; the screening model gave no verdict "
                        + "(" + reply.raw() + "), so only patterns were checked.", null, reply.costUsd());
        }
    }

    /** What the screening model is shown: the new problem, the false-alarm patterns and the open issues. */
    public static ObjectNode evidence(Issue candidate, Iterable<FalseAlarm> alarms, List<Issue> open) {
        ObjectNode evidence = JSON.createObjectNode();
        evidence.putObject("newProblem").put("title", candidate.title)
                .put("description", candidate.description)
                .put("severity", candidate.severity.name())
                .put("kind", candidate.fingerprint.substring(0, candidate.fingerprint.indexOf(':')));
        ArrayNode patterns = evidence.putArray("falseAlarmPatterns");
        for (FalseAlarm alarm : alarms) {
            patterns.addObject().put("pattern", alarm.pattern)
                    .put("reason", alarm.reason);
        }
        ArrayNode issues = evidence.putArray("openIssues");
        for (Issue issue : open) {
            issues.addObject().put("id", issue.id.toHexString()).put("title", issue.title)
                    .put("description", issue.description)
                    .put("severity", issue.severity == null ? null : issue.severity.name())
                    .put("sessions", issue.sessionCount);
        }
        return evidence;
    }

    static boolean matches(String pattern, String text) {
        if (pattern == null || pattern.isBlank()) {
            return false;
        }
        String trimmed = pattern.strip();
        if (trimmed.length() > 2 && trimmed.startsWith("/") && trimmed.endsWith("/")) {
            try {
                return Pattern.compile(trimmed.substring(1, trimmed.length() - 1), Pattern.CASE_INSENSITIVE)
                        .matcher(text).find();
            } catch (PatternSyntaxException malformed) {
                return false;
            }
        }
        return text.toLowerCase(Locale.ROOT).contains(trimmed.toLowerCase(Locale.ROOT));
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
