package io.truffles.analyzer.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void emailsTokensAndCredentialParametersNeverReachAModel() {
        String redacted = Redaction.redact("user ann.lee@example.com sent Authorization: Bearer abcdef0123456789 to "
                + "https://api.example.com/items?token=s3cr3t&page=2 with key sk-or-v1-0123456789abcdef and "
                + "{\"password\": \"hunter22\"}");
        assertThat(redacted).doesNotContain("ann.lee@example.com", "abcdef0123456789", "s3cr3t",
                "sk-or-v1-0123456789abcdef", "hunter22");
        assertThat(redacted).contains("[email]", "page=2", "Bearer [redacted]");
    }
}
