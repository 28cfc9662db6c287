package io.tokenmonitor.processor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

class BoundedRocksDbConfigSetterTest {

    private static final long CACHE_BYTES = 8L * 1024 * 1024;
    private static final long WRITE_BUFFER_BYTES = 2L * 1024 * 1024;

    @Test
    void defaultsBoundRocksDbMemory() {
        Properties streams = ProcessorConfig.defaults().streamsProperties();

        assertEquals(BoundedRocksDbConfigSetter.class.getName(),
            streams.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        assertEquals(Long.toString(256L * 1024 * 1024),
            streams.get(BoundedRocksDbConfigSetter.BLOCK_CACHE_BYTES_CONFIG));
        assertEquals(Long.toString(64L * 1024 * 1024),
            streams.get(BoundedRocksDbConfigSetter.WRITE_BUFFER_BYTES_CONFIG));
    }

    @Test
    void configuredSizesReachStreamsProperties() {
        Properties streams = ProcessorConfig.defaults()
            .withRocksDbMemory(CACHE_BYTES, WRITE_BUFFER_BYTES)
            .streamsProperties();

        assertEquals(Long.toString(CACHE_BYTES), streams.get(BoundedRocksDbConfigSetter.BLOCK_CACHE_BYTES_CONFIG));
        assertEquals(Long.toString(WRITE_BUFFER_BYTES),
            streams.get(BoundedRocksDbConfigSetter.WRITE_BUFFER_BYTES_CONFIG));
    }

    @Test
    void zeroSizesLeaveStreamsDefaults() {
        ProcessorConfig config = ProcessorConfig.defaults().withRocksDbMemory(0, 0);
        Properties streams = config.streamsProperties();

        assertFalse(config.rocksDbMemoryBounded());
        assertNull(streams.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        assertNull(streams.get(BoundedRocksDbConfigSetter.BLOCK_CACHE_BYTES_CONFIG));
    }

    @Test
    void invalidSizesRejected() {
        ProcessorConfig defaults = ProcessorConfig.defaults();

        assertThrows(IllegalArgumentException.class, () -> defaults.withRocksDbMemory(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withRocksDbMemory(CACHE_BYTES, 0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withRocksDbMemory(0, WRITE_BUFFER_BYTES));
        assertThrows(IllegalArgumentException.class, () -> defaults.withRocksDbMemory(WRITE_BUFFER_BYTES, CACHE_BYTES));
    }

    @Test
    void storesOfOneStateDirShareCache() {
        Map<String, Object> configs = setterConfigs(Path.of("/tmp/bounded-setter-test-shared"));
        BoundedRocksDbConfigSetter first = new BoundedRocksDbConfigSetter();
        BoundedRocksDbConfigSetter second = new BoundedRocksDbConfigSetter();

        try (Options firstOptions = new Options(); Options secondOptions = new Options()) {
            first.setConfig("usage-periods-store", firstOptions, configs);
            second.setConfig("seen-requests-store", secondOptions, configs);

            String stateDir = configs.get(StreamsConfig.STATE_DIR_CONFIG).toString();
            assertNotNull(BoundedRocksDbConfigSetter.sharedCache(stateDir));
            assertNotNull(firstOptions.writeBufferManager());
            assertSame(firstOptions.writeBufferManager(), secondOptions.writeBufferManager());
            BlockBasedTableConfig table = (BlockBasedTableConfig) firstOptions.tableFormatConfig();
            assertTrue(table.cacheIndexAndFilterBlocks());
            assertTrue(table.cacheIndexAndFilterBlocksWithHighPriority());
            assertTrue(table.pinTopLevelIndexAndFilter());

            first.close("usage-periods-store", firstOptions);
            assertNotNull(BoundedRocksDbConfigSetter.sharedCache(stateDir), "one store still uses the cache");
            second.close("seen-requests-store", secondOptions);
            assertNull(BoundedRocksDbConfigSetter.sharedCache(stateDir), "closed with its last store");
        }
    }

    @Test
    void instancesWithOwnStateDirsGetOwnCaches() {
        BoundedRocksDbConfigSetter first = new BoundedRocksDbConfigSetter();
        BoundedRocksDbConfigSetter second = new BoundedRocksDbConfigSetter();

        try (Options firstOptions = new Options(); Options secondOptions = new Options()) {
            first.setConfig("usage-periods-store", firstOptions, setterConfigs(Path.of("/tmp/bounded-setter-a")));
            second.setConfig("usage-periods-store", secondOptions, setterConfigs(Path.of("/tmp/bounded-setter-b")));

            assertNotSame(firstOptions.writeBufferManager(), secondOptions.writeBufferManager());

            first.close("usage-periods-store", firstOptions);
            second.close("usage-periods-store", secondOptions);
        }
    }

    @Test
    void missingSizeRejected() {
        Map<String, Object> configs = setterConfigs(Path.of("/tmp/bounded-setter-missing"));
        configs.remove(BoundedRocksDbConfigSetter.WRITE_BUFFER_BYTES_CONFIG);

        try (Options options = new Options()) {
            assertThrows(IllegalArgumentException.class,
                () -> new BoundedRocksDbConfigSetter().setConfig("usage-periods-store", options, configs));
        }
    }

    private static Map<String, Object> setterConfigs(Path stateDir) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        configs.put(BoundedRocksDbConfigSetter.BLOCK_CACHE_BYTES_CONFIG, Long.toString(CACHE_BYTES));
        configs.put(BoundedRocksDbConfigSetter.WRITE_BUFFER_BYTES_CONFIG, Long.toString(WRITE_BUFFER_BYTES));
        return configs;
    }
}
