package io.tokenmonitor.processor.plan;

import io.tokenmonitor.schema.PlanState;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Looks up the plan state of a user in the plans store, falling back to the default plan.
 */
public final class PlanBook {

    private final ReadOnlyKeyValueStore<String, PlanState> plans;
    private final DefaultPlan defaultPlan;

    public PlanBook(ReadOnlyKeyValueStore<String, PlanState> plans, DefaultPlan defaultPlan) {
        this.plans = plans;
        this.defaultPlan = defaultPlan;
    }

    /** Returns the user's plan state, or the default plan's when the user has none. */
    public PlanState stateOf(String userId) {
        PlanState state = plans.get(userId);
        return state != null ? state : defaultPlan.toState(userId);
    }
}
