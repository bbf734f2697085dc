package io.truffles.analyzer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.RecordingScan;
import io.truffles.analyzer.incident.Corpus;
import io.truffles.analyzer.incident.IncidentGrouping;
import io.truffles.analyzer.issues.Screening;
import io.truffles.analyzer.job.PluginFacts;
import io.truffles.analyzer.models.Prompts;
import io.truffles.analyzer.models.TextModelAnalysis;
import io.truffles.analyzer.video.VideoModelAnalysis;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Settings;
import io.truffles.core.settings.SettingsStore;
import io.truffles.core.redaction.EvidenceBlock;
import io.truffles.core.video.FrameGrabber;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * Not a test: prints the analyzer's figures so they can be tracked.
 * <ul>
 * <li>Detector throughput (sessions/s, events/s) on 10 and 60 min recordings made of Chromium recordings: the busy
 * minute ({@code busy.rrweb.json}, a user working without pause) back to back, with the problems sample (a 500, a
 * thrown error, a dead and a rage click) after minute 5 and every 20 minutes from there; measured is what the analyzer
 * does without models: the scan and the grouping into incidents. Every copy is a new page
 * load, so the DOM index is rebuilt as it would be on navigation.</li>
 * <li>The labelled corpus ({@link Corpus}): planted problems found at their moment (±1 s), issues filed per planted
 * problem, false positives on calm recordings.</li>
 * <li>Model cost per analysed session-minute for the default models, computed the way OpenRouter's {@code usage}
 * reports it (prompt tokens × prompt price + completion tokens × completion price). Each input is printed with
 * where it comes from: MEASURED (from a recorded response or from the prompts this code really builds for the
 * recording), LISTED (a documented price) or ASSUMED (a token count nothing here measured).</li>
 * </ul>
 * Not part of the build's tests (the name matches no test pattern). Run with
 * {@code ./mvnw -B -q -pl analyzer -am verify -Dtest=AnalyzerBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -DskipITs}.
 */
class AnalyzerBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int PROBLEMS_FIRST_MINUTE = 5;
    static final int PROBLEMS_EVERY_MINUTES = 20;

    /** ASSUMED: Google's rule of thumb for Gemini (about 4 characters a token), used for every model's text. */
    static final double CHARS_PER_TOKEN = 4;
    /** ASSUMED: the video rate Google documents for Gemini 2.x; Gemini 3's own rate is not in our sources. */
    static final double GEMINI_VIDEO_TOKENS_PER_SECOND = 263;
    /** ASSUMED: Gemini 2.x's 258 tokens per 768 px tile, two tiles for a 1280×720 frame. */
    static final double GEMINI_TOKENS_PER_FRAME = 2 * 258;
    /** ASSUMED: no Kimi documentation or recorded Kimi usage is at hand for a 1280×720 frame. */
    static final double KIMI_TOKENS_PER_FRAME = 1_000;
    /** ASSUMED: reasoning plus an issues list; the recorded Gemini call spent 293 on a one-line answer. */
    static final double ANSWER_TOKENS = 1_500;
    /** ASSUMED: reasoning plus a one-verdict answer. */
    static final double VERDICT_TOKENS = 300;
    static final String TEXT_TOKENS = "prompt text MEASURED in characters, ÷ " + (int) CHARS_PER_TOKEN
            + " a token ASSUMED";

    record Price(double prompt, double completion, String source) {
        double cost(double promptTokens, double completionTokens) {
            return promptTokens * prompt + completionTokens * completion;
        }
    }

    @Test
    void printFigures() throws Exception {
        System.out.printf(Locale.ROOT, "Analyzer benchmark (load average %.2f on %d cores shared with other builds; "
                        + "compare runs on the same machine only)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        byte[] hour = recording(60);
        // JIT-compile the scan before any measurement, so the first size measured is not the slower one
        for (int warmup = 0; warmup < 3; warmup++) {
            detect(facts(hour), hour);
        }
        detectorThroughput(10, recording(10));
        detectorThroughput(60, hour);
        corpus();
        System.out.println("Model cost per analysed session-minute. MEASURED = from a recorded OpenRouter response, or "
                + "counted in the prompts this code builds for the recording; LISTED = a documented price; ASSUMED = "
                + "a figure nothing here measured.");
        Map<String, Price> prices = prices();
        Settings defaults = SettingsStore.builtInDefaults();
        printPrices(prices, defaults.textModel, defaults.videoModelPrimary, defaults.videoModelSecondary);
        for (int minutes : new int[] {10, 60}) {
            modelCost(minutes, recording(minutes), prices, defaults);
        }
    }

    private static void detectorThroughput(int minutes, byte[] recording) throws IOException {
        JsonNode events = JSON.readTree(recording);
        double seconds = (events.get(events.size() - 1).get("timestamp").asLong()
                - events.get(0).get("timestamp").asLong()) / 1000.0;
        int runs = 10;
        int findings = 0;
        // the poller extracts console errors and failed requests; the analyzer's share is the scan and the grouping
        Session session = facts(recording);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        for (int run = 0; run < runs; run++) {
            findings = detect(session, recording).size();
        }
        double wall = (System.nanoTime() - started) / 1e9;
        // CPU time is what the scan itself used: the figure least bent by other builds on the machine
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
        System.out.printf(Locale.ROOT, "detectors on a %d min recording (%.1f min, %d events = %.1f events/s of "
                        + "recording, %.1f MB, %d findings in the recording): %.2f sessions/s, %.0f events/s wall "
                        + "clock; %.2f sessions/s, %.0f events/s per CPU second%n",
                minutes, seconds / 60, events.size(), events.size() / seconds, recording.length / 1e6, findings,
                runs / wall, runs * (double) events.size() / wall, runs / cpu, runs * (double) events.size() / cpu);
    }

    /** What the analyzer finds without models: the recording scanned, its signals grouped into incidents. */
    private static List<Finding> detect(Session session, byte[] recording) throws IOException {
        return IncidentGrouping.group(session, RecordingScan.read(new ByteArrayInputStream(recording),
                RecordingScan.DEFAULT_HUNG_AFTER_MS));
    }

    private static Session facts(byte[] recording) throws IOException {
        PluginFacts facts = PluginFacts.of(JSON.readTree(recording));
        Session session = new Session();
        session.consoleErrors = facts.errors();
        session.networkFailures = facts.failures();
        return session;
    }

    /** The labelled corpus: problems found at their moment, issues per planted problem, calm false positives. */
    private static void corpus() throws IOException {
        List<Corpus.Score> scores = new ArrayList<>();
        for (Corpus.Recording recording : Corpus.load()) {
            scores.add(Corpus.score(recording, recording.findings()));
        }
        System.out.print(Corpus.report(scores));
    }

    /**
     * Gemini's price per token from the usage OpenRouter recorded for it; Opus's and Kimi's from the pricing in the
     * model-list fixture, because no response of theirs was recorded.
     */
    private static Map<String, Price> prices() throws IOException {
        Map<String, Price> prices = new HashMap<>();
        JsonNode usage = JSON.readTree(resource("/openrouter/openrouter_response_gemini3pro_recorded.json"))
                .path("usage");
        prices.put(SettingsStore.builtInDefaults().videoModelPrimary, new Price(
                usage.path("cost_details").path("upstream_inference_prompt_cost").asDouble()
                        / usage.path("prompt_tokens").asDouble(),
                usage.path("cost_details").path("upstream_inference_completions_cost").asDouble()
                        / usage.path("completion_tokens").asDouble(),
                "MEASURED: recorded usage, cost_details ÷ tokens, openrouter_response_gemini3pro_recorded.json"));
        for (JsonNode model : JSON.readTree(resource("/openrouter/openrouter_models_catalog.json")).path("data")) {
            prices.putIfAbsent(model.path("id").asText(), new Price(model.path("pricing").path("prompt").asDouble(),
                    model.path("pricing").path("completion").asDouble(),
                    "LISTED: the pricing in openrouter_models_catalog.json; no recorded usage"));
        }
        return prices;
    }

    private static void modelCost(int minutes, byte[] recording, Map<String, Price> prices, Settings defaults)
            throws IOException {
        JsonNode events = JSON.readTree(recording);
        Session session = new Session();
        PluginFacts facts = PluginFacts.of(events);
        session.consoleErrors = facts.errors();
        session.networkFailures = facts.failures();
        session.duration = (events.get(events.size() - 1).get("timestamp").asLong()
                - events.get(0).get("timestamp").asLong()) / 1000.0;
        // ASSUMED: the renderer collapsed no idle time (the busy minute has none), so the video is as long
        session.videoDuration = session.duration;
        List<Finding> findings = detect(session, recording);
        double sessionMinutes = session.duration / 60;

        System.out.printf(Locale.ROOT, "model cost of a %d min session (console errors: %d, failed requests: %d, "
                        + "detector findings: %d), default models:%n", minutes, session.consoleErrors.size(),
                session.networkFailures.size(), findings.size());

        double textPrompt = tokens(Prompts.TEXT_SYSTEM, EvidenceBlock.quote(TextModelAnalysis.evidence(session, findings)),
                Prompts.issuesSchema().toString());
        double text = line("text", defaults.textModel, prices, textPrompt, TEXT_TOKENS, sessionMinutes);

        double videoText = tokens(Prompts.VIDEO_SYSTEM, EvidenceBlock.quote(VideoModelAnalysis.evidence(session, findings)),
                Prompts.issuesSchema().toString());
        int frames = FrameGrabber.MAX_FRAMES;
        double asVideo = line("video 1, as video", defaults.videoModelPrimary, prices,
                videoText + GEMINI_VIDEO_TOKENS_PER_SECOND * session.videoDuration, TEXT_TOKENS + "; video "
                        + (int) GEMINI_VIDEO_TOKENS_PER_SECOND + " tokens/s ASSUMED", sessionMinutes);
        double asFrames = line("video 1, as frames", defaults.videoModelPrimary, prices,
                videoText + frames * GEMINI_TOKENS_PER_FRAME, TEXT_TOKENS + "; " + frames + " frames × "
                        + (int) GEMINI_TOKENS_PER_FRAME + " ASSUMED; an MP4 over 20 MB goes as frames", sessionMinutes);
        double kimi = line("video 2, as frames", defaults.videoModelSecondary, prices,
                videoText + frames * KIMI_TOKENS_PER_FRAME, TEXT_TOKENS + "; " + frames + " frames × "
                        + (int) KIMI_TOKENS_PER_FRAME + " ASSUMED; takes images only", sessionMinutes);
        System.out.printf(Locale.ROOT, "  %-18s %-27s $%.4f/session-minute with "
                        + "Gemini watching the MP4, $%.4f when the MP4 is over 20 MB and Gemini gets frames%n",
                "total", "text + both video models", text + asVideo + kimi, text + asFrames + kimi);

        screeningCost(findings, defaults.screeningModel, prices);
    }

    /** Per new problem, not per minute: only a finding that matches no open issue is screened. */
    private static void screeningCost(List<Finding> findings, String model, Map<String, Price> prices) {
        List<Issue> open = new ArrayList<>();
        while (open.size() < 40) {
            open.add(issue(findings.get(open.size() % findings.size())));
        }
        Issue candidate = issue(findings.get(0));
        for (int shown : new int[] {0, 40}) {
            double prompt = tokens(Prompts.SCREENING_SYSTEM,
                    EvidenceBlock.quote(Screening.evidence(candidate, List.of(), open.subList(0, shown))),
                    Prompts.screeningSchema().toString());
            System.out.printf(Locale.ROOT, "  %-18s %-27s $%.4f per new problem (not per minute), %d open issues "
                            + "shown: prompt %.0f tokens [%s] + completion %.0f [ASSUMED]%n",
                    "screening", model, prices.get(model).cost(prompt, VERDICT_TOKENS), shown, prompt, TEXT_TOKENS,
                    VERDICT_TOKENS);
        }
    }

    /** Prints one model call's cost and returns it per session-minute. */
    private static double line(String role, String model, Map<String, Price> prices, double promptTokens,
            String promptSource, double sessionMinutes) {
        double cost = prices.get(model).cost(promptTokens, ANSWER_TOKENS);
        System.out.printf(Locale.ROOT, "  %-18s %-27s $%.4f/session-minute, $%.4f/session: prompt %.0f tokens "
                        + "[%s] + completion %.0f [ASSUMED]%n",
                role, model, cost / sessionMinutes, cost, promptTokens, promptSource, ANSWER_TOKENS);
        return cost / sessionMinutes;
    }

    private static void printPrices(Map<String, Price> prices, String... models) {
        for (String model : new LinkedHashSet<>(List.of(models))) {
            Price price = prices.get(model);
            System.out.printf(Locale.ROOT, "  price %-31s $%.2f/M prompt, $%.2f/M completion [%s]%n", model,
                    price.prompt() * 1e6, price.completion() * 1e6, price.source());
        }
    }

    private static double tokens(String... texts) {
        long chars = 0;
        for (String text : texts) {
            chars += text.length();
        }
        return chars / CHARS_PER_TOKEN;
    }

    private static Issue issue(Finding finding) {
        Issue issue = new Issue();
        issue.id = new ObjectId();
        issue.title = finding.title();
        issue.description = finding.description();
        issue.severity = finding.severity();
        issue.fingerprint = finding.fingerprint();
        issue.sessionCount = 3;
        return issue;
    }

    /**
     * {@code minutes} of recording: the busy Chromium minute back to back, the problems sample after minute 5 and
     * every 20 minutes from there; every copy's timestamps shifted to follow the last copy by a second.
     */
    static byte[] recording(int minutes) throws IOException {
        JsonNode busy = JSON.readTree(resource("/recordings/busy.rrweb.json"));
        JsonNode problems = JSON.readTree(resource("/recordings/problems.rrweb.json"));
        long start = busy.get(0).get("timestamp").asLong();
        long cursor = start;
        int nextProblems = PROBLEMS_FIRST_MINUTE;
        ArrayNode all = JSON.createArrayNode();
        while (cursor - start < minutes * 60_000L) {
            boolean problemsDue = (cursor - start) / 60_000 >= nextProblems;
            JsonNode sample = problemsDue ? problems : busy;
            if (problemsDue) {
                nextProblems += PROBLEMS_EVERY_MINUTES;
            }
            long shift = cursor - sample.get(0).get("timestamp").asLong();
            for (JsonNode event : sample) {
                ObjectNode copy = event.deepCopy();
                copy.put("timestamp", event.get("timestamp").asLong() + shift);
                all.add(copy);
            }
            cursor = all.get(all.size() - 1).get("timestamp").asLong() + 1_000;
        }
        return JSON.writeValueAsBytes(all);
    }

    private static InputStream resource(String name) {
        return AnalyzerBenchmark.class.getResourceAsStream(name);
    }
}
