package io.skyhaul.gateway.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rule: a file is checked before any byte of it is sent; its bytes must be what its extension says. */
class FileRulesTest {
    private static final FileRules DEFAULT = FileRules.builder().build();

    @TempDir
    Path tmp;

    /** A real minimal header for every signature of the catalogue, with an extension that claims it. */
    static Stream<Arguments> signatures() {
        return Stream.of(
                Arguments.of(FileType.QUICKTIME_MP4, "clip.mov", cat(bytes(0, 0, 0, 0x14), ascii("ftypqt  "), bytes(0, 0, 2, 0), ascii("qt  "))),
                Arguments.of(FileType.QUICKTIME_MP4, "clip.mp4", cat(bytes(0, 0, 0, 0x18), ascii("ftypisom"), bytes(0, 0, 2, 0), ascii("isomiso2mp41"))),
                Arguments.of(FileType.QUICKTIME_MP4, "old.mov", cat(bytes(0, 0, 0x12, 0x34), ascii("moov"), bytes(0, 0, 0, 0x6C), ascii("mvhd"))),
                Arguments.of(FileType.QUICKTIME_MP4, "old.mov", cat(bytes(0, 0, 0, 8), ascii("wide"), bytes(0, 0, 0x10, 0), ascii("mdat"))),
                Arguments.of(FileType.QUICKTIME_MP4, "old.mov", cat(bytes(0, 0, 0x10, 0), ascii("mdat"))),
                Arguments.of(FileType.QUICKTIME_MP4, "old.mov", cat(bytes(0, 0, 0, 0x10), ascii("free"), new byte[8])),
                Arguments.of(FileType.MXF, "clip.mxf", bytes(0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0D, 0x01, 0x02, 0x01, 0x01, 0x02, 0x04, 0x00,
                        0x83, 0x00, 0x00, 0x58)),
                Arguments.of(FileType.MXF, "run-in.mxf", cat(new byte[200], bytes(0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0D, 0x01, 0x02, 0x01))),
                Arguments.of(FileType.WAV, "mix.wav", cat(ascii("RIFF"), bytes(0x24, 0x08, 0, 0), ascii("WAVEfmt "), bytes(0x10, 0, 0, 0, 1, 0, 2, 0))),
                Arguments.of(FileType.WAV, "long.wav", cat(ascii("RF64"), bytes(0xFF, 0xFF, 0xFF, 0xFF), ascii("WAVEds64"))),
                Arguments.of(FileType.AIFF, "mix.aif", cat(ascii("FORM"), bytes(0, 0, 0x10, 0), ascii("AIFFCOMM"))),
                Arguments.of(FileType.AIFF, "mix.aifc", cat(ascii("FORM"), bytes(0, 0, 0x10, 0), ascii("AIFCFVER"))),
                Arguments.of(FileType.DPX, "f.0001.dpx", cat(ascii("SDPX"), bytes(0, 0, 0x20, 0), ascii("V2.0\0\0\0\0"))),
                Arguments.of(FileType.DPX, "f.0002.dpx", cat(ascii("XPDS"), bytes(0, 0x20, 0, 0), ascii("V1.0\0\0\0\0"))),
                Arguments.of(FileType.OPENEXR, "plate.exr", bytes(0x76, 0x2F, 0x31, 0x01, 0x02, 0x00, 0x00, 0x00)),
                Arguments.of(FileType.TIFF, "scan.tif", cat(ascii("II*\0"), bytes(8, 0, 0, 0))),
                Arguments.of(FileType.TIFF, "scan.tiff", cat(ascii("MM\0*"), bytes(0, 0, 0, 8))),
                Arguments.of(FileType.TIFF, "big.tif", cat(ascii("II+\0"), bytes(8, 0, 0, 0))),
                Arguments.of(FileType.JPEG, "still.jpg", cat(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10), ascii("JFIF\0"))),
                Arguments.of(FileType.PNG, "logo.png", cat(bytes(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D), ascii("IHDR"))),
                Arguments.of(FileType.PDF, "script.pdf", ascii("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n")),
                Arguments.of(FileType.PDF, "mail.pdf", ascii("\r\n\r\n%PDF-1.4\n")),
                Arguments.of(FileType.ZIP, "bundle.zip", cat(ascii("PK"), bytes(3, 4, 0x14, 0, 0, 0, 8, 0))),
                Arguments.of(FileType.ZIP, "empty.zip", cat(ascii("PK"), bytes(5, 6), new byte[18])));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("signatures")
    void eachSignatureIsRecognisedInAFileAndInAHeader(FileType type, String name, byte[] header) throws IOException {
        assertEquals(Optional.of(type), MagicBytes.detect(header));
        Path file = Files.write(tmp.resolve(name), header);
        FileRules rules = FileRules.builder().allowedTypes(List.of(type.configName())).build();
        assertEquals(Verdict.ACCEPTED, rules.check(file));
        assertEquals(Verdict.ACCEPTED, rules.check(name, header.length, header));
    }

