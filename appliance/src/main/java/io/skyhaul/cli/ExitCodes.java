package io.skyhaul.cli;

/** Exit statuses of the {@code skyhaul} command, documented in its help, the README and docs/operations.md. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int TRANSFER_FAILED = 1;
    public static final int USAGE = 2;
    public static final int KEY_PROBLEM = 3;
    public static final int UNREACHABLE = 4;
    public static final int LOCAL_IO = 5;
    public static final int REFUSED = 6;

    public static final String HELP = "%nExit status: 0 done; 1 transfer failed (verification or protocol); 2 bad usage;"
            + " 3 key file problem; 4 peer unreachable or silent; 5 local file error; 6 refused (unsafe path, missing file, not allowed).%n";

    private ExitCodes() {
    }

    /** What a refusal or failure of the manager means for the command's exit status. */
    public static int of(io.skyhaul.client.ManagerClient.ManagerException e) {
        int status = e.status();
        return status == 0 ? UNREACHABLE : status == 401 || status == 403 || status == 404 || status == 409 ? REFUSED
                : status == 400 ? USAGE : TRANSFER_FAILED;
    }
}
