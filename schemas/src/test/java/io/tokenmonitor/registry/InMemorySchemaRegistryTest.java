package io.tokenmonitor.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

    private static final Schema USER_V1 = parse("""
        {"type": "record", "name": "User", "namespace": "test",
         "fields": [{"name": "id", "type": "string"}]}
        """);

    /** Adds a field with a default: backward and forward compatible with v1. */
    private static final Schema USER_V2 = parse("""
        {"type": "record", "name": "User", "namespace": "test",
         "fields": [{"name": "id", "type": "string"}, {"name": "plan", "type": "string", "default": "free"}]}
        """);

    /** Adds a field without a default: cannot read v1 data, so not backward compatible. */
    private static final Schema USER_REQUIRED_AGE = parse("""
        {"type": "record", "name": "User", "namespace": "test",
         "fields": [{"name": "id", "type": "string"}, {"name": "age", "type": "int"}]}
        """);

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void shouldStartIdsAndVersionsAtOne() {
        int id = registry.register("users-value", USER_V1);

        assertEquals(1, id);
        assertEquals(List.of(1), registry.versions("users-value"));
        assertEquals(new SubjectVersion("users-value", 1, 1, USER_V1), registry.version("users-value", 1));
    }

    @Test
    void shouldReturnSameIdForSameSchema() {
        int first = registry.register("users-value", USER_V1);
        int second = registry.register("users-value", USER_V1);

        assertEquals(first, second);
        assertEquals(List.of(1), registry.versions("users-value"));
    }

    @Test
    void shouldTreatWhitespaceDifferencesAsSameSchema() {
        Schema spaced = parse("{ \"type\" : \"record\",\n \"name\":\"User\", \"namespace\":\"test\", "
            + "\"fields\" : [ { \"name\" : \"id\", \"type\" : \"string\" } ] }");

        int first = registry.register("users-value", USER_V1);
        int second = registry.register("users-value", spaced);

        assertEquals(first, second);
        assertEquals(List.of(1), registry.versions("users-value"));
    }

    @Test
    void shouldAddVersionForChangedSchema() {
        int first = registry.register("users-value", USER_V1);
        int second = registry.register("users-value", USER_V2);

        assertEquals(1, first);
        assertEquals(2, second);
        assertEquals(List.of(1, 2), registry.versions("users-value"));
        assertEquals(USER_V2, registry.latestVersion("users-value").schema());
        assertEquals(2, registry.latestVersion("users-value").version());
    }

    @Test
    void shouldReuseIdUnderAnotherSubjectWithItsOwnVersionOne() {
        registry.register("users-value", USER_V1);
        int v2Id = registry.register("users-value", USER_V2);

        int otherId = registry.register("accounts-value", USER_V2);

        assertEquals(v2Id, otherId);
        assertEquals(new SubjectVersion("accounts-value", 1, v2Id, USER_V2),
            registry.version("accounts-value", 1));
        assertEquals(List.of("accounts-value", "users-value"), registry.subjects());
    }

    @Test
    void shouldNumberIdsAcrossSubjects() {
        int first = registry.register("a-value", USER_V1);
        int second = registry.register("b-value", Schema.create(Schema.Type.STRING));

        assertEquals(1, first);
        assertEquals(2, second);
    }

    @Test
    void shouldReturnExistingIdWhenOlderVersionRegisteredAgain() {
        registry.register("users-value", USER_V1);
        registry.register("users-value", USER_V2);

        int again = registry.register("users-value", USER_V1);

        assertEquals(1, again);
        assertEquals(List.of(1, 2), registry.versions("users-value"));
    }

    @Test
    void shouldFetchSchemaById() {
        int id = registry.register("users-value", USER_V1);

        assertSame(USER_V1, registry.schemaById(id));
    }

    @Test
    void shouldThrowSchemaNotFoundForUnknownId() {
        registry.register("users-value", USER_V1);

        SchemaNotFoundException error = assertThrows(SchemaNotFoundException.class, () -> registry.schemaById(7));

        assertEquals(40403, error.errorCode());
    }

    @Test
    void shouldResolveLatestAndNumericVersionNames() {
        registry.register("users-value", USER_V1);
        registry.register("users-value", USER_V2);

        assertEquals(2, registry.version("users-value", "latest").version());
        assertEquals(2, registry.version("users-value", "-1").version());
        assertEquals(1, registry.version("users-value", "1").version());
    }

    @Test
    void shouldRejectInvalidVersionNames() {
        registry.register("users-value", USER_V1);

        for (String name : List.of("0", "-2", "first", "", "99999999999")) {
            SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
                () -> registry.version("users-value", name), name);
            assertEquals(42202, error.errorCode(), name);
        }
    }

    @Test
    void shouldReportMissingSubjectAndVersion() {
        registry.register("users-value", USER_V1);

        SchemaRegistryException noSubject = assertThrows(SchemaRegistryException.class,
            () -> registry.versions("nobody-value"));
        SchemaRegistryException noVersion = assertThrows(SchemaRegistryException.class,
            () -> registry.version("users-value", 2));

        assertEquals(40401, noSubject.errorCode());
        assertEquals(40402, noVersion.errorCode());
    }

    @Test
    void shouldLookUpRegisteredSchemaUnderSubject() {
        registry.register("users-value", USER_V1);
        int v2Id = registry.register("users-value", USER_V2);

        SubjectVersion found = registry.lookup("users-value", USER_V2);

        assertEquals(new SubjectVersion("users-value", 2, v2Id, USER_V2), found);
    }

    @Test
    void shouldReportLookupOfUnregisteredSchemaOrSubject() {
        registry.register("users-value", USER_V1);
        registry.register("accounts-value", USER_V2);

        SchemaRegistryException notUnderSubject = assertThrows(SchemaRegistryException.class,
            () -> registry.lookup("users-value", USER_V2));
        SchemaRegistryException noSubject = assertThrows(SchemaRegistryException.class,
            () -> registry.lookup("nobody-value", USER_V1));

        assertEquals(40403, notUnderSubject.errorCode());
        assertEquals(40401, noSubject.errorCode());
    }

    @Test
    void shouldListSubjectVersionsOfSchemaId() {
        registry.setGlobalCompatibility(CompatibilityLevel.NONE);
        int id = registry.register("users-value", USER_V1);
        registry.register("accounts-value", Schema.create(Schema.Type.STRING));
        registry.register("accounts-value", USER_V1);

        List<SubjectVersion> found = registry.versionsOfSchema(id);

        assertEquals(List.of(
            new SubjectVersion("accounts-value", 2, id, USER_V1),
            new SubjectVersion("users-value", 1, id, USER_V1)), found);
    }

    @Test
    void shouldDefaultToBackwardCompatibility() {
        assertEquals(CompatibilityLevel.BACKWARD, registry.globalCompatibility());
        assertEquals(Optional.empty(), registry.subjectCompatibility("users-value"));
        assertEquals(CompatibilityLevel.BACKWARD, registry.effectiveCompatibility("users-value"));
    }

    @Test
    void shouldStoreGlobalAndSubjectCompatibility() {
        registry.setGlobalCompatibility(CompatibilityLevel.FULL);
        registry.setSubjectCompatibility("users-value", CompatibilityLevel.NONE);

        assertEquals(CompatibilityLevel.FULL, registry.globalCompatibility());
        assertEquals(Optional.of(CompatibilityLevel.NONE), registry.subjectCompatibility("users-value"));
        assertEquals(CompatibilityLevel.NONE, registry.effectiveCompatibility("users-value"));
        assertEquals(CompatibilityLevel.FULL, registry.effectiveCompatibility("accounts-value"));
    }

    @Test
    void shouldFallBackToGlobalAfterSubjectLevelDeleted() {
        registry.setSubjectCompatibility("users-value", CompatibilityLevel.FORWARD);

        Optional<CompatibilityLevel> removed = registry.deleteSubjectCompatibility("users-value");

        assertEquals(Optional.of(CompatibilityLevel.FORWARD), removed);
        assertEquals(Optional.empty(), registry.subjectCompatibility("users-value"));
        assertEquals(CompatibilityLevel.BACKWARD, registry.effectiveCompatibility("users-value"));
        assertEquals(Optional.empty(), registry.deleteSubjectCompatibility("users-value"));
    }

    @Test
    void shouldParseCompatibilityLevelNames() {
        assertEquals(CompatibilityLevel.FULL_TRANSITIVE, CompatibilityLevel.parse("full_transitive"));
        assertEquals(CompatibilityLevel.NONE, CompatibilityLevel.parse("NONE"));

        SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
            () -> CompatibilityLevel.parse("SIDEWAYS"));
        assertEquals(42203, error.errorCode());
        assertThrows(SchemaRegistryException.class, () -> CompatibilityLevel.parse(null));
    }

    @Test
    void shouldRejectBackwardIncompatibleSchemaWith409() {
        registry.register("users-value", USER_V1);

        SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
            () -> registry.register("users-value", USER_REQUIRED_AGE));

        assertEquals(409, error.errorCode());
        assertTrue(error.getMessage().contains("users-value"), error.getMessage());
        assertTrue(error.getMessage().contains("age"), error.getMessage());
        assertEquals(List.of(1), registry.versions("users-value"));
    }

    @Test
    void shouldAcceptIncompatibleSchemaWhenLevelIsNone() {
        registry.register("users-value", USER_V1);
        registry.setSubjectCompatibility("users-value", CompatibilityLevel.NONE);

        int id = registry.register("users-value", USER_REQUIRED_AGE);

        assertEquals(2, id);
        assertEquals(List.of(1, 2), registry.versions("users-value"));
    }

    @Test
    void shouldRejectForwardIncompatibleSchema() {
        // Removing a field without a default: the new schema reads old data, but old readers miss "id".
        Schema idless = parse("""
            {"type": "record", "name": "User", "namespace": "test", "fields": []}
            """);
        registry.register("users-value", USER_V1);
        registry.setSubjectCompatibility("users-value", CompatibilityLevel.FORWARD);

        SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
            () -> registry.register("users-value", idless));

        assertEquals(409, error.errorCode());
        registry.setSubjectCompatibility("users-value", CompatibilityLevel.BACKWARD);
        assertEquals(2, registry.register("users-value", idless));
    }

    @Test
    void shouldCheckOnlyLatestVersionUnlessTransitive() {
        Schema idless = parse("""
            {"type": "record", "name": "User", "namespace": "test", "fields": []}
            """);
        registry.setGlobalCompatibility(CompatibilityLevel.NONE);
        registry.register("plain-value", USER_V1);
        registry.register("plain-value", idless);
        registry.register("transitive-value", USER_V1);
        registry.register("transitive-value", idless);
        registry.setSubjectCompatibility("plain-value", CompatibilityLevel.FORWARD);
        registry.setSubjectCompatibility("transitive-value", CompatibilityLevel.FORWARD_TRANSITIVE);

        // Version 2 (no fields) reads data of this schema, but version 1 needs "id", which it lacks.
        Schema ageOnly = parse("""
            {"type": "record", "name": "User", "namespace": "test",
             "fields": [{"name": "age", "type": "int", "default": 0}]}
            """);
        int plainId = registry.register("plain-value", ageOnly);
        SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
            () -> registry.register("transitive-value", ageOnly));

        assertEquals(3, registry.version("plain-value", "latest").version());
        assertEquals(plainId, registry.latestVersion("plain-value").id());
        assertEquals(409, error.errorCode());
        assertTrue(error.getMessage().contains("version 1"), error.getMessage());
    }

    @Test
    void shouldAssignDistinctIdsUnderConcurrentRegistration() throws Exception {
        int threads = 8;
        int schemasPerThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                int offset = thread * schemasPerThread;
                Callable<List<Integer>> task = () -> {
                    List<Integer> ids = new ArrayList<>();
                    for (int index = 0; index < schemasPerThread; index++) {
                        Schema fixed = Schema.createFixed("F" + (offset + index), null, "test", 4);
                        ids.add(registry.register("subject-" + (offset + index), fixed));
                        // Every thread also registers a shared schema, which must keep one id.
                        ids.add(-registry.register("shared-value", USER_V1));
                    }
                    return ids;
                };
                results.add(pool.submit(task));
            }

            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> result : results) {
                all.addAll(result.get(30, TimeUnit.SECONDS));
            }
            Set<Integer> distinctIds = all.stream().filter(id -> id > 0).collect(Collectors.toSet());
            Set<Integer> sharedIds = all.stream().filter(id -> id < 0).collect(Collectors.toSet());

            assertEquals(threads * schemasPerThread, distinctIds.size());
            assertEquals(1, sharedIds.size());
            assertNotEquals(0, sharedIds.iterator().next());
            assertEquals(List.of(1), registry.versions("shared-value"));
            assertEquals(threads * schemasPerThread + 1, registry.subjects().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldJournalChangesBeforeApplying() {
        RecordingJournal journal = new RecordingJournal();
        InMemorySchemaRegistry journaled = new InMemorySchemaRegistry(journal);
        journal.onRecord = entry -> journal.subjectsSeenAtWrite.add(journaled.subjects());

        journaled.register("users-value", USER_V1);
        journaled.register("users-value", USER_V1);
        journaled.setGlobalCompatibility(CompatibilityLevel.FULL);
        journaled.setSubjectCompatibility("users-value", CompatibilityLevel.NONE);
        journaled.deleteSubjectCompatibility("users-value");
        journaled.deleteSubjectCompatibility("users-value");
        journaled.register("users-value", USER_V2);

        assertEquals(List.of(
            "version users-value 1 id 1",
            "global FULL",
            "subject users-value NONE",
            "subject users-value deleted",
            "version users-value 2 id 2"), journal.entries);
        assertEquals(List.of(), journal.subjectsSeenAtWrite.get(0),
            "the first version is written before the subject exists");
    }

    @Test
    void shouldWriteNothingToJournalForRejectedSchema() {
        RecordingJournal journal = new RecordingJournal();
        InMemorySchemaRegistry journaled = new InMemorySchemaRegistry(journal);
        journaled.register("users-value", USER_V1);

        assertThrows(SchemaRegistryException.class, () -> journaled.register("users-value", USER_REQUIRED_AGE));

        assertEquals(List.of("version users-value 1 id 1"), journal.entries);
    }

    @Test
    void shouldLeaveVersionsUnchangedWhenJournalWriteFails() {
        RecordingJournal journal = new RecordingJournal();
        InMemorySchemaRegistry journaled = new InMemorySchemaRegistry(journal);
        journal.failNextWrite = true;

        SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
            () -> journaled.register("users-value", USER_V1));

        assertEquals(SchemaRegistryException.INTERNAL_ERROR, error.errorCode());
        assertEquals(List.of(), journaled.subjects());
        assertThrows(SchemaNotFoundException.class, () -> journaled.schemaById(1));

        int retriedId = journaled.register("users-value", USER_V1);

        assertEquals(2, retriedId, "the failed write uses up id 1");
        assertEquals(List.of(1), journaled.versions("users-value"));
    }

    @Test
    void shouldLeaveLevelsUnchangedWhenJournalWriteFails() {
        RecordingJournal journal = new RecordingJournal();
        InMemorySchemaRegistry journaled = new InMemorySchemaRegistry(journal);
        journaled.setSubjectCompatibility("users-value", CompatibilityLevel.FORWARD);

        journal.failNextWrite = true;
        assertThrows(SchemaRegistryException.class, () -> journaled.setGlobalCompatibility(CompatibilityLevel.NONE));
        journal.failNextWrite = true;
        assertThrows(SchemaRegistryException.class,
            () -> journaled.setSubjectCompatibility("users-value", CompatibilityLevel.NONE));
        journal.failNextWrite = true;
        assertThrows(SchemaRegistryException.class, () -> journaled.deleteSubjectCompatibility("users-value"));

        assertEquals(CompatibilityLevel.BACKWARD, journaled.globalCompatibility());
        assertEquals(Optional.of(CompatibilityLevel.FORWARD), journaled.subjectCompatibility("users-value"));
    }

    @Test
    void shouldRestoreVersionsWithTheirIds() {
        RecordingJournal journal = new RecordingJournal();
        InMemorySchemaRegistry restored = new InMemorySchemaRegistry(journal);

        restored.restoreVersion(new SubjectVersion("users-value", 1, 5, USER_V1));
        restored.restoreVersion(new SubjectVersion("users-value", 2, 9, USER_V2));
        restored.restoreVersion(new SubjectVersion("accounts-value", 1, 5, USER_V1));
        restored.restoreGlobalCompatibility(CompatibilityLevel.FULL);
        restored.restoreSubjectCompatibility("users-value", CompatibilityLevel.NONE);

        assertEquals(List.of(), journal.entries, "restoring writes nothing to the journal");
        assertEquals(List.of("accounts-value", "users-value"), restored.subjects());
        assertEquals(new SubjectVersion("users-value", 2, 9, USER_V2), restored.version("users-value", 2));
        assertEquals(USER_V1, restored.schemaById(5));
        assertEquals(CompatibilityLevel.FULL, restored.globalCompatibility());
        assertEquals(Optional.of(CompatibilityLevel.NONE), restored.subjectCompatibility("users-value"));
    }

    @Test
    void shouldNumberNewIdsAboveRestoredIds() {
        registry.restoreVersion(new SubjectVersion("users-value", 1, 5, USER_V1));
        registry.restoreVersion(new SubjectVersion("users-value", 2, 9, USER_V2));

        int newId = registry.register("names-value", Schema.create(Schema.Type.STRING));
        int reusedId = registry.register("accounts-value", USER_V2);

        assertEquals(10, newId);
        assertEquals(9, reusedId);
    }

    @Test
    void shouldRejectRestoredVersionOutOfOrder() {
        registry.restoreVersion(new SubjectVersion("users-value", 2, 2, USER_V2));
        SubjectVersion first = new SubjectVersion("users-value", 1, 1, USER_V1);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> registry.restoreVersion(first));

        assertTrue(error.getMessage().contains("highest version is already 2"), error.getMessage());
        assertEquals(List.of(2), registry.versions("users-value"));
    }

    @Test
    void shouldRestoreSoftDeletedVersionAndGaps() {
        registry.restoreVersion(new SubjectVersion("users-value", 1, 1, USER_V1), true);
        registry.restoreVersion(new SubjectVersion("users-value", 3, 2, USER_V2), false);

        assertEquals(List.of(3), registry.versions("users-value"));
        assertEquals(List.of(1, 3), registry.versions("users-value", true));
        assertEquals(USER_V1, registry.schemaById(1));

        registry.register("users-value", USER_V1);

        assertEquals(4, registry.latestVersion("users-value").version(), "new versions go above the gap");
        assertEquals(1, registry.latestVersion("users-value").id());
    }

    @Test
    void shouldSoftDeleteSubjectAndKeepIds() {
        registry.register("users-value", USER_V1);
        registry.register("users-value", USER_V2);

        List<Integer> deleted = registry.deleteSubject("users-value", false);

        assertEquals(List.of(1, 2), deleted);
        assertEquals(List.of(), registry.subjects());
        assertEquals(List.of("users-value"), registry.subjects(true));
        assertEquals(List.of(1, 2), registry.versions("users-value", true));
        SchemaRegistryException listed = assertThrows(SchemaRegistryException.class,
            () -> registry.versions("users-value"));
        assertEquals(SchemaRegistryException.SUBJECT_NOT_FOUND, listed.errorCode());
        assertEquals(USER_V1, registry.schemaById(1));
        assertEquals(USER_V2, registry.schemaById(2));
        assertEquals(List.of(), registry.versionsOfSchema(1));
        assertEquals(1, registry.versionsOfSchema(1, true).size());
        assertEquals(2, registry.version("users-value", "latest", true).version());
    }

    @Test
    void shouldRegisterAgainAfterSoftDelete() {
        registry.register("users-value", USER_V1);
        registry.deleteSubject("users-value", false);

        int id = registry.register("users-value", USER_V1);

        assertEquals(1, id, "the schema keeps its id");
        assertEquals(List.of(2), registry.versions("users-value"), "version numbers continue after the deleted one");
        assertEquals(List.of(1, 2), registry.versions("users-value", true));
    }

    @Test
    void shouldSkipSoftDeletedVersionsInCompatibilityCheck() {
        registry.register("users-value", USER_V1);
        registry.deleteVersion("users-value", "1", false);

        int id = registry.register("users-value", USER_REQUIRED_AGE);

        assertEquals(2, id);
        assertEquals(List.of(2), registry.versions("users-value"));
    }

    @Test
    void shouldRejectDeletesOutOfOrder() {
        registry.register("users-value", USER_V1);
        registry.register("users-value", USER_V2);

        assertFailsWithCode(SchemaRegistryException.SUBJECT_NOT_SOFT_DELETED,
            () -> registry.deleteSubject("users-value", true));
        assertFailsWithCode(SchemaRegistryException.VERSION_NOT_SOFT_DELETED,
            () -> registry.deleteVersion("users-value", "1", true));
        assertEquals(2, registry.deleteVersion("users-value", "latest", false));
        assertFailsWithCode(SchemaRegistryException.VERSION_SOFT_DELETED,
            () -> registry.deleteVersion("users-value", "2", false));
        assertEquals(List.of(1), registry.deleteSubject("users-value", false));
        assertFailsWithCode(SchemaRegistryException.SUBJECT_SOFT_DELETED,
            () -> registry.deleteSubject("users-value", false));
        assertFailsWithCode(SchemaRegistryException.SUBJECT_NOT_FOUND,
            () -> registry.deleteSubject("accounts-value", false));
        assertFailsWithCode(SchemaRegistryException.VERSION_NOT_FOUND,
            () -> registry.deleteVersion("users-value", "7", false));
        assertFailsWithCode(SchemaRegistryException.INVALID_VERSION,
            () -> registry.deleteVersion("users-value", "first", false));
    }

    @Test
    void shouldForgetSchemaAfterPermanentDelete() {
        registry.register("users-value", USER_V1);
        registry.register("accounts-value", USER_V1);
        registry.register("users-value", USER_V2);
        registry.deleteSubject("users-value", false);

        List<Integer> deleted = registry.deleteSubject("users-value", true);

        assertEquals(List.of(1, 2), deleted);
        assertEquals(List.of("accounts-value"), registry.subjects(true));
        assertEquals(USER_V1, registry.schemaById(1), "accounts-value still has schema 1");
        assertThrows(SchemaNotFoundException.class, () -> registry.schemaById(2));
        assertEquals(3, registry.register("users-value", USER_V2), "a forgotten schema gets a new id");
        assertEquals(List.of(1), registry.versions("users-value"));
    }

    @Test
    void shouldPermanentlyDeleteOneSoftDeletedVersion() {
        registry.register("users-value", USER_V1);
        registry.register("users-value", USER_V2);
        registry.deleteVersion("users-value", "1", false);

        int deleted = registry.deleteVersion("users-value", "1", true);

        assertEquals(1, deleted);
        assertEquals(List.of(2), registry.versions("users-value", true));
        assertThrows(SchemaNotFoundException.class, () -> registry.schemaById(1));
    }

    @Test
    void shouldJournalDeletes() {
        RecordingJournal journal = new RecordingJournal();
        InMemorySchemaRegistry journaled = new InMemorySchemaRegistry(journal);
        journaled.register("users-value", USER_V1);
        journaled.register("users-value", USER_V2);

        journaled.deleteVersion("users-value", "2", false);
        journaled.deleteSubject("users-value", false);
        journaled.deleteVersion("users-value", "2", true);

        assertEquals(List.of(
            "version users-value 1 id 1",
            "version users-value 2 id 2",
            "soft delete users-value 2",
            "soft delete users-value 1",
            "permanent delete users-value 2"), journal.entries);
    }

    @Test
    void shouldLeaveVersionUndeletedWhenJournalWriteFails() {
        RecordingJournal journal = new RecordingJournal();
        InMemorySchemaRegistry journaled = new InMemorySchemaRegistry(journal);
        journaled.register("users-value", USER_V1);
        journal.failNextWrite = true;

        assertThrows(SchemaRegistryException.class, () -> journaled.deleteSubject("users-value", false));

        assertEquals(List.of(1), journaled.versions("users-value"));
    }

    @Test
    void shouldCheckCompatibilityWithoutRegistering() {
        registry.register("users-value", USER_V1);

        List<String> incompatible = registry.checkCompatibility("users-value", USER_REQUIRED_AGE, null);
        List<String> compatible = registry.checkCompatibility("users-value", USER_V2, "latest");
        List<String> newSubject = registry.checkCompatibility("accounts-value", USER_REQUIRED_AGE, null);

        assertEquals(1, incompatible.size(), incompatible.toString());
        assertTrue(incompatible.get(0).contains("age"), incompatible.get(0));
        assertEquals(List.of(), compatible);
        assertEquals(List.of(), newSubject);
        assertEquals(List.of(1), registry.versions("users-value"));
    }

    @Test
    void shouldCheckTransitiveLevelOrOneVersion() {
        Schema idless = parse("""
            {"type": "record", "name": "User", "namespace": "test", "fields": []}
            """);
        Schema ageOnly = parse("""
            {"type": "record", "name": "User", "namespace": "test",
             "fields": [{"name": "age", "type": "int", "default": 0}]}
            """);
        registry.setGlobalCompatibility(CompatibilityLevel.NONE);
        registry.register("users-value", USER_V1);
        registry.register("users-value", idless);

        registry.setSubjectCompatibility("users-value", CompatibilityLevel.FORWARD);
        assertEquals(List.of(), registry.checkCompatibility("users-value", ageOnly, null));
        assertEquals(List.of(), registry.checkCompatibility("users-value", ageOnly, "latest"));
        assertEquals(1, registry.checkCompatibility("users-value", ageOnly, "1").size());

        registry.setSubjectCompatibility("users-value", CompatibilityLevel.FORWARD_TRANSITIVE);
        assertEquals(1, registry.checkCompatibility("users-value", ageOnly, null).size());
        assertEquals(1, registry.checkCompatibility("users-value", ageOnly, "latest").size());
        assertEquals(List.of(), registry.checkCompatibility("users-value", ageOnly, "2"));
    }

    @Test
    void shouldReportCompatibilityCheckOfMissingVersion() {
        registry.register("users-value", USER_V1);

        assertFailsWithCode(SchemaRegistryException.SUBJECT_NOT_FOUND,
            () -> registry.checkCompatibility("accounts-value", USER_V1, "1"));
        assertFailsWithCode(SchemaRegistryException.VERSION_NOT_FOUND,
            () -> registry.checkCompatibility("users-value", USER_V1, "2"));
        assertFailsWithCode(SchemaRegistryException.INVALID_VERSION,
            () -> registry.checkCompatibility("users-value", USER_V1, "0"));
    }

    private static void assertFailsWithCode(int expectedCode, Callable<?> call) {
        SchemaRegistryException error = assertThrows(SchemaRegistryException.class, call::call);
        assertEquals(expectedCode, error.errorCode(), error.getMessage());
    }

    @Test
    void shouldRejectRestoredIdOfOtherSchema() {
        registry.restoreVersion(new SubjectVersion("users-value", 1, 3, USER_V1));
        SubjectVersion clash = new SubjectVersion("accounts-value", 1, 3, USER_V2);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> registry.restoreVersion(clash));

        assertTrue(error.getMessage().contains("id 3"), error.getMessage());
        assertEquals(List.of("users-value"), registry.subjects());
        assertEquals(USER_V1, registry.schemaById(3));
    }

    @Test
    void shouldFindSchemaUnderSecondRestoredId() {
        // A write that reported a failure but still reached the journal can leave one schema with two ids.
        registry.restoreVersion(new SubjectVersion("users-value", 1, 3, USER_V1));
        registry.restoreVersion(new SubjectVersion("accounts-value", 1, 4, USER_V1));

        int accountsId = registry.register("accounts-value", USER_V1);
        int otherId = registry.register("others-value", USER_V1);

        assertEquals(4, accountsId);
        assertEquals(List.of(1), registry.versions("accounts-value"));
        assertEquals(4, registry.lookup("accounts-value", USER_V1).id());
        assertEquals(3, otherId);
    }

    /** A journal that lists each call as text, and fails the next call when asked to. */
    private static final class RecordingJournal implements SchemaJournal {

        final List<String> entries = new ArrayList<>();
        final List<List<String>> subjectsSeenAtWrite = new ArrayList<>();
        Consumer<String> onRecord = entry -> { };
        boolean failNextWrite;

        @Override
        public void recordVersion(SubjectVersion version) {
            record("version " + version.subject() + " " + version.version() + " id " + version.id());
        }

        @Override
        public void recordVersionDeleted(SubjectVersion version) {
            record("soft delete " + version.subject() + " " + version.version());
        }

        @Override
        public void recordVersionPermanentlyDeleted(String subject, int version) {
            record("permanent delete " + subject + " " + version);
        }

        @Override
        public void recordGlobalCompatibility(CompatibilityLevel level) {
            record("global " + level);
        }

        @Override
        public void recordSubjectCompatibility(String subject, CompatibilityLevel level) {
            record("subject " + subject + " " + level);
        }

        @Override
        public void recordSubjectCompatibilityDeleted(String subject) {
            record("subject " + subject + " deleted");
        }

        private void record(String entry) {
            if (failNextWrite) {
                failNextWrite = false;
                throw new SchemaRegistryException("Writing to the test journal failed",
                    SchemaRegistryException.INTERNAL_ERROR);
            }
            onRecord.accept(entry);
            entries.add(entry);
        }
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
