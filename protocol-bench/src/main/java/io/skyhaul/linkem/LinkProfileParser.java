package io.skyhaul.linkem;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds a {@link LinkProfile} from the impairment flags shared by the {@code udp} and
 * {@code tun} subcommands. The flag table below is also the source of {@code --help}, so the
 * documentation cannot drift from what is parsed.
 */
public final class LinkProfileParser {

    /** The impairment flags, their value syntax and their help text. */
    enum Flag {
        DELAY("--delay", "DURATION", "one-way propagation delay, applied to each direction (us, ms, s). Default 0"),
        JITTER("--jitter", "DURATION", "delay varies uniformly within ±JITTER; never reorders packets. Default 0"),
        LOSS("--loss", "FRACTION", "independent random loss on ingress, e.g. 1% or 0.01. Default 0"),
        LOSS_BURST("--loss-burst", "P_GB,P_BG[,LOSS_IN_BAD]",
                "Gilbert-Elliott bursty loss: chance per packet of entering / leaving the bad state, and loss in the"
                        + " bad state (default " + LinkDefaults.BURST_LOSS_IN_BAD + "). With --loss, --loss is the"
                        + " good-state loss. Mean burst = 1/P_BG packets"),
        RATE("--rate", "RATE", "bottleneck rate in bit/s with k/m/g suffixes (decimal): 200m = 200,000,000 bit/s."
                + " Default 0 = unlimited"),
        QUEUE("--queue", "BYTES", "drop-tail bottleneck buffer in bytes, k/m/g binary suffixes. Default one"
                + " bandwidth-delay product, rate x 2 x delay, at least 64k. Only with --rate"),
        REORDER("--reorder", "FRACTION", "fraction of packets given an extra delay so later packets overtake them."
                + " Default 0"),
        REORDER_DELAY("--reorder-delay", "DURATION", "extra delay of reordered packets. Default "
                + Units.formatDuration(LinkDefaults.REORDER_DELAY_NANOS)),
        DUPLICATE("--duplicate", "FRACTION", "fraction of packets delivered twice. Default 0"),
        SEED("--seed", "N", "seed of the random generator, for reproducible runs. Default: random, printed at start");

        final String name;
        final String valueSyntax;
        final String help;

        Flag(String name, String valueSyntax, String help) {
            this.name = name;
            this.valueSyntax = valueSyntax;
            this.help = help;
        }
    }

    /** The names of all impairment flags, for {@link CliArguments#parse}. */
    public static final Set<String> FLAG_NAMES = Arrays.stream(Flag.values()).map(f -> f.name)
            .collect(Collectors.toCollection(LinkedHashSet::new));

    private static final int HELP_WIDTH = 92;

    private LinkProfileParser() {
    }

    /** Parses a flag map such as {@code {"--delay": "25ms", "--loss": "1%"}}; unknown keys are rejected. */
    public static LinkProfile parse(Map<String, String> flags) {
        String[] args = flags.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new);
        return parse(CliArguments.parse(args, FLAG_NAMES));
    }

    static LinkProfile parse(CliArguments args) {
        LinkProfile.Builder b = LinkProfile.builder();
        args.get(Flag.DELAY.name, Units::parseDurationNanos).ifPresent(b::delayNanos);
        args.get(Flag.JITTER.name, Units::parseDurationNanos).ifPresent(b::jitterNanos);
        args.get(Flag.LOSS.name, Units::parseFraction).ifPresent(b::lossProbability);
        args.get(Flag.LOSS_BURST.name, LinkProfileParser::parseLossBurst).ifPresent(b::burstLoss);
        args.get(Flag.RATE.name, Units::parseRate).ifPresent(b::rateBitsPerSecond);
        args.get(Flag.QUEUE.name, LinkProfileParser::parseQueue).ifPresent(b::queueBytes);
        args.get(Flag.REORDER.name, Units::parseFraction).ifPresent(b::reorderProbability);
        args.get(Flag.REORDER_DELAY.name, Units::parseDurationNanos).ifPresent(b::reorderDelayNanos);
        args.get(Flag.DUPLICATE.name, Units::parseFraction).ifPresent(b::duplicateProbability);
        args.get(Flag.SEED.name, LinkProfileParser::parseSeed).ifPresent(b::seed);
        if (args.raw(Flag.QUEUE.name).isPresent() && args.get(Flag.RATE.name, Units::parseRate).orElse(0L) == 0) {
            throw new UsageException(Flag.QUEUE.name + ": only meaningful with a --rate (without one there is no queue)");
        }
        return b.build();
    }

    /** Parses {@code P_GOOD_TO_BAD,P_BAD_TO_GOOD[,LOSS_IN_BAD]}, each a fraction or percentage. */
    static GilbertElliottLoss.Parameters parseLossBurst(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("expected P_GOOD_TO_BAD,P_BAD_TO_GOOD[,LOSS_IN_BAD] such as 0.5%,25%"
                    + " or 0.005,0.25,1, got '" + text + "'");
        }
        double goodToBad = Units.parseFraction(parts[0]);
        double badToGood = Units.parseFraction(parts[1]);
        double lossInBad = parts.length == 3 ? Units.parseFraction(parts[2]) : LinkDefaults.BURST_LOSS_IN_BAD;
        return new GilbertElliottLoss.Parameters(goodToBad, badToGood, lossInBad, 0);
    }

    private static long parseQueue(String text) {
        long bytes = Units.parseBytes(text);
        if (bytes < 1) {
            throw new IllegalArgumentException("must be at least 1 byte, got '" + text + "'");
        }
        return bytes;
    }

    private static long parseSeed(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer seed, got '" + text + "'", e);
        }
    }

    /** The help lines for the impairment flags, aligned. */
    static String helpText() {
        StringBuilder s = new StringBuilder();
        for (Flag f : Flag.values()) {
            s.append("  ").append(f.name).append(' ').append(f.valueSyntax).append(System.lineSeparator());
            StringBuilder line = new StringBuilder("      ");
            for (String word : f.help.split(" ")) {
                if (line.length() + word.length() > HELP_WIDTH) {
                    s.append(line.toString().stripTrailing()).append(System.lineSeparator());
                    line = new StringBuilder("      ");
                }
                line.append(word).append(' ');
            }
            s.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return s.toString();
    }
}
