package io.skyhaul.storage.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.storage.StorageException;
import org.junit.jupiter.api.Test;

class PartPlanTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @Test
    void smallObjectsAreOnePartAndEmptyOnesNone() throws Exception {
        assertEquals(new PartPlan(0, 16 * MIB, 0), PartPlan.of(0, 16 * MIB, PartLimits.S3));
        assertEquals(new PartPlan(1, 16 * MIB, 1), PartPlan.of(1, 16 * MIB, PartLimits.S3));
        assertEquals(new PartPlan(16 * MIB, 16 * MIB, 1), PartPlan.of(16 * MIB, 16 * MIB, PartLimits.S3));
        assertEquals(2, PartPlan.of(16 * MIB + 1, 16 * MIB, PartLimits.S3).partCount());
    }

    @Test
    void s3PartsAreNeverBelowFiveMib() throws Exception {
        assertEquals(5 * MIB, PartPlan.of(100 * MIB, MIB, PartLimits.S3).partSize());
        assertEquals(MIB, PartPlan.of(100 * MIB, MIB, PartLimits.AZURE).partSize(), "Azure has no minimum block size");
    }

    @Test
    void partsGrowToStayWithinTenThousand() throws Exception {
        long size = 1024 * GIB;
        PartPlan plan = PartPlan.of(size, 16 * MIB, PartLimits.S3);
        assertTrue(plan.partCount() <= 10_000, plan.toString());
        assertEquals(0, plan.partSize() % MIB, "grown parts are whole MiB");
        assertTrue((long) plan.partCount() * plan.partSize() >= size);
        assertEquals(size - (plan.partCount() - 1) * plan.partSize(), plan.length(plan.partCount()));
    }

    @Test
    void theLargestS3ObjectFitsAndALargerOneIsRefused() throws Exception {
        long max = 5 * GIB * 10_000;
        PartPlan plan = PartPlan.of(max, 16 * MIB, PartLimits.S3);
        assertEquals(5 * GIB, plan.partSize());
        assertEquals(10_000, plan.partCount());
        assertThrows(StorageException.class, () -> PartPlan.of(max + 1, 16 * MIB, PartLimits.S3));
    }

    @Test
    void azureBlocksStayWithinFiftyThousand() throws Exception {
        PartPlan plan = PartPlan.of(4000 * GIB, 16 * MIB, PartLimits.AZURE);
        assertTrue(plan.partCount() <= 50_000 && plan.partSize() <= 4000 * MIB, plan.toString());
    }

    @Test
    void checkRefusesWrongNumbersAndLengths() throws Exception {
        PartPlan plan = PartPlan.of(10 * MIB + 3, 5 * MIB, PartLimits.S3);
        plan.check(3, 3);
        assertThrows(IllegalArgumentException.class, () -> plan.check(0, 5 * MIB));
        assertThrows(IllegalArgumentException.class, () -> plan.check(4, 1));
        assertThrows(IllegalArgumentException.class, () -> plan.check(1, 5 * MIB - 1));
    }
}
