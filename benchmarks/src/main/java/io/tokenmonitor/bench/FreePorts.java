package io.tokenmonitor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on 127.0.0.1 for servers a benchmark starts with a port chosen in advance. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * Returns {@code count} distinct free ports. The sockets are held open together, so the ports differ, then
     * closed for the servers to bind. Another process may still take one in between.
     */
    public static List<Integer> take(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to find a free port on 127.0.0.1", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("Failed to release port " + socket.getLocalPort(), e);
                }
            }
        }
    }
}
