package io.skyhaul.linkem;

/**
 * A command line that cannot be run: unknown flag, missing or malformed value. The message is one
 * line that names the flag, printed as is by {@link LinkemMain}, which then exits with code 2.
 */
public final class UsageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String flag, String problem, Throwable cause) {
        super(flag + ": " + problem, cause);
    }
}
