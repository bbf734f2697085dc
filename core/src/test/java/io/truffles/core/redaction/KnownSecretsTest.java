package io.truffles.core.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KnownSecretsTest {
    final KnownSecrets secrets = KnownSecrets.none().with("GITHUB_TOKEN", "ghp_live\"tok\\en9")
            .with("ANTHROPIC_API_KEY", "plain-anthropic-key").with("ADMIN_PASSWORD", "abc");

    @Test
    void everyKnownSecretIsReplacedByItsNameAlsoWhenJsonEscaped() {
        String line = "{\"text\":\"token ghp_live\\\"tok\\\\en9 and plain-anthropic-key\"} raw ghp_live\"tok\\en9";

        String scrubbed = secrets.scrub(line);

        assertThat(scrubbed).doesNotContain("ghp_live", "plain-anthropic-key")
                .contains("[redacted: GITHUB_TOKEN]", "[redacted: ANTHROPIC_API_KEY]");
    }

    @Test
    void secretsTooShortToSearchForAreNotSearchedFor() {
        assertThat(secrets.scrub("abc is not replaced")).isEqualTo("abc is not replaced");
        assertThat(secrets.foundIn("abc")).isEmpty();
    }

    @Test
    void aSecretInFileContentIsNamed() {
        assertThat(secrets.foundIn("const key = 'plain-anthropic-key';".getBytes(StandardCharsets.UTF_8)))
                .contains("ANTHROPIC_API_KEY");
        assertThat(secrets.foundIn("nothing here".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
