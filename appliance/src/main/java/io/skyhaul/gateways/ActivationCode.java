package io.skyhaul.gateways;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * The code a new gateway shows and an admin types to activate it: 8 characters from an alphabet
 * without look-alikes (no I, L, O, 0, 1), shown as two groups of four ({@code K7QM-4XPA}): 31 symbols, so
 * about 40 bits. Typing is forgiving: case, spaces and dashes do not matter. A code is short because a
 * person types it; it is safe because only an admin can enter one, each lives minutes, and the
 * gateway key it releases is sealed to the gateway's own key pair.
 */
public final class ActivationCode {
    static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    static final int LENGTH = 8;

    private ActivationCode() {
    }

    /** A new code, normalised (no dash). */
    static String newCode(SecureRandom random) {
        StringBuilder b = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** The code as typed, normalised; IllegalArgumentException with the reason when it cannot be one. */
    public static String normalise(String typed) {
        if (typed == null) {
            throw new IllegalArgumentException("enter the activation code the gateway shows (like K7QM-4XPA)");
        }
        String s = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        if (s.length() != LENGTH) {
            throw new IllegalArgumentException("an activation code has " + LENGTH + " letters and digits (like K7QM-4XPA); '" + abbreviate(typed)
                    + "' has " + s.length());
        }
        for (int i = 0; i < s.length(); i++) {
            if (ALPHABET.indexOf(s.charAt(i)) < 0) {
                throw new IllegalArgumentException("'" + s.charAt(i) + "' is never part of an activation code (codes use no I, L, O, 0 or 1)");
            }
        }
        return s;
    }

    /** How a person reads it: two groups of four. */
    public static String display(String normalised) {
        return normalised.substring(0, 4) + "-" + normalised.substring(4);
    }

    private static String abbreviate(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "..." : s;
    }
}
