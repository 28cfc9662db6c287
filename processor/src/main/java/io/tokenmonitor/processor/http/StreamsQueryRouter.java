package io.tokenmonitor.processor.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a per-user request to the instance that owns the user's partition, found with
 * {@code queryMetadataForKey}.
 *
 * <ul>
 *   <li>This instance is the active host: it answers from its stores of that partition only, so a partition
 *       that moved away meanwhile fails with 503 instead of reading as empty.</li>
 *   <li>Another instance is the active host: the request is forwarded there, and its answer is copied
 *       unchanged. A request that was itself forwarded is never forwarded again: it gets 503.</li>
 *   <li>With {@code allowStale=true} a standby host answers too, also while Kafka Streams is rebalancing, but
 *       only from a copy that has caught up with its changelog (see {@link ClusterView#partitionStores}). When
 *       the active host cannot be reached, the standby hosts are tried.</li>
 *   <li>Otherwise, while Kafka Streams is not running, the assignment is unknown or the owner cannot be
 *       reached, the answer is 503 with {@code Retry-After}.</li>
 * </ul>
 * The request attribute {@link #FORWARDED_ATTRIBUTE} tells whether another instance answered.
 */
public final class StreamsQueryRouter implements QueryRouter {

    /** Request attribute, a {@link Boolean}: true when the response came from another instance. */
    public static final String FORWARDED_ATTRIBUTE = "forwarded";

    /** The query parameter that lets a standby or restoring copy serve a read. */
    public static final String ALLOW_STALE_PARAMETER = "allowStale";

    private static final Logger LOG = LoggerFactory.getLogger(StreamsQueryRouter.class);
    private static final long WARNING_INTERVAL_MS = 10_000;

    private final ClusterView cluster;
    private final InstanceClient client;
    private final AtomicLong lastWarningMs = new AtomicLong();
    private final AtomicLong suppressedWarnings = new AtomicLong();

    public StreamsQueryRouter(ClusterView cluster, InstanceClient client) {
        this.cluster = cluster;
        this.client = client;
    }

    @Override
    public void route(Context ctx, String userId, LocalAnswer local) throws Exception {
        ctx.attribute(FORWARDED_ATTRIBUTE, false);
        boolean allowStale = allowStale(ctx);
        KafkaStreams.State state = cluster.state();
        boolean queryable = state == KafkaStreams.State.RUNNING
            || (allowStale && state == KafkaStreams.State.REBALANCING);
        if (!queryable) {
            throw new UnavailableException("Kafka Streams is " + state + ", so user data cannot be read now; "
                + "retry shortly" + (allowStale ? "" : " or pass allowStale=true"));
        }

        KeyQueryMetadata owner = cluster.ownerOf(userId);
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new UnavailableException("The owner of user " + userId + " is not known yet (rebalancing); "
                + "retry shortly");
        }
        HostInfo self = client.self();
        if (self.equals(owner.activeHost()) || (allowStale && owner.standbyHosts().contains(self))) {
            local.answer(cluster.partitionStores(owner.partition(), allowStale));
            return;
        }
        if (InstanceClient.isForwarded(ctx)) {
            throw new UnavailableException("This instance does not own user " + userId + " and does not forward "
                + "a request that was already forwarded (the partition is moving); retry shortly");
        }
        forward(ctx, userId, targets(owner, allowStale, self));
    }

    private static boolean allowStale(Context ctx) {
        String value = ctx.queryParam(ALLOW_STALE_PARAMETER);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new BadRequestException(ALLOW_STALE_PARAMETER, "Invalid allowStale '" + value
            + "': expected true or false");
    }

    /** Returns the hosts to ask in order: the active host, then, for stale reads, the standby hosts. */
    private static List<HostInfo> targets(KeyQueryMetadata owner, boolean allowStale, HostInfo self) {
        List<HostInfo> targets = new ArrayList<>();
        if (owner.activeHost() != null && !owner.activeHost().equals(self)) {
            targets.add(owner.activeHost());
        }
        if (allowStale) {
            for (HostInfo standby : owner.standbyHosts()) {
                if (!standby.equals(self) && !targets.contains(standby)) {
                    targets.add(standby);
                }
            }
        }
        return targets;
    }

    private void forward(Context ctx, String userId, List<HostInfo> targets) throws InterruptedException {
        IOException lastFailure = null;
        for (HostInfo target : targets) {
            try {
                HttpResponse<byte[]> answer = client.send(target, ctx, ctx.queryString());
                InstanceClient.copyAnswer(answer, ctx);
                ctx.attribute(FORWARDED_ATTRIBUTE, true);
                return;
            } catch (IOException e) {
                lastFailure = e;
                warnUnreachable(target, userId, e);
            }
        }
        throw new UnavailableException("The owner of user " + userId + " cannot be reached at " + targets
            + "; retry shortly", lastFailure);
    }

    /** Logs an unreachable instance at most once per interval, because every request during an outage fails. */
    private void warnUnreachable(HostInfo target, String userId, IOException e) {
        long nowMs = System.currentTimeMillis();
        long last = lastWarningMs.get();
        if (nowMs - last < WARNING_INTERVAL_MS || !lastWarningMs.compareAndSet(last, nowMs)) {
            suppressedWarnings.incrementAndGet();
            return;
        }
        LOG.warn("Forwarding a request for user {} to {}:{} failed ({} similar failures not logged since the last "
            + "warning): {}", userId, target.host(), target.port(), suppressedWarnings.getAndSet(0), e.toString());
    }
}
