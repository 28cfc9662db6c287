package io.tokenmonitor.processor.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocksDB settings that bound the off-heap memory of all state stores of one processor instance. Every store
 * opened with the same state directory shares one LRU block cache of {@link #BLOCK_CACHE_BYTES_CONFIG} bytes,
 * which also holds the index and filter blocks, and one write buffer manager that charges the memtables of
 * {@link #WRITE_BUFFER_BYTES_CONFIG} bytes to that cache. Without this setter, Kafka Streams 4.4's RocksDBStore
 * gives each store its own 50 MiB block cache and up to three 16 MiB memtables. Index and filter blocks then stay
 * outside any cache, so memory grows with the number of stores and partitions.
 *
 * <p>The cache and the write buffer manager are reference-counted per state directory and closed when the last
 * store using them closes.
 */
public final class BoundedRocksDbConfigSetter implements RocksDBConfigSetter {

    /** Streams property: bytes of the block cache shared by all stores of the instance, memtables included. */
    public static final String BLOCK_CACHE_BYTES_CONFIG = "token.monitor.rocksdb.block.cache.bytes";

    /** Streams property: bytes of memtables of all stores of the instance, charged to the block cache. */
    public static final String WRITE_BUFFER_BYTES_CONFIG = "token.monitor.rocksdb.write.buffer.bytes";

    /** Share of the block cache kept for index and filter blocks, so data blocks evict them less often. */
    private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;

    private static final Logger LOG = LoggerFactory.getLogger(BoundedRocksDbConfigSetter.class);

    private static final Map<String, SharedMemory> SHARED_BY_STATE_DIR = new HashMap<>();

    private String stateDir;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long blockCacheBytes = positiveBytes(configs, BLOCK_CACHE_BYTES_CONFIG);
        long writeBufferBytes = positiveBytes(configs, WRITE_BUFFER_BYTES_CONFIG);
        if (writeBufferBytes > blockCacheBytes) {
            throw new IllegalArgumentException("RocksDB write buffer of " + writeBufferBytes + " bytes must not be "
                + "larger than the block cache of " + blockCacheBytes + " bytes that it is charged to");
        }
        stateDir = String.valueOf(configs.get(StreamsConfig.STATE_DIR_CONFIG));
        SharedMemory shared = acquire(stateDir, blockCacheBytes, writeBufferBytes);

        // Kafka Streams sets a block-based table config of its own on every store, so it is changed in place.
        BlockBasedTableConfig tableConfig = options.tableFormatConfig() instanceof BlockBasedTableConfig current
            ? current
            : new BlockBasedTableConfig();
        tableConfig.setBlockCache(shared.cache);
        tableConfig.setCacheIndexAndFilterBlocks(true);
        tableConfig.setCacheIndexAndFilterBlocksWithHighPriority(true);
        tableConfig.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(tableConfig);
        options.setWriteBufferManager(shared.writeBufferManager);
    }

    @Override
    public void close(String storeName, Options options) {
        release(stateDir);
    }

    /** Returns the shared cache of a state directory, or null when no store of it is open, for tests. */
    static synchronized Cache sharedCache(String stateDir) {
        SharedMemory shared = SHARED_BY_STATE_DIR.get(stateDir);
        return shared == null ? null : shared.cache;
    }

    private static synchronized SharedMemory acquire(String stateDir, long blockCacheBytes, long writeBufferBytes) {
        SharedMemory shared = SHARED_BY_STATE_DIR.get(stateDir);
        if (shared == null) {
            // NOTE: the capacity limit is not strict, because with a strict limit RocksDB fails reads and writes
            // once pinned blocks fill the cache. The cache may therefore exceed its capacity for a while.
            LRUCache cache = new LRUCache(blockCacheBytes, -1, false, HIGH_PRIORITY_POOL_RATIO);
            shared = new SharedMemory(cache, new WriteBufferManager(writeBufferBytes, cache));
            SHARED_BY_STATE_DIR.put(stateDir, shared);
            LOG.info("RocksDB memory of state directory {} bounded: block cache {} bytes, write buffers {} bytes",
                stateDir, blockCacheBytes, writeBufferBytes);
        }
        shared.users++;
        return shared;
    }

    private static synchronized void release(String stateDir) {
        SharedMemory shared = SHARED_BY_STATE_DIR.get(stateDir);
        if (shared == null) {
            return;
        }
        shared.users--;
        if (shared.users == 0) {
            SHARED_BY_STATE_DIR.remove(stateDir);
            shared.writeBufferManager.close();
            shared.cache.close();
        }
    }

    private static long positiveBytes(Map<String, Object> configs, String name) {
        Object value = configs.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Missing Streams property " + name + ", required by "
                + BoundedRocksDbConfigSetter.class.getSimpleName());
        }
        long bytes;
        try {
            bytes = Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid Streams property " + name + "=" + value
                + "; expected a number of bytes", e);
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("Streams property " + name + " must be positive, got " + bytes);
        }
        return bytes;
    }

    /** The block cache and write buffer manager of one state directory, with the count of stores using them. */
    private static final class SharedMemory {

        private final Cache cache;
        private final WriteBufferManager writeBufferManager;
        private int users;

        SharedMemory(Cache cache, WriteBufferManager writeBufferManager) {
            this.cache = cache;
            this.writeBufferManager = writeBufferManager;
        }
    }
}
