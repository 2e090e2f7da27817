package io.skyhaul.console.web;

import java.security.SecureRandom;
import java.util.HexFormat;

/** The id of an unexpected failure: shown on the error page and written in the log beside the stack trace, to find one from the other. */
final class Incident {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Incident() {
    }

    static String newId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "console-" + HexFormat.of().formatHex(b);
    }
}
