package io.skyhaul.storage;

import java.nio.file.Path;
import java.util.Objects;

/** A directory on this machine; its first-level subdirectories are the buckets. */
public record LocalAccount(Path root) implements StorageAccount {
    public LocalAccount {
        Objects.requireNonNull(root, "root");
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public String describe() {
        return "local:" + root;
    }
}
