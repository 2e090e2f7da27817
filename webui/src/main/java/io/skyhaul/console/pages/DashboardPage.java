package io.skyhaul.console.pages;

import io.skyhaul.auth.Principal;
import io.skyhaul.console.web.Action;
import io.skyhaul.console.web.Exchange;
import io.skyhaul.console.web.Reply;
import io.skyhaul.console.web.Route;
import io.skyhaul.gateways.GatewayService;
import io.skyhaul.nodes.NodeRegistry;
import io.skyhaul.transfers.TransferDetail;
import io.skyhaul.transfers.TransferRecord;
import io.skyhaul.transfers.TransferService;
import io.skyhaul.transfers.TransferState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The dashboard: transfers in progress with their live rate and ETA, recent failures, node
 * health, how many gateways are online, and today's volume. The page's script re-fetches the
 * {@code live} fragment ({@code /dashboard/live}) every {@link #REFRESH_SECONDS} and swaps it in;
 * without script, a meta refresh reloads the page at the same pace.
 */
public final class DashboardPage {
    public static final int REFRESH_SECONDS = 2;
    static final int MAX_ACTIVE = 50;
    static final int MAX_FAILURES = 10;
    static final int MAX_TODAY = 100_000;
    private static final List<TransferState> OPEN = List.of(TransferState.WAITING, TransferState.PREPARING, TransferState.READY,
            TransferState.PUBLISHING);

    /** Today's totals: transfers created since midnight UTC. */
    public record Today(long done, long failed, long open, long bytesDone) {
    }

    private final TransferService transfers;
    private final NodeRegistry nodes;
    private final GatewayService gateways;
    private final Clock clock;

    public DashboardPage(TransferService transfers, NodeRegistry nodes, GatewayService gateways, Clock clock) {
        this.transfers = transfers;
        this.nodes = nodes;
        this.gateways = gateways;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(Route.of("GET", "/", Action.VIEW_TRANSFERS, true, this::page),
                Route.of("GET", "/dashboard/live", Action.VIEW_TRANSFERS, true, this::live));
    }

    private Reply page(Exchange x) {
        Map<String, Object> m = model(x.principal());
        m.put("title", "Dashboard");
        m.put("nav", "dashboard");
        m.put("refreshSeconds", REFRESH_SECONDS);
        return Reply.page("dashboard", m);
    }

    private Reply live(Exchange x) {
        return new Reply.Fragment("dashboard", "live", model(x.principal()));
    }

    private Map<String, Object> model(Principal who) {
        List<TransferDetail> active = new ArrayList<>();
        for (TransferState s : OPEN) {
            for (TransferRecord t : transfers.list(who, s.wireName(), null, null, null, null, null, MAX_ACTIVE, 0)) {
                active.add(transfers.get(who, t.id()));
            }
        }
        active.sort(Comparator.comparing((TransferDetail d) -> d.transfer().createdAt()).reversed());
        Instant now = clock.instant();
        List<TransferRecord> failures = transfers.list(who, TransferState.FAILED.wireName(), null, null, null, now.minus(Duration.ofDays(1)), null,
                MAX_FAILURES, 0);
        Instant midnight = now.truncatedTo(ChronoUnit.DAYS);
        List<TransferRecord> today = transfers.list(who, null, null, null, null, midnight, null, MAX_TODAY, 0);
        long done = today.stream().filter(t -> t.state() == TransferState.DONE).count();
        long failed = today.stream().filter(t -> t.state() == TransferState.FAILED).count();
        long open = today.stream().filter(t -> !t.state().isFinal()).count();
        long bytes = today.stream().filter(t -> t.state() == TransferState.DONE).mapToLong(TransferRecord::bytesTotal).sum();
        return Exchange.model("active", active.subList(0, Math.min(MAX_ACTIVE, active.size())), "failures", failures, "nodes", nodes.list(),
                "gateways", GatewayPages.Summary.of(gateways.list()), "today", new Today(done, failed, open, bytes), "updatedAt", now);
    }
}
