package io.skyhaul.gateway.hotfolder;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.PatternSyntaxException;

/**
 * Rule: "a hot folder sends the files its include globs name, minus its exclude globs, and never
 * a hidden, partial, system or internal file". Paths are relative to the hot folder, '/'-separated
 * and case-sensitive; globs have {@code java.nio} PathMatcher "glob:" syntax ({@code *}, {@code ?}
 * and {@code [..]} stay within one name, {@code **} crosses directories, {@code {a,b}} alternates).
 * <ul>
 *   <li>A pattern without '/' matches a name at any depth: {@code *.mov} matches {@code x.mov} and
 *       {@code a/b/x.mov}.</li>
 *   <li>A pattern with a '/' is anchored at the hot folder's root (a leading '/' is allowed and only
 *       anchors): {@code dailies/**} is that subtree, {@code /*.mov} the root's own .mov files. A
 *       leading {@code **}{@code /} also matches at the root, as in .gitignore.</li>
 *   <li>A trailing '/' makes a pattern match directories only: {@code proxies/}.</li>
 *   <li>A pattern matches a file when it matches the file or one of the directories above it, so
 *       {@code proxies} or {@code renders/tmp} exclude a whole subtree.</li>
 *   <li>A file is accepted when no include is given or one include matches, and no exclude
 *       matches.</li>
 * </ul>
 * Whatever the configuration, a path is excluded when one of its names is hidden (starts with
 * '.'), a partial-file name of a copy tool or browser ({@link #PARTIAL_SUFFIXES},
 * {@link #PARTIAL_PREFIXES}), or a system name ({@link #SYSTEM_NAMES}) — these compared ignoring
 * case, as the clients writing them are often Windows or macOS — or when it is one of the
 * gateway's internal directories or lies under one. Immutable and thread-safe.
 */
public final class FilePatterns {
    /** Names that a copy in progress carries (compared in lower case). */
    public static final List<String> PARTIAL_SUFFIXES = List.of(".part", ".partial", ".filepart", ".tmp", ".temp", ".crdownload",
            ".download", ".opdownload", ".!ut", ".!qb", ".swp", "~");
    /** Office lock files ({@code ~$report.docx}) and LibreOffice locks. */
    public static final List<String> PARTIAL_PREFIXES = List.of("~$", ".~lock.");
    /** Files and directories an operating system or NAS puts in shared folders (compared in lower case). */
    public static final Set<String> SYSTEM_NAMES = Set.of(".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r",
            "$recycle.bin", "system volume information", "lost+found", "@eadir", "#recycle", "#snapshot");

    private final List<Glob> includes;
    private final List<Glob> excludes;
    private final Set<String> internalDirectories;

    /**
     * @param includes globs a file must match one of; empty means every file
     * @param excludes globs no file may match
     * @param internalDirectories the gateway's own directories, relative to the hot folder root
     *     (e.g. {@code .skyhaul-done}); they and everything under them are never sent
     * @throws IllegalArgumentException naming the pattern and why, for a blank or invalid glob or
     *     an internal directory that is not a plain relative path
     */
    public FilePatterns(Collection<String> includes, Collection<String> excludes, Collection<String> internalDirectories) {
        this.includes = compile("include", includes);
        this.excludes = compile("exclude", excludes);
        TreeSet<String> internal = new TreeSet<>();
        for (String dir : internalDirectories) {
            String trimmed = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
            requireRelativePath("internal directory", trimmed);
            internal.add(trimmed);
        }
        this.internalDirectories = Set.copyOf(internal);
    }

    /** Every file but the always-excluded ones. */
    public static FilePatterns everything(Collection<String> internalDirectories) {
        return new FilePatterns(List.of(), List.of(), internalDirectories);
    }

    /** Whether the regular file at this relative path is one to send. */
    public boolean accepts(String relativeFile) {
        return exclusionReason(relativeFile).isEmpty();
    }

    /** Why the file at this relative path is not one to send, or empty when it is. For operators' questions. */
    public Optional<String> exclusionReason(String relativeFile) {
        String[] names = split(relativeFile);
        Optional<String> reason = alwaysExcluded(relativeFile, names);
        if (reason.isPresent()) {
            return reason;
        }
        for (Glob exclude : excludes) {
            if (exclude.matches(names, false)) {
                return Optional.of("matches exclude pattern '" + exclude.source + "'");
            }
        }
        if (includes.isEmpty() || includes.stream().anyMatch(include -> include.matches(names, false))) {
            return Optional.empty();
        }
        return Optional.of("matches no include pattern");
    }

