package io.tokenmonitor.registry;

import java.util.Arrays;

/**
 * The compatibility levels of the Confluent Schema Registry. A level determines which earlier versions under a
 * subject a new schema is checked against, and in which direction.
 *
 * <p>BACKWARD: the new schema reads data written with the latest version. FORWARD: the latest version
 * reads data written with the new schema. FULL: both. The {@code _TRANSITIVE} variants check against every
 * earlier version instead of the latest only. NONE checks nothing.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** Whether a new schema must read data written with earlier versions. */
    public boolean backward() {
        return backward;
    }

    /** Whether earlier versions must read data written with a new schema. */
    public boolean forward() {
        return forward;
    }

    /** Whether the check covers every earlier version rather than the latest only. */
    public boolean transitive() {
        return transitive;
    }

    /**
     * Parses a level name as the registry's REST API spells it, ignoring case.
     *
     * @throws SchemaRegistryException with code 42203 if the name is not a level
     */
    public static CompatibilityLevel parse(String name) {
        if (name != null) {
            for (CompatibilityLevel level : values()) {
                if (level.name().equalsIgnoreCase(name.trim())) {
                    return level;
                }
            }
        }
        throw new SchemaRegistryException("Invalid compatibility level '" + name + "', expected one of "
            + Arrays.toString(values()), SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL);
    }
}
