package io.tokenmonitor.agent.replay;

import java.io.IOException;

/** A replay file is malformed in a way that stops reading, such as a JSON syntax error inside an array. */
public class ReplayInputException extends IOException {

    public ReplayInputException(String message, Throwable cause) {
        super(message, cause);
    }

    public ReplayInputException(String message) {
        super(message);
    }
}
