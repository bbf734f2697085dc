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

    @Test
    void cookiesInHeadersScriptsAndUrlsNeverReachAModel() {
        String redacted = Redaction.redact("""
                Cookie: theme=dark; sid=Fe26.2**a1b2c3
                Set-Cookie: __Host-auth=q9w8e7r6; Path=/; Secure; HttpOnly
                {"headers": {"cookie": "_shop_session=zx81zx81", "accept": "application/json"}}
                document.cookie = 'remember=ey55ey55'
                GET /cart;jsessionid=0AB1CD2EF3 and ?PHPSESSID=77aa88bb&step=2
                """);
        assertThat(redacted).doesNotContain("Fe26.2**a1b2c3", "q9w8e7r6", "zx81zx81", "ey55ey55", "0AB1CD2EF3",
                "77aa88bb");
        // what is not a cookie stays readable for the model
        assertThat(redacted).contains("\"accept\": \"application/json\"", "GET /cart", "step=2",
                "Cookie: [redacted]", "Set-Cookie: [redacted]");
    }
}
