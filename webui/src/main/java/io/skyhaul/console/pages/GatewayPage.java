package io.skyhaul.console.pages;

import io.skyhaul.console.web.Action;
import io.skyhaul.console.web.Exchange;
import io.skyhaul.console.web.Reply;
import io.skyhaul.console.web.Route;
import io.skyhaul.gateways.GatewayMessages;
import io.skyhaul.gateways.GatewayMessages.CommandKind;
import io.skyhaul.gateways.GatewayService;
import io.skyhaul.gateways.GatewayView;
import io.skyhaul.http.errors.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * One gateway: the status it last reported (hot folders, spool, transfers, refusals) and the
 * commands sent to it. The page's script re-fetches the {@code live} fragment every
 * {@link #REFRESH_SECONDS}, so that a refusal shows up while one watches (a gateway reports
 * one at once); without script, a meta refresh reloads the page. Pause, resume and "report now"
 * are commands queued through the same {@link GatewayService} as the API's; deactivating asks
 * for confirmation on a page of its own first.
 */
public final class GatewayPage {
    public static final int REFRESH_SECONDS = 2;
    static final int RECENT_COMMANDS = 20;
    /** The commands the console's buttons send; the others need a body the console does not edit. */
    static final List<CommandKind> BUTTONS = List.of(CommandKind.PAUSE, CommandKind.RESUME, CommandKind.STATUS);

    private final GatewayService gateways;
    private final Clock clock;

    public GatewayPage(GatewayService gateways, Clock clock) {
        this.gateways = gateways;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(Route.of("GET", "/gateways/{name}", Action.VIEW_GATEWAYS, true, this::page),
                Route.of("GET", "/gateways/{name}/live", Action.VIEW_GATEWAYS, true,
                        x -> new Reply.Fragment("gateway", "live", model(gateways.get(x.path("name"))))),
                Route.of("POST", "/gateways/{name}/commands", Action.COMMAND_GATEWAY, true, this::command),
                Route.of("GET", "/gateways/{name}/deactivate", Action.DEACTIVATE_GATEWAY, true, this::confirmDeactivate),
                Route.of("POST", "/gateways/{name}/deactivate", Action.DEACTIVATE_GATEWAY, true, this::deactivate));
    }

    private Reply page(Exchange x) {
        GatewayView g = gateways.get(x.path("name"));
        Map<String, Object> m = model(g);
        m.put("title", "Gateway " + g.name());
        m.put("nav", "gateways");
        m.put("refreshSeconds", REFRESH_SECONDS);
        return Reply.page("gateway", m);
    }

    private Map<String, Object> model(GatewayView g) {
        return Exchange.model("g", g, "s", g.status(), "commands", gateways.commands(g.name(), RECENT_COMMANDS), "now", clock.instant());
    }

    private Reply command(Exchange x) {
        String name = x.path("name");
        CommandKind kind = buttonKind(x.param("kind"));
        GatewayMessages.Command c = gateways.command(x.principal(), name, new GatewayMessages.CommandRequest(kind, null, null, null));
        String what = switch (kind) {
            case PAUSE -> "Pause sent to gateway '" + name + "': it starts no new transfers; what runs finishes.";
            case RESUME -> "Resume sent to gateway '" + name + "'.";
            default -> "Gateway '" + name + "' was asked for its status now.";
        };
        boolean online = gateways.get(name).online();
        return new Reply.Redirect(GatewayPages.path(name), what + " (command #" + c.seq() + ")"
                + (online ? "" : " It is offline: it gets the command when it connects again."));
    }

    private static CommandKind buttonKind(String wire) {
        for (CommandKind k : BUTTONS) {
            if (k.wireName().equals(wire)) {
                return k;
            }
        }
        throw ApiException.invalid("kind", "must be pause, resume or status");
    }

    private Reply confirmDeactivate(Exchange x) {
        GatewayView g = gateways.get(x.path("name"));
        if (!g.active()) {
            return new Reply.Redirect(GatewayPages.path(g.name()), "Gateway '" + g.name() + "' is already deactivated.");
        }
        return Reply.page("gateway-deactivate", Exchange.model("title", "Deactivate gateway " + g.name(), "nav", "gateways", "g", g));
    }

    private Reply deactivate(Exchange x) {
        GatewayView g = gateways.deactivate(x.principal(), x.path("name"));
        return new Reply.Redirect(GatewayPages.path(g.name()), "Gateway '" + g.name() + "' deactivated: its key is refused from now on."
                + " It shows a new activation code; enter it on the Gateways page to activate it again.");
    }
}
