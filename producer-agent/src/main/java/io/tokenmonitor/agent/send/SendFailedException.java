package io.tokenmonitor.agent.send;

/** The producer rejected a record at once, before sending it to a broker. */
public class SendFailedException extends RuntimeException {

    public SendFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
