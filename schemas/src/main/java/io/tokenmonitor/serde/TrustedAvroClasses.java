package io.tokenmonitor.serde;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Adds the generated classes of a serde's own schema to Avro's class allow-list.
 *
 * <p>Since Avro 1.12.2, {@code SpecificData} loads the class of every named type it decodes through
 * {@link ClassSecurityValidator}, whose default list trusts only a few JDK classes, so decoding a
 * generated record fails with "SecurityException: Forbidden ... not trusted". Only the named types of
 * schemas compiled into this process are trusted here, never names taken from schemas fetched from a
 * registry, which keeps the validator's protection against schemas that name arbitrary classes.
 *
 * <p>NOTE: the validator is JVM-wide. If other code later replaces it with
 * {@link ClassSecurityValidator#setGlobal}, the next serde created wraps the replacement again, but serdes
 * created before that fail to decode until then.
 */
final class TrustedAvroClasses {

    private static final Set<String> TRUSTED_CLASS_NAMES = ConcurrentHashMap.newKeySet();
    private static final ClassSecurityPredicate TRUSTED = type -> TRUSTED_CLASS_NAMES.contains(type.getName());

    private static ClassSecurityPredicate installed;

    private TrustedAvroClasses() {
    }

    /** Trusts the classes of the record, enum and fixed types that a compiled schema contains. */
    static void trustNamedTypesOf(Schema schema) {
        TRUSTED_CLASS_NAMES.addAll(classNamesOf(schema));
        synchronized (TrustedAvroClasses.class) {
            if (installed == null || ClassSecurityValidator.getGlobal() != installed) {
                installed = ClassSecurityValidator.composite(TRUSTED, ClassSecurityValidator.getGlobal());
                ClassSecurityValidator.setGlobal(installed);
            }
        }
    }

    /** Returns the Java class names of the named types in a schema, including nested ones. */
    static Set<String> classNamesOf(Schema schema) {
        Set<String> classNames = new HashSet<>();
        Set<String> visitedNames = new HashSet<>();
        Deque<Schema> pending = new ArrayDeque<>();
        pending.push(schema);
        while (!pending.isEmpty()) {
            Schema current = pending.pop();
            switch (current.getType()) {
                case RECORD -> {
                    if (visitedNames.add(current.getFullName())) {
                        classNames.add(SpecificData.getClassName(current));
                        current.getFields().forEach(field -> pending.push(field.schema()));
                    }
                }
                case ENUM, FIXED -> {
                    if (visitedNames.add(current.getFullName())) {
                        classNames.add(SpecificData.getClassName(current));
                    }
                }
                case ARRAY -> pending.push(current.getElementType());
                case MAP -> pending.push(current.getValueType());
                case UNION -> current.getTypes().forEach(pending::push);
                default -> {
                    // Primitive types have no generated class.
                }
            }
        }
        return classNames;
    }
}
