package io.skyhaul.http;

import io.skyhaul.accounts.AccountService;
import io.skyhaul.audit.AuditLog;
import io.skyhaul.auth.UserService;
import io.skyhaul.nodes.NodeRegistry;
import io.skyhaul.partners.PartnerTokenService;
import io.skyhaul.transfers.TransferService;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The admin console, as the appliance sees it: a plug-in found at run time through
 * {@link ServiceLoader} when the webui jar is on the class path. The appliance does not depend on
 * the console (it runs API-only without it); the console depends on the appliance and is handed
 * the very services the REST resources use, so a rule has one code path whichever door a request
 * comes through.
 */
public interface ConsoleModule {
    /**
     * What the console may use.
     *
     * @param tls whether the listener is HTTPS (session cookies are then marked Secure)
     */
    record Context(UserService users, AccountService accounts, PartnerTokenService partners, NodeRegistry nodes, TransferService transfers,
            AuditLog audit, io.skyhaul.gateways.GatewayService gateways, boolean tls) {
    }

    /**
     * The servlets to mount, by servlet path spec ("/" for the pages, e.g. "/static/*" for assets).
     * The API ({@value ApiServer#API_PATH}/*) and the operations endpoints keep their own, more specific paths.
     */
    Map<String, HttpServlet> servlets(Context context);

    /** The path of the console's start page, e.g. "/". */
    default String startPath() {
        return "/";
    }

    /** The console on the class path, if any. */
    static Optional<ConsoleModule> find() {
        return ServiceLoader.load(ConsoleModule.class).findFirst();
    }
}
