package io.truffles.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.core.embedded.EmbeddedS3;
import io.truffles.core.testing.LocalS3;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStorageIT {
    private static EmbeddedS3 s3;
    private static ObjectStorage storage;

    @BeforeAll
    static void startS3(@TempDir Path directory) throws Exception {
        s3 = EmbeddedS3.start(directory, 0);
        storage = LocalS3.storage(s3, "truffles-recordings");
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @Test
    void aFiveMegabyteObjectComesBackByteForByte() throws Exception {
        byte[] video = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(video);
        String key = StorageKeys.recording("round-trip");

        storage.put(key, video, "video/mp4");

        assertThat(storage.size(key)).isEqualTo(video.length);
        try (InputStream stream = storage.open(key)) {
            assertThat(sha256(stream.readAllBytes())).isEqualTo(sha256(video));
        }
    }

    @Test
    void aPresignedUrlServesTheObjectOverPlainHttpWithoutCredentials() throws Exception {
        byte[] thumbnail = "not really a jpeg, but bytes all the same".getBytes();
        String key = StorageKeys.thumbnail("presigned");
        storage.put(key, thumbnail, "image/jpeg");

        URL url = storage.presignedGet(key);
        assertThat(url.getQuery()).contains("X-Amz-Expires=3600");
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        assertThat(connection.getResponseCode()).isEqualTo(200);
        try (InputStream body = connection.getInputStream()) {
            assertThat(body.readAllBytes()).isEqualTo(thumbnail);
        }
    }

    @Test
    void creatingABucketSomeoneElseJustCreatedIsNotAnError() {
        // what a health check and the first upload racing at start do: both saw no bucket, both create it
        ObjectStorage first = LocalS3.storage(s3, "truffles-raced");
        ObjectStorage second = LocalS3.storage(s3, "truffles-raced");
        first.createBucket();

        second.createBucket();

        second.put(StorageKeys.metadata("after-race"), "{}".getBytes(), "application/json");
        assertThat(new String(first.read(StorageKeys.metadata("after-race")))).isEqualTo("{}");
    }

    @Test
    void writingTheSameKeyAgainReplacesTheObjectWhole() {
        String key = StorageKeys.metadata("rewrite");
        storage.put(key, "{\"first\":true}".getBytes(), "application/json");
        storage.put(key, "{\"second\":true}".getBytes(), "application/json");
        assertThat(new String(storage.read(key))).isEqualTo("{\"second\":true}");
    }

    @Test
    void aMissingObjectReportsNoSize() {
        assertThat(storage.exists(StorageKeys.rrwebEvents("never-written"))).isFalse();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
