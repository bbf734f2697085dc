package io.truffles.core.storage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the bucket answers (creating it the first time, as the embedded server starts empty). */
@Readiness
@ApplicationScoped
public class StorageHealthCheck implements HealthCheck {
    private final ObjectStorage storage;

    StorageHealthCheck(ObjectStorage storage) {
        this.storage = storage;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            storage.ensureBucket();
            storage.ping();
            return HealthCheckResponse.named("storage").up().withData("bucket", storage.bucket()).build();
        } catch (RuntimeException unavailable) {
            return HealthCheckResponse.named("storage").down()
                    .withData("bucket", storage.bucket())
                    .withData("error", String.valueOf(unavailable.getMessage()))
                    .build();
        }
    }
}
