package io.tokenmonitor.bench.queries;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * The benchmark's users {@code user-1} to {@code user-N}, each marked local when the instance under load owns
 * the user's partition, or forwarded when that instance passes the request to another one.
 */
final class UserClassification {

    private final boolean[] local;
    private final int localCount;

    private UserClassification(boolean[] local) {
        this.local = local;
        int count = 0;
        for (boolean isLocal : local) {
            count += isLocal ? 1 : 0;
        }
        this.localCount = count;
    }

    /** Classifies {@code user-1} to {@code user-<users>} with {@code ownedHere}, which takes a user id. */
    static UserClassification of(int users, Predicate<String> ownedHere) {
        boolean[] local = new boolean[users];
        for (int i = 0; i < users; i++) {
            local[i] = ownedHere.test(userId(i));
        }
        return new UserClassification(local);
    }

    /** Returns the id of user {@code index}, counted from 0: {@code user-<index + 1>}, as the preload names it. */
    static String userId(int index) {
        return "user-" + (index + 1);
    }

    String usagePath(int index) {
        return "/api/v1/users/" + userId(index) + "/usage";
    }

    boolean isLocal(int index) {
        return local[index];
    }

    int size() {
        return local.length;
    }

    int localCount() {
        return localCount;
    }

    /** Returns the indexes of the users for which {@code isLocal} is {@code wantLocal}. */
    List<Integer> indexes(boolean wantLocal) {
        return IntStream.range(0, local.length).filter(i -> local[i] == wantLocal).boxed().toList();
    }

    /** Returns true when {@code other} marks every user alike, so the assignment did not move meanwhile. */
    boolean sameAs(UserClassification other) {
        return Arrays.equals(local, other.local);
    }
}
