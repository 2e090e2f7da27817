package io.skyhaul.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Rule: "the manager moves only what the gateway's operator shared". A {@code transfer} command
 * may name only paths inside {@code gateway.transferRoots}, checked on real paths (links
 * resolved), so a manager — or whoever holds an admin's token — cannot read or write elsewhere
 * on the facility's disks. With no roots configured, every such command is refused.
 */
final class TransferRoots {
    private final List<Path> roots;

    TransferRoots(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The real path of an existing file or directory inside a root. */
    Path existingInside(String path) throws IOException {
        refuseWithoutRoots();
        Path p = Path.of(path);
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("'" + path + "' is not an absolute path of the gateway");
        }
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("'" + path + "' does not exist on the gateway");
        }
        return inside(p.toRealPath(), path);
    }

    /** A directory to fetch into, inside a root; created (with its parents) if missing. */
    Path directoryInside(String path) throws IOException {
        refuseWithoutRoots();
        Path p = Path.of(path);
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("'" + path + "' is not an absolute path of the gateway");
        }
        Path existing = p.normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IllegalArgumentException("'" + path + "' is outside the gateway's transfer roots");
        }
        inside(existing.toRealPath(), path);
        Files.createDirectories(p);
        return inside(p.toRealPath(), path);
    }

    private void refuseWithoutRoots() {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("this gateway takes no transfer commands: its operator lists the directories it shares in"
                    + " gateway.transferRoots");
        }
    }

    private Path inside(Path real, String asGiven) throws IOException {
        for (Path root : roots) {
            if (Files.exists(root) && real.startsWith(root.toRealPath())) {
                return real;
            }
        }
        throw new IllegalArgumentException("'" + asGiven + "' is outside the gateway's transfer roots (" + roots + ")");
    }
}
