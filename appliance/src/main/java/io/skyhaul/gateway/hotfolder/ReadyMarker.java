package io.skyhaul.gateway.hotfolder;

import java.util.Optional;

/**
 * Rule: "in marker mode, {@code NAME} is complete once {@code NAME}+suffix exists". The marker is
 * a control file, never a payload: any path ending with the suffix (and longer than it) is a
 * marker, and the payload is that path without the suffix. The {@link FolderScanner} (so that it
 * lists markers whatever the patterns say of their names) and the {@link SettleTracker} of a hot
 * folder must be given the same marker.
 *
 * @param suffix appended to the payload's name, e.g. {@code .ready}; no '/' and not blank
 */
public record ReadyMarker(String suffix) {
    public ReadyMarker {
        if (suffix == null || suffix.isBlank() || suffix.contains("/")) {
            throw new IllegalArgumentException("marker suffix must be a non-blank name ending without '/', got '" + suffix + "'");
        }
    }

    public boolean isMarker(String relativePath) {
        return relativePath.endsWith(suffix) && relativePath.length() > suffix.length()
                && relativePath.charAt(relativePath.length() - suffix.length() - 1) != '/';
    }

    /** The payload a marker stands for, or empty if the path is not a marker. */
    public Optional<String> payloadOf(String relativePath) {
        return isMarker(relativePath) ? Optional.of(relativePath.substring(0, relativePath.length() - suffix.length())) : Optional.empty();
    }

    public String markerFor(String relativePayload) {
        return relativePayload + suffix;
    }
}
