package io.tokenmonitor.processor.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Writes the errors that Jetty produces itself, before or outside Javalin, as an {@link ApiError} JSON body in
 * place of Jetty's HTML page. These are malformed requests (400, for example a {@code %00} or a bare {@code %}
 * in the path), a request line or headers over the configured size (414, 431), and failures inside Jetty.
 *
 * <p>The message is a fixed sentence for each status. Jetty's own reason is never copied into the body,
 * because for some malformed requests it contains part of the request, and the headers may contain tokens.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final String CONTENT_TYPE = "application/json";

    private final ObjectMapper mapper;

    JsonErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Writes every method's error as JSON, where Jetty 11 writes a body only for GET, POST and HEAD. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /** Returns the body of an error Jetty finds while it parses the request, before any handler runs. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, CONTENT_TYPE));
        return ByteBuffer.wrap(body(status));
    }

    /** Writes the body of an error that Jetty sends after it has parsed the request, whatever its Accept header. */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int status, String message) throws IOException {
        byte[] body = body(status);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        OutputStream out = response.getOutputStream();
        out.write(body);
        out.flush();
        baseRequest.setHandled(true);
    }

    private byte[] body(int status) {
        try {
            return mapper.writeValueAsBytes(new ApiError(status, message(status), null));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Failed to write the JSON body of HTTP status " + status, e);
        }
    }

    private static String message(int status) {
        switch (status) {
            case HttpStatus.BAD_REQUEST_400:
                return "Malformed HTTP request. Check the percent-encoding of the URL and the syntax of the headers";
            case HttpStatus.URI_TOO_LONG_414:
                return "The request URL is longer than the server accepts. Shorten it";
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431:
                return "The request headers are larger than the server accepts. Shorten them";
            default:
                String reason = HttpStatus.getMessage(status);
                return "The request failed with HTTP status " + status + (reason == null ? "" : " " + reason);
        }
    }
}
