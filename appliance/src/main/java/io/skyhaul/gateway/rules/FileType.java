package io.skyhaul.gateway.rules;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The file types {@link MagicBytes} recognises, with the name configuration uses for each
 * ({@code quicktime}, {@code mxf}...) and the extensions that claim it. An extension claims one
 * type; a file whose bytes are another type is refused by {@link FileRules}.
 */
public enum FileType {
    QUICKTIME_MP4("quicktime", "QuickTime/MP4", "a QuickTime/MP4 file", "mov", "qt", "mp4", "m4v", "m4a", "3gp"),
    MXF("mxf", "MXF", "an MXF file", "mxf"),
    WAV("wav", "WAV", "a WAV file", "wav", "bwf"),
    AIFF("aiff", "AIFF", "an AIFF file", "aif", "aiff", "aifc"),
    DPX("dpx", "DPX", "a DPX image", "dpx"),
    OPENEXR("exr", "OpenEXR", "an OpenEXR image", "exr"),
    TIFF("tiff", "TIFF", "a TIFF image", "tif", "tiff"),
    JPEG("jpeg", "JPEG", "a JPEG image", "jpg", "jpeg"),
    PNG("png", "PNG", "a PNG image", "png"),
    PDF("pdf", "PDF", "a PDF", "pdf"),
    ZIP("zip", "ZIP", "a ZIP archive", "zip");

    private final String configName;
    private final String label;
    private final String description;
    private final List<String> extensions;

    FileType(String configName, String label, String description, String... extensions) {
        this.configName = configName;
        this.label = label;
        this.description = description;
        this.extensions = List.of(extensions);
    }

    /** The name in configuration, e.g. {@code quicktime}. */
    public String configName() {
        return configName;
    }

    /** For lists in messages: "QuickTime/MP4". */
    public String label() {
        return label;
    }

    /** With its article, for sentences: "a QuickTime/MP4 file". */
    public String description() {
        return description;
    }

    /** Extensions (lower case, no dot) that claim this type. */
    public List<String> extensions() {
        return extensions;
    }

    /** The type an extension (any case, with or without the dot) claims, if it is one we know. */
    public static Optional<FileType> claimedBy(String extension) {
        String plain = (extension.startsWith(".") ? extension.substring(1) : extension).toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(type -> type.extensions.contains(plain)).findFirst();
    }

    /**
     * @throws IllegalArgumentException naming the known names
     */
    public static FileType fromConfigName(String name) {
        return Arrays.stream(values()).filter(type -> type.configName.equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown file type '" + name + "' (known: "
                        + Arrays.stream(values()).map(FileType::configName).collect(Collectors.joining(", ")) + ")"));
    }
}
