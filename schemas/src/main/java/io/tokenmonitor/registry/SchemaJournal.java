package io.tokenmonitor.registry;

/**
 * A durable log of the changes to an {@link InMemorySchemaRegistry}, from which a later registry can be
 * rebuilt with the same ids, versions and compatibility levels.
 *
 * <p>The registry calls a method while it holds its lock and before it applies the change, so calls arrive
 * one at a time and in the order of the changes. A method returns only when the change is durable. If it
 * throws, the registry rejects the request and leaves its subjects, versions and levels unchanged, so
 * implementations report a failed write as a {@link SchemaRegistryException} with code
 * {@link SchemaRegistryException#INTERNAL_ERROR}.
 */
public interface SchemaJournal {

    /** A journal that stores nothing, for a registry whose state lives in memory only. */
    SchemaJournal NONE = new SchemaJournal() {
        @Override
        public void recordVersion(SubjectVersion version) {
        }

        @Override
        public void recordVersionDeleted(SubjectVersion version) {
        }

        @Override
        public void recordVersionPermanentlyDeleted(String subject, int version) {
        }

        @Override
        public void recordGlobalCompatibility(CompatibilityLevel level) {
        }

        @Override
        public void recordSubjectCompatibility(String subject, CompatibilityLevel level) {
        }

        @Override
        public void recordSubjectCompatibilityDeleted(String subject) {
        }
    };

    /** Stores a new version of a subject, with the schema's registry-wide id. */
    void recordVersion(SubjectVersion version);

    /** Stores that a version of a subject is soft-deleted. Its schema id stays valid. */
    void recordVersionDeleted(SubjectVersion version);

    /** Stores that a soft-deleted version of a subject is removed for good. */
    void recordVersionPermanentlyDeleted(String subject, int version);

    /** Stores a new global compatibility level. */
    void recordGlobalCompatibility(CompatibilityLevel level);

    /** Stores a subject's own compatibility level. */
    void recordSubjectCompatibility(String subject, CompatibilityLevel level);

    /** Stores the removal of a subject's own level, after which the subject uses the global level. */
    void recordSubjectCompatibilityDeleted(String subject);
}
