package io.truffles.core.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class RedactionTest {
    final ObjectMapper json = new ObjectMapper();

    @Test
    void emailsTokensAndCredentialParametersAreTakenOut() {
        String redacted = Redaction.text("user ann.lee@example.com sent Authorization: Bearer abcdef0123456789 to "
                + "https://api.example.com/items?token=s3cr3t&page=2 with key sk-or-v1-0123456789abcdef and "
                + "{\"password\": \"hunter22\"}");
        assertThat(redacted).doesNotContain("ann.lee@example.com", "abcdef0123456789", "s3cr3t",
                "sk-or-v1-0123456789abcdef", "hunter22");
        assertThat(redacted).contains(Redaction.EMAIL, "page=2", "Authorization: " + Redaction.REDACTED);
    }

    @Test
    void cookiesInHeadersScriptsAndUrlsAreTakenOutAndTheRestKept() {
        String redacted = Redaction.text("""
                Cookie: theme=dark; sid=Fe26.2**a1b2c3
                Set-Cookie: __Host-auth=q9w8e7r6; Path=/; Secure; HttpOnly
                {"headers": {"cookie": "_shop_session=zx81zx81", "accept": "application/json"}}
                document.cookie = 'remember=ey55ey55'
                GET /cart;jsessionid=0AB1CD2EF3 and ?PHPSESSID=77aa88bb&step=2
                """);
        assertThat(redacted).doesNotContain("Fe26.2**a1b2c3", "q9w8e7r6", "zx81zx81", "ey55ey55", "0AB1CD2EF3",
                "77aa88bb");
        assertThat(redacted).contains("\"accept\": \"application/json\"", "GET /cart", "step=2",
                "Cookie: [redacted]", "Set-Cookie: [redacted]");
    }

    @Test
    void tokenLookingValuesAreTakenOutWhereverTheyAppear() {
        assertThat(Redaction.text("failed with Bearer abc.def-123 then")).isEqualTo("failed with Bearer [redacted] then");
        assertThat(Redaction.text("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl"))
                .isEqualTo("jwt [redacted]");
        assertThat(Redaction.text("key phx_abcdefghijklmnop1234 used")).isEqualTo("key [redacted] used");
        assertThat(Redaction.text("id 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
                .isEqualTo("id [redacted]");
        assertThat(Redaction.text("sent x-api-key sk-ant-api03-AbCdEf123456 to the API"))
                .doesNotContain("AbCdEf123456");
        assertThat(Redaction.text("Cannot read properties of undefined (reading 'map')"))
                .isEqualTo("Cannot read properties of undefined (reading 'map')");
    }

    @Test
    void secretNamedQueryParametersAreTakenOutAndTheRestOfTheUrlKept() {
        assertThat(Redaction.url("https://a.test/cb?code=xyz&state=1&api_key=k#top"))
                .isEqualTo("https://a.test/cb?code=[redacted]&state=1&api_key=[redacted]#top");
        assertThat(Redaction.url("https://a.test/orders/42?page=3")).isEqualTo("https://a.test/orders/42?page=3");
    }

    @Test
    void credentialHeadersOfACapturedRequestAreRedactedWhateverTheirValue() throws Exception {
        ObjectNode request = (ObjectNode) json.readTree("""
                {"name":"https://api.test/x","requestHeaders":{"Authorization":"Basic dXNlcjpwYXNz","Cookie":"a=b",
                 "X-API-Key":"short","Accept":"application/json"},
                 "responseHeaders":{"set-cookie":"sid=1; HttpOnly","x-request-id":"abc"}}""");
        Redaction.request(request);

        assertThat(request.at("/requestHeaders/Authorization").asText()).isEqualTo(Redaction.REDACTED);
        assertThat(request.at("/requestHeaders/Cookie").asText()).isEqualTo(Redaction.REDACTED);
        assertThat(request.at("/requestHeaders/X-API-Key").asText()).isEqualTo(Redaction.REDACTED);
        assertThat(request.at("/requestHeaders/Accept").asText()).isEqualTo("application/json");
        assertThat(request.at("/responseHeaders/set-cookie").asText()).isEqualTo(Redaction.REDACTED);
        assertThat(request.at("/responseHeaders/x-request-id").asText()).isEqualTo("abc");
    }

    @Test
    void aBoundedLineIsRedactedThenCutSayingSo() {
        assertThat(Redaction.bounded("mail ann@example.com " + "x".repeat(100), 20))
                .isEqualTo("mail [email] xxxxxxx…");
        assertThat(Redaction.bounded("short", 20)).isEqualTo("short");
    }
}
