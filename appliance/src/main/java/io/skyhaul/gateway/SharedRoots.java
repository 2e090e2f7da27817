package io.skyhaul.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Rule: "the manager reaches only what the gateway's operator shared". A {@code transfer}
 * command may name, and a hot folder the manager sets (with its done and error folders) may lie,
 * only inside {@code gateway.sharedRoots}, checked on real paths (links resolved): a manager — or
 * whoever holds an admin's token — cannot read, move or delete files elsewhere on the facility's
 * disks. With no roots configured, every such command is refused. Hot folders in the gateway's
 * own configuration file are the operator's choice and are not limited.
 */
final class SharedRoots {
    private final List<Path> roots;

    SharedRoots(List<Path> roots) {
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
        return inside(p.toRealPath(), "'" + path + "'");
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
            throw new IllegalArgumentException("'" + path + "' is outside the gateway's shared roots");
        }
        inside(existing.toRealPath(), "'" + path + "'");
        Files.createDirectories(p);
        return inside(p.toRealPath(), "'" + path + "'");
    }

    /** A path that may not exist yet (a hot folder's done folder): its nearest existing ancestor must be inside a root. */
    void requireInside(java.nio.file.Path p, String what) throws IOException {
        refuseWithoutRoots();
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException(what + " '" + p + "' is not an absolute path of the gateway");
        }
        Path existing = p.normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IllegalArgumentException(what + " '" + p + "' is outside the gateway's shared roots");
        }
        inside(existing.toRealPath().resolve(existing.relativize(p.normalize())), what + " '" + p + "'");
    }

    private void refuseWithoutRoots() {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("this gateway shares no directory with its manager: its operator lists them in"
                    + " gateway.sharedRoots (transfer commands and hot folders set from the manager must lie inside one)");
        }
    }

    /** {@code real} itself when inside a root; {@code described} names it in the refusal ("'/srv/x'", "hot folder '/srv/x'"). */
    private Path inside(Path real, String described) throws IOException {
        for (Path root : roots) {
            if (Files.exists(root) && real.startsWith(root.toRealPath())) {
                return real;
            }
        }
        throw new IllegalArgumentException(described + " is outside the gateway's shared roots (" + roots + ")");
    }
}
