package io.tokenmonitor.agent.replay;

import java.time.Clock;

/**
 * Settings of a replay that decide the user id and timestamp of each record.
 *
 * @param users spread records round-robin over user-1..user-N when positive; 0 keeps each JSON Lines
 *     record's own user id and gives every JSON array record {@code user-1}
 * @param range spread timestamps evenly over this range in file order. When null, JSON array records get
 *     the current time, and JSON Lines records keep their own timestamp or get the current time.
 * @param clock the source of the current time, read when each record is produced
 */
public record ReplayOptions(int users, TimeRange range, Clock clock) {

    /** @throws IllegalArgumentException if users is negative */
    public ReplayOptions {
        if (users < 0) {
            throw new IllegalArgumentException("Invalid user count " + users + ": expected 0 or more");
        }
    }

    /** Returns the options that keep the file's user ids and stamp records with the system clock. */
    public static ReplayOptions defaults() {
        return new ReplayOptions(0, null, Clock.systemUTC());
    }
}
