package io.skyhaul.http.resources;

import io.skyhaul.transfers.TransferRecord;
import java.util.List;

/** The transfer log as CSV (RFC 4180), one row per transfer: the API's export and the console's. */
public final class TransferCsv {
    static final String HEADER = "id,direction,state,actor_kind,actor,account,location,node,files,bytes,retransmitted_bytes,"
            + "created_at,started_at,finished_at,duration_s,goodput_mbps,error";

    private TransferCsv() {
    }

    public static String write(List<TransferRecord> rows) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (TransferRecord t : rows) {
            Object[] cells = {t.id(), t.direction(), t.state().wireName(), t.actorKind(), t.actorName(), t.accountName(), t.location(),
                t.nodeName(), t.files(), t.bytesTotal(), t.retransmittedBytes(), t.createdAt(), t.startedAt(), t.finishedAt(),
                t.durationSeconds(), t.goodputMbps(), t.error()};
            for (int i = 0; i < cells.length; i++) {
                out.append(i == 0 ? "" : ",").append(cell(cells[i]));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        // A leading = + - @ would be a formula in a spreadsheet: neutralise it.
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !(value instanceof Number)) {
            s = "'" + s;
        }
        return s.matches(".*[\",\r\n].*") || s.startsWith("'") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
