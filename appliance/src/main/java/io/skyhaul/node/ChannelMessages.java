package io.skyhaul.node;

import io.skyhaul.storage.AzureAccount;
import io.skyhaul.storage.LocalAccount;
import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.Overwrite;
import io.skyhaul.storage.S3Account;
import io.skyhaul.storage.StorageAccount;
import io.skyhaul.storage.StorageError;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON of the node channel ({@code /api/v1/node/...}), spoken between a node-only process
 * and its manager: registration, heartbeats, tasks and reports. Tasks carry decrypted storage
 * credentials; they travel only over this channel (authenticated by the node key, TLS in
 * production) and no {@code toString} here prints a secret.
 */
public final class ChannelMessages {
    private ChannelMessages() {
    }

    /**
     * A node announcing itself.
     *
     * @param publicAddress HOST:PORT clients are sent to
     * @param maxSessions sessions it takes at once
     * @param ticketKey its ticket-sealing key (base64 of 32 bytes): tickets the manager issues for it are sealed with this
     */
    public record Register(
            @NotBlank @Pattern(regexp = "[^\\s:]+:[0-9]{1,5}|\\[[0-9a-fA-F:]+\\]:[0-9]{1,5}", message = "must be HOST:PORT") String publicAddress,
            @NotNull @Min(1) @Max(100000) Integer maxSessions,
            @NotBlank @Pattern(regexp = "[A-Za-z0-9+/]{43}=", message = "must be the base64 of 32 bytes") String ticketKey) {
        @Override
        public String toString() {
            return "Register[publicAddress=" + publicAddress + ", maxSessions=" + maxSessions + ", ticketKey=(hidden)]";
        }
    }

    /** The manager's answer to a registration: the node's name (its key's) and how often to report. */
    public record Registered(String name, long heartbeatSeconds) {
    }

    public record Heartbeat(@NotNull @Min(0) Integer sessions, @NotNull @Min(0) Long throughputBps, @NotNull @Min(0) Double cpuLoad) {
    }

    /** A task on the wire: {@code type} is upload, download or release. */
    public record Task(String type, String transferId, String sessionId, AccountWire account, String bucket, String prefix, String overwrite,
            Map<String, Long> files, List<ObjectInfo> objects, Long maxRate, String reason) {

        public static Task of(NodeTask task) {
            if (task instanceof NodeTask.Upload u) {
                return new Task("upload", u.transferId(), u.sessionId(), AccountWire.of(u.account()), u.bucket(), u.prefix(),
                        u.overwrite().name().toLowerCase(Locale.ROOT), u.files(), null, null, null);
            }
            if (task instanceof NodeTask.Download d) {
                return new Task("download", d.transferId(), d.sessionId(), AccountWire.of(d.account()), d.bucket(), d.prefix(), null, null,
                        d.objects(), d.maxRate(), null);
            }
            NodeTask.Release r = (NodeTask.Release) task;
            return new Task("release", r.transferId(), null, null, null, null, null, null, null, null, r.reason());
        }

        public NodeTask toTask() {
            return switch (type) {
                case "upload" -> new NodeTask.Upload(transferId, sessionId, account.toAccount(), bucket, prefix,
                        Overwrite.valueOf(overwrite.toUpperCase(Locale.ROOT)), files);
                case "download" -> new NodeTask.Download(transferId, sessionId, account.toAccount(), bucket, prefix, objects, maxRate);
                case "release" -> new NodeTask.Release(transferId, reason);
                default -> throw new IllegalArgumentException("unknown task type '" + type + "'");
            };
        }

        @Override
        public String toString() {
            return "Task[" + type + " transfer " + transferId + (bucket == null ? "" : " bucket " + bucket + " prefix " + prefix) + "]";
        }
    }

