package io.tokenmonitor.agent.simulate;

import java.util.random.RandomGenerator;

/** Supplies prompt and completion texts for simulated requests. */
public interface TextSource {

    /** A prompt and the completion that answers it. */
    record TextPair(String prompt, String completion) {
    }

    /** Returns a text pair chosen with the given random generator. */
    TextPair next(RandomGenerator random);
}
