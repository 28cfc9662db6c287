package io.tokenmonitor.processor.aggregation;

import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsagePeriod;
import java.util.List;

/**
 * The result of counting one request: the period totals after it, and the thresholds it crossed (in
 * ascending order, often none). Lives only between two processors of the topology and is never serialized.
 */
public record PeriodUpdate(TokenUsage usage, UsagePeriod period, List<Integer> crossedThresholds) {
}
