package io.skyhaul.gateway.spool;

import java.util.regex.Pattern;

/**
 * What the spool checks in what it is given. Locations and paths are opaque to it (the
 * uploader interprets them) and are stored as given; they are only bounded, and kept free of
 * NUL and line breaks, which no destination name needs and which would break log lines.
 */
final class SpoolArguments {
    static final int MAX_LOCATION_CHARS = 1024;
    static final int MAX_PATH_CHARS = 4096;
    static final int MAX_REF_CHARS = 1024;
    /** Errors and reasons are cut to this, so that a chatty storage error cannot bloat the log records. */
    static final int MAX_REASON_CHARS = 2000;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private SpoolArguments() {
    }

    static void checkBody(String location, String path, long size, String expectedSha256Hex, long maxBytes) throws SpoolRefusedException {
        refuseIf("location", textProblem(location, MAX_LOCATION_CHARS, false));
        refuseIf("path", textProblem(path, MAX_PATH_CHARS, false));
        if (size < 0) {
            throw new SpoolRefusedException("negative body size " + size);
        }
        // Never fits, so "retry later" would be a lie.
        if (size > maxBytes) {
            throw new SpoolRefusedException("a body of " + Figures.bytes(size) + " is larger than the whole spool (" + Figures.bytes(maxBytes) + ")", true);
        }
        if (expectedSha256Hex != null && !SHA256_HEX.matcher(expectedSha256Hex).matches()) {
            throw new SpoolRefusedException("the announced SHA-256 is not 64 hex digits: '" + oneLine(cut(expectedSha256Hex, 80)) + "'");
        }
    }

    /** A transfer id or client reference from the uploader: a wrong one is a bug, not a client's mistake. */
    static void checkRef(String what, String s, boolean nullable) {
        String problem = textProblem(s, MAX_REF_CHARS, nullable);
        if (problem != null) {
            throw new IllegalArgumentException(what + " " + problem);
        }
    }

    static String reason(String s) {
        return s == null || s.isBlank() ? "(no reason given)" : cut(s, MAX_REASON_CHARS);
    }

    /** Log lines stay one line per event whatever a client or a storage error put in a name or message. */
    static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    private static void refuseIf(String what, String problem) throws SpoolRefusedException {
        if (problem != null) {
            throw new SpoolRefusedException(what + " " + problem);
        }
    }

    private static String textProblem(String s, int maxChars, boolean nullable) {
        if (s == null) {
            return nullable ? null : "is missing";
        }
        if (s.isEmpty()) {
            return "is empty";
        }
        if (s.length() > maxChars) {
            return "has " + s.length() + " characters, more than " + maxChars;
        }
        if (s.indexOf('\0') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return "contains a NUL or line break";
        }
        return null;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
