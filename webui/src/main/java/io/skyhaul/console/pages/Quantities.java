package io.skyhaul.console.pages;

import io.skyhaul.console.web.FieldErrors;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes and rates as people type them in a form: a number with an optional SI suffix (k, M, G, T: powers of 1000). */
final class Quantities {
    private static final Pattern QUANTITY = Pattern.compile("(\\d{1,15}(?:\\.\\d{1,6})?)\\s*([kKmMgGtT]?)");

    private Quantities() {
    }

    /** The value, or null when blank; a value that is not a quantity is reported in {@code errors} under {@code field}. */
    static Long parse(String text, String field, FieldErrors errors) {
        if (text == null) {
            return null;
        }
        Matcher m = QUANTITY.matcher(text.strip());
        if (!m.matches()) {
            errors.add(field, "must be a whole number, optionally with k, M, G or T (e.g. 500G)");
            return null;
        }
        int power = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 3;
            case "m" -> 6;
            case "g" -> 9;
            case "t" -> 12;
            default -> 0;
        };
        BigDecimal value = new BigDecimal(m.group(1)).scaleByPowerOfTen(power);
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            errors.add(field, "must be a whole number (" + text + " is " + value.toPlainString() + ")");
            return null;
        }
    }
}
