package io.truffles.core.storage;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Truffles' objects in one S3 bucket. A PUT becomes visible only once whole, and keys are deterministic
 * ({@link StorageKeys}), so writing the same object again after a crash replaces it and never leaves half of one.
 */
public final class ObjectStorage {
    /** How long a browser may use a presigned URL; the API makes a fresh one on each read. */
    public static final Duration PRESIGNED_URL_TTL = Duration.ofHours(1);

    private static final int STALE_CONNECTION_ATTEMPTS = 3;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private volatile boolean bucketReady;

    public ObjectStorage(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket when it does not exist (the embedded server starts empty); a no-op once it is there. */
    public void ensureBucket() {
        if (bucketReady) {
            return;
        }
        try {
            s3.headBucket(request -> request.bucket(bucket));
        } catch (NoSuchBucketException missing) {
            createBucket();
        } catch (S3Exception error) {
            if (error.statusCode() != 404) {
                throw error;
            }
            createBucket();
        }
        bucketReady = true;
    }

    void createBucket() {
        try {
            s3.createBucket(request -> request.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException createdMeanwhile) {
            // another thread or service created it between our HEAD and this PUT (a health check racing the first
            // upload at start): the bucket is there, which is all this wanted
        }
    }

    /** Checks the bucket answers, for health checks. */
    public void ping() {
        s3.headBucket(request -> request.bucket(bucket));
    }

    public void put(String key, Path file, String contentType) {
        ensureBucket();
        sendAgainOnStaleConnection(() -> s3.putObject(
                request -> request.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file)));
    }

    public void put(String key, byte[] content, String contentType) {
        ensureBucket();
        sendAgainOnStaleConnection(() -> s3.putObject(
                request -> request.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content)));
    }

    /**
     * A PUT sent on a kept-alive connection the server has just closed fails in the SDK's URL-connection client while
     * it waits for "100 Continue", as an {@link UncheckedIOException} its retry policy never sees (seen against
     * s3proxy; aws/aws-sdk-java-v2#6670 on AWS). A PUT of a whole object is idempotent, so it is sent again.
     */
    private static void sendAgainOnStaleConnection(Runnable put) {
        for (int attempt = 1; ; attempt++) {
            try {
                put.run();
                return;
            } catch (UncheckedIOException stale) {
                if (attempt == STALE_CONNECTION_ATTEMPTS) {
                    throw stale;
                }
            }
        }
    }

    /** Streams an object; the caller closes the stream. */
    public InputStream open(String key) {
        ResponseInputStream<GetObjectResponse> stream = s3.getObject(request -> request.bucket(bucket).key(key));
        return stream;
    }

    public byte[] read(String key) {
        return s3.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asByteArray();
    }

    /** The object's size in bytes, or -1 when it does not exist. */
    public long size(String key) {
        try {
            HeadObjectResponse head = s3.headObject(request -> request.bucket(bucket).key(key));
            return head.contentLength();
        } catch (NoSuchKeyException missing) {
            return -1;
        } catch (S3Exception error) {
            if (error.statusCode() == 404) {
                return -1;
            }
            throw error;
        }
    }

    public boolean exists(String key) {
        return size(key) >= 0;
    }

    public void delete(String key) {
        s3.deleteObject(request -> request.bucket(bucket).key(key));
    }

    /** A URL anyone can GET the object with for the next hour. */
    public URL presignedGet(String key) {
        return presigner.presignGetObject(request -> request.signatureDuration(PRESIGNED_URL_TTL)
                .getObjectRequest(get -> get.bucket(bucket).key(key))).url();
    }
}
