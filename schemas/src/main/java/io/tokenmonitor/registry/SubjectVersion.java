package io.tokenmonitor.registry;

import org.apache.avro.Schema;

/**
 * One version of a subject: the schema registered as that version and its registry-wide id.
 *
 * @param subject the subject name
 * @param version the version number within the subject, starting at 1
 * @param id the registry-wide schema id
 * @param schema the schema
 */
public record SubjectVersion(String subject, int version, int id, Schema schema) {
}
