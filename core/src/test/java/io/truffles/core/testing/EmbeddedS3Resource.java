package io.truffles.core.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.truffles.core.embedded.EmbeddedS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** The embedded S3 server (s3proxy, a child process) for {@code @QuarkusTest}s. */
public class EmbeddedS3Resource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedS3 s3;

    @Override
    public Map<String, String> start() {
        try {
            s3 = EmbeddedS3.start(Files.createTempDirectory("truffles-s3"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.s3.endpoint-override", s3.endpoint(),
                "quarkus.s3.path-style-access", "true",
                "quarkus.s3.aws.region", EmbeddedS3.REGION,
                "quarkus.s3.aws.credentials.type", "static",
                "quarkus.s3.aws.credentials.static-provider.access-key-id", EmbeddedS3.ACCESS_KEY,
                "quarkus.s3.aws.credentials.static-provider.secret-access-key", EmbeddedS3.SECRET_KEY,
                "truffles.s3.bucket", "truffles-test");
    }

    @Override
    public void stop() {
        if (s3 != null) {
            s3.close();
        }
    }
}
