package io.skyhaul.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.nio.file.Path;
import java.util.List;

/**
 * One hot folder of a gateway: a directory watched for new files, each sent to {@code destination}
 * (keeping its path below the folder) once it is complete. Written in the gateway's config file,
 * or sent by the manager ({@code hot-folder.set}); the same constraints check both.
 *
 * @param name what logs, status and the console call it
 * @param path the directory watched (absolute)
 * @param destination where files go: {@code s3://ACCOUNT/bucket/prefix/}, {@code azure://...} or {@code local://...}
 * @param settleSeconds a file is complete once its size and modification time have not changed for this long
 * @param marker when set (e.g. {@code .ready}), a file is complete only once {@code NAME.ready} exists beside it; the marker is removed after
 * @param include globs of relative paths to send (default: everything)
 * @param exclude globs of relative paths never sent (hidden and partial files never are)
 * @param afterSuccess keep the file, move it to {@code doneFolder}, or delete it
 * @param doneFolder where sent files go with {@code move} (default {@code PATH/.skyhaul-done})
 * @param errorFolder where refused or failed files go, each with a reason file (default {@code PATH/.skyhaul-error})
 * @param rescanSeconds full rescan period: watch events are missed on network filesystems
 * @param mirror keep the destination a one-way mirror of the folder: files stay, changed files are sent again
 * @param propagateDeletes with {@code mirror}: a file deleted here is deleted at the destination too
 * @param rules what a file must be to be sent; a file breaking one is refused before any byte moves
 * @param batchFiles files sent in one transfer at most
 * @param maxRate ceiling of this folder's transfers in bits per second, or null
 */
public record HotFolderConfig(
        @NotBlank @Pattern(regexp = NAME, message = NAME_MESSAGE) String name,
        @NotNull Path path,
        @NotBlank @Size(max = 2048) @Pattern(regexp = "(s3|azure|local)://[^/\\s]+/[^/\\s]+(/.*)?", message = "must be s3://ACCOUNT/bucket/prefix/,"
                + " azure://ACCOUNT/container/prefix/ or local://ACCOUNT/dir/prefix/") String destination,
        @Min(0) @Max(86_400) Integer settleSeconds,
        @Pattern(regexp = "\\.[A-Za-z0-9_-]{1,32}", message = "must be a suffix like .ready") String marker,
        @Size(max = 100) List<@NotBlank @Size(max = 512) String> include,
        @Size(max = 100) List<@NotBlank @Size(max = 512) String> exclude,
        AfterSuccess afterSuccess,
        Path doneFolder,
        Path errorFolder,
        @Min(1) @Max(86_400) Integer rescanSeconds,
        Boolean mirror,
        Boolean propagateDeletes,
        @Valid FileRulesConfig rules,
        @Min(1) @Max(100_000) Integer batchFiles,
        @Min(1_000_000) @Max(100_000_000_000L) Long maxRate) {

    public static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";
    public static final String NAME_MESSAGE = "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit";
    public static final String DONE_DIR = ".skyhaul-done";
    public static final String ERROR_DIR = ".skyhaul-error";

    public enum AfterSuccess {
        @JsonProperty("keep") KEEP,
        @JsonProperty("move") MOVE,
        @JsonProperty("delete") DELETE
    }

    public HotFolderConfig {
        settleSeconds = settleSeconds == null ? 10 : settleSeconds;
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        mirror = mirror != null && mirror;
        propagateDeletes = propagateDeletes != null && propagateDeletes;
        afterSuccess = afterSuccess == null ? (mirror ? AfterSuccess.KEEP : AfterSuccess.MOVE) : afterSuccess;
        rescanSeconds = rescanSeconds == null ? 30 : rescanSeconds;
        rules = rules == null ? FileRulesConfig.none() : rules;
        batchFiles = batchFiles == null ? 100 : batchFiles;
        if (path != null && doneFolder == null) {
            doneFolder = path.resolve(DONE_DIR);
        }
        if (path != null && errorFolder == null) {
            errorFolder = path.resolve(ERROR_DIR);
        }
    }

    /** True when one folder lies in the other (or they are the same): a file must belong to one hot folder. */
    public boolean overlaps(HotFolderConfig other) {
        Path mine = path.normalize();
        Path theirs = other.path().normalize();
        return mine.startsWith(theirs) || theirs.startsWith(mine);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    @AssertTrue(message = "must be an absolute path")
    public boolean isPathValid() {
        return path == null || path.isAbsolute();
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    @AssertTrue(message = "a mirror keeps its files: afterSuccess must be keep")
    public boolean isAfterSuccessValid() {
        return !mirror || afterSuccess == AfterSuccess.KEEP;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    @AssertTrue(message = "propagateDeletes needs mirror: true")
    public boolean isPropagateDeletesValid() {
        return !propagateDeletes || mirror;
    }
}
