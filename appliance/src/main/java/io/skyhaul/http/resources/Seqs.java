package io.skyhaul.http.resources;

import io.skyhaul.http.errors.ApiException;

/** A command's sequence number in a path: a positive integer, or 404 (a path that names nothing). */
final class Seqs {
    private Seqs() {
    }

    static long parse(String text) {
        try {
            long seq = Long.parseLong(text);
            if (seq > 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // Not a number: falls through to "not found", like any path naming nothing.
        }
        throw ApiException.notFound("command #" + text);
    }
}
