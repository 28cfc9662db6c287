package io.tokenmonitor.agent.plan;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP server on 127.0.0.1 and a free port that responds to every request with one status and body, and
 * records the raw path, Accept and Authorization headers of each request.
 */
final class StubApiServer implements AutoCloseable {

    private final HttpServer server;
    private final int status;
    private final byte[] body;
    private final List<String> rawPaths = new CopyOnWriteArrayList<>();
    private final List<String> acceptHeaders = new CopyOnWriteArrayList<>();
    private final List<String> authorizationHeaders = new CopyOnWriteArrayList<>();

    private StubApiServer(int status, String body) throws IOException {
        this.status = status;
        this.body = body.getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::respond);
        server.start();
    }

    /** Starts a server that responds to every request with this status and JSON body. */
    static StubApiServer start(int status, String body) throws IOException {
        return new StubApiServer(status, body);
    }

    /** Returns the base URL, such as {@code http://127.0.0.1:41234}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Returns the raw (still percent-encoded) paths of the requests received so far. */
    List<String> rawPaths() {
        return List.copyOf(rawPaths);
    }

    List<String> acceptHeaders() {
        return List.copyOf(acceptHeaders);
    }

    /** Returns the Authorization header of each request, "(none)" where it was absent. */
    List<String> authorizationHeaders() {
        return List.copyOf(authorizationHeaders);
    }

    private void respond(HttpExchange exchange) throws IOException {
        rawPaths.add(exchange.getRequestURI().getRawPath());
        acceptHeaders.add(exchange.getRequestHeaders().getFirst("Accept"));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizationHeaders.add(authorization == null ? "(none)" : authorization);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