    /**
     * Whether a directory at this relative path, and everything under it, is excluded: the scanner
     * does not descend into it and the watcher does not watch it. Includes are not consulted here,
     * since a directory that matches none may still hold files that do.
     */
    public boolean excludesDirectory(String relativeDirectory) {
        String[] names = split(relativeDirectory);
        return alwaysExcluded(relativeDirectory, names).isPresent() || excludes.stream().anyMatch(exclude -> exclude.matches(names, true));
    }

    private Optional<String> alwaysExcluded(String path, String[] names) {
        for (String internal : internalDirectories) {
            if (path.equals(internal) || path.startsWith(internal + "/")) {
                return Optional.of("inside the gateway's internal directory '" + internal + "'");
            }
        }
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (SYSTEM_NAMES.contains(lower)) {
                return Optional.of("'" + name + "' is a system file or directory");
            }
            if (name.startsWith(".")) {
                return Optional.of("'" + name + "' is hidden");
            }
            if (PARTIAL_SUFFIXES.stream().anyMatch(lower::endsWith) || PARTIAL_PREFIXES.stream().anyMatch(lower::startsWith)) {
                return Optional.of("'" + name + "' is the name of a partial or lock file");
            }
        }
        return Optional.empty();
    }

    private static String[] split(String relativePath) {
        requireRelativePath("path", relativePath);
        return relativePath.split("/");
    }

    private static void requireRelativePath(String what, String path) {
        if (path.isEmpty() || path.startsWith("/")) {
            throw new IllegalArgumentException(what + " '" + path + "' must be a non-empty path relative to the hot folder");
        }
        for (String name : path.split("/", -1)) {
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException(what + " '" + path + "' must be a plain relative path (no empty, '.' or '..' names)");
            }
        }
    }

    private static List<Glob> compile(String kind, Collection<String> patterns) {
        List<Glob> globs = new ArrayList<>();
        int index = 0;
        for (String pattern : patterns) {
            globs.add(Glob.compile(kind + " pattern #" + ++index, pattern));
        }
        return List.copyOf(globs);
    }

    /** One compiled pattern: up to two matchers (a leading double star also tries the root). */
    private static final class Glob {
        final String source;
        final List<PathMatcher> matchers;
        final boolean anchored;
        final boolean directoriesOnly;

        private Glob(String source, List<PathMatcher> matchers, boolean anchored, boolean directoriesOnly) {
            this.source = source;
            this.matchers = matchers;
            this.anchored = anchored;
            this.directoriesOnly = directoriesOnly;
        }

        static Glob compile(String label, String pattern) {
            if (pattern == null || pattern.isBlank()) {
                throw new IllegalArgumentException(label + " is empty");
            }
            String body = pattern;
            boolean directoriesOnly = body.endsWith("/");
            if (directoriesOnly) {
                body = body.substring(0, body.length() - 1);
            }
            boolean anchored = body.contains("/");
            if (body.startsWith("/")) {
                body = body.substring(1);
            }
            if (body.isEmpty()) {
                throw new IllegalArgumentException(label + " '" + pattern + "' names no file or directory");
            }
            List<PathMatcher> matchers = new ArrayList<>();
            try {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + body));
                if (body.startsWith("**/") && body.length() > 3) {
                    matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + body.substring(3)));
                }
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(label + " '" + pattern + "' is not a valid glob: " + e.getDescription()
                        + " at index " + e.getIndex(), e);
            }
            return new Glob(pattern, List.copyOf(matchers), anchored, directoriesOnly);
        }

        /** Tries the path's directories from the top, then (unless it is a directory itself) the path. */
        boolean matches(String[] names, boolean pathIsDirectory) {
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < names.length; i++) {
                if (i > 0) {
                    prefix.append('/');
                }
                prefix.append(names[i]);
                boolean isDirectory = i < names.length - 1 || pathIsDirectory;
                if (directoriesOnly && !isDirectory) {
                    continue;
                }
                Path candidate = Path.of(anchored ? prefix.toString() : names[i]);
                for (PathMatcher matcher : matchers) {
                    if (matcher.matches(candidate)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
