package io.skyhaul.gateway.hotfolder;

import java.time.Instant;

/**
 * A file not complete yet: still changing, not yet unchanged for the settle time, or (marker
 * mode) without its marker.
 *
 * @param file the latest sighting
 * @param since when this version (size, mtime, file key) was first seen
 */
public record SettlingFile(ScannedFile file, Instant since) {
}
