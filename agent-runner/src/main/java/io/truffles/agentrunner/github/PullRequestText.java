package io.truffles.agentrunner.github;

import io.truffles.core.redaction.KnownSecrets;
import io.truffles.core.redaction.Redaction;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text from users' sessions or from an agent (issue titles and descriptions, the agent's summary) made safe to show
 * in a pull request on GitHub, where reviewers read it with the repository's rights: redacted and with known secrets
 * replaced, no raw HTML (every {@code <} and {@code &} escaped), no mentions (a zero-width joiner after each
 * {@code @}, so nobody is notified), no markdown links or images ({@code [}, {@code ]} and {@code !} escaped), URLs to
 * hosts other than the dashboard's shown as code so GitHub does not link them, and bounded length.
 */
public final class PullRequestText {
    public static final int MAX_TITLE_CHARS = 120;
    public static final int MAX_SECTION_CHARS = 4000;
    /** GitHub refuses bodies over 65,536 characters; ours stay far below. */
    public static final int MAX_BODY_CHARS = 20_000;
    private static final String ZERO_WIDTH_JOINER = "\u200D";
    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s`<>()\\[\\]\\\\]+");

    private final KnownSecrets secrets;
    private final String dashboardHost;

    public PullRequestText(KnownSecrets secrets, String dashboardUrl) {
        this.secrets = secrets;
        this.dashboardHost = hostOf(dashboardUrl);
    }

    /** One line for the PR's title. */
    public String title(String text) {
        return inert(text == null ? "" : text.replaceAll("[\\r\\n\\t\\u0085\\u2028\\u2029]+", " ").strip(),
                MAX_TITLE_CHARS);
    }

    /** A paragraph of the PR's body. */
    public String paragraph(String text) {
        return inert(text == null ? "" : text, MAX_SECTION_CHARS);
    }

    /** A path or name as inline code: a backtick fence longer than any run of backticks inside, so it cannot end. */
    public String code(String text) {
        String clean = secrets.scrub(Redaction.bounded(text, 300)).replaceAll("[\\r\\n]+", " ");
        int longest = 0;
        Matcher run = Pattern.compile("`+").matcher(clean);
        while (run.find()) {
            longest = Math.max(longest, run.group().length());
        }
        String fence = "`".repeat(longest + 1);
        return fence + " " + clean + " " + fence;
    }

    /** The whole body, bounded (a body from our own template plus bounded sections stays under it anyway). */
    public String body(String text) {
        String scrubbed = secrets.scrub(text);
        return scrubbed.length() <= MAX_BODY_CHARS ? scrubbed
                : scrubbed.substring(0, MAX_BODY_CHARS) + "\n\n_(cut: the description was too long)_\n";
    }

    private String inert(String text, int max) {
        String clean = secrets.scrub(Redaction.bounded(text, max));
        StringBuilder out = new StringBuilder();
        Matcher url = URL.matcher(clean);
        int last = 0;
        while (url.find()) {
            out.append(escape(clean.substring(last, url.start())));
            String link = url.group();
            out.append(dashboardHost != null && dashboardHost.equals(hostOf(link)) ? link : "`" + link + "`");
            last = url.end();
        }
        out.append(escape(clean.substring(last)));
        return out.toString();
    }

    /** Markdown and HTML made plain: no tag, entity, mention, link or image can start in it. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("@", "@" + ZERO_WIDTH_JOINER)
                .replace("[", "\\[").replace("]", "\\]").replace("!", "\\!");
    }

    private static String hostOf(String url) {
        try {
            String withScheme = url.regionMatches(true, 0, "www.", 0, 4) ? "https://" + url : url;
            String host = URI.create(withScheme).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notAUrl) {
            return null;
        }
    }
}
