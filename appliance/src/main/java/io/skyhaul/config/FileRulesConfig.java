package io.skyhaul.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * What a file must be to leave a gateway (a hot folder's, or the spool's): checked before any
 * byte moves. Every rule is optional; none means everything passes.
 *
 * @param extensions allowed file extensions, without the dot, any case (e.g. mov, mxf)
 * @param magicBytes also check that the file's first bytes are of the type its extension says
 * @param minBytes smallest size accepted
 * @param maxBytes largest size accepted
 * @param namePattern a regular expression the file name (not the path) must match in full
 */
public record FileRulesConfig(
        @Size(max = 100) List<@NotBlank @Pattern(regexp = "[A-Za-z0-9]{1,16}", message = "must be an extension without the dot, like mov")
                String> extensions,
        Boolean magicBytes,
        @PositiveOrZero Long minBytes,
        @Min(0) Long maxBytes,
        @Size(max = 512) String namePattern) {

    public FileRulesConfig {
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        magicBytes = magicBytes != null && magicBytes;
    }

    public static FileRulesConfig none() {
        return new FileRulesConfig(null, null, null, null, null);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    @AssertTrue(message = "minBytes is larger than maxBytes")
    public boolean isMinBytesValid() {
        return minBytes == null || maxBytes == null || minBytes <= maxBytes;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    @AssertTrue(message = "namePattern is not a valid regular expression")
    public boolean isNamePatternValid() {
        if (namePattern == null) {
            return true;
        }
        try {
            java.util.regex.Pattern.compile(namePattern);
            return true;
        } catch (java.util.regex.PatternSyntaxException e) {
            return false;
        }
    }
}
