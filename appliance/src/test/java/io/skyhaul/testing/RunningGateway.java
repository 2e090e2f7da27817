package io.skyhaul.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.config.GatewayConfig;
import io.skyhaul.config.ManagerLink;
import io.skyhaul.config.ServeConfig;
import io.skyhaul.gateway.GatewayAgent;
import io.skyhaul.server.SkyhaulServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** A gateway-only {@code skyhaul serve} in this JVM, connected to a manager over real HTTP on loopback, with its local API on a free port. */
public final class RunningGateway implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SkyhaulServer server;

    private RunningGateway(SkyhaulServer server) {
        this.server = server;
    }

    public static RunningGateway start(Path data, String managerUrl, GatewayConfig gateway) throws Exception {
        ServeConfig config = ServeConfig.defaults().withRoles(Set.of(ServeConfig.Role.GATEWAY)).withData(data)
                .withManager(new ManagerLink(URI.create(managerUrl), null)).withGateway(gateway.withPort(0));
        return new RunningGateway(SkyhaulServer.start(config, Map.of()));
    }

    public GatewayAgent agent() {
        return server.gateway().orElseThrow();
    }

    public GatewayAgent.LocalStatus status() {
        return agent().localStatus();
    }

    /** The activation code once the gateway shows one. */
    public String awaitCode(Duration timeout) throws InterruptedException {
        ChildJvm.await("the gateway shows an activation code", timeout, () -> status().activationCode() != null);
        return status().activationCode();
    }

    public void awaitConnected(Duration timeout) throws InterruptedException {
        ChildJvm.await("the gateway is activated and its control link up", timeout, () -> status().activated() && status().connected());
    }

    /** A request to the gateway's local API with its local token (unless {@code headers} name another). */
    public RunningAppliance.Reply local(String method, String apiPath, HttpRequest.BodyPublisher body, Map<String, String> headers) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of("Authorization", "Bearer " + Files.readString(agent().localTokenFile()).strip()));
        all.putAll(headers);
        return new HttpApi(agent().localApiUrl()).exchange(method, "/api/v1/" + apiPath, body == null ? HttpRequest.BodyPublishers.noBody() : body, all);
    }

    public JsonNode localJson(String apiPath) throws Exception {
        return JSON.readTree(local("GET", apiPath, null, Map.of()).body());
    }

    @Override
    public void close() {
        server.close();
    }
}
