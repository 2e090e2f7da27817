package io.skyhaul.linkem;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code --flag value} (or {@code --flag=value}) options after a subcommand. Every flag
 * takes a value except {@code --help}; unknown, repeated and valueless flags are rejected at once
 * so that a typo never silently runs an unimpaired link.
 */
final class CliArguments {

    static final String HELP = "--help";

    private final Map<String, String> values;

    private CliArguments(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param args    the arguments after the subcommand
     * @param allowed the flags this subcommand accepts (with their leading dashes)
     */
    static CliArguments parse(String[] args, Set<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(HELP) || arg.equals("-h")) {
                values.put(HELP, "true");
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "' (options look like --delay 25ms)");
            }
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!allowed.contains(flag)) {
                throw new UsageException(flag + ": unknown option (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(flag + ": missing value");
                }
                value = args[++i];
            }
            if (values.putIfAbsent(flag, value) != null) {
                throw new UsageException(flag + ": given more than once");
            }
        }
        return new CliArguments(values);
    }

    boolean helpRequested() {
        return values.containsKey(HELP);
    }

    Optional<String> raw(String flag) {
        return Optional.ofNullable(values.get(flag));
    }

    String required(String flag) {
        String value = values.get(flag);
        if (value == null) {
            throw new UsageException(flag + ": required");
        }
        return value;
    }

    /** Converts a flag's value, turning a conversion error into a usage error naming the flag. */
    <T> Optional<T> get(String flag, Function<String, T> converter) {
        String value = values.get(flag);
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(convert(flag, value, converter));
    }

    static <T> T convert(String flag, String value, Function<String, T> converter) {
        try {
            return converter.apply(value);
        } catch (UsageException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag, e.getMessage(), e);
        }
    }
}
