package io.skyhaul.storage.s3;

import io.skyhaul.storage.S3Account;
import io.skyhaul.storage.StoreSettings;
import io.skyhaul.storage.UploadOptions;
import java.util.ServiceLoader;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Builds the synchronous S3 client of one store: static credentials, the account's region,
 * endpoint and addressing style, and the synchronous HTTP client found on the class path (Apache
 * HttpClient 5 here) sized for the parallel parts and ranges. Checksums are the ones Skyhaul
 * computes and sends (CRC32C per part), not a second pass by the SDK.
 */
final class S3Clients {
    /** Connections beyond the parts and ranges of one call: HEADs, listings, other uploads at once. */
    private static final int SPARE_CONNECTIONS = 16;

    private S3Clients() {
    }

    static SdkHttpClient httpClient(StoreSettings settings) {
        SdkHttpService service = ServiceLoader.load(SdkHttpService.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no synchronous HTTP client for the AWS SDK on the class path"));
        AttributeMap options = AttributeMap.builder()
                .put(SdkHttpConfigurationOption.MAX_CONNECTIONS, UploadOptions.MAX_PARALLELISM + settings.downloadParallelism() + SPARE_CONNECTIONS)
                .put(SdkHttpConfigurationOption.CONNECTION_TIMEOUT, settings.connectTimeout())
                .put(SdkHttpConfigurationOption.READ_TIMEOUT, settings.requestTimeout())
                .put(SdkHttpConfigurationOption.WRITE_TIMEOUT, settings.requestTimeout())
                .build();
        return service.createHttpClientBuilder().buildWithDefaults(options.merge(SdkHttpConfigurationOption.GLOBAL_HTTP_DEFAULTS));
    }

    static S3Client client(S3Account account, SdkHttpClient http, StoreSettings settings) {
        var builder = S3Client.builder()
                .region(Region.of(account.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account.accessKeyId(), account.secretAccessKey())))
                .forcePathStyle(account.pathStyle())
                .httpClient(http)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(settings.maxAttempts())));
        if (account.endpoint() != null) {
            builder.endpointOverride(account.endpoint());
        }
        return builder.build();
    }
}
