package io.skyhaul.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.storage.S3Account;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import java.net.ConnectException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * How S3 errors read to an operator. S3Mock accepts any credentials, so the refusal of wrong
 * ones is checked here on the error AWS sends ({@code 403 InvalidAccessKeyId} /
 * {@code SignatureDoesNotMatch}); the Azure tests check a real refusal by Azurite.
 */
class S3ErrorsTest {
    private static final S3Account ACCOUNT = new S3Account("AKIDEXAMPLE", "very-secret-key", "eu-west-1", URI.create("https://s3.example.test"), false);
    private final S3Errors errors = new S3Errors(ACCOUNT.describe(), "media");

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " message").build()).build();
    }

    @Test
    void refusedCredentialsAreAuthFailedAndNameTheAccessKeyNotTheSecret() {
        for (String code : new String[] {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"}) {
            StorageException e = errors.map(s3(403, code), "uploading", "k");
            assertEquals(StorageError.AUTH_FAILED, e.error());
            assertTrue(e.getMessage().contains("refused the credentials for account") && e.getMessage().contains("AKIDEXAMPLE")
                    && e.getMessage().contains("check the access key and secret"), e.getMessage());
            assertFalse(e.getMessage().contains("very-secret-key"), e.getMessage());
        }
    }

    @Test
    void missingBucketAndKeyAreToldApart() {
        assertEquals(StorageError.BUCKET_NOT_FOUND, errors.map(s3(404, "NoSuchBucket"), "listing", null).error());
        assertEquals(StorageError.BUCKET_NOT_FOUND, errors.map(s3(404, ""), "head bucket", null).error());
        assertEquals(StorageError.OBJECT_NOT_FOUND, errors.map(s3(404, "NoSuchKey"), "get", "k").error());
    }

    @Test
    void checksumRefusalsAreIntegrity() {
        assertEquals(StorageError.INTEGRITY, errors.map(s3(400, "BadDigest"), "part 1", "k").error());
    }

    @Test
    void wrongRegionSaysSo() {
        StorageException e = errors.map(s3(301, "PermanentRedirect"), "listing", null);
        assertTrue(e.getMessage().contains("region"), e.getMessage());
    }

    @Test
    void refusedConnectionsAreUnreachable() {
        SdkClientException e = SdkClientException.builder().message("Unable to execute HTTP request").cause(new ConnectException("Connection refused")).build();
        StorageException mapped = errors.map(e, "listing", null);
        assertEquals(StorageError.UNREACHABLE, mapped.error());
        assertTrue(mapped.getMessage().contains("https://s3.example.test"), mapped.getMessage());
    }
}
