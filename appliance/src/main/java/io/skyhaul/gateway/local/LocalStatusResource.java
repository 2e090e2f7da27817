package io.skyhaul.gateway.local;

import io.skyhaul.gateway.GatewayAgent;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The gateway's state for its operator: activated or the code to enter, the link, hot folders, spool, transfers, refusals. */
@Path("status")
@Produces(MediaType.APPLICATION_JSON)
public final class LocalStatusResource {
    private final GatewayAgent gateway;

    public LocalStatusResource(GatewayAgent gateway) {
        this.gateway = gateway;
    }

    @GET
    public GatewayAgent.LocalStatus get() {
        return gateway.localStatus();
    }
}
