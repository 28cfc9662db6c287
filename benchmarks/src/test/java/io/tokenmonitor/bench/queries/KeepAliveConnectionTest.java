package io.tokenmonitor.bench.queries;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeepAliveConnectionTest {

    /** Serves three requests on one accepted connection: sized, chunked, then 503. */
    @Test
    void connectionReadsSizedAndChunkedBodies() throws Exception {
        List<String> requestLines = new ArrayList<>();
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serverThread = new Thread(() -> serve(server, requestLines, accepted));
            serverThread.start();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.getLocalPort());

            try (KeepAliveConnection connection = new KeepAliveConnection(address, "Authorization: Bearer x\r\n")) {
                assertEquals(200, connection.get("/a"));
                assertEquals(200, connection.get("/b"));
                assertEquals(503, connection.get("/c"));
            }
            serverThread.join(10_000);
        }

        assertEquals(1, accepted.get());
        assertEquals(List.of("GET /a HTTP/1.1", "GET /b HTTP/1.1", "GET /c HTTP/1.1"), requestLines);
    }

    private static void serve(ServerSocket server, List<String> requestLines, AtomicInteger accepted) {
        String[] responses = {
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\nRetry-After: 1\r\n\r\n{}",
        };
        try (Socket socket = server.accept()) {
            accepted.incrementAndGet();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            for (String response : responses) {
                requestLines.add(in.readLine());
                for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                    // Headers are read and ignored.
                }
                out.write(response.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Test server failed", e);
        }
    }
}
