package io.tokenmonitor.registry;

/**
 * A registry call failed: the registry rejected the request or could not be reached.
 */
public class SchemaRegistryException extends RuntimeException {

    /** The subject has no versions. */
    public static final int SUBJECT_NOT_FOUND = 40401;

    /** The subject has no such version. */
    public static final int VERSION_NOT_FOUND = 40402;

    /** No schema has the id, or the schema is not registered under the subject. */
    public static final int SCHEMA_NOT_FOUND = 40403;

    /** A soft delete of a subject whose versions are all soft-deleted already. */
    public static final int SUBJECT_SOFT_DELETED = 40404;

    /** A permanent delete of a subject that has versions that are not soft-deleted. */
    public static final int SUBJECT_NOT_SOFT_DELETED = 40405;

    /** A soft delete of a version that is soft-deleted already. */
    public static final int VERSION_SOFT_DELETED = 40406;

    /** A permanent delete of a version that is not soft-deleted. */
    public static final int VERSION_NOT_SOFT_DELETED = 40407;

    /** The subject has no compatibility level of its own. */
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;

    /** The schema conflicts with an earlier version under the subject's compatibility level. */
    public static final int INCOMPATIBLE_SCHEMA = 409;

    /** The schema does not parse, or its type is not supported. */
    public static final int INVALID_SCHEMA = 42201;

    /** The version is neither a positive integer nor {@code latest}. */
    public static final int INVALID_VERSION = 42202;

    /** The compatibility level is not one of {@link CompatibilityLevel}. */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

    /** The registry failed while handling a valid request. */
    public static final int INTERNAL_ERROR = 50001;

    /** Confluent error code of the failure, for example 40401, or 0 when the registry sent none. */
    private final int errorCode;

    public SchemaRegistryException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.errorCode = 0;
    }

    public int errorCode() {
        return errorCode;
    }
}
