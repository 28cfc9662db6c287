package io.tokenmonitor.serde;

import io.tokenmonitor.schema.TokenRequest;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro instantiate this project's generated records and enums. Since Avro 1.12.2,
 * {@code SpecificDatumReader} and {@code SpecificDatumWriter} load only classes that the global
 * {@link ClassSecurityValidator} trusts, and by default it trusts none of an application's own.
 *
 * <p>Only the generated package is added, so a writer schema fetched from the registry still cannot make
 * Avro load any other class.
 */
final class TrustedAvroClasses {

    private static final String GENERATED_PACKAGE = TokenRequest.class.getPackageName();

    private static boolean installed;

    private TrustedAvroClasses() {
    }

    /** Adds the generated package to Avro's global trust list, once per JVM. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
            TrustedAvroClasses::isGenerated, previous));
        installed = true;
    }

    private static boolean isGenerated(Class<?> type) {
        boolean recordOrEnum = SpecificRecord.class.isAssignableFrom(type) || type.isEnum();
        return recordOrEnum && type.getPackageName().equals(GENERATED_PACKAGE);
    }
}
