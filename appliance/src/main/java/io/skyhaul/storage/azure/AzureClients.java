package io.skyhaul.storage.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.util.HttpClientOptions;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.skyhaul.storage.AzureAccount;
import io.skyhaul.storage.StoreSettings;
import java.time.Duration;

/** Builds the container client of one store from the account's key, connection string or SAS token. */
final class AzureClients {
    static final Duration RETRY_DELAY = Duration.ofMillis(500);
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(8);

    private AzureClients() {
    }

    static BlobContainerClient container(AzureAccount account, String container, StoreSettings settings) {
        HttpClient http = HttpClient.createDefault(new HttpClientOptions()
                .setConnectTimeout(settings.connectTimeout())
                .setReadTimeout(settings.requestTimeout())
                .setWriteTimeout(settings.requestTimeout())
                .setResponseTimeout(settings.requestTimeout()));
        RequestRetryOptions retries = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, settings.maxAttempts(), settings.requestTimeout(), RETRY_DELAY,
                MAX_RETRY_DELAY, null);
        BlobContainerClientBuilder builder = new BlobContainerClientBuilder().containerName(container).httpClient(http).retryOptions(retries);
        if (account.connectionString() != null) {
            builder.connectionString(account.connectionString());
            if (account.endpoint() != null) {
                builder.endpoint(account.endpoint().toString());
            }
        } else {
            builder.endpoint(account.blobEndpoint().toString());
            if (account.accountKey() != null) {
                builder.credential(new StorageSharedKeyCredential(account.accountName(), account.accountKey()));
            } else {
                builder.sasToken(account.sasToken());
            }
        }
        return builder.buildClient();
    }
}
