package io.truffles.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {
    @Test
    void printingASecretShowsOnlyItsLastFourCharacters() {
        Secret key = Secret.of("sk-or-v1-0123456789abcdef");
        assertThat(key.toString()).isEqualTo("••••cdef");
        assertThat("key=" + key).doesNotContain("0123456789");
        assertThat(key.reveal()).isEqualTo("sk-or-v1-0123456789abcdef");
    }

    @Test
    void aShortOrMissingSecretShowsNothingOfItself() {
        assertThat(Secret.mask("hunter2")).isEqualTo("••••");
        assertThat(Secret.mask("")).isEqualTo("not set");
        assertThat(Secret.mask(null)).isEqualTo("not set");
    }

    @Test
    void theDatabaseNameComesFromTheMongoUri() {
        assertThat(DerivedConfigSource.databaseName("mongodb://localhost:27017/prod")).isEqualTo("prod");
        assertThat(DerivedConfigSource.databaseName("mongodb://localhost:27017")).isEqualTo("truffles");
        assertThat(DerivedConfigSource.databaseName(null)).isEqualTo("truffles");
    }
}
