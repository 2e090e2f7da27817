package io.skyhaul.cli;

import io.skyhaul.transport.cc.RatePolicy;
import io.skyhaul.transport.wire.Wire;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsers for the command line's addresses, rates and durations, each with a clear message. */
final class Converters {
    private Converters() {
    }

    /** {@code HOST:PORT} or {@code [IPV6]:PORT}. */
    static final class HostPort implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new TypeConversionException("'" + value + "' is not HOST:PORT (for example 127.0.0.1:9000)");
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "': the port must be a number");
            }
            if (port < 0 || port > 65535) {
                throw new TypeConversionException("'" + value + "': the port must be between 0 and 65535");
            }
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port);
            } catch (UnknownHostException e) {
                throw new TypeConversionException("'" + host + "' is not a known host name or address");
            }
        }
    }

    /** A rate in bits per second with an optional k, m or g suffix ({@code 200m}); converted to bytes per second. */
    static final class BitRate implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.endsWith("bit/s")) {
                v = v.substring(0, v.length() - 5);
            } else if (v.endsWith("bps")) {
                v = v.substring(0, v.length() - 3);
            }
            double factor = 1;
            if (!v.isEmpty()) {
                switch (v.charAt(v.length() - 1)) {
                    case 'k' -> factor = 1e3;
                    case 'm' -> factor = 1e6;
                    case 'g' -> factor = 1e9;
                    default -> factor = 1;
                }
            }
            String number = factor == 1 ? v : v.substring(0, v.length() - 1);
            double bits;
            try {
                bits = Double.parseDouble(number) * factor;
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a rate: use bits per second with k, m or g, for example 200m");
            }
            if (!(bits >= 64e3) || Double.isInfinite(bits)) {
                throw new TypeConversionException("'" + value + "': the rate must be at least 64k (bits per second)");
            }
            return bits / 8;
        }
    }

    /** {@code fair} or {@code background}. */
    static final class Policy implements ITypeConverter<RatePolicy> {
        @Override
        public RatePolicy convert(String value) {
            try {
                return RatePolicy.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A UDP payload size the protocol allows. */
    static final class DatagramSize implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int size;
            try {
                size = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number of bytes");
            }
            if (size < Wire.MIN_DATAGRAM || size > Wire.MAX_DATAGRAM) {
                throw new TypeConversionException("'" + value + "': the datagram size must be between " + Wire.MIN_DATAGRAM + " and "
                        + Wire.MAX_DATAGRAM + " bytes");
            }
            return size;
        }
    }

    /** A duration such as {@code 30s}, {@code 500ms}, {@code 2m}. */
    static final class TimeSpan implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.endsWith("ms")) {
                    return positive(value, Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))));
                }
                if (v.endsWith("s")) {
                    return positive(value, Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1))));
                }
                if (v.endsWith("m")) {
                    return positive(value, Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1))));
                }
                return positive(value, Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a duration: use for example 30s, 500ms or 2m");
            }
        }

        private static Duration positive(String value, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new TypeConversionException("'" + value + "': the duration must be positive");
            }
            return d;
        }
    }
}
