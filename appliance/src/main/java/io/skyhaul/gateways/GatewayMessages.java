package io.skyhaul.gateways;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.config.HotFolderConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * What a gateway and its manager say to each other over the gateway channel ({@code /api/v1/gateway/...}),
 * and what admins send to a gateway ({@code /api/v1/gateways/...}). The gateway opens every
 * connection: it asks to be activated, long-polls its commands, posts their results and its status.
 */
public final class GatewayMessages {
    private GatewayMessages() {
    }

    /** A new gateway asks for an activation code. */
    public record ActivationRequest(
            @NotBlank @Size(max = 200) String publicKey,
            @Size(max = 253) String hostname,
            @Size(max = 64) String version) {
    }

    /** The answer: the code to show, until when, and the handle to ask about it with. */
    public record ActivationTicket(String id, String code, Instant expiresAt, String fingerprint, long pollSeconds) {
    }

    /**
     * Where an activation stands: {@code pending} (not entered yet), {@code activated} (with the
     * gateway key sealed to the gateway's public key, until the gateway has used it), or
     * {@code claimed} (the gateway already took its key).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ActivationState(String state, String code, Instant expiresAt, String name, String sealedKey) {
    }

    /** An admin binds a waiting gateway: the code it shows, and the name it will have. */
    public record Activate(
            @NotBlank @Size(max = 32) String code,
            @NotBlank @Pattern(regexp = HotFolderConfig.NAME, message = HotFolderConfig.NAME_MESSAGE) String name) {
    }

    public enum CommandKind {
        /** Send files from the gateway (upload) or fetch into it (download). */
        @JsonProperty("transfer") TRANSFER,
        /** Add or replace a hot folder. */
        @JsonProperty("hot-folder.set") HOT_FOLDER_SET,
        /** Stop watching a hot folder. */
        @JsonProperty("hot-folder.remove") HOT_FOLDER_REMOVE,
        /** Stop starting transfers (hot folders and spool); what runs finishes. */
        @JsonProperty("pause") PAUSE,
        @JsonProperty("resume") RESUME,
        /** Report the status now. */
        @JsonProperty("status") STATUS;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace("hot_folder_", "hot-folder.");
        }

        public static CommandKind parse(String wire) {
            for (CommandKind k : values()) {
                if (k.wireName().equals(wire)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown command kind '" + wire + "'");
        }
    }

    /** A transfer the manager asks a gateway to run: paths are the gateway's own (inside its {@code gateway.sharedRoots}). */
    public record TransferCommand(
            @NotNull io.skyhaul.transfers.TransferRequest.TransferDirection direction,
            @NotBlank @Size(max = 2048) String location,
            @Size(max = 1000) List<@NotBlank @Size(max = 4096) String> paths,
            @Size(max = 4096) String dir) {

        @com.fasterxml.jackson.annotation.JsonIgnore
        @AssertTrue(message = "an upload names the gateway's paths to send (and no dir); a download names the gateway directory to fetch into")
        public boolean isShapeValid() {
            if (direction == null) {
                return true;
            }
            return direction == io.skyhaul.transfers.TransferRequest.TransferDirection.UPLOAD ? paths != null && !paths.isEmpty() && dir == null
                    : dir != null && paths == null;
        }
    }

    /** What an admin or operator sends to a gateway. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CommandRequest(
            @NotNull CommandKind kind,
            @Valid TransferCommand transfer,
            @Valid HotFolderConfig hotFolder,
            @Size(max = 63) String name) {

        @com.fasterxml.jackson.annotation.JsonIgnore
        @AssertTrue(message = "transfer needs 'transfer', hot-folder.set needs 'hotFolder', hot-folder.remove needs 'name'; the others take nothing")
        public boolean isShapeValid() {
            if (kind == null) {
                return true;
            }
            return switch (kind) {
                case TRANSFER -> transfer != null && hotFolder == null && name == null;
                case HOT_FOLDER_SET -> hotFolder != null && transfer == null && name == null;
                case HOT_FOLDER_REMOVE -> name != null && transfer == null && hotFolder == null;
                default -> transfer == null && hotFolder == null && name == null;
            };
        }
    }

    /** A command as the manager keeps it: what, for whom, by whom, and how it ended. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Command(long seq, String gateway, CommandKind kind, JsonNode body, String state, String createdBy, Instant createdAt,
            Instant deliveredAt, Instant finishedAt, String result) {
    }

    /** The gateway's answer to one command. */
    public record CommandResult(boolean ok, @Size(max = 4000) String message) {
    }

    /** A hot folder as the gateway sees it. */
    public record HotFolderStatus(
            @Size(max = 63) String name, @Size(max = 4096) String path, @Size(max = 2048) String destination,
            @PositiveOrZero int settling, @PositiveOrZero int queued, @PositiveOrZero int sending,
            @PositiveOrZero long sent, @PositiveOrZero long failed, @PositiveOrZero long refused, @Size(max = 1000) String problem) {
    }

    public record SpoolStatus(@PositiveOrZero long usedBytes, @PositiveOrZero long maxBytes, @PositiveOrZero int files,
            @PositiveOrZero int uploading) {
    }

    public record ActiveTransfer(@Size(max = 64) String id, @Size(max = 200) String source, @PositiveOrZero int files,
            @PositiveOrZero long bytes, @PositiveOrZero long bytesDone) {
    }

    /** A file a rule kept from leaving: shown in the console and the API at once. */
    public record Refusal(Instant at, @Size(max = 200) String source, @Size(max = 4096) String file, @Size(max = 64) String rule,
            @Size(max = 2000) String reason) {
    }

    /** What a gateway reports every few seconds (and at once when a rule refuses a file). */
    public record Status(
            @Size(max = 64) String version,
            boolean paused,
            @Size(max = 100) List<@NotNull @Valid HotFolderStatus> hotFolders,
            @Valid SpoolStatus spool,
            @Size(max = 100) List<@NotNull @Valid ActiveTransfer> transfers,
            @Size(max = 50) List<@NotNull @Valid Refusal> refusals,
            @PositiveOrZero long filesSent,
            @PositiveOrZero long filesFailed) {

        public Status {
            hotFolders = hotFolders == null ? List.of() : List.copyOf(hotFolders);
            transfers = transfers == null ? List.of() : List.copyOf(transfers);
            refusals = refusals == null ? List.of() : List.copyOf(refusals);
        }
    }
}
