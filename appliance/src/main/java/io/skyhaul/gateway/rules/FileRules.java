package io.skyhaul.gateway.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Rule: "a file is checked before any byte of it is sent". Rules, applied in this order, the
 * first to fail refusing the file:
 * <ol>
 *   <li>{@value #RULE_NAME}: the file's name (the last '/'-separated segment) matches the regex as a whole;</li>
 *   <li>{@value #RULE_EXTENSION}: the name ends with one of the allowed extensions, ignoring case
 *       ({@code tar.gz} works);</li>
 *   <li>{@value #RULE_MIN_SIZE}, {@value #RULE_MAX_SIZE}: the size lies within the bounds, inclusive;</li>
 *   <li>{@value #RULE_CONTENT_MATCHES_EXTENSION}: when the extension claims a type of the
 *       {@link MagicBytes} catalogue ({@code .mov}, {@code .mxf}...), the bytes are that type
 *       (on by default; extensions outside the catalogue are not checked);</li>
 *   <li>{@value #RULE_ALLOWED_TYPES}: the bytes are one of the allowed types.</li>
 * </ol>
 * Only the first {@link MagicBytes#HEADER_BYTES} bytes are read, and only when a content rule
 * needs them. The same rules serve a file on disk and the first bytes of an HTTP body. Bad
 * configuration fails at {@link Builder#build} naming each bad field. Immutable and thread-safe.
 */
public final class FileRules {
    public static final String RULE_NAME = "name-pattern";
    public static final String RULE_EXTENSION = "extension";
    public static final String RULE_MIN_SIZE = "min-size";
    public static final String RULE_MAX_SIZE = "max-size";
    public static final String RULE_CONTENT_MATCHES_EXTENSION = "content-matches-extension";
    public static final String RULE_ALLOWED_TYPES = "allowed-types";
    /** Bytes shown in a refusal's "starts with": enough to recognise a signature. */
    private static final int HEX_SHOWN = 4;

    private final List<String> extensions;
    private final Set<FileType> allowedTypes;
    private final long minSize;
    private final long maxSize;
    private final Optional<Pattern> namePattern;
    private final boolean contentMustMatchExtension;

    private FileRules(Builder b, List<String> extensions, Set<FileType> allowedTypes, Optional<Pattern> namePattern) {
        this.extensions = List.copyOf(extensions);
        this.allowedTypes = Set.copyOf(allowedTypes);
        this.minSize = b.minSize;
        this.maxSize = b.maxSize;
        this.namePattern = namePattern;
        this.contentMustMatchExtension = b.contentMustMatchExtension;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No rule at all: every file is accepted, and no byte is read. */
    public static FileRules acceptAll() {
        return builder().contentMustMatchExtension(false).build();
    }

    public long minSize() {
        return minSize;
    }

    /** For a stream whose size is not known in advance: stop reading past this. */
    public long maxSize() {
        return maxSize;
    }

    /** Checks a file on disk (not following a link). */
    public Verdict check(Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isRegularFile()) {
            throw new FileSystemException(file.toString(), null, "not a regular file");
        }
        String name = file.getFileName().toString();
        Verdict verdict = checkName(name);
        if (verdict.accepted()) {
            verdict = checkSize(name, attrs.size());
        }
        if (verdict.accepted() && needsContent(name)) {
            try (InputStream in = Files.newInputStream(file)) {
                verdict = checkContent(name, in.readNBytes(MagicBytes.HEADER_BYTES));
            }
        }
        return verdict;
    }

    /** Checks a file known by its name, size and first bytes (at least {@link MagicBytes#HEADER_BYTES}, or all of it if shorter). */
    public Verdict check(String name, long size, byte[] header) {
        Verdict verdict = checkName(name);
        if (verdict.accepted()) {
            verdict = checkSize(name, size);
        }
        return verdict.accepted() && needsContent(name) ? checkContent(name, header) : verdict;
    }

    /** Every rule but the size ones, for a stream whose size is not known yet; call {@link #checkSize} at its end. */
    public Verdict checkHeader(String name, byte[] header) {
        Verdict verdict = checkName(name);
        return verdict.accepted() && needsContent(name) ? checkContent(name, header) : verdict;
    }

    public Verdict checkSize(String name, long size) {
        if (size < minSize) {
            return Verdict.refused(RULE_MIN_SIZE, name + ": " + bytes(size) + " is less than the minimum of " + bytes(minSize));
        }
        if (size > maxSize) {
            return Verdict.refused(RULE_MAX_SIZE, name + ": " + bytes(size) + " is more than the maximum of " + bytes(maxSize));
        }
        return Verdict.ACCEPTED;
    }

    private Verdict checkName(String name) {
        String fileName = name.substring(name.lastIndexOf('/') + 1);
        if (namePattern.isPresent() && !namePattern.get().matcher(fileName).matches()) {
            return Verdict.refused(RULE_NAME, name + ": the name does not match the required pattern " + namePattern.get().pattern());
        }
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (!extensions.isEmpty() && extensions.stream().noneMatch(ext -> lower.endsWith("." + ext) && lower.length() > ext.length() + 1)) {
            String allowed = extensions.stream().map(ext -> "." + ext).collect(Collectors.joining(", "));
            return Verdict.refused(RULE_EXTENSION, extension(fileName)
                    .map(ext -> name + ": the extension '." + ext + "' is not allowed (allowed: " + allowed + ")")
                    .orElse(name + ": the name has no extension (allowed: " + allowed + ")"));
        }
        return Verdict.ACCEPTED;
    }

    private boolean needsContent(String name) {
        return !allowedTypes.isEmpty() || (contentMustMatchExtension && claimedType(name).isPresent());
    }

    private Verdict checkContent(String name, byte[] header) {
        Optional<FileType> detected = MagicBytes.detect(header);
        Optional<FileType> claimed = contentMustMatchExtension ? claimedType(name) : Optional.empty();
        if (claimed.isPresent() && !claimed.equals(detected)) {
            return Verdict.refused(RULE_CONTENT_MATCHES_EXTENSION, name + ": the bytes are not " + claimed.get().description() + " ("
                    + describeBytes(header, detected) + ")");
        }
        if (!allowedTypes.isEmpty() && (detected.isEmpty() || !allowedTypes.contains(detected.get()))) {
            String allowed = allowedTypes.stream().sorted().map(FileType::label).collect(Collectors.joining(", "));
            return Verdict.refused(RULE_ALLOWED_TYPES, detected
                    .map(type -> name + ": the bytes are " + type.description() + ", which is not an allowed type (allowed: " + allowed + ")")
                    .orElse(name + ": the bytes are of no allowed type (" + describeBytes(header, detected) + "; allowed: " + allowed + ")"));
        }
        return Verdict.ACCEPTED;
    }

    private static String describeBytes(byte[] header, Optional<FileType> detected) {
        if (header.length == 0) {
            return "the file is empty";
        }
        return "starts with " + MagicBytes.hexPrefix(header, HEX_SHOWN) + ", " + detected.map(FileType::description).orElse("no known type");
    }

    private static Optional<FileType> claimedType(String name) {
        return extension(name.substring(name.lastIndexOf('/') + 1)).flatMap(FileType::claimedBy);
    }

    private static Optional<String> extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && dot < fileName.length() - 1 ? Optional.of(fileName.substring(dot + 1)) : Optional.empty();
    }

    private static String bytes(long n) {
        return n == 1 ? "1 byte" : n + " bytes";
    }

    /**
     * Configuration of the rules. Defaults: any extension, any type, sizes 0 to
     * {@link Long#MAX_VALUE}, any name, content must match a catalogued extension.
     */
    public static final class Builder {
        private List<String> extensions = List.of();
        private List<String> types = List.of();
        private long minSize = 0;
        private long maxSize = Long.MAX_VALUE;
        private String nameRegex;
        private boolean contentMustMatchExtension = true;

        private Builder() {
        }

        /** With or without the dot, any case: "mov", ".MXF", "tar.gz". Empty means any. */
        public Builder allowedExtensions(Collection<String> extensions) {
            this.extensions = new ArrayList<>(extensions);
            return this;
        }

        /** Configuration names of {@link FileType}s ("quicktime", "mxf"...). Empty means any. */
        public Builder allowedTypes(Collection<String> types) {
            this.types = new ArrayList<>(types);
            return this;
        }

        public Builder minSize(long minSize) {
            this.minSize = minSize;
            return this;
        }

        public Builder maxSize(long maxSize) {
            this.maxSize = maxSize;
            return this;
        }

        /** A java.util.regex the whole file name must match; null means any name. */
        public Builder nameRegex(String nameRegex) {
            this.nameRegex = nameRegex;
            return this;
        }

        public Builder contentMustMatchExtension(boolean on) {
            this.contentMustMatchExtension = on;
            return this;
        }

        /** @throws IllegalArgumentException naming every bad field ("allowedExtensions[2] is empty; ...") */
        public FileRules build() {
            List<String> problems = new ArrayList<>();
            LinkedHashSet<String> normalized = new LinkedHashSet<>();
            for (int i = 0; i < extensions.size(); i++) {
                String ext = extensions.get(i);
                String plain = ext == null ? "" : (ext.startsWith(".") ? ext.substring(1) : ext).toLowerCase(Locale.ROOT);
                if (plain.isBlank()) {
                    problems.add("allowedExtensions[" + i + "] is empty");
                } else if (plain.contains("/") || plain.startsWith(".") || plain.endsWith(".") || !plain.strip().equals(plain)) {
                    problems.add("allowedExtensions[" + i + "] '" + ext + "' is not an extension (no '/', no surrounding dots or spaces)");
                } else {
                    normalized.add(plain);
                }
            }
            Set<FileType> allowed = EnumSet.noneOf(FileType.class);
            for (int i = 0; i < types.size(); i++) {
                try {
                    allowed.add(FileType.fromConfigName(String.valueOf(types.get(i))));
                } catch (IllegalArgumentException e) {
                    problems.add("allowedTypes[" + i + "]: " + e.getMessage());
                }
            }
            if (minSize < 0) {
                problems.add("minSize must not be negative, got " + minSize);
            }
            if (minSize > maxSize) {
                problems.add("minSize (" + minSize + ") is greater than maxSize (" + maxSize + ")");
            }
            Optional<Pattern> pattern = Optional.empty();
            if (nameRegex != null) {
                try {
                    pattern = Optional.of(Pattern.compile(nameRegex));
                } catch (PatternSyntaxException e) {
                    problems.add("nameRegex '" + nameRegex + "' is not a valid regex: " + e.getDescription() + " at index " + e.getIndex());
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid file rules: " + String.join("; ", problems));
            }
            return new FileRules(this, List.copyOf(normalized), allowed, pattern);
        }
    }
}
