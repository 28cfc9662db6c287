package io.tokenmonitor.stack;

import io.tokenmonitor.processor.config.ProcessorConfig;
import picocli.CommandLine.Option;

/**
 * Options that bound the RocksDB memory of a processor instance, shared by the demo and processor commands.
 */
final class RocksDbOptions {

    @Option(names = "--rocksdb-block-cache", paramLabel = "BYTES",
        defaultValue = "${env:TOKEN_MONITOR_ROCKSDB_BLOCK_CACHE:-268435456}",
        description = "Bytes of the RocksDB block cache shared by all state stores of this instance, write "
            + "buffers, index and filter blocks included; 0 with --rocksdb-write-buffer 0 keeps Kafka Streams' "
            + "per-store RocksDB defaults (default: ${DEFAULT-VALUE}).")
    long blockCacheBytes;

    @Option(names = "--rocksdb-write-buffer", paramLabel = "BYTES",
        defaultValue = "${env:TOKEN_MONITOR_ROCKSDB_WRITE_BUFFER:-67108864}",
        description = "Bytes of RocksDB memtables of all state stores of this instance, charged to the block "
            + "cache; at most --rocksdb-block-cache (default: ${DEFAULT-VALUE}).")
    long writeBufferBytes;

    /**
     * Returns the settings with these options applied.
     *
     * @throws IllegalArgumentException if the sizes are negative, only one is 0 or the write buffer is larger
     */
    ProcessorConfig applyTo(ProcessorConfig config) {
        return config.withRocksDbMemory(blockCacheBytes, writeBufferBytes);
    }
}
