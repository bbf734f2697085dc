package io.truffles.agentrunner.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.core.redaction.KnownSecrets;
import org.junit.jupiter.api.Test;

class PullRequestTextTest {
    final PullRequestText text = new PullRequestText(KnownSecrets.none().with("GITHUB_TOKEN", "ghp_realtoken0001"),
            "https://truffles.example.com");

    @Test
    void noHtmlMentionsImagesOrForeignLinksSurvive() {
        String shown = text.paragraph("Hi @octocat and @acme/security <img src=x onerror=alert(1)> &#64;admin "
                + "![pixel](https://evil.example/p.png) [click](https://evil.example/login) see "
                + "https://evil.example/x and www.evil.example, details https://truffles.example.com/agents/1");

        assertThat(shown).doesNotContain("<img", "@octocat", "@acme", "&#64;", "![", "[click]")
                .doesNotContainPattern("(?<!\\\\)\\]\\(")
                .contains("@\u200Doctocat", "&lt;img", "`https://evil.example/x`", "`www.evil.example,`")
                // the dashboard's own links stay links
                .contains(" https://truffles.example.com/agents/1");
    }

    @Test
    void secretsAndCredentialsAreTakenOutAndLengthIsBounded() {
        String shown = text.paragraph("token ghp_realtoken0001 and Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln "
                + "x".repeat(10_000));

        assertThat(shown).doesNotContain("ghp_realtoken0001", "eyJhbGciOiJIUzI1NiJ9")
                .hasSizeLessThan(PullRequestText.MAX_SECTION_CHARS + 100);
        assertThat(text.title("Fix: line one\nline two " + "y".repeat(500)))
                .doesNotContain("\n").hasSizeLessThanOrEqualTo(PullRequestText.MAX_TITLE_CHARS + 1);
    }

    @Test
    void inlineCodeCannotBeClosedFromInside() {
        assertThat(text.code("src/a``b.js")).isEqualTo("``` src/a``b.js ```");
    }
}
