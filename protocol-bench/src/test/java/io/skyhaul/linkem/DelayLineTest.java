package io.skyhaul.linkem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Delivery times and order with explicit clocks. */
class DelayLineTest {

    private static final long MS = 1_000_000;

    @Test
    void delayShiftsEveryPacketByTheSameAmount() {
        DelayLine line = new DelayLine(25 * MS, 0, 0, 0);
        Packet a = packet();
        Packet b = packet();
        line.add(a, 0, new SplittableRandom(1));
        line.add(b, 3 * MS, new SplittableRandom(1));
        assertEquals(25 * MS, a.deliverAtNanos);
        assertEquals(28 * MS, b.deliverAtNanos);
        assertNull(line.pollDue(25 * MS - 1));
        assertSame(a, line.pollDue(25 * MS));
        assertNull(line.pollDue(27 * MS));
        assertSame(b, line.pollDue(30 * MS));
        assertTrue(line.isEmpty());
    }

    @Test
    void jitterVariesDelayButNeverReorders() {
        DelayLine line = new DelayLine(10 * MS, 5 * MS, 0, 0);
        SplittableRandom random = new SplittableRandom(7);
        List<Packet> sent = new ArrayList<>();
        long minDelay = Long.MAX_VALUE;
        long maxDelay = 0;
        for (int i = 0; i < 2000; i++) {
            Packet p = packet();
            long departure = i * 100_000L; // 0.1 ms apart, much closer than the jitter
            line.add(p, departure, random);
            minDelay = Math.min(minDelay, p.deliverAtNanos - departure);
            maxDelay = Math.max(maxDelay, p.deliverAtNanos - departure);
            sent.add(p);
        }
        assertTrue(minDelay >= 5 * MS && maxDelay > 12 * MS, "delays " + minDelay + " .. " + maxDelay);
        List<Packet> delivered = drain(line);
        assertEquals(sent, delivered);
        for (int i = 1; i < delivered.size(); i++) {
            assertTrue(delivered.get(i).deliverAtNanos >= delivered.get(i - 1).deliverAtNanos);
        }
    }

    @Test
    void sparsePacketsKeepTheirOwnJitter() {
        DelayLine line = new DelayLine(10 * MS, 2 * MS, 0, 0);
        SplittableRandom random = new SplittableRandom(8);
        long sum = 0;
        for (int i = 0; i < 1000; i++) {
            Packet p = packet();
            long departure = i * 100 * MS;
            line.add(p, departure, random);
            long delay = p.deliverAtNanos - departure;
            assertTrue(delay >= 8 * MS && delay <= 12 * MS, "delay " + delay);
            sum += delay;
        }
        assertEquals(10 * MS, sum / 1000.0, 0.2 * MS, "mean delay");
    }

    @Test
    void reorderedPacketsGetTheExtraDelayAndAreOvertaken() {
        DelayLine line = new DelayLine(MS, 0, 0.25, 5 * MS);
        SplittableRandom random = new SplittableRandom(9);
        List<Packet> sent = new ArrayList<>();
        int reordered = 0;
        for (int i = 0; i < 400; i++) {
            Packet p = packet();
            if (line.add(p, i * 50_000L, random)) {
                reordered++;
                assertEquals(i * 50_000L + 6 * MS, p.deliverAtNanos);
            }
            sent.add(p);
        }
        assertTrue(reordered > 60 && reordered < 140, "reordered " + reordered);
        List<Packet> delivered = drain(line);
        assertEquals(sent.size(), delivered.size());
        assertTrue(!sent.equals(delivered), "order changed");
        for (int i = 1; i < delivered.size(); i++) {
            assertTrue(delivered.get(i).deliverAtNanos >= delivered.get(i - 1).deliverAtNanos, "time order");
        }
    }

    private static List<Packet> drain(DelayLine line) {
        List<Packet> out = new ArrayList<>();
        Packet p;
        while ((p = line.pollDue(Long.MAX_VALUE / 2)) != null) {
            out.add(p);
        }
        return out;
    }

    private static Packet packet() {
        return new Packet(ByteBuffer.allocate(16), 0);
    }
}
