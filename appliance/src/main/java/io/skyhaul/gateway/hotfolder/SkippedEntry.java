package io.skyhaul.gateway.hotfolder;

/**
 * An entry a scan passed over that an operator may be surprised not to see sent: a symbolic link,
 * a device or pipe, or a file or directory that vanished or could not be read during the walk.
 *
 * @param relativePath '/'-separated, relative to the hot folder root
 * @param reason for a human, e.g. "symbolic link (not followed)"
 */
public record SkippedEntry(String relativePath, String reason) {
}
