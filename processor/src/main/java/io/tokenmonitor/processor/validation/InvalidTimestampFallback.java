package io.tokenmonitor.processor.validation;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Takes each record's own timestamp, or for a record with a negative one (a client that sets none, or a
 * hostile one) the partition's stream time, or the wall clock before the partition has any. Kafka Streams'
 * default extractor throws on a negative timestamp instead; the replaced stream thread would then read the
 * same record again and fail forever. The record timestamp only orders processing and stamps outputs: the
 * validator judges a request by the event time in its value, so such a record is still validated and counted
 * or dead-lettered like any other.
 */
public final class InvalidTimestampFallback implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.timestamp() >= 0) {
            return record.timestamp();
        }
        return partitionTime >= 0 ? partitionTime : System.currentTimeMillis();
    }
}
