package io.skyhaul.gateway.hotfolder;

/**
 * Why a file went to the error folder, for the person who finds it there.
 *
 * @param rule the rule that refused it ("extension", "content-matches-extension"...) or the kind
 *     of error ("upload-failed")
 * @param detail what exactly was wrong, e.g. a rule's refusal reason or the error message
 * @param whatToDo the remedy, e.g. "Export the clip again as QuickTime and copy it into the hot folder."
 */
public record FailureReason(String rule, String detail, String whatToDo) {
    public FailureReason {
        requireText("rule", rule);
        requireText("detail", detail);
        requireText("whatToDo", whatToDo);
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }
}
