package io.skyhaul.console.pages;

import io.skyhaul.audit.AuditEntry;
import io.skyhaul.audit.AuditLog;
import io.skyhaul.console.web.Action;
import io.skyhaul.console.web.Exchange;
import io.skyhaul.console.web.Reply;
import io.skyhaul.console.web.Route;
import java.util.List;

/** The audit log, newest first, filtered by actor or action, paged. */
public final class AuditPage {
    public static final int PAGE_SIZE = 50;

    private final AuditLog audit;

    public AuditPage(AuditLog audit) {
        this.audit = audit;
    }

    public List<Route> routes() {
        return List.of(Route.of("GET", "/audit", Action.VIEW_AUDIT, true, this::list));
    }

    private Reply list(Exchange x) {
        int page = x.page();
        String actor = x.param("actor");
        String action = x.param("action");
        List<AuditEntry> rows = audit.list(actor, action, null, PAGE_SIZE + 1, page * PAGE_SIZE);
        boolean more = rows.size() > PAGE_SIZE;
        String query = (actor == null ? "" : "&actor=" + java.net.URLEncoder.encode(actor, java.nio.charset.StandardCharsets.UTF_8))
                + (action == null ? "" : "&action=" + java.net.URLEncoder.encode(action, java.nio.charset.StandardCharsets.UTF_8));
        return Reply.page("audit", Exchange.model("title", "Audit log", "nav", "audit", "rows", more ? rows.subList(0, PAGE_SIZE) : rows,
                "actor", actor, "action", action, "page", page, "more", more, "query", query));
    }
}
