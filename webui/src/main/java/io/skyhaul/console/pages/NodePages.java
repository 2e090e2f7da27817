package io.skyhaul.console.pages;

import io.skyhaul.console.web.Action;
import io.skyhaul.console.web.Exchange;
import io.skyhaul.console.web.Reply;
import io.skyhaul.console.web.Route;
import io.skyhaul.nodes.NodeRegistry;
import io.skyhaul.nodes.NodeView;
import java.util.List;

/** The transfer nodes: address, load, sessions, throughput, last heartbeat; drain and undrain through the registry. */
public final class NodePages {
    private final NodeRegistry nodes;

    public NodePages(NodeRegistry nodes) {
        this.nodes = nodes;
    }

    public List<Route> routes() {
        return List.of(Route.of("GET", "/nodes", Action.VIEW_NODES, true,
                        x -> Reply.page("nodes", Exchange.model("title", "Nodes", "nav", "nodes", "nodes", nodes.list()))),
                Route.of("POST", "/nodes/{id}/drain", Action.DRAIN_NODE, true, x -> set(x, true)),
                Route.of("POST", "/nodes/{id}/undrain", Action.UNDRAIN_NODE, true, x -> set(x, false)));
    }

    private Reply set(Exchange x, boolean draining) {
        NodeView n = nodes.setDraining(x.principal(), x.path("id"), draining);
        return new Reply.Redirect("/nodes", draining ? "Node '" + n.name() + "' is draining: no new transfers go to it."
                : "Node '" + n.name() + "' is active again.");
    }
}