    @Test
    void bytesThatContradictTheExtensionAreRefused() throws IOException {
        Path file = Files.write(tmp.resolve("reel-01.mov"), ascii("%PDF-1.7\n"));
        Verdict verdict = DEFAULT.check(file);
        assertEquals(Verdict.refused(FileRules.RULE_CONTENT_MATCHES_EXTENSION,
                "reel-01.mov: the bytes are not a QuickTime/MP4 file (starts with 25 50 44 46, a PDF)"), verdict);
        assertEquals(verdict, DEFAULT.check("reel-01.mov", 9, ascii("%PDF-1.7\n")));

        assertEquals("take.MXF: the bytes are not an MXF file (starts with 00 01 02 03, no known type)",
                DEFAULT.checkHeader("take.MXF", bytes(0, 1, 2, 3, 4, 5, 6, 7)).reason());
        assertEquals("empty.mov: the bytes are not a QuickTime/MP4 file (the file is empty)",
                DEFAULT.check(Files.createFile(tmp.resolve("empty.mov"))).reason());
        assertEquals("still.jpeg: the bytes are not a JPEG image (starts with 89 50 4E 47, a PNG image)",
                DEFAULT.checkHeader("still.jpeg", cat(bytes(0x89), ascii("PNG\r\n\u001a\n"))).reason());
        assertEquals(Verdict.ACCEPTED, DEFAULT.checkHeader("notes.txt", ascii("%PDF-")), "an extension outside the catalogue claims nothing");
        assertEquals(Verdict.ACCEPTED, FileRules.builder().contentMustMatchExtension(false).build().checkHeader("reel-01.mov", ascii("%PDF-")));
        assertEquals(Verdict.ACCEPTED, FileRules.acceptAll().check(file));
    }

    @Test
    void onlyAllowedTypesPass() {
        FileRules rules = FileRules.builder().allowedTypes(List.of("quicktime", "MXF")).build();
        byte[] mxf = bytes(0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0D);
        assertEquals(Verdict.ACCEPTED, rules.checkHeader("no-extension", mxf));
        assertEquals(Verdict.refused(FileRules.RULE_ALLOWED_TYPES,
                "notes.bin: the bytes are a PDF, which is not an allowed type (allowed: QuickTime/MP4, MXF)"),
                rules.checkHeader("notes.bin", ascii("%PDF-1.4")));
        assertEquals(Verdict.refused(FileRules.RULE_ALLOWED_TYPES,
                "raw.bin: the bytes are of no allowed type (starts with DE AD BE EF, no known type; allowed: QuickTime/MP4, MXF)"),
                rules.checkHeader("raw.bin", bytes(0xDE, 0xAD, 0xBE, 0xEF, 0)));
        assertEquals(FileRules.RULE_CONTENT_MATCHES_EXTENSION, rules.checkHeader("x.mov", mxf).rule(),
                "the extension's claim is the more telling reason");
    }

    @Test
    void onlyTheFirstBytesAreRead() throws IOException {
        byte[] late = new byte[MagicBytes.HEADER_BYTES + 100];
        System.arraycopy(bytes(0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01), 0, late, MagicBytes.HEADER_BYTES + 10, 8);
        assertEquals(Optional.empty(), MagicBytes.detect(late), "a key past the header window is not seen");
        Path file = Files.write(tmp.resolve("late.mxf"), late);
        assertEquals(FileRules.RULE_CONTENT_MATCHES_EXTENSION, DEFAULT.check(file).rule());
    }

    @Test
    void extensionsAreComparedIgnoringCase() {
        FileRules rules = FileRules.builder().allowedExtensions(List.of("mov", ".MXF", "tar.gz")).contentMustMatchExtension(false).build();
        for (String name : List.of("a.mov", "A.MOV", "b.mxf", "c.Mxf", "backup.TAR.GZ", "day1/a.mov")) {
            assertEquals(Verdict.ACCEPTED, rules.check(name, 1, new byte[0]), name);
        }
        assertEquals(Verdict.refused(FileRules.RULE_EXTENSION, "clip.avi: the extension '.avi' is not allowed (allowed: .mov, .mxf, .tar.gz)"),
                rules.check("clip.avi", 1, new byte[0]));
        assertEquals("README: the name has no extension (allowed: .mov, .mxf, .tar.gz)", rules.check("README", 1, new byte[0]).reason());
        assertEquals(FileRules.RULE_EXTENSION, rules.check(".mov", 1, new byte[0]).rule(), "a name that is only an extension has none");
        assertEquals(FileRules.RULE_EXTENSION, rules.check("x.gz", 1, new byte[0]).rule());
    }

