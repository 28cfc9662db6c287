package io.tokenmonitor.processor.query;

import static io.tokenmonitor.processor.topology.TestRequests.reported;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.topology.TopologyFixture;
import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.serde.AvroSerde;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportConsistencyTest {

    private static final long LIMIT = 1_000_000;
    private static final Instant MARCH = Instant.parse("2026-03-10T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-03-20T00:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;

    @BeforeEach
    void start() {
        fixture = new TopologyFixture(LIMIT, stateDir);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldReadAgainWhenRowsRunAheadOfTotals() {
        fixture.send(reported("u1", MARCH, 10, 5));
        UsagePeriod afterFirst = fixture.periods.readValue();
        fixture.send(reported("u1", MARCH.plusSeconds(1), 20, 5));

        // The first read of the totals sees them as they were before the second request was added, as a query
        // does that runs between the topology's two writes.
        AtomicInteger totalsReads = new AtomicInteger();
        UsageStores stores = storesWithPeriods(new FirstReadStale(fixture.stores().periods(), afterFirst,
            totalsReads));

        ExportView report = queries(stores).export("u1", null, NOW);

        assertTrue(totalsReads.get() > 1, "the totals were read again");
        assertEquals(2, report.totals().requests());
        assertEquals(2, report.requests().size());
        assertEquals(40, report.totals().totalTokens());
        assertTrue(report.complete());
    }

    @Test
    void shouldMarkExportIncompleteBeyondHeldRequests() {
        int sent = RecentRequestsRecorder.MAX_RECENT_REQUESTS + 1;
        for (int i = 0; i < sent; i++) {
            fixture.send(reported("u1", MARCH.plusSeconds(i), 1, 1));
        }

        ExportView report = queries(fixture.stores()).export("u1", null, NOW);

        assertEquals(sent, report.totals().requests());
        assertEquals(RecentRequestsRecorder.MAX_RECENT_REQUESTS, report.requests().size());
        assertFalse(report.complete());
    }

    private UsageQueries queries(UsageStores stores) {
        return new UsageQueries(stores, new AvroSerde<>(fixture.registry, TokenUsage.class),
            DefaultPlan.HF_PRO.withMonthlyTokenLimit(LIMIT));
    }

    private UsageStores storesWithPeriods(ReadOnlyKeyValueStore<String, UsagePeriod> periods) {
        UsageStores real = fixture.stores();
        return new UsageStores() {
            @Override
            public ReadOnlyKeyValueStore<String, UsagePeriod> periods() {
                return periods;
            }

            @Override
            public ReadOnlyKeyValueStore<String, byte[]> recentRequests() {
                return real.recentRequests();
            }

            @Override
            public ReadOnlyKeyValueStore<String, PlanState> plans() {
                return real.plans();
            }

            @Override
            public ReadOnlyKeyValueStore<String, UsageAlert> alerts() {
                return real.alerts();
            }
        };
    }

    /** A periods store whose first {@code get} returns an older value. */
    private record FirstReadStale(ReadOnlyKeyValueStore<String, UsagePeriod> store, UsagePeriod older,
                                  AtomicInteger reads) implements ReadOnlyKeyValueStore<String, UsagePeriod> {

        @Override
        public UsagePeriod get(String key) {
            return reads.getAndIncrement() == 0 ? older : store.get(key);
        }

        @Override
        public KeyValueIterator<String, UsagePeriod> range(String from, String to) {
            return store.range(from, to);
        }

        @Override
        public KeyValueIterator<String, UsagePeriod> all() {
            return store.all();
        }

        @Override
        public long approximateNumEntries() {
            return store.approximateNumEntries();
        }
    }
}
