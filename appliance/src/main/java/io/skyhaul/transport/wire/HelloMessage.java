package io.skyhaul.transport.wire;

import io.skyhaul.transport.ticket.Direction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Body of a HELLO: {@code direction(1) maxDatagram(2) pathCount(2) [pathLength(2) path]... padding}.
 * A download names the remote paths it wants; an upload names none. The body is padded so the
 * whole datagram is at least {@link Wire#MIN_HELLO_DATAGRAM} bytes.
 */
public record HelloMessage(Direction direction, int maxDatagram, List<String> paths) {
    public static final int MAX_PATHS = 64;

    public void write(ByteBuffer out, int datagramOverhead) {
        out.put((byte) direction.code()).putShort((short) maxDatagram).putShort((short) paths.size());
        for (String p : paths) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            out.putShort((short) b.length).put(b);
        }
        while (out.position() + datagramOverhead < Wire.MIN_HELLO_DATAGRAM) {
            out.put((byte) 0);
        }
    }

    /** Parses a body; throws IllegalArgumentException (or a buffer exception) when malformed. */
    public static HelloMessage read(ByteBuffer in) {
        Direction direction = Direction.fromCode(in.get());
        int maxDatagram = Short.toUnsignedInt(in.getShort());
        int count = Short.toUnsignedInt(in.getShort());
        if (count > MAX_PATHS) {
            throw new IllegalArgumentException("HELLO names " + count + " paths");
        }
        List<String> paths = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[Short.toUnsignedInt(in.getShort())];
            in.get(b);
            paths.add(new String(b, StandardCharsets.UTF_8));
        }
        return new HelloMessage(direction, maxDatagram, paths);
    }
}
