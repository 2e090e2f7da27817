package io.skyhaul.storage;

import java.net.URI;

/**
 * An Azure Blob Storage account, authenticated by exactly one of: the account key (with
 * {@code accountName}), a connection string, or a SAS token. {@code endpoint} null means
 * {@code https://NAME.blob.core.windows.net}; emulators such as Azurite use
 * {@code http://127.0.0.1:PORT/NAME}. With a connection string, the endpoint comes from it unless
 * one is given here.
 */
public record AzureAccount(String accountName, String accountKey, String connectionString, String sasToken, URI endpoint) implements StorageAccount {
    public AzureAccount {
        int ways = (accountKey != null ? 1 : 0) + (connectionString != null ? 1 : 0) + (sasToken != null ? 1 : 0);
        if (ways != 1) {
            throw new IllegalArgumentException("an Azure account needs exactly one of: account key, connection string, SAS token (got " + ways + ")");
        }
        if (connectionString == null && (accountName == null || accountName.isBlank()) && endpoint == null) {
            throw new IllegalArgumentException("an Azure account needs its account name or its endpoint");
        }
    }

    public static AzureAccount withKey(String accountName, String accountKey, URI endpoint) {
        return new AzureAccount(accountName, accountKey, null, null, endpoint);
    }

    public static AzureAccount withConnectionString(String connectionString) {
        return new AzureAccount(null, null, connectionString, null, null);
    }

    public static AzureAccount withSas(String accountName, String sasToken, URI endpoint) {
        return new AzureAccount(accountName, null, null, sasToken, endpoint);
    }

    @Override
    public String kind() {
        return "azure";
    }

    /** The blob service endpoint, derived from the account name when none is set (null for a connection string without one). */
    public URI blobEndpoint() {
        if (endpoint != null) {
            return endpoint;
        }
        return accountName == null ? null : URI.create("https://" + accountName + ".blob.core.windows.net");
    }

    /** How the account authenticates, for messages: "account key", "connection string" or "SAS token". */
    public String authMethod() {
        return accountKey != null ? "account key" : connectionString != null ? "connection string" : "SAS token";
    }

    @Override
    public String describe() {
        URI at = blobEndpoint();
        String name = accountName != null ? accountName : "(from connection string)";
        return "azure:" + name + (at != null ? " at " + at : "") + " (" + authMethod() + ")";
    }

    /** Never prints the key, the connection string (it holds the key) or the SAS token. */
    @Override
    public String toString() {
        return "AzureAccount[accountName=" + accountName + ", accountKey=" + redact(accountKey) + ", connectionString=" + redact(connectionString)
                + ", sasToken=" + redact(sasToken) + ", endpoint=" + endpoint + "]";
    }

    private static String redact(String secret) {
        return secret == null ? "null" : "***";
    }
}
