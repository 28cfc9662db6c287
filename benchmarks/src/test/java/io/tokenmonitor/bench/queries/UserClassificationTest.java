package io.tokenmonitor.bench.queries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserClassificationTest {

    @Test
    void classificationUsesPreloadUserIds() {
        Set<String> owned = Set.of("user-1", "user-3");

        UserClassification users = UserClassification.of(4, owned::contains);

        assertEquals(4, users.size());
        assertEquals(2, users.localCount());
        assertTrue(users.isLocal(0));
        assertFalse(users.isLocal(1));
        assertEquals(List.of(0, 2), users.indexes(true));
        assertEquals(List.of(1, 3), users.indexes(false));
        assertEquals("/api/v1/users/user-2/usage", users.usagePath(1));
    }

    @Test
    void sameAsDetectsMovedUser() {
        UserClassification before = UserClassification.of(3, "user-2"::equals);

        assertTrue(before.sameAs(UserClassification.of(3, "user-2"::equals)));
        assertFalse(before.sameAs(UserClassification.of(3, "user-3"::equals)));
    }
}
