package io.skyhaul.linkem;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Where a {@link TunLink} lives: two network namespaces, one TUN device in each, and the two
 * addresses at either end.
 *
 * <p>Addresses must lie in 198.18.0.0/15, the range RFC 2544 reserves for benchmarking, so an
 * emulated link can never shadow or leak to a real network.
 *
 * @param namespaceA namespace of end A (created, must not exist yet)
 * @param namespaceB namespace of end B
 * @param addressA   end A's address, e.g. 198.18.0.1
 * @param addressB   end B's address, e.g. 198.18.0.2
 * @param deviceA    name of the TUN device in A (at most 15 characters)
 * @param deviceB    name of the TUN device in B
 */
public record TunLinkConfig(String namespaceA, String namespaceB, Inet4Address addressA, Inet4Address addressB,
                            String deviceA, String deviceB) {

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");
    private static final int DEVICE_NAME_ROOM = 11;

    public TunLinkConfig {
        requireName("--ns-a", namespaceA, NAMESPACE);
        requireName("--ns-b", namespaceB, NAMESPACE);
        if (namespaceA.equals(namespaceB)) {
            throw new IllegalArgumentException("--ns-b: must differ from --ns-a ('" + namespaceA + "')");
        }
        requireBenchmarkingAddress("--addr-a", addressA);
        requireBenchmarkingAddress("--addr-b", addressB);
        if (addressA.equals(addressB)) {
            throw new IllegalArgumentException("--addr-b: must differ from --addr-a (" + addressA.getHostAddress() + ")");
        }
        requireName("--dev-a", deviceA, DEVICE);
        requireName("--dev-b", deviceB, DEVICE);
        if (deviceA.equals(deviceB)) {
            throw new IllegalArgumentException("--dev-b: must differ from --dev-a ('" + deviceA + "')");
        }
    }

    /** A configuration with the default device names derived from the namespace names. */
    public static TunLinkConfig of(String namespaceA, String namespaceB, Inet4Address addressA, Inet4Address addressB) {
        return new TunLinkConfig(namespaceA, namespaceB, addressA, addressB, defaultDevice("lkA-", namespaceA),
                defaultDevice("lkB-", namespaceB));
    }

    /**
     * {@code lkA-} or {@code lkB-} plus the start of the namespace name: distinct for the two
     * ends even when the namespace names share a long prefix, and within the 15-character limit.
     */
    static String defaultDevice(String prefix, String namespace) {
        String tail = namespace.length() > DEVICE_NAME_ROOM ? namespace.substring(0, DEVICE_NAME_ROOM) : namespace;
        return prefix + tail;
    }

    /** Parses a dotted IPv4 literal (no name lookup) in the benchmarking range. */
    public static Inet4Address parseAddress(String flag, String text) {
        if (text == null || !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException(flag + ": expected an IPv4 address such as 198.18.0.1, got '" + text + "'");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(flag + ": not an IPv4 address: '" + text + "'", e);
        }
        Inet4Address v4 = (Inet4Address) address;
        requireBenchmarkingAddress(flag, v4);
        return v4;
    }

    /** True for 198.18.0.0/15 (198.18.0.0 to 198.19.255.255), RFC 2544's benchmarking range. */
    public static boolean isBenchmarkingAddress(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) == 198 && ((b[1] & 0xff) == 18 || (b[1] & 0xff) == 19);
    }

    private static void requireBenchmarkingAddress(String flag, Inet4Address address) {
        if (address == null) {
            throw new IllegalArgumentException(flag + ": required");
        }
        if (!isBenchmarkingAddress(address)) {
            throw new IllegalArgumentException(flag + ": " + address.getHostAddress()
                    + " is outside 198.18.0.0/15; linkem only uses the RFC 2544 benchmarking range");
        }
    }

    private static void requireName(String flag, String name, Pattern pattern) {
        if (name == null || !pattern.matcher(name).matches()) {
            throw new IllegalArgumentException(flag + ": invalid name '" + name + "' (letters, digits, '_', '.', '-';"
                    + (pattern == DEVICE ? " at most 15 characters)" : " at most 64 characters)"));
        }
    }
}
