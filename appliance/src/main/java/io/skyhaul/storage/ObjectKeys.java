package io.skyhaul.storage;

import java.nio.charset.StandardCharsets;

/**
 * The key rules every backend applies, so that a key valid on one store is valid on all and can
 * always be mapped to a local path: "a key is a relative '/'-separated path; empty segments,
 * {@code .} and {@code ..}, NUL and over-long keys are refused". We also refuse backslashes (a
 * Windows path must be converted to '/' by the client) and other control characters.
 */
public final class ObjectKeys {
    /** S3's limit, the smallest of the backends: 1,024 bytes of UTF-8. */
    public static final int MAX_KEY_BYTES = 1024;

    private ObjectKeys() {
    }

    /** Returns {@code key} if it obeys the rules, else throws INVALID_KEY saying which rule it breaks. */
    public static String requireValid(String key) throws StorageException {
        String problem = problem(key, false);
        if (problem != null) {
            throw new StorageException(StorageError.INVALID_KEY, "invalid object key " + quote(key) + ": " + problem);
        }
        return key;
    }

    /**
     * Returns {@code prefix} if it is a valid listing prefix: "" or a string every segment of which
     * but the last obeys the key rules (the last may be partial, or empty after a trailing '/').
     */
    public static String requireValidPrefix(String prefix) throws StorageException {
        String problem = problem(prefix, true);
        if (problem != null) {
            throw new StorageException(StorageError.INVALID_KEY, "invalid prefix " + quote(prefix) + ": " + problem);
        }
        return prefix;
    }

    /** True if {@code key} obeys the rules. */
    public static boolean isValid(String key) {
        return problem(key, false) == null;
    }

    /** What is wrong with a key (or prefix), or null if nothing is. */
    static String problem(String key, boolean prefix) {
        if (key == null) {
            return "it is missing";
        }
        if (key.isEmpty()) {
            return prefix ? null : "it is empty";
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "it is longer than " + MAX_KEY_BYTES + " bytes of UTF-8";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == 0) {
                return "it contains a NUL character";
            }
            if (c == '\\') {
                return "it contains a backslash (use '/' to separate path segments)";
            }
            if (c < 0x20 || c == 0x7f) {
                return "it contains a control character (code " + (int) c + ")";
            }
        }
        if (key.startsWith("/")) {
            return "it starts with '/' (keys are relative paths)";
        }
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.isEmpty() && !(prefix && last)) {
                return last ? "it ends with '/' (a key names an object, not a directory)" : "it has an empty path segment ('//')";
            }
            if ((s.equals(".") || s.equals("..")) && !(prefix && last && s.equals("."))) {
                return "it has a '" + s + "' path segment";
            }
        }
        return null;
    }

    private static String quote(String key) {
        if (key == null) {
            return "(null)";
        }
        StringBuilder b = new StringBuilder("'");
        int shown = Math.min(key.length(), 120);
        for (int i = 0; i < shown; i++) {
            char c = key.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append(key.length() > shown ? "...'" : "'").toString();
    }
}
