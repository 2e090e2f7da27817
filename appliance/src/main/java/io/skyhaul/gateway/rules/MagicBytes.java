package io.skyhaul.gateway.rules;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Rule: "a file's type is what its first bytes say". The catalogue:
 * <ul>
 *   <li>QuickTime/MP4: an ISO base media {@code ftyp} box at offset 4, or one of old QuickTime's
 *       first atoms there ({@code moov}, {@code mdat}, {@code wide}, {@code free}, {@code skip},
 *       {@code pnot})</li>
 *   <li>MXF: the partition pack key prefix {@code 06 0E 2B 34 02 05 01 01}, at offset 0 or after a
 *       run-in within the bytes read</li>
 *   <li>WAV: {@code RIFF....WAVE}, and RF64/BW64 for files over 4 GB</li>
 *   <li>AIFF: {@code FORM....AIFF} or {@code FORM....AIFC}</li>
 *   <li>DPX: {@code SDPX} or {@code XPDS} (either byte order)</li>
 *   <li>OpenEXR: {@code 76 2F 31 01}</li>
 *   <li>TIFF: {@code II*\0} or {@code MM\0*}, and BigTIFF {@code II+\0} / {@code MM\0+}</li>
 *   <li>JPEG: {@code FF D8 FF}</li>
 *   <li>PNG: {@code 89 50 4E 47 0D 0A 1A 0A}</li>
 *   <li>PDF: {@code %PDF-} within the first 1024 bytes, where readers look for it</li>
 *   <li>ZIP: {@code PK 03 04}, {@code PK 05 06} (empty) or {@code PK 07 08} (spanned)</li>
 * </ul>
 * Only the first {@link #HEADER_BYTES} bytes are ever looked at. Stateless.
 */
public final class MagicBytes {
    /** How much of a file detection reads: all signatures but an MXF run-in lie in the first 1 KB. */
    public static final int HEADER_BYTES = 4096;
    private static final int PDF_WINDOW = 1024;
    private static final byte[] MXF_KEY = {0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01};
    private static final List<String> QUICKTIME_FIRST_ATOMS = List.of("ftyp", "moov", "mdat", "wide", "free", "skip", "pnot");

    private MagicBytes() {
    }

    /** The type the header's bytes show, if any in the catalogue. */
    public static Optional<FileType> detect(byte[] header) {
        byte[] h = header.length > HEADER_BYTES ? Arrays.copyOf(header, HEADER_BYTES) : header;
        if (h.length >= 8 && QUICKTIME_FIRST_ATOMS.contains(ascii(h, 4, 4))) {
            return Optional.of(FileType.QUICKTIME_MP4);
        }
        if (startsWith(h, 0, MXF_KEY)) {
            return Optional.of(FileType.MXF);
        }
        String first4 = ascii(h, 0, 4);
        String at8 = ascii(h, 8, 4);
        if (List.of("RIFF", "RF64", "BW64").contains(first4) && at8.equals("WAVE")) {
            return Optional.of(FileType.WAV);
        }
        if (first4.equals("FORM") && (at8.equals("AIFF") || at8.equals("AIFC"))) {
            return Optional.of(FileType.AIFF);
        }
        if (first4.equals("SDPX") || first4.equals("XPDS")) {
            return Optional.of(FileType.DPX);
        }
        if (startsWith(h, 0, bytes(0x76, 0x2F, 0x31, 0x01))) {
            return Optional.of(FileType.OPENEXR);
        }
        if (startsWith(h, 0, bytes('I', 'I', 0x2A, 0x00)) || startsWith(h, 0, bytes('M', 'M', 0x00, 0x2A))
                || startsWith(h, 0, bytes('I', 'I', 0x2B, 0x00)) || startsWith(h, 0, bytes('M', 'M', 0x00, 0x2B))) {
            return Optional.of(FileType.TIFF);
        }
        if (startsWith(h, 0, bytes(0xFF, 0xD8, 0xFF))) {
            return Optional.of(FileType.JPEG);
        }
        if (startsWith(h, 0, bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A))) {
            return Optional.of(FileType.PNG);
        }
        if (indexOf(h, "%PDF-".getBytes(StandardCharsets.US_ASCII), PDF_WINDOW) >= 0) {
            return Optional.of(FileType.PDF);
        }
        if (startsWith(h, 0, bytes('P', 'K', 3, 4)) || startsWith(h, 0, bytes('P', 'K', 5, 6)) || startsWith(h, 0, bytes('P', 'K', 7, 8))) {
            return Optional.of(FileType.ZIP);
        }
        if (indexOf(h, MXF_KEY, h.length) > 0) {
            return Optional.of(FileType.MXF);
        }
        return Optional.empty();
    }

    /** The first bytes in hex for a message: "25 50 44 46", or "nothing" for an empty header. */
    public static String hexPrefix(byte[] header, int count) {
        int n = Math.min(count, header.length);
        return n == 0 ? "nothing" : HexFormat.ofDelimiter(" ").withUpperCase().formatHex(header, 0, n);
    }

    private static String ascii(byte[] h, int offset, int length) {
        return h.length >= offset + length ? new String(h, offset, length, StandardCharsets.ISO_8859_1) : "";
    }

    private static boolean startsWith(byte[] h, int offset, byte[] prefix) {
        if (h.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (h[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] h, byte[] needle, int window) {
        int last = Math.min(window, h.length) - needle.length;
        for (int i = 0; i <= last; i++) {
            if (startsWith(h, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
