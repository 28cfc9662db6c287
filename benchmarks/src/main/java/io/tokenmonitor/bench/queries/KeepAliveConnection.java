package io.tokenmonitor.bench.queries;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 connection with keep-alive that sends GET requests one at a time and reads each response
 * whole, with a {@code Content-Length} or chunked body. It reconnects after an I/O failure or a
 * {@code Connection: close} response. Not thread-safe: each load thread owns one.
 */
final class KeepAliveConnection implements AutoCloseable {

    private static final int TIMEOUT_MS = 10_000;

    private final InetSocketAddress address;
    private final String fixedHeaders;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** Sends requests to {@code address} with the header lines in {@code headers} (each ending in CRLF). */
    KeepAliveConnection(InetSocketAddress address, String headers) {
        this.address = address;
        this.fixedHeaders = "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n" + headers;
    }

    /**
     * Sends {@code GET path} and reads the response.
     *
     * @return the HTTP status code
     * @throws IOException if the request or response fails. The connection is then closed and reopened on next use.
     */
    int get(String path) throws IOException {
        try {
            if (socket == null) {
                open();
            }
            out.write(("GET " + path + " HTTP/1.1\r\n" + fixedHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void open() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.connect(address, TIMEOUT_MS);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    private int readResponse() throws IOException {
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("Invalid HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long contentLength = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        if (chunked) {
            skipChunkedBody();
        } else if (contentLength >= 0) {
            skip(contentLength);
        } else {
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return status;
    }

    private void skipChunkedBody() throws IOException {
        while (true) {
            String sizeLine = readLine();
            int extension = sizeLine.indexOf(';');
            long size = Long.parseLong((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // Trailer fields are read and ignored.
                }
                return;
            }
            skip(size);
            readLine();
        }
    }

    private void skip(long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("Connection closed with " + left + " body bytes unread");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("Connection closed in the middle of a response");
            }
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Nothing to do: the connection is dropped either way.
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
