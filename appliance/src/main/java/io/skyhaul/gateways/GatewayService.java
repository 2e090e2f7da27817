package io.skyhaul.gateways;

import io.skyhaul.auth.Principal;
import java.util.List;

/**
 * What admins and operators do with gateways, for the REST API and the console alike (one code
 * path for each rule): activate one by its code, deactivate it, send it commands, see its status.
 */
public final class GatewayService {
    private final GatewayRegistry registry;
    private final GatewayActivations activations;
    private final GatewayCommands commands;

    public GatewayService(GatewayRegistry registry, GatewayActivations activations, GatewayCommands commands) {
        this.registry = registry;
        this.activations = activations;
        this.commands = commands;
    }

    public GatewayRegistry registry() {
        return registry;
    }

    public GatewayActivations activations() {
        return activations;
    }

    public GatewayCommands commands() {
        return commands;
    }

    public List<GatewayView> list() {
        return registry.list();
    }

    public GatewayView get(String name) {
        return registry.get(name);
    }

    public GatewayView activate(Principal actor, String code, String name) {
        return activations.activate(actor, code, name);
    }

    /** Revokes the gateway's key; the commands it had not answered fail. */
    public GatewayView deactivate(Principal actor, String name) {
        GatewayView g = registry.deactivate(actor, name);
        commands.failOpen(name, "gateway " + name + " was deactivated by " + actor.describe());
        return g;
    }

    public GatewayMessages.Command command(Principal actor, String gateway, GatewayMessages.CommandRequest r) {
        return commands.enqueue(actor, gateway, r);
    }

    public List<GatewayMessages.Command> commands(String gateway, int limit) {
        return commands.list(gateway, limit);
    }

    public GatewayMessages.Command command(String gateway, long seq) {
        return commands.get(gateway, seq);
    }

}
