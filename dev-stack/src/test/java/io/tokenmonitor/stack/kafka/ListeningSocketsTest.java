package io.tokenmonitor.stack.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Checks the decoding that the loopback-binding test of the broker relies on. */
class ListeningSocketsTest {

    @Test
    void decodesIpv4Addresses() {
        assertEquals("127.0.0.1", ListeningSockets.decodeAddress("0100007F"));
        assertEquals("0.0.0.0", ListeningSockets.decodeAddress("00000000"));
        assertEquals("10.1.2.3", ListeningSockets.decodeAddress("0302010A"));
    }

    @Test
    void decodesIpv6WildcardAndMappedAddresses() {
        assertEquals("::", ListeningSockets.decodeAddress("00000000000000000000000000000000"));
        assertEquals("127.0.0.1", ListeningSockets.decodeAddress("0000000000000000FFFF00000100007F"));
        assertEquals("IPv6 00000000000000000000000001000000",
            ListeningSockets.decodeAddress("00000000000000000000000001000000"));
    }
}
