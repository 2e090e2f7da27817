package io.skyhaul.transport.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Body of an ERROR (and of a failed RESULT): {@code code(1) messageLength(2) message(UTF-8)}. */
public record ErrorMessage(int code, String message) {
    public static final int MAX_MESSAGE_BYTES = 1000;

    public void write(ByteBuffer out) {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, MAX_MESSAGE_BYTES);
        out.put((byte) code).putShort((short) n).put(b, 0, n);
    }

    public static ErrorMessage read(ByteBuffer in) {
        int code = in.get() & 0xff;
        byte[] b = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(b);
        return new ErrorMessage(code, new String(b, StandardCharsets.UTF_8));
    }
}
