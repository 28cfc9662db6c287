package io.tokenmonitor.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one benchmark, printed as aligned text and then as one line {@code RESULT {json}} that
 * scripts can collect. Figures keep the order they were added in.
 */
public final class Result {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String benchmark;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    public Result(String benchmark) {
        this.benchmark = benchmark;
    }

    /** Adds one figure; the name should carry its unit, for example {@code p99Ms} or {@code eventsPerSecond}. */
    public Result put(String name, Object value) {
        figures.put(name, value);
        return this;
    }

    /** Prints the machine, every figure on its own line, then the {@code RESULT} line. */
    public void print(PrintStream out) {
        Map<String, Object> machine = Machine.describe();
        out.println();
        out.println("== " + benchmark);
        machine.forEach((name, value) -> out.printf("  %-28s %s%n", name, value));
        figures.forEach((name, value) -> out.printf("  %-28s %s%n", name, format(value)));

        Map<String, Object> all = new LinkedHashMap<>();
        all.put("benchmark", benchmark);
        all.put("machine", machine);
        all.put("figures", figures);
        try {
            out.println("RESULT " + JSON.writeValueAsString(all));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write the result of " + benchmark + " as JSON", e);
        }
    }

    private static String format(Object value) {
        if (value instanceof Double number) {
            return String.format("%,.2f", number);
        }
        if (value instanceof Long || value instanceof Integer) {
            return String.format("%,d", ((Number) value).longValue());
        }
        return String.valueOf(value);
    }
}
