package io.skyhaul.linkem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkProfileParserTest {

    @ParameterizedTest
    @CsvSource({"200m, 200000000", "1.5g, 1500000000", "500k, 500000", "64000, 64000", "0, 0", "10Mbit, 10000000",
        "2G, 2000000000"})
    void ratesAreDecimalBitsPerSecond(String text, long expected) {
        assertEquals(expected, Units.parseRate(text));
    }

    @ParameterizedTest
    @CsvSource({"25ms, 25000000", "250us, 250000", "1.5s, 1500000000", "0, 0", "2s, 2000000000", "0.5ms, 500000"})
    void durationsNeedAUnit(String text, long expectedNanos) {
        assertEquals(expectedNanos, Units.parseDurationNanos(text));
    }

    @ParameterizedTest
    @CsvSource({"1%, 0.01", "0.01, 0.01", "100%, 1.0", "0, 0", "12.5%, 0.125", "1, 1.0"})
    void fractionsArePercentagesOrPlainNumbers(String text, double expected) {
        assertEquals(expected, Units.parseFraction(text), 1e-12);
    }

    @ParameterizedTest
    @CsvSource({"65536, 65536", "64k, 65536", "4m, 4194304", "4MiB, 4194304", "1g, 1073741824"})
    void byteSizesUseBinaryMultiples(String text, long expected) {
        assertEquals(expected, Units.parseBytes(text));
    }

    @Test
    void fullProfileFromFlags() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--delay", "25ms");
        flags.put("--jitter", "2ms");
        flags.put("--loss", "1%");
        flags.put("--rate", "200m");
        flags.put("--reorder", "0.5%");
        flags.put("--reorder-delay", "3ms");
        flags.put("--duplicate", "0.1%");
        flags.put("--seed", "1234");
        LinkProfile p = LinkProfileParser.parse(flags);
        assertEquals(25_000_000, p.delayNanos());
        assertEquals(2_000_000, p.jitterNanos());
        assertEquals(0.01, p.lossProbability(), 1e-12);
        assertEquals(200_000_000, p.rateBitsPerSecond());
        assertEquals(0.005, p.reorderProbability(), 1e-12);
        assertEquals(3_000_000, p.reorderDelayNanos());
        assertEquals(0.001, p.duplicateProbability(), 1e-12);
        assertEquals(1234, p.seed());
        // One bandwidth-delay product: 25 MB/s x 50 ms.
        assertEquals(1_250_000, p.queueBytes());
        assertNull(p.burstLoss());
        assertTrue(p.newLossModel() instanceof BernoulliLoss);
    }

    @Test
    void defaultsAreAnUnimpairedLink() {
        LinkProfile p = LinkProfileParser.parse(Map.of());
        assertEquals(0, p.delayNanos());
        assertEquals(0, p.rateBitsPerSecond());
        assertEquals(Long.MAX_VALUE, p.queueBytes(), "no rate, no queue");
        assertEquals(LinkDefaults.REORDER_DELAY_NANOS, p.reorderDelayNanos());
        assertEquals(0, p.lossProbability());
    }

    @Test
    void defaultQueueHasAFloorAndAnExplicitQueueWins() {
        assertEquals(LinkDefaults.MIN_DEFAULT_QUEUE_BYTES,
                LinkProfileParser.parse(Map.of("--rate", "10m", "--delay", "1ms")).queueBytes());
        assertEquals(2048, LinkProfileParser.parse(Map.of("--rate", "10m", "--queue", "2k")).queueBytes());
    }

    @Test
    void burstLossTakesTwoOrThreeValuesAndLossBecomesTheGoodStateLoss() {
        LinkProfile two = LinkProfileParser.parse(Map.of("--loss-burst", "0.5%,25%"));
        assertEquals(new GilbertElliottLoss.Parameters(0.005, 0.25, 1.0, 0), two.burstLoss());
        LinkProfile three = LinkProfileParser.parse(Map.of("--loss-burst", "0.01,0.2,0.5", "--loss", "0.1%"));
        assertEquals(new GilbertElliottLoss.Parameters(0.01, 0.2, 0.5, 0.001), three.burstLoss());
        assertTrue(three.newLossModel() instanceof GilbertElliottLoss);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--loss|150%|--loss: must be between 0 and 1",
        "--loss|5|--loss: must be between 0 and 1 (0% and 100%), got '5'; write a percentage with %",
        "--loss|lots|--loss: expected a percentage such as 1% or a fraction such as 0.01",
        "--rate|fast|--rate: expected a rate in bit/s",
        "--rate|-5m|--rate: expected a rate in bit/s",
        "--delay|25|--delay: expected a duration with a unit",
        "--delay|25 minutes|--delay: expected a duration with a unit",
        "--jitter|2h|--jitter: expected a duration",
        "--queue|big|--queue: expected a size in bytes",
        "--loss-burst|0.1|--loss-burst: expected P_GOOD_TO_BAD,P_BAD_TO_GOOD[,LOSS_IN_BAD]",
        "--loss-burst|0.1,0|--loss-burst: P_BAD_TO_GOOD must be above 0",
        "--loss-burst|0.1,2|--loss-burst: must be between 0 and 1",
        "--seed|abc|--seed: expected an integer seed",
        "--duplicate|-1%|--duplicate: expected a percentage",
    })
    void badValuesNameTheFlagAndSayWhatWasExpected(String flag, String value, String expectedStart) {
        UsageException e = assertThrows(UsageException.class, () -> LinkProfileParser.parse(Map.of(flag, value)));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }

    @Test
    void queueWithoutRateIsRejected() {
        UsageException e = assertThrows(UsageException.class, () -> LinkProfileParser.parse(Map.of("--queue", "1m")));
        assertTrue(e.getMessage().startsWith("--queue:"), e.getMessage());
    }

    @Test
    void unknownRepeatedAndValuelessFlagsAreRejected() {
        assertEquals("--lose: unknown option (see --help)", assertThrows(UsageException.class,
                () -> CliArguments.parse(new String[] {"--lose", "1%"}, LinkProfileParser.FLAG_NAMES)).getMessage());
        assertEquals("--loss: given more than once", assertThrows(UsageException.class,
                () -> CliArguments.parse(new String[] {"--loss", "1%", "--loss=2%"}, LinkProfileParser.FLAG_NAMES))
                .getMessage());
        assertEquals("--delay: missing value", assertThrows(UsageException.class,
                () -> CliArguments.parse(new String[] {"--delay", "--loss", "1%"}, LinkProfileParser.FLAG_NAMES))
                .getMessage());
    }

    @Test
    void toStringShowsTheWholeModelForLogs() {
        String text = LinkProfileParser.parse(Map.of("--delay", "25ms", "--loss", "1%", "--rate", "200m",
                "--seed", "9")).toString();
        assertTrue(text.contains("delay=25ms") && text.contains("loss=1%") && text.contains("rate=200.0 Mbit/s")
                && text.contains("queue=1250000B(bdp)") && text.contains("seed=9"), text);
    }
}
