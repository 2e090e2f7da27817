package io.skyhaul.console.pages;

import io.skyhaul.console.web.Action;
import io.skyhaul.console.web.Exchange;
import io.skyhaul.console.web.Reply;
import io.skyhaul.console.web.Route;
import io.skyhaul.http.resources.TransferCsv;
import io.skyhaul.transfers.TransferDetail;
import io.skyhaul.transfers.TransferRecord;
import io.skyhaul.transfers.TransferService;
import io.skyhaul.transfers.TransferState;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The transfer log (filtered, paged), one transfer's detail, cancel, and the CSV export the API also serves. */
public final class TransferPages {
    public static final int PAGE_SIZE = 50;
    static final int EXPORT_MAX = 1_000_000;

    /** The log's filters, as the form and the links carry them. */
    public record Filter(String state, String actor, String account, String direction) {
        static Filter of(Exchange x) {
            return new Filter(x.param("state"), x.param("actor"), x.param("account"), x.param("direction"));
        }

        /** The query string of these filters (for paging and export links), starting with '?' or empty. */
        public String query(int page) {
            StringBuilder q = new StringBuilder();
            add(q, "state", state);
            add(q, "actor", actor);
            add(q, "account", account);
            add(q, "direction", direction);
            if (page > 0) {
                add(q, "page", Integer.toString(page));
            }
            return q.toString();
        }

        private static void add(StringBuilder q, String name, String value) {
            if (value != null) {
                q.append(q.length() == 0 ? '?' : '&').append(name).append('=')
                        .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            }
        }

        public boolean isEmpty() {
            return state == null && actor == null && account == null && direction == null;
        }
    }

    private final TransferService transfers;

    public TransferPages(TransferService transfers) {
        this.transfers = transfers;
    }

    public List<Route> routes() {
        return List.of(Route.of("GET", "/transfers", Action.VIEW_TRANSFERS, true, this::list),
                Route.of("GET", "/transfers/export.csv", Action.EXPORT_TRANSFERS, true, this::export),
                Route.of("GET", "/transfers/{id}", Action.VIEW_TRANSFERS, true, this::detail),
                Route.of("GET", "/transfers/{id}/live", Action.VIEW_TRANSFERS, true, this::live),
                Route.of("POST", "/transfers/{id}/cancel", Action.CANCEL_TRANSFER, true, this::cancel));
    }

    private Reply list(Exchange x) {
        Filter f = Filter.of(x);
        int page = x.page();
        List<TransferRecord> rows = transfers.list(x.principal(), f.state(), f.actor(), f.account(), f.direction(), null, null, PAGE_SIZE + 1,
                page * PAGE_SIZE);
        boolean more = rows.size() > PAGE_SIZE;
        return Reply.page("transfers", Exchange.model("title", "Transfers", "nav", "transfers", "rows", more ? rows.subList(0, PAGE_SIZE) : rows,
                "filter", f, "page", page, "more", more, "states", Arrays.stream(TransferState.values()).map(TransferState::wireName).toList()));
    }

    private Reply export(Exchange x) {
        Filter f = Filter.of(x);
        return new Reply.Download("text/csv; charset=utf-8", "skyhaul-transfers.csv",
                TransferCsv.write(transfers.list(x.principal(), f.state(), f.actor(), f.account(), f.direction(), null, null, EXPORT_MAX, 0)));
    }

    private Reply detail(Exchange x) {
        TransferDetail d = transfers.get(x.principal(), x.path("id"));
        Map<String, Object> m = Exchange.model("title", "Transfer " + d.transfer().id(), "nav", "transfers", "d", d, "t", d.transfer());
        return Reply.page("transfer", m);
    }

    /** The changing part of the detail page, for its script to swap in while the transfer runs. */
    private Reply live(Exchange x) {
        TransferDetail d = transfers.get(x.principal(), x.path("id"));
        return new Reply.Fragment("transfer", "live", Exchange.model("d", d, "t", d.transfer()));
    }

    private Reply cancel(Exchange x) {
        TransferDetail d = transfers.cancel(x.principal(), x.path("id"));
        return new Reply.Redirect("/transfers/" + d.transfer().id(), "Transfer " + d.transfer().id() + " cancelled.");
    }
}
