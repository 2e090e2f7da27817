package io.skyhaul.gateway.hotfolder;

import java.util.Objects;
import java.util.Optional;

/**
 * A file the {@link SettleTracker} judged complete: send this version, then dispose of it.
 *
 * @param file the version that is complete; {@link FileDisposal} checks the file on disk is still it
 * @param marker in marker mode, the marker to remove once the file has been dealt with
 * @param newVersion true when an earlier version of this path was already reported ready and the
 *     file has changed since (it was overwritten or rewritten in place)
 */
public record ReadyFile(ScannedFile file, Optional<String> marker, boolean newVersion) {
    public ReadyFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(marker, "marker");
    }

    public String relativePath() {
        return file.relativePath();
    }
}
