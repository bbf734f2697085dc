package io.truffles.core.testing;

import io.truffles.core.embedded.EmbeddedS3;
import io.truffles.core.storage.ObjectStorage;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** {@link ObjectStorage} on the embedded S3 server, built the way quarkus-amazon-s3 builds it from config. */
public final class LocalS3 {
    private LocalS3() {
    }

    public static ObjectStorage storage(EmbeddedS3 s3, String bucket) {
        return storage(URI.create(s3.endpoint()), bucket);
    }

    /** {@link ObjectStorage} on whatever speaks S3 at {@code endpoint}, with the embedded server's credentials. */
    public static ObjectStorage storage(URI endpoint, String bucket) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY));
        S3Client client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(EmbeddedS3.REGION))
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        S3Presigner presigner = S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(Region.of(EmbeddedS3.REGION))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
        return new ObjectStorage(client, presigner, bucket);
    }
}
