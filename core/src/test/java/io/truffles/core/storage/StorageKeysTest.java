package io.truffles.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StorageKeysTest {
    @Test
    void keysFollowTheSeedLayout() {
        assertThat(StorageKeys.recording("0190abc")).isEqualTo("sessions/0190abc/recording.mp4");
        assertThat(StorageKeys.thumbnail("0190abc")).isEqualTo("sessions/0190abc/thumbnail.jpg");
        assertThat(StorageKeys.rrwebEvents("0190abc")).isEqualTo("sessions/0190abc/rrweb-events.json");
        assertThat(StorageKeys.metadata("0190abc")).isEqualTo("sessions/0190abc/metadata.json");
    }

    @Test
    void anIdThatWouldEscapeItsFolderIsRefused() {
        assertThatThrownBy(() -> StorageKeys.recording("../other")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorageKeys.recording("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorageKeys.recording(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
