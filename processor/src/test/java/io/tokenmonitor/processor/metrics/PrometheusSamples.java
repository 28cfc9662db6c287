package io.tokenmonitor.processor.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of a Prometheus text exposition, parsed for assertions. */
public final class PrometheusSamples {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample line: metric name, labels and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();

    public PrometheusSamples(String exposition) {
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("Not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
    }

    /** Returns the samples of a metric whose labels include every entry of {@code labels}. */
    public List<Sample> find(String name, Map<String, String> labels) {
        return samples.stream()
            .filter(sample -> sample.name().equals(name))
            .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
    }

    /**
     * Returns the value of the one sample of a metric whose labels include {@code labels}.
     *
     * @throws AssertionError if no sample or more than one matches
     */
    public double value(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError("Expected one sample of " + name + " with " + labels + ", found " + found);
        }
        return found.get(0).value();
    }

    /** Returns whether any sample's name starts with {@code prefix}. */
    public boolean hasNameStartingWith(String prefix) {
        return samples.stream().anyMatch(sample -> sample.name().startsWith(prefix));
    }
}
