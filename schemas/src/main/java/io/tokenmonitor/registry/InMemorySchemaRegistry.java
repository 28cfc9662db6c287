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
 *   <li>Versions of a subject start at 1. A new version gets the subject's highest version plus one,
 *       counting soft-deleted versions, so a number is not reused until the version is deleted permanently.
 *   <li>A soft-deleted version is hidden from listings and lookups unless the caller asks for deleted
 *       versions, but its schema id still resolves. Only a soft-deleted version can be deleted permanently.
 *       A permanently deleted version is gone, and so is its schema once no other version has it.
 *   <li>A new version is checked against the subject's versions that are not deleted, with the subject's
 *       compatibility level, or the global level (BACKWARD unless set) when the subject has none.
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
    /** The versions of each subject by version number, soft-deleted ones included. Sorted for stable listings. */
    private final Map<String, TreeMap<Integer, StoredVersion>> versionsBySubject = new TreeMap<>();
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
     * Registers a schema under a subject, or returns its id if a version of the subject that is not deleted
     * already has it.
     *
     * @throws SchemaRegistryException with code 409 if the schema is incompatible with earlier versions,
     *     or with the code the journal throws if writing the new version to it fails
     */
    @Override
    public synchronized int register(String subject, Schema schema) {
        requireSubject(subject);
        String schemaJson = schema.toString();
        TreeMap<Integer, StoredVersion> versions = versionsBySubject.getOrDefault(subject, new TreeMap<>());
        StoredVersion existing = findSchema(versions, schemaJson, false);
        if (existing != null) {
            return existing.id;
        }

        CompatibilityLevel level = effectiveCompatibility(subject);
        List<String> problems = compatibilityProblems(level, schema, checkedVersions(versions, level));
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException("Schema being registered is incompatible with an earlier schema"
                + " for subject \"" + subject + "\", details: " + problems,
                SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        }

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
        int versionNumber = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        journal.recordVersion(new SubjectVersion(subject, versionNumber, id, schema));

        if (existingId == null) {
            idBySchemaJson.put(schemaJson, id);
            schemaById.put(id, schema);
        }
        versionsBySubject.computeIfAbsent(subject, name -> new TreeMap<>())
            .put(versionNumber, new StoredVersion(versionNumber, id, false));
        return id;
    }

    /**
     * Returns the schema with a registry-wide id, also when every version that has it is soft-deleted.
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

    /** Returns the subjects that have at least one version that is not deleted, in ascending order. */
    public synchronized List<String> subjects() {
        return subjects(false);
    }

    /**
     * Returns the subjects in ascending order: those with a version that is not deleted, and with
     * {@code includeDeleted} also those whose versions are all soft-deleted.
     */
    public synchronized List<String> subjects(boolean includeDeleted) {
        List<String> subjects = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, StoredVersion>> entry : versionsBySubject.entrySet()) {
            if (!visibleVersions(entry.getValue(), includeDeleted).isEmpty()) {
                subjects.add(entry.getKey());
            }
        }
        return subjects;
    }

    /**
     * Returns the version numbers of a subject that are not deleted, in ascending order.
     *
     * @throws SchemaRegistryException with code 40401 if the subject has no such versions
     */
    public synchronized List<Integer> versions(String subject) {
        return versions(subject, false);
    }

    /**
     * Returns the version numbers of a subject in ascending order, with {@code includeDeleted} also the
     * soft-deleted ones.
     *
     * @throws SchemaRegistryException with code 40401 if the subject has no such versions
     */
    public synchronized List<Integer> versions(String subject, boolean includeDeleted) {
        List<Integer> numbers = new ArrayList<>();
        for (StoredVersion stored : visibleVersionsOf(subject, includeDeleted)) {
            numbers.add(stored.number);
        }
        return numbers;
    }

    /**
     * Returns one version of a subject that is not deleted.
     *
     * @throws SchemaRegistryException with code 40401 if the subject has no versions, or 40402 if it
     *     has no such version
     */
    public synchronized SubjectVersion version(String subject, int version) {
        return version(subject, version, false);
    }

    /**
     * Returns one version of a subject, with {@code includeDeleted} also a soft-deleted one.
     *
     * @throws SchemaRegistryException with code 40401 if the subject has no versions, or 40402 if it
     *     has no such version
     */
    public synchronized SubjectVersion version(String subject, int version, boolean includeDeleted) {
        visibleVersionsOf(subject, includeDeleted);
        StoredVersion stored = versionsBySubject.get(subject).get(version);
        if (stored == null || (stored.deleted && !includeDeleted)) {
            throw versionNotFound(subject, version);
        }
        return toSubjectVersion(subject, stored);
    }

    /**
     * Returns one version of a subject that is not deleted, named as in the REST API: a positive number,
     * {@code latest}, or {@code -1} (which the Confluent registry also reads as the latest version).
     *
     * @throws SchemaRegistryException with code 42202 if the version is none of those, 40401 if the
     *     subject has no versions, or 40402 if it has no such version
     */
    public synchronized SubjectVersion version(String subject, String version) {
        return version(subject, version, false);
    }

    /**
     * Returns one version of a subject named as in the REST API, with {@code includeDeleted} also a
     * soft-deleted one. Then {@code latest} is the highest version, deleted or not.
     *
     * @throws SchemaRegistryException with code 42202 if the version is invalid, 40401 if the subject has
     *     no versions, or 40402 if it has no such version
     */
    public synchronized SubjectVersion version(String subject, String version, boolean includeDeleted) {
        if (isLatest(version)) {
            List<StoredVersion> visible = visibleVersionsOf(subject, includeDeleted);
            return toSubjectVersion(subject, visible.get(visible.size() - 1));
        }
        return version(subject, parseVersion(version), includeDeleted);
    }

    /**
     * Returns the latest version of a subject that is not deleted.
     *
     * @throws SchemaRegistryException with code 40401 if the subject has no such versions
     */
    public synchronized SubjectVersion latestVersion(String subject) {
        return version(subject, "latest", false);
    }

    /**
     * Finds the version under which a subject has a schema, as {@code POST /subjects/{subject}} does,
     * among the versions that are not deleted.
     *
     * @throws SchemaRegistryException with code 40401 if the subject has no versions, or 40403 if the
     *     subject does not have the schema
     */
    public synchronized SubjectVersion lookup(String subject, Schema schema) {
        return lookup(subject, schema, false);
    }

    /**
     * Finds the first version under which a subject has a schema, with {@code includeDeleted} also among
     * the soft-deleted versions.
     *
     * @throws SchemaRegistryException with code 40401 if the subject has no versions, or 40403 if the
     *     subject does not have the schema
     */
    public synchronized SubjectVersion lookup(String subject, Schema schema, boolean includeDeleted) {
        visibleVersionsOf(subject, includeDeleted);
        StoredVersion found = findSchema(versionsBySubject.get(subject), schema.toString(), includeDeleted);
        if (found == null) {
            throw new SchemaRegistryException("Schema not found under subject '" + subject + "'",
                SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return toSubjectVersion(subject, found);
    }

    /**
     * Returns every subject version that has the schema with an id and is not deleted, ordered by subject
     * then version.
     *
     * @throws SchemaNotFoundException if no schema has that id
     */
    public synchronized List<SubjectVersion> versionsOfSchema(int id) {
        return versionsOfSchema(id, false);
    }

    /**
     * Returns every subject version that has the schema with an id, with {@code includeDeleted} also the
     * soft-deleted ones, ordered by subject then version.
     *
     * @throws SchemaNotFoundException if no schema has that id
     */
    public synchronized List<SubjectVersion> versionsOfSchema(int id, boolean includeDeleted) {
        schemaById(id);
        List<SubjectVersion> found = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, StoredVersion>> entry : versionsBySubject.entrySet()) {
            for (StoredVersion stored : visibleVersions(entry.getValue(), includeDeleted)) {
                if (stored.id == id) {
                    found.add(toSubjectVersion(entry.getKey(), stored));
                }
            }
        }
        return found;
    }

    /**
     * Checks a schema against versions of a subject, as {@code POST /compatibility/subjects/...} does, and
     * registers nothing. A {@code version} of null means the versions that registering would check: the
     * latest one, or every one under a transitive level. A number checks that version alone, and
     * {@code latest} the latest one, or every one under a transitive level. Soft-deleted versions are
     * never checked.
     *
     * @return a description of each incompatibility, empty when the schema is compatible
     * @throws SchemaRegistryException with code 42202 if the version is invalid, or, for a given
     *     version, 40401 if the subject has no versions and 40402 if it has no such version
     */
    public synchronized List<String> checkCompatibility(String subject, Schema schema, String version) {
        requireSubject(subject);
        CompatibilityLevel level = effectiveCompatibility(subject);
        TreeMap<Integer, StoredVersion> versions = versionsBySubject.getOrDefault(subject, new TreeMap<>());
        List<StoredVersion> checked;
        if (version == null) {
            checked = checkedVersions(versions, level);
        } else if (isLatest(version)) {
            visibleVersionsOf(subject, false);
            checked = checkedVersions(versions, level);
        } else {
            int number = version(subject, parseVersion(version), false).version();
            checked = List.of(versions.get(number));
        }
        return compatibilityProblems(level, schema, checked);
    }

    /**
     * Soft-deletes every version of a subject that is not deleted yet, or with {@code permanent} deletes
     * every version of a subject whose versions are all soft-deleted already.
     *
     * @return the version numbers deleted, in ascending order
     * @throws SchemaRegistryException with code 40401 if the subject has no versions at all. A soft delete
     *     of a subject that is soft-deleted already gets 40404, and a permanent delete of a subject that is
     *     not soft-deleted first gets 40405. A failed journal write keeps the journal's code
     */
    public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        requireSubject(subject);
        List<StoredVersion> all = visibleVersionsOf(subject, true);
        List<StoredVersion> live = visibleVersions(versionsBySubject.get(subject), false);
        List<Integer> deleted = new ArrayList<>();
        if (!permanent) {
            if (live.isEmpty()) {
                throw new SchemaRegistryException("Subject '" + subject + "' was soft deleted. Set "
                    + "permanent=true to delete it permanently", SchemaRegistryException.SUBJECT_SOFT_DELETED);
            }
            for (StoredVersion stored : live) {
                softDelete(subject, stored);
                deleted.add(stored.number);
            }
            return deleted;
        }

        if (!live.isEmpty()) {
            throw new SchemaRegistryException("Subject '" + subject + "' was not deleted first before being"
                + " permanently deleted. Delete it without permanent=true first",
                SchemaRegistryException.SUBJECT_NOT_SOFT_DELETED);
        }
        for (StoredVersion stored : all) {
            deletePermanently(subject, stored);
            deleted.add(stored.number);
        }
        return deleted;
    }

    /**
     * Soft-deletes one version of a subject, or with {@code permanent} deletes a soft-deleted version.
     * The version is named as in the REST API. For a soft delete {@code latest} is the latest version that
     * is not deleted, and for a permanent delete the highest version.
     *
     * @return the version number deleted
     * @throws SchemaRegistryException with code 42202 if the version is invalid, 40401 if the subject has no
     *     versions, or 40402 if it has no such version. A soft delete of a soft-deleted version gets 40406,
     *     and a permanent delete of a version that is not soft-deleted first gets 40407. A failed journal
     *     write keeps the journal's code
     */
    public synchronized int deleteVersion(String subject, String version, boolean permanent) {
        requireSubject(subject);
        StoredVersion stored;
        if (isLatest(version)) {
            List<StoredVersion> visible = visibleVersionsOf(subject, permanent);
            stored = visible.get(visible.size() - 1);
        } else {
            stored = storedVersion(subject, parseVersion(version));
        }

        String name = "Subject '" + subject + "' version " + stored.number;
        if (!permanent) {
            if (stored.deleted) {
                throw new SchemaRegistryException(name + " was soft deleted. Set permanent=true to delete it "
                    + "permanently", SchemaRegistryException.VERSION_SOFT_DELETED);
            }
            softDelete(subject, stored);
            return stored.number;
        }
        if (!stored.deleted) {
            throw new SchemaRegistryException(name + " was not deleted first before being permanently deleted."
                + " Delete it without permanent=true first", SchemaRegistryException.VERSION_NOT_SOFT_DELETED);
        }
        deletePermanently(subject, stored);
        return stored.number;
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

    /** Adds a version that a journal stored earlier, as {@link #restoreVersion(SubjectVersion, boolean)}. */
    public synchronized void restoreVersion(SubjectVersion restored) {
        restoreVersion(restored, false);
    }

    /**
     * Adds a version that a journal stored earlier, with its original id, soft-deleted or not. There is no
     * compatibility check and nothing is written to the journal. Later registrations get ids above every
     * restored id. Version numbers may have gaps, because permanently deleted versions leave them.
     *
     * @throws IllegalArgumentException if the version is not above the subject's highest restored version
     *     (versions are restored in ascending order), or if the id already belongs to a schema that prints
     *     different JSON
     */
    public synchronized void restoreVersion(SubjectVersion restored, boolean deleted) {
        String subject = restored.subject();
        requireSubject(subject);
        int id = restored.id();
        if (id < 1) {
            throw new IllegalArgumentException("Invalid schema id " + id + " for version " + restored.version()
                + " of subject '" + subject + "': ids start at 1");
        }
        TreeMap<Integer, StoredVersion> versions = versionsBySubject.getOrDefault(subject, new TreeMap<>());
        int highest = versions.isEmpty() ? 0 : versions.lastKey();
        if (restored.version() <= highest) {
            throw new IllegalArgumentException("Version " + restored.version() + " of subject '" + subject
                + "' cannot be restored: the subject's highest version is already " + highest
                + ". Restore each subject's versions in ascending order");
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
        versionsBySubject.computeIfAbsent(subject, name -> new TreeMap<>())
            .put(restored.version(), new StoredVersion(restored.version(), id, deleted));
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

    private void softDelete(String subject, StoredVersion stored) {
        journal.recordVersionDeleted(toSubjectVersion(subject, stored));
        stored.deleted = true;
    }

    /**
     * Removes a version. Its schema is forgotten when no other version has it, so that
     * {@link #schemaById} no longer finds it, as after a restart from the journal.
     */
    private void deletePermanently(String subject, StoredVersion stored) {
        journal.recordVersionPermanentlyDeleted(subject, stored.number);
        TreeMap<Integer, StoredVersion> versions = versionsBySubject.get(subject);
        versions.remove(stored.number);
        if (versions.isEmpty()) {
            versionsBySubject.remove(subject);
        }
        if (!isSchemaInUse(stored.id)) {
            Schema schema = schemaById.remove(stored.id);
            idBySchemaJson.remove(schema.toString(), stored.id);
            // NOTE: nextId does not go down here, but a restart sets it above the highest id still in the
            // journal, so the id of a permanently deleted schema with the highest id can be handed out again.
        }
    }

    private boolean isSchemaInUse(int id) {
        for (TreeMap<Integer, StoredVersion> versions : versionsBySubject.values()) {
            for (StoredVersion stored : versions.values()) {
                if (stored.id == id) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Returns the versions that registering checks: the latest live one, or all live ones if transitive. */
    private static List<StoredVersion> checkedVersions(TreeMap<Integer, StoredVersion> versions,
                                                       CompatibilityLevel level) {
        List<StoredVersion> live = visibleVersions(versions, false);
        if (level.transitive() || live.isEmpty()) {
            return live;
        }
        return List.of(live.get(live.size() - 1));
    }

    /** Checks a schema against versions, latest first, and returns a description of each incompatibility. */
    private List<String> compatibilityProblems(CompatibilityLevel level, Schema schema,
                                               List<StoredVersion> checked) {
        List<String> problems = new ArrayList<>();
        if (level == CompatibilityLevel.NONE) {
            return problems;
        }
        for (int index = checked.size() - 1; index >= 0; index--) {
            StoredVersion stored = checked.get(index);
            Schema earlier = schemaById.get(stored.id);
            if (level.backward()) {
                addProblems(problems, level, schema, earlier,
                    "the new schema cannot read data written with version " + stored.number);
            }
            if (level.forward()) {
                addProblems(problems, level, earlier, schema,
                    "version " + stored.number + " cannot read data written with the new schema");
            }
        }
        return problems;
    }

    private static void addProblems(List<String> problems, CompatibilityLevel level, Schema reader,
                                    Schema writer, String failure) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (SchemaCompatibility.Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add("Under compatibility level " + level + ", " + failure + ": "
                + incompatibility.getMessage() + " at " + incompatibility.getLocation());
        }
    }

    /**
     * Returns the versions of a subject, with or without the soft-deleted ones.
     *
     * @throws SchemaRegistryException with code 40401 if there are none
     */
    private List<StoredVersion> visibleVersionsOf(String subject, boolean includeDeleted) {
        List<StoredVersion> visible = visibleVersions(versionsBySubject.get(subject), includeDeleted);
        if (visible.isEmpty()) {
            throw new SchemaRegistryException("Subject '" + subject + "' not found",
                SchemaRegistryException.SUBJECT_NOT_FOUND);
        }
        return visible;
    }

    private static List<StoredVersion> visibleVersions(TreeMap<Integer, StoredVersion> versions,
                                                       boolean includeDeleted) {
        List<StoredVersion> visible = new ArrayList<>();
        if (versions == null) {
            return visible;
        }
        for (StoredVersion stored : versions.values()) {
            if (includeDeleted || !stored.deleted) {
                visible.add(stored);
            }
        }
        return visible;
    }

    /**
     * Returns a version of a subject, soft-deleted or not.
     *
     * @throws SchemaRegistryException with code 40401 if the subject has no versions, or 40402 if it has
     *     no such version
     */
    private StoredVersion storedVersion(String subject, int version) {
        visibleVersionsOf(subject, true);
        StoredVersion stored = versionsBySubject.get(subject).get(version);
        if (stored == null) {
            throw versionNotFound(subject, version);
        }
        return stored;
    }

    /** Returns the first version whose schema prints {@code schemaJson}, or null. */
    private StoredVersion findSchema(TreeMap<Integer, StoredVersion> versions, String schemaJson,
                                     boolean includeDeleted) {
        for (StoredVersion stored : visibleVersions(versions, includeDeleted)) {
            if (schemaById.get(stored.id).toString().equals(schemaJson)) {
                return stored;
            }
        }
        return null;
    }

    private SubjectVersion toSubjectVersion(String subject, StoredVersion stored) {
        return new SubjectVersion(subject, stored.number, stored.id, schemaById.get(stored.id));
    }

    private static boolean isLatest(String version) {
        return "latest".equalsIgnoreCase(version) || "-1".equals(version);
    }

    private static int parseVersion(String version) {
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
        return number;
    }

    private static SchemaRegistryException versionNotFound(String subject, int version) {
        return new SchemaRegistryException("Version " + version + " of subject '" + subject + "' not found",
            SchemaRegistryException.VERSION_NOT_FOUND);
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

    /** A version of a subject: its number, its schema id and whether it is soft-deleted. */
    private static final class StoredVersion {
        final int number;
        final int id;
        boolean deleted;

        StoredVersion(int number, int id, boolean deleted) {
            this.number = number;
            this.id = id;
            this.deleted = deleted;
        }
    }
}
