package io.skyhaul.console;

import io.skyhaul.console.pages.AccountPages;
import io.skyhaul.console.pages.AuditPage;
import io.skyhaul.console.pages.DashboardPage;
import io.skyhaul.console.pages.GatewayPage;
import io.skyhaul.console.pages.GatewayPages;
import io.skyhaul.console.pages.NodePages;
import io.skyhaul.console.pages.PartnerTokenPages;
import io.skyhaul.console.pages.SignInPages;
import io.skyhaul.console.pages.TransferPages;
import io.skyhaul.console.pages.UserPages;
import io.skyhaul.console.web.AssetServlet;
import io.skyhaul.console.web.ConsoleServlet;
import io.skyhaul.console.web.Route;
import io.skyhaul.console.web.SessionCookie;
import io.skyhaul.console.web.Sessions;
import io.skyhaul.http.ConsoleModule;
import jakarta.servlet.http.HttpServlet;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * The admin console, wired with {@code new} in one place: every page, on the services the
 * appliance hands over. Found by the appliance through
 * {@code META-INF/services/io.skyhaul.http.ConsoleModule}.
 */
public final class WebConsole implements ConsoleModule {
    @Override
    public Map<String, HttpServlet> servlets(Context c) {
        Clock clock = Clock.systemUTC();
        Validator validator = Validation.byDefaultProvider().configure().messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory().getValidator();
        Sessions sessions = new Sessions(new SecureRandom(), clock);
        SessionCookie cookies = new SessionCookie(c.tls());
        List<Route> routes = new ArrayList<>();
        routes.addAll(new SignInPages(c.users(), sessions, cookies, validator).routes());
        routes.addAll(new DashboardPage(c.transfers(), c.nodes(), c.gateways(), clock).routes());
        routes.addAll(new TransferPages(c.transfers()).routes());
        routes.addAll(new AccountPages(c.accounts(), validator).routes());
        routes.addAll(new PartnerTokenPages(c.partners(), c.accounts(), validator, clock).routes());
        routes.addAll(new NodePages(c.nodes()).routes());
        routes.addAll(new GatewayPages(c.gateways(), validator, clock).routes());
        routes.addAll(new GatewayPage(c.gateways(), clock).routes());
        routes.addAll(new UserPages(c.users(), validator).routes());
        routes.addAll(new AuditPage(c.audit()).routes());
        return Map.of("/", new ConsoleServlet(routes, sessions, cookies, c.users()), "/static/*", new AssetServlet());
    }
}
