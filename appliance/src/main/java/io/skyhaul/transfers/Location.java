package io.skyhaul.transfers;

import java.util.regex.Matcher;

/**
 * Where objects live, as users write it: {@code s3://ACCOUNT/bucket/prefix/},
 * {@code azure://ACCOUNT/container/prefix/} or {@code local://ACCOUNT/dir/prefix/}. The scheme
 * must match the account's kind; the prefix may be empty and always ends with '/' when not.
 */
public record Location(String scheme, String account, String bucket, String prefix) {
    private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile(
            "(s3|azure|local)://([a-z0-9][a-z0-9-]{0,62})/([A-Za-z0-9][A-Za-z0-9._-]{0,62})(?:/(.*))?");

    public static Location parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a location: write s3://ACCOUNT/BUCKET/PREFIX/, "
                    + "azure://ACCOUNT/CONTAINER/PREFIX/ or local://ACCOUNT/DIR/PREFIX/");
        }
        String prefix = m.group(4) == null ? "" : m.group(4);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        for (String segment : prefix.split("/", -1)) {
            if (prefix.isEmpty()) {
                break;
            }
            if (segment.equals(".") || segment.equals("..") || segment.indexOf('\0') >= 0 || segment.indexOf('\\') >= 0) {
                throw new IllegalArgumentException("'" + text + "': the prefix may not contain '.', '..', backslashes or NUL");
            }
        }
        if (prefix.contains("//")) {
            throw new IllegalArgumentException("'" + text + "': the prefix may not contain empty segments ('//')");
        }
        return new Location(m.group(1), m.group(2), m.group(3), prefix);
    }

    /** A location a request names: a 400 naming the field {@code location} when it is not one. */
    public static Location ofRequest(String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw io.skyhaul.http.errors.ApiException.invalid("location", e.getMessage());
        }
    }

    /** True when {@code other} is this location or lies under it (same account and bucket, prefix inside). */
    public boolean contains(Location other) {
        return scheme.equals(other.scheme) && account.equals(other.account) && bucket.equals(other.bucket) && other.prefix.startsWith(prefix);
    }

    @Override
    public String toString() {
        return scheme + "://" + account + "/" + bucket + "/" + prefix;
    }
}
