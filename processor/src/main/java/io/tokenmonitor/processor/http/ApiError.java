package io.tokenmonitor.processor.http;

/**
 * The JSON body of every error response.
 *
 * @param status the HTTP status code
 * @param error what went wrong, in a sentence
 * @param parameter the request parameter at fault, or null
 */
public record ApiError(int status, String error, String parameter) {
}
