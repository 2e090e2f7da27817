package io.skyhaul.http;

import io.skyhaul.config.HttpConfig;
import io.skyhaul.http.errors.ProblemMappers;
import jakarta.servlet.http.HttpServlet;
import java.net.InetSocketAddress;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Jetty 12 with the REST API (Jersey at {@code /api/v1/*}), the operations endpoints and, when its
 * jar is present, the console ({@link ConsoleModule}): one listener, TLS when a certificate is configured.
 */
public final class ApiServer implements AutoCloseable {
    public static final String API_PATH = "/api/v1";
    /** A request body larger than this is refused (transfer requests list at most 100,000 files). */
    public static final int MAX_REQUEST_BYTES = 32 << 20;

    /**
     * Jersey warns at start-up that resource instances "do not implement any provider interfaces":
     * true, they are resources, registered as instances because they are built with {@code new}.
     * Held strongly, since java.util.logging keeps loggers only weakly.
     */
    private static final java.util.logging.Logger JERSEY_PROVIDERS = java.util.logging.Logger.getLogger("org.glassfish.jersey.internal.inject.Providers");

    static {
        JERSEY_PROVIDERS.setLevel(java.util.logging.Level.SEVERE);
    }

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;

    public ApiServer(HttpConfig config, List<Object> resources, HttpServlet ops) {
        this(config, resources, ops, java.util.Map.of());
    }

    /** With the console's servlets ({@link ConsoleModule}) mounted beside the API, by path spec. */
    public ApiServer(HttpConfig config, List<Object> resources, HttpServlet ops, java.util.Map<String, HttpServlet> console) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("skyhaul-http");
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.tls = config.tls() != null;
        if (tls) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(config.tls().keystore().toAbsolutePath().toString());
            ssl.setKeyStorePassword(config.tls().keystorePassword());
            ssl.setKeyStoreType("PKCS12");
            http.addCustomizer(new SecureRequestCustomizer(false));
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);

        ResourceConfig api = new ResourceConfig();
        api.register(JacksonFeature.withoutExceptionMappers());
        api.register(new JsonMapper());
        ProblemMappers.all().forEach(api::register);
        resources.forEach(api::register);
        api.property(ServerProperties.BV_SEND_ERROR_IN_RESPONSE, false);
        api.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        api.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setMaxFormContentSize(MAX_REQUEST_BYTES);
        context.addServlet(new ServletHolder("api", new ServletContainer(api)), API_PATH + "/*");
        ServletHolder opsHolder = new ServletHolder("ops", ops);
        context.addServlet(opsHolder, "/healthz");
        context.addServlet(opsHolder, "/readyz");
        context.addServlet(opsHolder, "/metrics");
        console.forEach((pathSpec, servlet) -> context.addServlet(new ServletHolder("console " + pathSpec, servlet), pathSpec));
        server.setHandler(context);
    }

    public void start() throws Exception {
        server.start();
    }

    public boolean tls() {
        return tls;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    /** The base URL clients use, e.g. http://127.0.0.1:8080. */
    public String baseUrl() {
        String host = connector.getHost().contains(":") ? "[" + connector.getHost() + "]" : connector.getHost();
        return (tls ? "https" : "http") + "://" + host + ":" + connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
