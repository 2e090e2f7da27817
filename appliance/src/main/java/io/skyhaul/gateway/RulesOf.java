package io.skyhaul.gateway;

import io.skyhaul.config.FileRulesConfig;
import io.skyhaul.gateway.rules.FileRules;

/** The configured rules ({@code rules:} of a hot folder or of the spool) as the checker that applies them. */
final class RulesOf {
    private RulesOf() {
    }

    static FileRules config(FileRulesConfig c) {
        FileRules.Builder b = FileRules.builder().allowedExtensions(c.extensions()).contentMustMatchExtension(c.magicBytes());
        if (c.minBytes() != null) {
            b.minSize(c.minBytes());
        }
        if (c.maxBytes() != null) {
            b.maxSize(c.maxBytes());
        }
        if (c.namePattern() != null) {
            b.nameRegex(c.namePattern());
        }
        return b.build();
    }
}
