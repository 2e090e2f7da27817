package io.skyhaul.gateway.spool;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a log record: a type byte, then fixed fields in big-endian order. A string is
 * its UTF-8 length (int, -1 for null) and bytes; an instant is epoch seconds (long) and nanos
 * (int), so a reopened spool gives back exactly the instants it was given.
 */
final class WalCodec {
    static final byte ENTRY = 1;
    static final byte UPLOADING = 2;
    static final byte RETRY = 3;
    static final byte UPLOADED = 4;
    static final byte FAILED = 5;

    private WalCodec() {
    }

    /** A payload that passed its checksum yet does not decode: written by a different program or a bug. */
    static final class MalformedRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedRecordException(String message) {
            super(message);
        }
    }

    static byte[] encode(WalRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (record instanceof WalRecord.Entry r) {
                out.writeByte(ENTRY);
                SpoolEntry e = r.entry();
                writeString(out, e.id());
                writeString(out, e.location());
                writeString(out, e.path());
                out.writeLong(e.size());
                writeString(out, e.sha256Hex());
                writeInstant(out, e.acceptedAt());
                out.writeByte(e.state().ordinal());
                writeString(out, e.transferId());
                writeString(out, e.clientRef());
                out.writeInt(e.attempts());
                writeString(out, e.lastError());
            } else if (record instanceof WalRecord.Uploading r) {
                out.writeByte(UPLOADING);
                writeIds(out, r.ids());
                writeString(out, r.transferId());
                writeString(out, r.clientRef());
            } else if (record instanceof WalRecord.Retry r) {
                out.writeByte(RETRY);
                writeIds(out, r.ids());
                writeString(out, r.error());
            } else if (record instanceof WalRecord.Uploaded r) {
                out.writeByte(UPLOADED);
                writeIds(out, r.ids());
                writeString(out, r.transferId());
            } else if (record instanceof WalRecord.Failed r) {
                out.writeByte(FAILED);
                SpoolFailure f = r.failure();
                writeString(out, f.id());
                writeString(out, f.location());
                writeString(out, f.path());
                out.writeLong(f.size());
                writeString(out, f.sha256Hex());
                writeInstant(out, f.acceptedAt());
                writeInstant(out, f.failedAt());
                out.writeInt(f.attempts());
                writeString(out, f.reason());
                out.writeBoolean(f.bodyKept());
            } else {
                throw new IllegalArgumentException("no encoding for " + record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    static WalRecord decode(ByteBuffer in) throws MalformedRecordException {
        try {
            byte type = in.get();
            WalRecord record = switch (type) {
                case ENTRY -> new WalRecord.Entry(new SpoolEntry(readString(in), readString(in), readString(in), in.getLong(),
                        readString(in), readInstant(in), readState(in), readString(in), readString(in), in.getInt(), readString(in)));
                case UPLOADING -> new WalRecord.Uploading(readIds(in), readString(in), readString(in));
                case RETRY -> new WalRecord.Retry(readIds(in), readString(in));
                case UPLOADED -> new WalRecord.Uploaded(readIds(in), readString(in));
                case FAILED -> new WalRecord.Failed(new SpoolFailure(readString(in), readString(in), readString(in), in.getLong(),
                        readString(in), readInstant(in), readInstant(in), in.getInt(), readString(in), readBoolean(in)));
                default -> throw new MalformedRecordException("unknown record type " + type);
            };
            if (in.hasRemaining()) {
                throw new MalformedRecordException(in.remaining() + " bytes after the end of a record of type " + type);
            }
            return record;
        } catch (BufferUnderflowException | java.time.DateTimeException e) {
            throw new MalformedRecordException("record ends inside a field (" + e + ")");
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) throws MalformedRecordException {
        int n = in.getInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > in.remaining()) {
            throw new MalformedRecordException("string of " + n + " bytes with " + in.remaining() + " left");
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    private static void writeIds(DataOutputStream out, List<String> ids) throws IOException {
        out.writeInt(ids.size());
        for (String id : ids) {
            writeString(out, id);
        }
    }

    private static List<String> readIds(ByteBuffer in) throws MalformedRecordException {
        int n = in.getInt();
        // Each id takes at least its 4-byte length: a count beyond that is damage, not a huge list.
        if (n < 0 || n > in.remaining() / 4) {
            throw new MalformedRecordException("list of " + n + " ids with " + in.remaining() + " bytes left");
        }
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(readString(in));
        }
        return ids;
    }

    private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant readInstant(ByteBuffer in) {
        return Instant.ofEpochSecond(in.getLong(), in.getInt());
    }

    private static SpoolEntry.State readState(ByteBuffer in) throws MalformedRecordException {
        int s = in.get();
        SpoolEntry.State[] states = SpoolEntry.State.values();
        if (s < 0 || s >= states.length) {
            throw new MalformedRecordException("unknown entry state " + s);
        }
        return states[s];
    }

    private static boolean readBoolean(ByteBuffer in) throws MalformedRecordException {
        byte b = in.get();
        if (b != 0 && b != 1) {
            throw new MalformedRecordException("flag byte " + b);
        }
        return b == 1;
    }
}
