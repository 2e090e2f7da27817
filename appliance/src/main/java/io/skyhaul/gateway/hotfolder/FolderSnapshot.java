package io.skyhaul.gateway.hotfolder;

import java.nio.file.Path;
import java.util.List;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one scan of a hot folder saw. A truncated snapshot stopped at the entry limit: files it
 * does not list may still exist, so nobody may conclude from it that a file disappeared.
 *
 * @param root the hot folder
 * @param files accepted regular files by relative path, in path order
 * @param skipped entries passed over, with the reason
 * @param truncated whether the scan stopped at its entry limit
 */
public record FolderSnapshot(Path root, SortedMap<String, ScannedFile> files, List<SkippedEntry> skipped, boolean truncated) {
    public FolderSnapshot {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        skipped = List.copyOf(skipped);
    }

    public Optional<ScannedFile> file(String relativePath) {
        return Optional.ofNullable(files.get(relativePath));
    }
}
