package io.truffles.core.storage;

import io.truffles.core.config.TrufflesConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** {@link ObjectStorage} on the S3 client quarkus-amazon-s3 configures from {@code S3_ENDPOINT}, {@code AWS_*}. */
public class StorageProducer {

    @Produces
    @Singleton
    ObjectStorage objectStorage(S3Client s3, S3Presigner presigner, TrufflesConfig config) {
        return new ObjectStorage(s3, presigner, config.s3().bucket());
    }
}
