package io.truffles.analyzer.incident;

import io.truffles.analyzer.detect.FindingKind;
import io.truffles.analyzer.detect.UserAction;
import io.truffles.core.redaction.Redaction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of an incident: a title that says what the user experienced ("Clicking “Save” fails silently (POST
 * /api/billing → 500, nothing shown; user retried 5×)") and a description that lists what followed the action.
 */
final class IncidentText {
    private static final Pattern QUOTED_TEXT = Pattern.compile("\"(.+)\"$");
    private static final Pattern HTML_ID = Pattern.compile("^[a-z0-9-]*#([^.\\s\"]+)");

    private IncidentText() {
    }

    static String title(UserAction action, List<UserAction> run, List<IncidentSignal> signals) {
        Set<String> requests = new LinkedHashSet<>();
        String exception = null;
        String logged = null;
        String banner = null;
        String hung = null;
        boolean dead = false;
        boolean errorPage = false;
        for (IncidentSignal signal : signals) {
            FindingKind kind = signal.finding().kind();
            if (signal.request() != null) {
                requests.add(signal.request());
            } else if (signal.exception() && exception == null) {
                exception = signal.finding().title().replaceFirst("^Console error: ", "");
            } else if (kind == FindingKind.CONSOLE_ERROR && logged == null) {
                logged = signal.finding().title().replaceFirst("^Console error: ", "");
            } else if (kind == FindingKind.ERROR_BANNER && banner == null) {
                banner = signal.finding().title().replaceFirst("^.*?: \"", "").replaceFirst("\"$", "");
            } else if (kind == FindingKind.HUNG_LOADING && hung == null) {
                hung = signal.finding().title().replaceFirst("^Stuck on \"", "").replaceFirst("\" after .*$", "");
            } else if (kind == FindingKind.DEAD_CLICK) {
                dead = true;
            } else if (kind == FindingKind.ERROR_PAGE) {
                errorPage = true;
            }
        }
        String outcome;
        List<String> details = new ArrayList<>();
        if (exception != null) {
            outcome = "crashes";
            details.add(recorded(exception, 80));
        } else if (!requests.isEmpty()) {
            outcome = banner == null && (dead || hung != null) ? "fails silently" : "fails";
        } else if (banner != null) {
            outcome = "shows an error";
        } else if (errorPage) {
            outcome = "leads to an error page";
        } else if (hung != null) {
            outcome = "never finishes loading";
        } else if (logged != null) {
            outcome = "logs an error";
            details.add(recorded(logged, 80));
        } else if (dead) {
            outcome = "does nothing";
        } else {
            outcome = "makes the user click again and again";
        }
        List<String> shownRequests = new ArrayList<>(requests);
        if (shownRequests.size() > 2) {
            int more = shownRequests.size() - 2;
            shownRequests = new ArrayList<>(shownRequests.subList(0, 2));
            shownRequests.add("+" + more + " more");
        }
        details.addAll(shownRequests.stream().map(request -> recorded(request, 60)).toList());
        if (banner != null) {
            details.add("shown: \u201c" + recorded(banner, 60) + "\u201d");
        } else if (hung != null) {
            details.add("\u201c" + recorded(hung, 30) + "\u201d never went away");
        } else if (dead && !outcome.equals("does nothing")) {
            details.add("nothing shown");
        }
        long retries = run.stream().filter(each -> each.offsetSeconds() >= action.offsetSeconds()).count() - 1;
        String tail = retries > 0 ? "user retried " + retries + "\u00d7" : "";
        String inParentheses = String.join(", ", details) + (tail.isEmpty() || details.isEmpty() ? "" : "; ") + tail;
        return doing(action) + " " + outcome + (inParentheses.isEmpty() ? "" : " (" + inParentheses + ")");
    }

    static String description(UserAction action, List<UserAction> run, List<IncidentSignal> signals,
            String severityReason) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "At %.1f s the user %s.",
                action.offsetSeconds(), action(action)));
        long again = run.stream().filter(each -> each.offsetSeconds() > action.offsetSeconds()).count();
        if (again > 0) {
            text.append(" They tried ").append(again).append(again == 1 ? " more time." : " more times.");
        }
        text.append(" What followed:");
        Set<String> seen = new LinkedHashSet<>();
        for (IncidentSignal signal : signals) {
            seen.add(signal.finding().description());
        }
        int shown = 0;
        for (String line : seen) {
            if (shown++ == 8) {
                text.append(" … (").append(seen.size() - 8).append(" more in the evidence)");
                break;
            }
            text.append(' ').append(line.endsWith(".") ? line : line + ".");
        }
        if (severityReason != null) {
            text.append(" Severity: ").append(severityReason);
        }
        return text.toString();
    }

    /** The action in words, for the evidence list: "clicked button#save \"Save\"". */
    static String action(UserAction action) {
        return switch (action.kind()) {
            case UserAction.CLICK -> "clicked " + recorded(action.element(), 80);
            case UserAction.INPUT -> "typed into " + recorded(action.element(), 80);
            default -> "went to " + recorded(action.page(), 80);
        };
    }

    private static String doing(UserAction action) {
        return switch (action.kind()) {
            case UserAction.CLICK -> "Clicking " + control(action.element());
            case UserAction.INPUT -> "Typing into " + control(action.element());
            default -> "Opening " + recorded(action.page(), 60);
        };
    }

    /** What the user would call the control: its text, else its id, else its tag. */
    private static String control(String element) {
        Matcher text = QUOTED_TEXT.matcher(element);
        if (text.find()) {
            return "\u201c" + recorded(text.group(1), 40) + "\u201d";
        }
        Matcher id = HTML_ID.matcher(element);
        if (id.find()) {
            return "#" + recorded(id.group(1), 40);
        }
        return element.isEmpty() ? "an element" : recorded(element.split("[#.\\s]", 2)[0], 20);
    }

    /**
     * Text that comes from the recording (an element's label, a console message, a URL), bounded for a title. The one
     * place incident titles take recording text, so it can be made safe in one step.
     */
    static String recorded(String text, int max) {
        String flat = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return Redaction.bounded(flat, max);
    }
}
