package io.truffles.analyzer.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PagePatternTest {
    @Test
    void recordIdsInThePathBecomeOnePattern() {
        assertThat(PagePattern.of("https://shop.example.com/orders/1234/edit?tab=2#x")).isEqualTo("/orders/:id/edit");
        assertThat(PagePattern.of("/users/3f2b8c1e-9d4a-4b7e-8c2d-1a2b3c4d5e6f")).isEqualTo("/users/:id");
        assertThat(PagePattern.of("https://x.io/")).isEqualTo("/");
        assertThat(PagePattern.of("https://x.io/settings/profile")).isEqualTo("/settings/profile");
    }

    @Test
    void messagesDifferingOnlyInNumbersAndQuotedValuesNormalizeAlike() {
        assertThat(Fingerprint.normalizeMessage("Failed to load item 42 from 'cart'"))
                .isEqualTo(Fingerprint.normalizeMessage("Failed to load item 7 from 'wishlist'"));
    }
}
