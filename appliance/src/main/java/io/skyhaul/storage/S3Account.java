package io.skyhaul.storage;

import java.net.URI;
import java.util.Objects;

/**
 * An S3 or S3-compatible account. {@code endpoint} null means AWS itself (the region picks the
 * endpoint); {@code pathStyle} asks for {@code endpoint/bucket/key} addressing, which most
 * S3-compatible servers need.
 */
public record S3Account(String accessKeyId, String secretAccessKey, String region, URI endpoint, boolean pathStyle) implements StorageAccount {
    public S3Account {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(region, "region");
    }

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public String describe() {
        return "s3:" + (endpoint == null ? "aws/" + region : endpoint.toString()) + " (access key " + accessKeyId + ")";
    }

    /** Never prints the secret key. */
    @Override
    public String toString() {
        return "S3Account[accessKeyId=" + accessKeyId + ", secretAccessKey=***, region=" + region + ", endpoint=" + endpoint
                + ", pathStyle=" + pathStyle + "]";
    }
}
