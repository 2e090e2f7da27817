package io.skyhaul.storage;

/**
 * Credentials and location of one storage account, as the credentials vault holds them
 * (decrypted). Implementations redact every secret from {@code toString()}, so an account can be
 * logged or put in an exception message without leaking it.
 */
public sealed interface StorageAccount permits LocalAccount, S3Account, AzureAccount {
    /** "local", "s3" or "azure". */
    String kind();

    /** Where the account points, for messages and logs: never contains a secret. */
    String describe();
}
