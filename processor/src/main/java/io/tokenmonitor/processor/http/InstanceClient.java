package io.tokenmonitor.processor.http;

import io.javalin.http.Context;
import io.javalin.http.Header;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Sends a GET request that this instance received to another instance of the application, with the caller's
 * {@code Authorization} header and {@link #FORWARDED_HEADER} naming this instance.
 */
public final class InstanceClient {

    /** Marks a forwarded request; its value is the {@code host:port} of the instance that forwarded it. */
    public static final String FORWARDED_HEADER = "X-Token-Monitor-Forwarded";

    /** The response headers that are copied from a forwarded response, besides status and body. */
    static final List<String> COPIED_HEADERS = List.of(Header.CONTENT_TYPE, Header.CONTENT_DISPOSITION,
        Header.RETRY_AFTER);

    private final HttpClient http;
    private final HostInfo self;
    private final Duration timeout;

    /**
     * @param self the address of this instance, sent in {@link #FORWARDED_HEADER}
     * @param timeout the time limit to connect and, separately, to receive the whole response
     */
    public InstanceClient(HostInfo self, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.self = self;
        this.timeout = timeout;
    }

    /** Returns the address of this instance. */
    public HostInfo self() {
        return self;
    }

    /** Returns true when {@code ctx} is a request that another instance forwarded here. */
    static boolean isForwarded(Context ctx) {
        return ctx.header(FORWARDED_HEADER) != null;
    }

    /**
     * Sends {@code ctx}'s path with {@code query} to {@code target}.
     *
     * @param query the query string without the leading {@code ?}, or null for none
     * @throws IOException if the target cannot be reached or does not respond within the timeout
     */
    HttpResponse<byte[]> send(HostInfo target, Context ctx, String query) throws IOException, InterruptedException {
        return http.send(request(target, ctx, query), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends like {@link #send} without waiting; the future fails with an {@link IOException} as it would. */
    CompletableFuture<HttpResponse<byte[]>> sendAsync(HostInfo target, Context ctx, String query) {
        return http.sendAsync(request(target, ctx, query), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest request(HostInfo target, Context ctx, String query) {
        // ctx.path() is the request URI's path as received, still percent-encoded, so it is passed on as is.
        String uri = "http://" + target.host() + ":" + target.port() + ctx.path()
            + (query == null || query.isEmpty() ? "" : "?" + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri))
            .timeout(timeout)
            .header(FORWARDED_HEADER, self.host() + ":" + self.port())
            .GET();
        String authorization = ctx.header(Header.AUTHORIZATION);
        if (authorization != null) {
            request.header(Header.AUTHORIZATION, authorization);
        }
        return request.build();
    }

    /** Writes another instance's response into {@code ctx} unchanged: status, the copied headers and body. */
    static void copyAnswer(HttpResponse<byte[]> answer, Context ctx) {
        ctx.status(answer.statusCode());
        for (String name : COPIED_HEADERS) {
            answer.headers().firstValue(name).ifPresent(value -> ctx.header(name, value));
        }
        ctx.result(answer.body());
    }
}
