package io.truffles.analyzer.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.FindingKind;
import io.truffles.analyzer.detect.Fingerprint;
import io.truffles.analyzer.openrouter.ModelCall;
import io.truffles.analyzer.openrouter.ModelCallException;
import io.truffles.analyzer.openrouter.ModelReply;
import io.truffles.analyzer.openrouter.OpenRouterClient;
import io.truffles.core.documents.AnalysisSource;
import io.truffles.core.documents.ConsoleError;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Severity;
import io.truffles.core.json.JsonMapping;
import io.truffles.core.redaction.EvidenceBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The text model's look at a session: it reads the console errors, failed requests and detector findings (redacted,
 * quoted as evidence) and reports problems; those that are a detector's finding merge into it, the rest are new.
 */
public class TextModelAnalysis {
    private static final ObjectMapper JSON = JsonMapping.shared();

    private final OpenRouterClient client;

    public TextModelAnalysis(OpenRouterClient client) {
        this.client = client;
    }

    /**
     * @param findings the session's findings after the text model: the detectors' (some confirmed) and the model's
     * @param costUsd  what the call cost
     */
    public record Result(List<Finding> findings, double costUsd) {
    }

    public Result analyze(Session session, List<Finding> detected, String model)
            throws ModelCallException, InterruptedException {
        List<JsonNode> parts = List.of(JSON.createObjectNode().put("type", "text")
                .put("text", EvidenceBlock.quote(evidence(session, detected))));
        ModelReply reply = client.complete(new ModelCall(model, Prompts.TEXT_SYSTEM, parts, "session_issues",
                Prompts.issuesSchema()));
        return new Result(merge(detected, reply), reply.costUsd());
    }

    /** What the text model is shown of a session (no user email); the evidence block redacts and bounds it. */
    public static ObjectNode evidence(Session session, List<Finding> detected) {
        ObjectNode evidence = JSON.createObjectNode();
        ArrayNode errors = evidence.putArray("consoleErrors");
        for (ConsoleError error : session.consoleErrors == null ? List.<ConsoleError>of() : session.consoleErrors) {
            errors.addObject().put("offsetSeconds", error.offsetSeconds)
                    .put("message", error.message)
                    .put("stack", error.stack)
                    .put("page", error.url);
        }
        ArrayNode requests = evidence.putArray("failedRequests");
        for (NetworkFailure failure : session.networkFailures == null ? List.<NetworkFailure>of()
                : session.networkFailures) {
            requests.addObject().put("offsetSeconds", failure.offsetSeconds).put("method", failure.method)
                    .put("url", failure.url).put("status", failure.status)
                    .put("error", failure.error);
        }
        ArrayNode findings = evidence.putArray("detectorFindings");
        for (int i = 0; i < detected.size(); i++) {
            Finding finding = detected.get(i);
            findings.addObject().put("id", "F" + (i + 1)).put("kind", finding.kind().name())
                    .put("severity", finding.severity().name()).put("offsetSeconds", finding.offsetSeconds())
                    .put("title", finding.title())
                    .put("description", finding.description());
        }
        return evidence;
    }

    private static List<Finding> merge(List<Finding> detected, ModelReply reply) {
        List<Finding> merged = new ArrayList<>(detected);
        JsonNode issues = reply.answer().path("issues");
        for (int i = 0; i < issues.size(); i++) {
            JsonNode issue = issues.get(i);
            Finding.ModelNote note = CallShare.of(reply, Prompts.TEXT_VERSION, issue.path("reasoning").asText(""), i,
                    issues.size());
            Severity severity = "red".equals(issue.path("severity").asText()) ? Severity.red : Severity.yellow;
            String title = issue.path("title").asText("Problem reported by " + reply.model());
            Finding reportedFinding = new Finding(FindingKind.MODEL_REPORT, severity, title,
                    issue.path("description").asText(""), issue.path("timestamp").asDouble(0), "", "",
                    Fingerprint.normalizeMessage(title).toLowerCase(), AnalysisSource.session_data, note);
            int sameAs = detectorIndex(issue.path("sameAs").asText(""), detected.size());
            if (sameAs >= 0) {
                merged.set(sameAs, merged.get(sameAs).confirmedBy(reportedFinding));
            } else {
                merged.add(reportedFinding);
            }
        }
        return merged;
    }

    private static int detectorIndex(String id, int count) {
        if (!id.matches("F\\d+")) {
            return -1;
        }
        int index = Integer.parseInt(id.substring(1)) - 1;
        return index < count ? index : -1;
    }
}
