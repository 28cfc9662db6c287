package io.tokenmonitor.processor.query;

import java.util.List;

/**
 * Writes a usage report as CSV (RFC 4180): a header line, one line per request, then a line with requestId
 * {@code TOTAL} holding the period totals and empty timestamp, model, provider and tokenSource. Lines end
 * with CRLF.
 *
 * <p>A field containing a comma, a double quote, CR or LF is enclosed in double quotes, with inner double
 * quotes doubled. A field starting with {@code = + - @}, tab or CR is prefixed with {@code '}, so a
 * spreadsheet that opens the file shows it as text instead of evaluating it as a formula.
 */
public final class UsageCsv {

    public static final String HEADER =
        "requestId,timestamp,model,provider,promptTokens,completionTokens,totalTokens,tokenSource,costDollars";
    public static final String TOTAL_ROW_ID = "TOTAL";

    private static final String LINE_END = "\r\n";

    private UsageCsv() {
    }

    /** Returns the report as CSV text. */
    public static String write(ExportView report) {
        StringBuilder csv = new StringBuilder();
        csv.append(HEADER).append(LINE_END);
        for (RecentRequestsView.RequestView request : report.requests()) {
            appendRow(csv, List.of(
                field(request.requestId()),
                field(request.timestamp()),
                field(request.model()),
                field(request.provider()),
                Long.toString(request.promptTokens()),
                Long.toString(request.completionTokens()),
                Long.toString(request.totalTokens()),
                field(request.tokenSource()),
                field(request.costDollars())));
        }

        UsageView totals = report.totals();
        appendRow(csv, List.of(
            TOTAL_ROW_ID,
            "",
            "",
            "",
            Long.toString(totals.promptTokens()),
            Long.toString(totals.completionTokens()),
            Long.toString(totals.totalTokens()),
            "",
            field(totals.costDollars())));
        return csv.toString();
    }

    private static void appendRow(StringBuilder csv, List<String> fields) {
        csv.append(String.join(",", fields)).append(LINE_END);
    }

    /** Returns a text value as one CSV field, guarded against formula evaluation; null is an empty field. */
    static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = startsLikeFormula(value) ? "'" + value : value;
        boolean needsQuotes = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\r') >= 0
            || text.indexOf('\n') >= 0;
        if (!needsQuotes) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private static boolean startsLikeFormula(String value) {
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }
}
