package io.truffles.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    final ClientAddress address = new ClientAddress(List.of("127.0.0.1", "::1"));

    @Test
    void throughTheTrustedProxyTheAddressItAppendedCountsNotWhatTheClientWrote() {
        assertThat(address.of("127.0.0.1", List.of("6.6.6.1, 203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(address.of("127.0.0.1", List.of("6.6.6.2", "203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(address.of("0:0:0:0:0:0:0:1", List.of("6.6.6.3,203.0.113.7 "))).isEqualTo("203.0.113.7");
    }

    @Test
    void aPeerThatIsNoTrustedProxyIsCountedAsItselfWhateverItForwards() {
        assertThat(address.of("198.51.100.4", List.of("6.6.6.4, 203.0.113.7"))).isEqualTo("198.51.100.4");
    }

    @Test
    void aLocalCallerWithoutForwardedForIsItself() {
        assertThat(address.of("127.0.0.1", List.of())).isEqualTo("127.0.0.1");
    }

    @Test
    void trustedProxiesAreAddressesNeverNamesToLookUp() {
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.example.com")))
                .hasMessageContaining("IP addresses");
    }
}
