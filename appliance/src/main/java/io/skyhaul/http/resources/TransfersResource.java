package io.skyhaul.http.resources;

import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Role;
import io.skyhaul.http.JsonMapper;
import io.skyhaul.transfers.TransferDetail;
import io.skyhaul.transfers.TransferRecord;
import io.skyhaul.transfers.TransferRequest;
import io.skyhaul.transfers.TransferService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Objects;

/** Transfers: create, follow (JSON or server-sent events), cancel, and the log with its exports. */
@Path("transfers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class TransfersResource {
    /** An events stream ends at the transfer's end, or after this long. */
    static final long EVENTS_MAX_MILLIS = 6 * 3600_000L;
    static final long EVENTS_POLL_MILLIS = 500;

    private final TransferService transfers;

    public TransfersResource(TransferService transfers) {
        this.transfers = transfers;
    }

    @POST
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.PARTNER_NAME, Role.GATEWAY_NAME})
    public Response create(@Context SecurityContext sc, @NotNull @Valid TransferRequest r) {
        TransferDetail d = transfers.create(Callers.of(sc), r);
        return Response.status(201).entity(d).build();
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME, Role.PARTNER_NAME, Role.GATEWAY_NAME})
    public List<TransferRecord> list(@Context SecurityContext sc, @QueryParam("state") String state, @QueryParam("actor") String actor,
            @QueryParam("account") String account, @QueryParam("direction") String direction, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(10000) int limit,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset, @QueryParam("clientRef") @Size(max = 128) String clientRef) {
        return transfers.list(Callers.of(sc), new TransferService.Query(state, actor, account, direction, Times.parse(since, "since"),
                Times.parse(until, "until"), clientRef), limit, offset);
    }

    /** The log as a file: {@code format=csv} or {@code json}. */
    @GET
    @Path("export")
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME})
    public Response export(@Context SecurityContext sc, @QueryParam("format") @DefaultValue("csv") @Pattern(regexp = "csv|json",
            message = "must be csv or json") String format, @QueryParam("since") String since, @QueryParam("until") String until) throws Exception {
        List<TransferRecord> all = transfers.list(Callers.of(sc), new TransferService.Query(null, null, null, null, Times.parse(since, "since"),
                Times.parse(until, "until"), null), 1_000_000, 0);
        if (format.equals("json")) {
            return Response.ok(JsonMapper.create().writeValueAsString(all), MediaType.APPLICATION_JSON)
                    .header("Content-Disposition", "attachment; filename=\"skyhaul-transfers.json\"").build();
        }
        return Response.ok(TransferCsv.write(all), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"skyhaul-transfers.csv\"").build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME, Role.PARTNER_NAME, Role.GATEWAY_NAME})
    public TransferDetail get(@Context SecurityContext sc, @PathParam("id") String id) {
        return transfers.get(Callers.of(sc), id);
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.PARTNER_NAME, Role.GATEWAY_NAME})
    public TransferDetail cancel(@Context SecurityContext sc, @PathParam("id") String id) {
        return transfers.cancel(Callers.of(sc), id);
    }

    /** Server-sent events: one {@code progress} event per change (at most two a second), the last when the transfer ends. */
    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME, Role.PARTNER_NAME, Role.GATEWAY_NAME})
    public void events(@Context SecurityContext sc, @PathParam("id") String id, @Context SseEventSink sink, @Context Sse sse) {
        Principal caller = Callers.of(sc);
        TransferDetail first = transfers.get(caller, id);
        Thread t = new Thread(() -> stream(caller, id, first, sink, sse), "skyhaul-sse-" + id);
        t.setDaemon(true);
        t.start();
    }

    private void stream(Principal caller, String id, TransferDetail first, SseEventSink sink, Sse sse) {
        var json = JsonMapper.create();
        long deadline = System.currentTimeMillis() + EVENTS_MAX_MILLIS;
        TransferDetail last = null;
        TransferDetail now = first;
        try (sink) {
            while (!sink.isClosed() && System.currentTimeMillis() < deadline) {
                if (!Objects.equals(last, now)) {
                    boolean done = now.transfer().state().isFinal();
                    sink.send(sse.newEventBuilder().name(done ? "end" : "progress").data(json.writeValueAsString(now)).build())
                            .toCompletableFuture().join();
                    if (done) {
                        return;
                    }
                    last = now;
                }
                Thread.sleep(EVENTS_POLL_MILLIS);
                now = transfers.get(caller, id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The client went away: nothing to tell anyone.
        }
    }
}
