package io.tokenmonitor.stack.kafka;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the local addresses of listening TCP sockets from Linux's /proc/net/tcp and /proc/net/tcp6. */
final class ListeningSockets {

    private static final String TCP_LISTEN_STATE = "0A";

    private ListeningSockets() {
    }

    /**
     * Returns the addresses that listening sockets on {@code port} are bound to, such as "127.0.0.1", or "0.0.0.0"
     * and "::" for sockets bound to every interface. IPv4-mapped IPv6 addresses are returned as IPv4 addresses.
     * Skips the calling test where /proc/net/tcp does not exist.
     */
    static Set<String> boundAddresses(int port) throws IOException {
        Path tcp = Path.of("/proc/net/tcp");
        assumeTrue(Files.isReadable(tcp), "this check needs Linux's /proc/net/tcp");

        Set<String> addresses = new HashSet<>();
        for (Path table : List.of(tcp, Path.of("/proc/net/tcp6"))) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                // Columns: slot, local address:port, remote address:port, state, ... with hexadecimal values.
                String[] columns = line.trim().split("\\s+");
                String[] local = columns[1].split(":");
                if (columns[3].equals(TCP_LISTEN_STATE) && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(decodeAddress(local[0]));
                }
            }
        }
        return addresses;
    }

    /** Decodes an address of /proc/net/tcp*: 32-bit words in little-endian byte order, written as hex. */
    static String decodeAddress(String hex) {
        if (hex.length() == 8) {
            return decodeIpv4Word(hex);
        }
        if (hex.equals("0".repeat(32))) {
            return "::";
        }
        // Java binds IPv4 addresses through dual-stack sockets, which Linux lists as IPv4-mapped IPv6 addresses.
        if (hex.startsWith("0000000000000000FFFF0000")) {
            return decodeIpv4Word(hex.substring(24));
        }
        return "IPv6 " + hex;
    }

    private static String decodeIpv4Word(String hex) {
        StringBuilder address = new StringBuilder();
        for (int i = 3; i >= 0; i--) {
            address.append(Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16));
            if (i > 0) {
                address.append('.');
            }
        }
        return address.toString();
    }
}
