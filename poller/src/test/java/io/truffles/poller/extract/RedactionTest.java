package io.truffles.poller.extract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class RedactionTest {
    final ObjectMapper json = new ObjectMapper();

    @Test
    void credentialHeadersAreRedactedWhateverTheirValue() throws Exception {
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
    void tokenLookingValuesAreRedactedWhereverTheyAppear() {
        assertThat(Redaction.tokens("failed with Bearer abc.def-123 then")).isEqualTo("failed with [REDACTED] then");
        assertThat(Redaction.tokens("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl"))
                .isEqualTo("jwt [REDACTED]");
        assertThat(Redaction.tokens("key phx_abcdefghijklmnop1234 used")).isEqualTo("key [REDACTED] used");
        assertThat(Redaction.tokens("id 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
                .isEqualTo("id [REDACTED]");
        assertThat(Redaction.tokens("Cannot read properties of undefined (reading 'map')"))
                .isEqualTo("Cannot read properties of undefined (reading 'map')");
    }

    @Test
    void secretNamedQueryParametersAreRedactedAndTheRestOfTheUrlKept() {
        assertThat(Redaction.url("https://a.test/cb?code=xyz&state=1&api_key=k#top"))
                .isEqualTo("https://a.test/cb?code=[REDACTED]&state=1&api_key=[REDACTED]#top");
        assertThat(Redaction.url("https://a.test/orders/42?page=3")).isEqualTo("https://a.test/orders/42?page=3");
    }
}