    @Test
    void sizeBoundsAreInclusive() {
        FileRules rules = FileRules.builder().minSize(1).maxSize(10).contentMustMatchExtension(false).build();
        assertEquals(Verdict.refused(FileRules.RULE_MIN_SIZE, "e.mov: 0 bytes is less than the minimum of 1 byte"), rules.checkSize("e.mov", 0));
        assertEquals(Verdict.ACCEPTED, rules.checkSize("a.mov", 1));
        assertEquals(Verdict.ACCEPTED, rules.checkSize("a.mov", 10));
        assertEquals(Verdict.refused(FileRules.RULE_MAX_SIZE, "big.mov: 11 bytes is more than the maximum of 10 bytes"), rules.checkSize("big.mov", 11));
        assertEquals(FileRules.RULE_MAX_SIZE, rules.check("big.mov", 11, new byte[0]).rule());
        assertEquals(Verdict.ACCEPTED, rules.checkHeader("big.mov", new byte[0]), "the header check leaves sizes to checkSize");
        assertEquals(10, rules.maxSize());
        assertEquals(1, rules.minSize());
    }

    @Test
    void theNameRegexMustMatchTheWholeFileName() throws IOException {
        FileRules rules = FileRules.builder().nameRegex("[A-Za-z0-9_.-]+").contentMustMatchExtension(false).build();
        assertEquals(Verdict.ACCEPTED, rules.check(Files.write(tmp.resolve("reel_01.mov"), new byte[1])));
        assertEquals(Verdict.ACCEPTED, rules.check("with space/reel_01.mov", 1, new byte[0]), "only the file's own name is matched");
        assertEquals(Verdict.refused(FileRules.RULE_NAME, "reel 01.mov: the name does not match the required pattern [A-Za-z0-9_.-]+"),
                rules.check(Files.write(tmp.resolve("reel 01.mov"), new byte[1])));
        assertEquals(FileRules.RULE_NAME, FileRules.builder().nameRegex("reel").build().check("reel-01.mov", 1, new byte[0]).rule(),
                "a partial match is not a match");
    }

    @Test
    void rulesAreAppliedInTheirDocumentedOrder() {
        FileRules rules = FileRules.builder().nameRegex("[a-z.]+").allowedExtensions(List.of("mov")).maxSize(5).allowedTypes(List.of("mxf")).build();
        byte[] pdf = ascii("%PDF-");
        assertEquals(FileRules.RULE_NAME, rules.check("BAD.avi", 99, pdf).rule());
        assertEquals(FileRules.RULE_EXTENSION, rules.check("bad.avi", 99, pdf).rule());
        assertEquals(FileRules.RULE_MAX_SIZE, rules.check("big.mov", 99, pdf).rule());
        assertEquals(FileRules.RULE_CONTENT_MATCHES_EXTENSION, rules.check("pdf.mov", 5, pdf).rule());
    }

    @Test
    void badConfigurationNamesEveryBadField() {
        assertEquals("invalid file rules: allowedExtensions[1] is empty",
                assertThrows(IllegalArgumentException.class, () -> FileRules.builder().allowedExtensions(List.of("mov", " ")).build()).getMessage());
        assertEquals("invalid file rules: allowedExtensions[0] is empty",
                assertThrows(IllegalArgumentException.class, () -> FileRules.builder().allowedExtensions(List.of(".")).build()).getMessage());
        assertTrue(message(FileRules.builder().allowedExtensions(List.of("a/b"))).contains("allowedExtensions[0] 'a/b' is not an extension"));
        assertEquals("invalid file rules: minSize (10) is greater than maxSize (5)", message(FileRules.builder().minSize(10).maxSize(5)));
        assertEquals("invalid file rules: minSize must not be negative, got -1", message(FileRules.builder().minSize(-1)));
        assertTrue(message(FileRules.builder().nameRegex("reel-(")).startsWith("invalid file rules: nameRegex 'reel-(' is not a valid regex: "));
        assertEquals("invalid file rules: allowedTypes[1]: unknown file type 'avi' (known: quicktime, mxf, wav, aiff, dpx, exr, tiff, jpeg, png, pdf, zip)",
                message(FileRules.builder().allowedTypes(List.of("mxf", "avi"))));
        String all = message(FileRules.builder().allowedExtensions(Arrays.asList("mov", null)).minSize(3).maxSize(2).nameRegex("["));
        assertTrue(all.contains("allowedExtensions[1] is empty") && all.contains("minSize (3)") && all.contains("nameRegex '['"), all);
    }

    @Test
    void aDirectoryIsNotAFileToCheck() {
        assertThrows(FileSystemException.class, () -> DEFAULT.check(tmp));
    }

    @Test
    void aVerdictIsConsistent() {
        assertThrows(IllegalArgumentException.class, () -> new Verdict(true, "extension", "why"));
        assertThrows(IllegalArgumentException.class, () -> Verdict.refused("", "why"));
        assertThrows(IllegalArgumentException.class, () -> Verdict.refused("extension", " "));
    }

    private static String message(FileRules.Builder builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] cat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
