package io.tokenmonitor.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * A Schema Registry held in memory, with the Confluent registry's semantics. Unit tests use it directly,
 * and the development stack's registry server stores its schemas in it. Without a {@link SchemaJournal}
 * nothing survives the process. With one, each change is written to the journal before it is applied,
 * and the {@code restore...} methods rebuild a new registry from what the journal stored.
 *
 * <ul>
 *   <li>Schema ids are registry-wide and start at 1. Two schemas are the same when their parsed forms
 *       print the same JSON ({@link Schema#toString()}), so whitespace and key order do not matter.
 *       Ids increase but may skip numbers, because a failed journal write uses up the id it tried.
 *   <li>Registering a schema that the subject already has, at any version, returns its id and adds no
 *       version. The same schema under another subject keeps its id and becomes a version there.
 *   <li>Versions of a subject start at 1. Versions and subjects are never deleted.
 *   <li>A new version is checked against earlier ones with the subject's compatibility level, or the
 *       global level (BACKWARD unless set) when the subject has none.
 * </ul>
 *
 * <p>Every method is thread-safe: each one holds the registry's lock for its whole run, including the
 * journal write, so a slow journal also delays reads.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    /** The level a new registry starts with, as in the Confluent registry. */
    public static final CompatibilityLevel DEFAULT_COMPATIBILITY = CompatibilityLevel.BACKWARD;

    private final Map<String, Integer> idBySchemaJson = new HashMap<>();
    private final Map<Integer, Schema> schemaById = new HashMap<>();
    /** Schema ids per subject, version 1 first. Sorted by subject, so listings are stable. */
    private final Map<String, List<Integer>> idsBySubject = new TreeMap<>();
    private final Map<String, CompatibilityLevel> compatibilityBySubject = new HashMap<>();
    private CompatibilityLevel globalCompatibility = DEFAULT_COMPATIBILITY;
    private int nextId = 1;
    private final SchemaJournal journal;

    /** Creates an empty registry that keeps its state in memory only. */
    public InMemorySchemaRegistry() {
        this(SchemaJournal.NONE);
    }

    /** Creates an empty registry that writes every change to a journal before applying it. */
    public InMemorySchemaRegistry(SchemaJournal journal) {
        if (journal == null) {
            throw new IllegalArgumentException(
                "Journal must not be null. Use SchemaJournal.NONE to keep the state in memory only");
        }
        this.journal = journal;
    }

    /**
     * Registers a schema under a subject, or returns its id if the subject already has it.
     *
     * @throws SchemaRegistryException with code 409 if the schema is incompatible with earlier versions,
     *     or with the code the journal throws if writing the new version to it fails
     */
    @Override
    public synchronized int register(String subject, Schema schema) {
        requireSubject(subject);
        String schemaJson = schema.toString();
        List<Integer> subjectIds = idsBySubject.getOrDefault(subject, List.of());
        int index = indexOfSchema(subjectIds, schemaJson);
        if (index >= 0) {
            return subjectIds.get(index);
        }

        checkCompatibility(subject, schema, subjectIds);

        Integer existingId = idBySchemaJson.get(schemaJson);
        int id;
        if (existingId != null) {
            id = existingId;
        } else {
            // The id is used up before the write, because a write that reports a failure may still have
            // reached the journal, and a later restore must not find that id under two schemas.
            id = nextId;
            nextId++;
        }
        journal.recordVersion(new SubjectVersion(subject, subjectIds.size() + 1, id, schema));

        if (existingId == null) {
            idBySchemaJson.put(schemaJson, id);
            schemaById.put(id, schema);
        }
        idsBySubject.computeIfAbsent(subject, name -> new ArrayList<>()).add(id);
        return id;
    }

    /**
     * Returns the schema with a registry-wide id.
     *
     * @throws SchemaNotFoundException if no schema has that id
     */
    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemaById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException(id);
        }
        return schema;
    }

    /** Returns the subjects that have at least one version, in ascending order. */
    public synchronized List<String> subjects() {
        return List.copyOf(idsBySubject.keySet());
    }

    /**
     * Returns the version numbers of a subject in ascending order.
     *
     * @throws SchemaRegistryException with code 40401 if the subject has no versions
     */
    public synchronized List<Integer> versions(String subject) {
        int count = idsOf(subject).size();
        List<Integer> versions = new ArrayList<>(count);
        for (int version = 1; version <= count; version++) {
            versions.add(version);
        }
        return versions;
    }

    /**
     * Returns one version of a subject.
     *
     * @throws SchemaRegistryException with code 40401 if the subject has no versions, or 40402 if it
     *     has no such version
     */
    public synchronized SubjectVersion version(String subject, int version) {
        List<Integer> ids = idsOf(subject);
        if (version < 1 || version > ids.size()) {
            throw new SchemaRegistryException("Version " + version + " of subject '" + subject + "' not found",
                SchemaRegistryException.VERSION_NOT_FOUND);
        }
        int id = ids.get(version - 1);
        return new SubjectVersion(subject, version, id, schemaById.get(id));
    }

    /**
     * Returns one version of a subject, named as in the REST API: a positive number, {@code latest}, or
     * {@code -1} (which the Confluent registry also reads as the latest version).
     *
     * @throws SchemaRegistryException with code 42202 if the version is none of those, 40401 if the
     *     subject has no versions, or 40402 if it has no such version
     */
    public synchronized SubjectVersion version(String subject, String version) {
        if ("latest".equalsIgnoreCase(version) || "-1".equals(version)) {
            return latestVersion(subject);
        }
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            number = 0;
        }
        if (number < 1) {
            throw new SchemaRegistryException("Invalid version '" + version
                + "', expected a positive integer or 'latest'", SchemaRegistryException.INVALID_VERSION);
        }
        return version(subject, number);
    }

    /**
     * Returns the latest version of a subject.
     *
     * @throws SchemaRegistryException with code 40401 if the subject has no versions
     */
    public synchronized SubjectVersion latestVersion(String subject) {
        return version(subject, idsOf(subject).size());
    }

    /**
     * Finds the version under which a subject has a schema, as {@code POST /subjects/{subject}} does.
     *
     * @throws SchemaRegistryException with code 40401 if the subject has no versions, or 40403 if the
     *     subject does not have the schema
     */
    public synchronized SubjectVersion lookup(String subject, Schema schema) {
        List<Integer> ids = idsOf(subject);
        int index = indexOfSchema(ids, schema.toString());
        if (index < 0) {
            throw new SchemaRegistryException("Schema not found under subject '" + subject + "'",
                SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        int id = ids.get(index);
        return new SubjectVersion(subject, index + 1, id, schemaById.get(id));
    }

    /**
     * Returns every subject version that has the schema with an id, ordered by subject then version.
     *
     * @throws SchemaNotFoundException if no schema has that id
     */
    public synchronized List<SubjectVersion> versionsOfSchema(int id) {
        Schema schema = schemaById(id);
        List<SubjectVersion> found = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> entry : idsBySubject.entrySet()) {
            List<Integer> ids = entry.getValue();
            for (int index = 0; index < ids.size(); index++) {
                if (ids.get(index) == id) {
                    found.add(new SubjectVersion(entry.getKey(), index + 1, id, schema));
                }
            }
        }
        return found;
    }

    /** Returns the global compatibility level, used by subjects without a level of their own. */
    public synchronized CompatibilityLevel globalCompatibility() {
        return globalCompatibility;
    }

    /**
     * Sets the global compatibility level.
     *
     * @throws SchemaRegistryException with the code the journal throws if writing the level to it fails
     */
    public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
        requireLevel(level);
        journal.recordGlobalCompatibility(level);
        globalCompatibility = level;
    }

    /** Returns the subject's own compatibility level, or empty when it uses the global one. */
    public synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return Optional.ofNullable(compatibilityBySubject.get(subject));
    }

    /**
     * Sets a subject's own level. The subject need not have any versions yet.
     *
     * @throws SchemaRegistryException with the code the journal throws if writing the level to it fails
     */
    public synchronized void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        requireSubject(subject);
        requireLevel(level);
        journal.recordSubjectCompatibility(subject, level);
        compatibilityBySubject.put(subject, level);
    }

    /**
     * Removes a subject's own level, so that it uses the global level again. Nothing is written to the
     * journal when the subject has no level of its own.
     *
     * @return the level removed, or empty when the subject had none
     * @throws SchemaRegistryException with the code the journal throws if writing the removal to it fails
     */
    public synchronized Optional<CompatibilityLevel> deleteSubjectCompatibility(String subject) {
        CompatibilityLevel level = compatibilityBySubject.get(subject);
        if (level == null) {
            return Optional.empty();
        }
        journal.recordSubjectCompatibilityDeleted(subject);
        compatibilityBySubject.remove(subject);
        return Optional.of(level);
    }

    /** Returns the level that applies to a subject: its own, or else the global level. */
    public synchronized CompatibilityLevel effectiveCompatibility(String subject) {
        return compatibilityBySubject.getOrDefault(subject, globalCompatibility);
    }

    /**
     * Adds a version that a journal stored earlier, with its original id. There is no compatibility check
     * and nothing is written to the journal. Later registrations get ids above every restored id.
     *
     * @throws IllegalArgumentException if the version is not the subject's next one (versions are restored
     *     in order from 1), or if the id already belongs to a schema that prints different JSON
     */
    public synchronized void restoreVersion(SubjectVersion restored) {
        String subject = restored.subject();
        requireSubject(subject);
        int id = restored.id();
        if (id < 1) {
            throw new IllegalArgumentException("Invalid schema id " + id + " for version " + restored.version()
                + " of subject '" + subject + "': ids start at 1");
        }
        List<Integer> subjectIds = idsBySubject.getOrDefault(subject, List.of());
        int nextVersion = subjectIds.size() + 1;
        if (restored.version() != nextVersion) {
            throw new IllegalArgumentException("Version " + restored.version() + " of subject '" + subject
                + "' cannot be restored: the subject's next version is " + nextVersion
                + ". Restore each subject's versions in order from 1");
        }
        String schemaJson = restored.schema().toString();
        Schema known = schemaById.get(id);
        if (known != null && !known.toString().equals(schemaJson)) {
            throw new IllegalArgumentException("Schema id " + id + " cannot be restored for version "
                + restored.version() + " of subject '" + subject + "': the id already belongs to another schema");
        }

        if (known == null) {
            schemaById.put(id, restored.schema());
        }
        // A schema may have two ids after a failed write that still reached the journal. The first one
        // restored is the one that later registrations of the schema under other subjects get.
        idBySchemaJson.putIfAbsent(schemaJson, id);
        idsBySubject.computeIfAbsent(subject, name -> new ArrayList<>()).add(id);
        nextId = Math.max(nextId, id + 1);
    }

    /** Sets the global level that a journal stored earlier, without writing to the journal. */
    public synchronized void restoreGlobalCompatibility(CompatibilityLevel level) {
        globalCompatibility = requireLevel(level);
    }

    /** Sets a subject's own level that a journal stored earlier, without writing to the journal. */
    public synchronized void restoreSubjectCompatibility(String subject, CompatibilityLevel level) {
        requireSubject(subject);
        compatibilityBySubject.put(subject, requireLevel(level));
    }

    private void checkCompatibility(String subject, Schema schema, List<Integer> subjectIds) {
        CompatibilityLevel level = effectiveCompatibility(subject);
        if (level == CompatibilityLevel.NONE || subjectIds.isEmpty()) {
            return;
        }
        int firstChecked = level.transitive() ? 0 : subjectIds.size() - 1;
        for (int index = subjectIds.size() - 1; index >= firstChecked; index--) {
            Schema earlier = schemaById.get(subjectIds.get(index));
            int earlierVersion = index + 1;
            if (level.backward()) {
                requireCompatible(subject, level, schema, earlier,
                    "the new schema cannot read data written with version " + earlierVersion);
            }
            if (level.forward()) {
                requireCompatible(subject, level, earlier, schema,
                    "version " + earlierVersion + " cannot read data written with the new schema");
            }
        }
    }

    private static void requireCompatible(String subject, CompatibilityLevel level, Schema reader, Schema writer,
                                          String failure) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        StringBuilder reasons = new StringBuilder();
        for (SchemaCompatibility.Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            reasons.append("; ").append(incompatibility.getMessage())
                .append(" at ").append(incompatibility.getLocation());
        }
        throw new SchemaRegistryException("Schema being registered is incompatible with subject '" + subject
            + "' under compatibility level " + level + ": " + failure + reasons,
            SchemaRegistryException.INCOMPATIBLE_SCHEMA);
    }

    private List<Integer> idsOf(String subject) {
        List<Integer> ids = idsBySubject.get(subject);
        if (ids == null) {
            throw new SchemaRegistryException("Subject '" + subject + "' not found",
                SchemaRegistryException.SUBJECT_NOT_FOUND);
        }
        return ids;
    }

    /** Returns the index of the first id in {@code ids} whose schema prints {@code schemaJson}, or -1. */
    private int indexOfSchema(List<Integer> ids, String schemaJson) {
        for (int index = 0; index < ids.size(); index++) {
            if (schemaById.get(ids.get(index)).toString().equals(schemaJson)) {
                return index;
            }
        }
        return -1;
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException("Subject must not be null or empty");
        }
    }

    private static CompatibilityLevel requireLevel(CompatibilityLevel level) {
        if (level == null) {
            throw new IllegalArgumentException("Compatibility level must not be null");
        }
        return level;
    }
}
