package io.skyhaul.vault;

/** The master key is missing, unreadable or wrong, or a sealed secret does not open. */
public final class VaultException extends Exception {
    public VaultException(String message) {
        super(message);
    }
}
