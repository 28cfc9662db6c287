package io.tokenmonitor.stack;

import io.tokenmonitor.processor.config.ProcessorConfig;
import picocli.CommandLine.Option;

/**
 * Options of a processor instance that runs beside others of the same application: where its HTTP API
 * listens, the address the others call it at, and the standby replicas of its stores.
 */
final class ClusterOptions {

    @Option(names = "--http-host", defaultValue = "${env:TOKEN_MONITOR_HTTP_HOST:-127.0.0.1}",
        description = "Interface the HTTP API binds to (default: ${DEFAULT-VALUE}). A wildcard such as 0.0.0.0 "
            + "needs --advertised-host.")
    String httpHost;

    @Option(names = "--advertised-host", defaultValue = "${env:TOKEN_MONITOR_ADVERTISED_HOST}",
        description = "Host name other instances use to reach this instance's HTTP API (default: the HTTP "
            + "host; environment variable TOKEN_MONITOR_ADVERTISED_HOST).")
    String advertisedHost;

    @Option(names = "--standby-replicas", defaultValue = "${env:TOKEN_MONITOR_STANDBY_REPLICAS:-0}",
        description = "Standby copies of each state store kept on other instances; they take over a partition "
            + "quickly and answer allowStale=true reads (default: ${DEFAULT-VALUE}).")
    int standbyReplicas;

    /**
     * Returns the settings with these options applied.
     *
     * @throws IllegalArgumentException if the standby count is negative or a wildcard host has no advertised host
     */
    ProcessorConfig applyTo(ProcessorConfig config) {
        return config.withAdvertisedHost(advertisedHost).withHttpHost(httpHost).withStandbyReplicas(standbyReplicas);
    }
}
