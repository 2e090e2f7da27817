package io.skyhaul.http.resources;

import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Role;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.node.ChannelMessages;
import io.skyhaul.node.NodeReports;
import io.skyhaul.nodes.NodeRegistry;
import io.skyhaul.nodes.NodeView;
import io.skyhaul.nodes.RemoteNodeLink;
import io.skyhaul.transfers.TransferService;
import io.skyhaul.transport.ticket.PreSharedKey;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node channel: what a node-only process, authenticated by its node key, says to its
 * manager. It opens every connection itself: it registers, sends heartbeats, long-polls for its
 * tasks and posts its reports. A node that this manager process does not know as connected (it
 * restarted, or the node fell silent) gets 409 and registers again.
 */
@Path("node")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class NodeChannelResource {
    private static final Logger LOG = LoggerFactory.getLogger(NodeChannelResource.class);
    /** How often a node sends its heartbeat: well inside {@link NodeRegistry#HEARTBEAT_TIMEOUT}. */
    public static final long HEARTBEAT_SECONDS = 5;

    private final NodeRegistry nodes;
    private final TransferService transfers;

    public NodeChannelResource(NodeRegistry nodes, TransferService transfers) {
        this.nodes = nodes;
        this.transfers = transfers;
    }

    @POST
    @Path("register")
    @RolesAllowed(Role.NODE_NAME)
    public ChannelMessages.Registered register(@Context SecurityContext sc, @NotNull @Valid ChannelMessages.Register r) {
        String name = Callers.of(sc).name();
        nodes.registerRemote(name, r.publicAddress(), r.maxSessions(), PreSharedKey.of(Base64.getDecoder().decode(r.ticketKey())));
        int failed = transfers.failInterrupted(name);
        LOG.info("node {}: registered from the node channel, udp {}, up to {} sessions{}", name, r.publicAddress(), r.maxSessions(),
                failed == 0 ? "" : "; " + failed + " transfer(s) it had open were failed");
        return new ChannelMessages.Registered(name, HEARTBEAT_SECONDS);
    }

    @POST
    @Path("heartbeat")
    @RolesAllowed(Role.NODE_NAME)
    public NodeView heartbeat(@Context SecurityContext sc, @NotNull @Valid ChannelMessages.Heartbeat h) {
        String name = connected(sc);
        return nodes.heartbeat(name, h.sessions(), h.throughputBps(), h.cpuLoad());
    }

    @GET
    @Path("tasks")
    @RolesAllowed(Role.NODE_NAME)
    public List<ChannelMessages.Task> tasks(@Context SecurityContext sc,
            @QueryParam("waitSeconds") @DefaultValue("20") @Min(0) @Max(60) int waitSeconds) throws InterruptedException {
        RemoteNodeLink link = nodes.remoteLink(connected(sc)).orElseThrow();
        return link.poll(Duration.ofSeconds(waitSeconds)).stream().map(ChannelMessages.Task::of).toList();
    }

    @POST
    @Path("reports")
    @RolesAllowed(Role.NODE_NAME)
    public void reports(@Context SecurityContext sc, @NotNull @Valid ChannelMessages.Reports batch) {
        NodeReports target = transfers.reportsFrom(connected(sc));
        for (int i = 0; i < batch.reports().size(); i++) {
            try {
                batch.reports().get(i).deliverTo(target);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("reports[" + i + "]." + e.getMessage().replaceFirst(":.*", ""), e.getMessage().replaceFirst("^[^:]*: ", ""));
            }
        }
    }

    /** The calling node's name, if it is connected to this manager process; 409 (register again) otherwise. */
    private String connected(SecurityContext sc) {
        Principal node = Callers.of(sc);
        if (nodes.remoteLink(node.name()).isEmpty()) {
            throw new ApiException(ApiError.CONFLICT, "node " + node.name() + " is not registered with this manager process"
                    + " (the manager restarted, or the node was silent too long); register again");
        }
        return node.name();
    }
}
