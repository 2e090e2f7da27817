package io.skyhaul.transport.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The sending side's view of a transfer: the files on disk, the manifest that names them and
 * the byte space laid out over them. Reads any range of the byte space; the digest table becomes
 * readable once the {@link SourceHasher} has hashed every file.
 */
public final class TransferSource implements Closeable {
    private final Manifest manifest;
    private final TransferLayout layout;
    private final List<Path> files;
    private final ByteBuffer header;
    private final MappedSegments mapped = new MappedSegments(false);
    private final SourceHasher hasher;

    private TransferSource(List<ManifestEntry> entries, List<Path> files) {
        this.manifest = new Manifest(entries);
        this.layout = new TransferLayout(manifest);
        this.files = List.copyOf(files);
        byte[] encoded = manifest.encoded();
        this.header = ByteBuffer.allocate(TransferLayout.LENGTH_PREFIX + encoded.length);
        header.putInt(encoded.length).put(encoded).flip();
        this.hasher = new SourceHasher(this.files, layout);
    }

    /**
     * Builds the source for local paths: each file is sent under its own name, each directory
     * with its whole tree under the directory's name. Symbolic links are not followed, and
     * staging directories of transfers in progress are left out.
     */
    public static TransferSource ofLocalPaths(List<Path> paths) throws IOException, TransferRefusedException {
        List<ManifestEntry> entries = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            Path path = p.toAbsolutePath().normalize();
            Path name = path.getFileName();
            if (name == null) {
                throw new TransferRefusedException("cannot send '" + p + "': name a file or a directory below the root");
            }
            addTree(path, name.toString(), entries, files);
        }
        return new TransferSource(entries, files);
    }

    /** A file sent under a name of the sender's choosing: a relative '/'-separated path. */
    public record NamedFile(String name, Path file) {
        /**
         * Names as {@link #ofLocalPaths} gives them, added to {@code out}: a file under its own
         * name, a directory's regular files under the directory's name and their path below it
         * (links not followed). More than {@code max} files in {@code out} is an
         * IllegalArgumentException, raised while walking.
         */
        public static void addTree(Path path, List<NamedFile> out, int max) throws IOException {
            Path top = path.toAbsolutePath().normalize();
            String name = top.getFileName().toString();
            if (Files.isRegularFile(top, LinkOption.NOFOLLOW_LINKS)) {
                add(new NamedFile(name, top), out, max);
                return;
            }
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    if (a.isRegularFile()) {
                        add(new NamedFile(join(name, top.relativize(file)), file), out, max);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }

        private static void add(NamedFile f, List<NamedFile> out, int max) {
            if (out.size() >= max) {
                throw new IllegalArgumentException("more than " + max + " files: send the tree in parts");
            }
            out.add(f);
        }
    }

    /**
     * Builds the source for files sent under given names (a gateway sends a hot folder's files
     * under their paths below the folder, and spooled files under the names their clients gave).
     * Names are checked like every transfer path; regular files only, links not followed.
     */
    public static TransferSource ofNamedFiles(List<NamedFile> named) throws IOException, TransferRefusedException {
        List<ManifestEntry> entries = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (NamedFile n : named) {
            RelativePaths.validate(n.name());
            if (!seen.add(n.name())) {
                throw new TransferRefusedException("'" + n.name() + "' is named twice");
            }
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(n.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                throw new TransferRefusedException("'" + n.name() + "' does not exist (" + n.file() + ")");
            }
            if (!attrs.isRegularFile()) {
                throw new TransferRefusedException("'" + n.name() + "' is not a regular file (" + n.file() + "; links are not followed)");
            }
            entries.add(new ManifestEntry(n.name(), false, attrs.size(), attrs.lastModifiedTime().toMillis()));
            files.add(n.file());
        }
        return new TransferSource(entries, files);
    }

    /** Builds the source for paths named relative to {@code root}, each checked to stay inside it. */
    public static TransferSource ofRemoteRequest(Path root, List<String> requested) throws IOException, TransferRefusedException {
        List<ManifestEntry> entries = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String rel : requested) {
            if (java.util.Arrays.asList(rel.split("/")).contains(TransferSink.STAGING_DIR)) {
                throw new TransferRefusedException("refused '" + rel + "': partial files of transfers in progress are not served");
            }
            Path path = RelativePaths.resolveInside(root, rel);
            String name = rel.substring(rel.lastIndexOf('/') + 1);
            addTree(path, name, entries, files);
        }
        return new TransferSource(entries, files);
    }

    private static void addTree(Path path, String name, List<ManifestEntry> entries, List<Path> files)
            throws IOException, TransferRefusedException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            // The name as the requester gave it: a node's own paths are none of a client's business.
            throw new TransferRefusedException("'" + name + "' does not exist");
        }
        if (attrs.isRegularFile()) {
            entries.add(new ManifestEntry(name, false, attrs.size(), attrs.lastModifiedTime().toMillis()));
            files.add(path);
            return;
        }
        if (!attrs.isDirectory()) {
            throw new TransferRefusedException("'" + name + "' is neither a regular file nor a directory (links are not followed)");
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                if (!dir.equals(path) && TransferSink.STAGING_DIR.equals(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                entries.add(new ManifestEntry(join(name, path.relativize(dir)), true, 0, a.lastModifiedTime().toMillis()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                if (a.isRegularFile()) {
                    entries.add(new ManifestEntry(join(name, path.relativize(file)), false, a.size(), a.lastModifiedTime().toMillis()));
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String join(String name, Path relative) {
        String rel = relative.toString();
        return rel.isEmpty() ? name : name + "/" + rel.replace(java.io.File.separatorChar, '/');
    }

    public Manifest manifest() {
        return manifest;
    }

    public TransferLayout layout() {
        return layout;
    }

    public SourceHasher hasher() {
        return hasher;
    }

    /** Copies [offset, offset + length) of the byte space into {@code dst} at its position. */
    public void read(long offset, int length, ByteBuffer dst) throws IOException {
        int base = dst.position();
        layout.visit(offset, length, (region, file, regionOffset, rangeOffset, n) -> {
            ByteBuffer target = dst.duplicate();
            target.position(base + rangeOffset).limit(base + rangeOffset + n);
            switch (region) {
                case HEADER -> target.put(header.duplicate().position((int) regionOffset).limit((int) regionOffset + n));
                case FILE -> readFile(file, regionOffset, target);
                case DIGEST_TABLE -> hasher.readTable(regionOffset, target);
                default -> throw new IllegalStateException();
            }
        });
        dst.position(base + length);
    }

    private void readFile(int file, long position, ByteBuffer target) throws IOException {
        mapped.read(files.get(file), layout.fileSize(file), position, target);
    }

    @Override
    public void close() {
        hasher.close();
        mapped.close();
    }
}
