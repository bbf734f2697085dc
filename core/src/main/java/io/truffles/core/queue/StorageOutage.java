package io.truffles.core.queue;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Tells a job's failure that only says the stack's own storage was out of reach — the bucket refusing or dropping the
 * connection, the database unreachable — from a failure of the job. Such a job is handed back to wait for its storage
 * rather than spending an attempt: the long chaos test saw a session fail for good ("SdkClientException: Unable to
 * execute HTTP request: Connection refused") when S3, killed and restarted in 8 s, was down during its last attempt.
 */
final class StorageOutage {
    private static final int DEEPEST_CAUSE = 16;

    private StorageOutage() {
    }

    static boolean causedBy(Throwable failure) {
        boolean fromTheBucket = false;
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < DEEPEST_CAUSE; depth++, cause = cause.getCause()) {
            if (cause instanceof MongoSocketException || cause instanceof MongoTimeoutException) {
                return true;
            }
            fromTheBucket |= cause instanceof SdkClientException;
            // a refused, reset or timed-out connection, not an answer from the bucket (a 403 or 404 is the job's)
            if (fromTheBucket && (cause instanceof SocketException || cause instanceof SocketTimeoutException)) {
                return true;
            }
        }
        return false;
    }
}
