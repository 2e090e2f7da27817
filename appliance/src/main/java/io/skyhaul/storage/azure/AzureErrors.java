package io.skyhaul.storage.azure;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Turns what the Azure SDK throws into a {@link StorageException} an operator can act on. The
 * messages name the account and how it authenticates, never the key, connection string or SAS.
 */
final class AzureErrors {
    private static final Set<BlobErrorCode> AUTH_CODES = Set.of(BlobErrorCode.AUTHENTICATION_FAILED, BlobErrorCode.AUTHORIZATION_FAILURE,
            BlobErrorCode.INSUFFICIENT_ACCOUNT_PERMISSIONS, BlobErrorCode.AUTHORIZATION_PERMISSION_MISMATCH, BlobErrorCode.AUTHORIZATION_RESOURCE_TYPE_MISMATCH,
            BlobErrorCode.AUTHORIZATION_SERVICE_MISMATCH, BlobErrorCode.AUTHORIZATION_SOURCE_IPMISMATCH, BlobErrorCode.AUTHORIZATION_PROTOCOL_MISMATCH,
            BlobErrorCode.ACCOUNT_IS_DISABLED);
    private static final Set<BlobErrorCode> INTEGRITY_CODES = Set.of(BlobErrorCode.MD5MISMATCH, BlobErrorCode.INVALID_MD5,
            BlobErrorCode.INVALID_BLOCK_LIST, BlobErrorCode.INVALID_BLOCK_ID);

    private final String account;
    private final String authMethod;
    private final String container;

    AzureErrors(String account, String authMethod, String container) {
        this.account = account;
        this.authMethod = authMethod;
        this.container = container;
    }

    /** {@code key}: the blob, or null for container operations. */
    StorageException map(RuntimeException e, String what, String key) {
        if (e instanceof BlobStorageException b) {
            return mapService(b, what, key);
        }
        if (hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class) || hasCause(e, NoRouteToHostException.class)) {
            return new StorageException(StorageError.UNREACHABLE, "cannot reach the storage server of " + account + " (" + rootMessage(e)
                    + "): check the endpoint and that the server is up", e);
        }
        if (hasCause(e, TimeoutException.class) || hasCause(e, SocketTimeoutException.class)) {
            return new StorageException(StorageError.UNREACHABLE, what + " timed out talking to " + account
                    + ": check that the storage server is up and reachable from this machine", e);
        }
        return new StorageException(StorageError.IO, what + " failed on " + account + ": " + rootMessage(e), e);
    }

    private StorageException mapService(BlobStorageException e, String what, String key) {
        BlobErrorCode code = e.getErrorCode();
        int status = e.getStatusCode();
        String detail = " (HTTP " + status + (code != null ? " " + code : "") + ")";
        if (AUTH_CODES.contains(code) || status == 403 || status == 401) {
            return new StorageException(StorageError.AUTH_FAILED, "the storage server refused the credentials for account " + account + " on container '"
                    + container + "'" + detail + ": check the " + authMethod + (authMethod.equals("SAS token") ? " (its permissions and expiry)" : ""), e);
        }
        if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code) || (status == 404 && key == null)) {
            return new StorageException(StorageError.BUCKET_NOT_FOUND, "the container '" + container + "' does not exist in " + account + detail
                    + ": create it, or check the container name", e);
        }
        if (BlobErrorCode.BLOB_NOT_FOUND.equals(code) || status == 404) {
            return new StorageException(StorageError.OBJECT_NOT_FOUND, "no object '" + key + "' in container '" + container + "'" + detail, e);
        }
        if (INTEGRITY_CODES.contains(code)) {
            return new StorageException(StorageError.INTEGRITY, what + ": the storage server found the bytes it received did not match their checksum" + detail
                    + ": nothing was committed", e);
        }
        return new StorageException(StorageError.IO, what + " failed on " + account + detail + ": " + firstLine(e.getServiceMessage()), e);
    }

    static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (type.isInstance(s)) {
                    return true;
                }
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

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
