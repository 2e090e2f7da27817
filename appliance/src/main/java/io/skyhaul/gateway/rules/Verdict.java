package io.skyhaul.gateway.rules;

/**
 * The outcome of {@link FileRules}: accepted, or refused by one named rule with a reason a person
 * can act on ("reel-01.mov: the bytes are not a QuickTime/MP4 file (starts with 25 50 44 46, a PDF)").
 *
 * @param accepted whether the file may be sent
 * @param rule the refusing rule's name ({@link FileRules#RULE_EXTENSION}...), empty when accepted
 * @param reason for a human, starting with the file's name; empty when accepted
 */
public record Verdict(boolean accepted, String rule, String reason) {
    public static final Verdict ACCEPTED = new Verdict(true, "", "");

    public Verdict {
        if (accepted && !(rule.isEmpty() && reason.isEmpty())) {
            throw new IllegalArgumentException("an accepted verdict has no rule and no reason");
        }
        if (!accepted && (rule.isBlank() || reason.isBlank())) {
            throw new IllegalArgumentException("a refusal names its rule and gives a reason");
        }
    }

    public static Verdict refused(String rule, String reason) {
        return new Verdict(false, rule, reason);
    }
}
