package io.tokenmonitor.processor.lifecycle;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body of {@code /health} and {@code /ready}. Fields that do not apply are left out.
 *
 * @param status {@code UP} or {@code DOWN} for liveness, {@code READY} or {@code NOT_READY} for readiness
 * @param streamsState the Kafka Streams state of this instance, such as {@code RUNNING}
 * @param reason why the instance is down or not ready; null when it is up or ready
 * @param restoringPartitions changelog partitions of active tasks whose restoration has started and not ended
 * @param inputLag records of the input partitions this instance owns that are not yet committed as processed
 * @param maxInputLag the largest input lag at which the instance counts as ready
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthReport(
    String status,
    String streamsState,
    String reason,
    Integer restoringPartitions,
    Long inputLag,
    Long maxInputLag) {

    public static final String UP = "UP";
    public static final String DOWN = "DOWN";
    public static final String READY = "READY";
    public static final String NOT_READY = "NOT_READY";

    /** Returns whether the report is {@code UP} or {@code READY}, for which the endpoints return 200. */
    @JsonIgnore
    public boolean isHealthy() {
        return UP.equals(status) || READY.equals(status);
    }
}
