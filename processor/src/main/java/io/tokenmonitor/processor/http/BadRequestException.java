package io.tokenmonitor.processor.http;

/**
 * A request parameter is missing or invalid; the API returns 400 with an {@link ApiError} naming it.
 */
public class BadRequestException extends RuntimeException {

    private final String parameter;

    public BadRequestException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
