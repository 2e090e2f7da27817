package io.skyhaul.accounts;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;

/**
 * A storage account as an admin creates or replaces it. Secret fields are write-only: they are
 * never returned, and left out on an update they keep their stored value.
 */
public record AccountRequest(
        @NotBlank @Pattern(regexp = NAME_PATTERN, message = NAME_MESSAGE) String name,
        @NotNull AccountKind kind,
        @Valid S3Fields s3,
        @Valid AzureFields azure,
        @Valid LocalFields local) {
    public static final String NAME_PATTERN = "[a-z0-9][a-z0-9-]{0,62}";
    public static final String NAME_MESSAGE = "must be 1-63 lower-case letters, digits or '-', starting with a letter or digit";

    public enum AccountKind {
        @com.fasterxml.jackson.annotation.JsonProperty("s3") S3,
        @com.fasterxml.jackson.annotation.JsonProperty("azure") AZURE,
        @com.fasterxml.jackson.annotation.JsonProperty("local") LOCAL;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** S3 or an S3-compatible server. */
    public record S3Fields(@NotBlank @Size(max = 128) String accessKeyId, @Size(max = 256) String secretAccessKey,
            @NotBlank @Pattern(regexp = "[a-z0-9-]{2,32}", message = "must be a region name such as us-east-1") String region,
            URI endpoint, Boolean pathStyle) {
        @AssertTrue(message = "must be an http or https URL")
        public boolean isEndpointValid() {
            return endpoint == null || (endpoint.getHost() != null && ("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())));
        }

        @Override
        public String toString() {
            return "S3Fields[accessKeyId=" + accessKeyId + ", region=" + region + ", endpoint=" + endpoint + "]";
        }
    }

    /** Azure Blob: account name with one of account key, connection string or SAS token. */
    public record AzureFields(@Size(max = 64) String accountName, @Size(max = 256) String accountKey, @Size(max = 4096) String connectionString,
            @Size(max = 4096) String sasToken, URI endpoint) {
        @AssertTrue(message = "must be an http or https URL")
        public boolean isEndpointValid() {
            return endpoint == null || (endpoint.getHost() != null && ("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())));
        }

        @Override
        public String toString() {
            return "AzureFields[accountName=" + accountName + ", endpoint=" + endpoint + "]";
        }
    }

    /** A directory on the node. */
    public record LocalFields(@NotBlank @Size(max = 4096) String path) {
    }

    @AssertTrue(message = "give exactly the settings of the account's kind (s3, azure or local)")
    public boolean isKindSettingsConsistent() {
        if (kind == null) {
            return true;
        }
        return switch (kind) {
            case S3 -> s3 != null && azure == null && local == null;
            case AZURE -> azure != null && s3 == null && local == null;
            case LOCAL -> local != null && s3 == null && azure == null;
        };
    }
}
