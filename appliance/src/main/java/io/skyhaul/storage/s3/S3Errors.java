package io.skyhaul.storage.s3;

import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns what the AWS SDK throws into a {@link StorageException} an operator can act on. The
 * messages name the account by its access key id and endpoint, never by its secret.
 */
final class S3Errors {
    private static final Set<String> AUTH_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "ExpiredToken",
            "InvalidToken", "TokenRefreshRequired", "AllAccessDisabled", "InvalidSecurity");
    private static final Set<String> INTEGRITY_CODES = Set.of("BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch", "InvalidChecksum");

    private final String account;
    private final String bucket;

    S3Errors(String account, String bucket) {
        this.account = account;
        this.bucket = bucket;
    }

    /** {@code what}: the operation, e.g. "upload part 3 of 'a/b'". {@code key}: the object, or null for bucket operations. */
    StorageException map(SdkException e, String what, String key) {
        if (e instanceof S3Exception s3) {
            return mapService(s3, what, key);
        }
        if (e instanceof AbortedException) {
            return new StorageException(StorageError.IO, what + " was interrupted", e);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException || hasCause(e, SocketTimeoutException.class)) {
            return new StorageException(StorageError.UNREACHABLE, what + " timed out talking to " + account
                    + ": check that the storage server is up and reachable from this machine", e);
        }
        if (hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class) || hasCause(e, NoRouteToHostException.class)) {
            return new StorageException(StorageError.UNREACHABLE, "cannot reach the storage server of " + account + " (" + rootMessage(e)
                    + "): check the endpoint and that the server is up", e);
        }
        return new StorageException(StorageError.IO, what + " failed on " + account + ": " + e.getMessage(), e);
    }

    private StorageException mapService(S3Exception e, String what, String key) {
        String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null ? e.awsErrorDetails().errorCode() : "";
        int status = e.statusCode();
        String detail = " (HTTP " + status + (code.isEmpty() ? "" : " " + code) + ")";
        if (AUTH_CODES.contains(code) || status == 403 || status == 401) {
            return new StorageException(StorageError.AUTH_FAILED, "the storage server refused the credentials for account " + account + " on bucket '" + bucket
                    + "'" + detail + ": check the access key and secret, and that they may use this bucket", e);
        }
        if ("NoSuchBucket".equals(code) || (status == 404 && key == null)) {
            return new StorageException(StorageError.BUCKET_NOT_FOUND, "the bucket '" + bucket + "' does not exist on " + account + detail
                    + ": create it, or check the bucket name and region", e);
        }
        if ("NoSuchKey".equals(code) || "NotFound".equals(code) || status == 404) {
            return new StorageException(StorageError.OBJECT_NOT_FOUND, "no object '" + key + "' in bucket '" + bucket + "'" + detail, e);
        }
        if (INTEGRITY_CODES.contains(code)) {
            return new StorageException(StorageError.INTEGRITY, what + ": the storage server found the bytes it received did not match their checksum" + detail
                    + ": nothing was committed", e);
        }
        if ("PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code) || status == 301) {
            return new StorageException(StorageError.IO, what + " failed: the bucket '" + bucket + "' is in another region than the one configured for "
                    + account + detail + ": fix the account's region", e);
        }
        return new StorageException(StorageError.IO, what + " failed on " + account + detail + ": " + e.awsErrorDetails().errorMessage(), e);
    }

    static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
    }
}