    /** A storage account on the wire, secrets included (see the class comment). */
    public record AccountWire(String kind, String accessKeyId, String secretAccessKey, String region, URI endpoint, Boolean pathStyle,
            String accountName, String accountKey, String connectionString, String sasToken, String root) {

        static AccountWire of(StorageAccount a) {
            if (a instanceof S3Account s) {
                return new AccountWire("s3", s.accessKeyId(), s.secretAccessKey(), s.region(), s.endpoint(), s.pathStyle(), null, null, null,
                        null, null);
            }
            if (a instanceof AzureAccount z) {
                return new AccountWire("azure", null, null, null, z.endpoint(), null, z.accountName(), z.accountKey(), z.connectionString(),
                        z.sasToken(), null);
            }
            return new AccountWire("local", null, null, null, null, null, null, null, null, null, ((LocalAccount) a).root().toString());
        }

        StorageAccount toAccount() {
            return switch (kind) {
                case "s3" -> new S3Account(accessKeyId, secretAccessKey, region, endpoint, Boolean.TRUE.equals(pathStyle));
                case "azure" -> new AzureAccount(accountName, accountKey, connectionString, sasToken, endpoint);
                case "local" -> new LocalAccount(Path.of(root));
                default -> throw new IllegalArgumentException("unknown account kind '" + kind + "'");
            };
        }

        @Override
        public String toString() {
            return "AccountWire[" + kind + ", secrets hidden]";
        }
    }

    /** A batch of reports, in the order they happened. */
    public record Reports(@NotNull @Size(max = 10_000) List<@NotNull @Valid Report> reports) {
    }

    /**
     * One {@link NodeReports} call on the wire: {@code type} is accepted, progress, prepared,
     * session-ended, stored or failed, with the fields of that call.
     */
    public record Report(@NotBlank String type, @NotBlank String transferId, Long bytes, List<NodeAgent.PreparedFile> files,
            NodeReports.SessionResult session, List<ObjectInfo> objects, String error, String message) {

        /** Calls {@code target} with this report; an unknown type or a missing field is an {@link IllegalArgumentException}. */
        public void deliverTo(NodeReports target) {
            switch (type) {
                case "accepted" -> target.accepted(transferId);
                case "progress" -> target.progress(transferId, need(bytes, "bytes"));
                case "prepared" -> target.prepared(transferId, need(files, "files"));
                case "session-ended" -> target.sessionEnded(transferId, need(session, "session"));
                case "stored" -> target.stored(transferId, need(objects, "objects"));
                case "failed" -> target.failed(transferId, storageError(), need(message, "message"));
                default -> throw new IllegalArgumentException("type: unknown report type '" + type + "'");
            }
        }

        private StorageError storageError() {
            try {
                return error == null ? StorageError.IO : StorageError.valueOf(error);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("error: unknown storage error '" + error + "'");
            }
        }

        private <T> T need(T value, String field) {
            if (value == null) {
                throw new IllegalArgumentException(field + ": a '" + type + "' report needs it");
            }
            return value;
        }

        /** A {@link NodeReports} that turns each call into a report for {@code sink}. */
        public static NodeReports recorder(java.util.function.Consumer<Report> sink) {
            return new NodeReports() {
                @Override
                public void accepted(String transferId) {
                    sink.accept(new Report("accepted", transferId, null, null, null, null, null, null));
                }

                @Override
                public void progress(String transferId, long bytes) {
                    sink.accept(new Report("progress", transferId, bytes, null, null, null, null, null));
                }

                @Override
                public void prepared(String transferId, List<NodeAgent.PreparedFile> files) {
                    sink.accept(new Report("prepared", transferId, null, files, null, null, null, null));
                }

                @Override
                public void sessionEnded(String transferId, SessionResult result) {
                    sink.accept(new Report("session-ended", transferId, null, null, result, null, null, null));
                }

                @Override
                public void stored(String transferId, List<ObjectInfo> objects) {
                    sink.accept(new Report("stored", transferId, null, null, null, objects, null, null));
                }

                @Override
                public void failed(String transferId, StorageError error, String message) {
                    sink.accept(new Report("failed", transferId, null, null, null, null, error.name(), message));
                }
            };
        }
    }
}
