# One image for every Token Usage Monitor service: the processor, the topics command and the producer
# agent all run from the same launcher classpath (io.tokenmonitor.stack.TokenMonitor, whose "agent"
# subcommand is the producer agent), so separate images would hold the same jars.
#
# Build the jars first, from the repository root: mvn -B -DskipTests package
# Then: docker build -t token-monitor:local .      (docker compose up --build does this)
#
# The container arguments are the launcher's: "processor", "topics", "agent simulate", "agent alerts" ...
# JAVA_OPTS and TOKEN_MONITOR_JAVA_OPTS add JVM options, split on spaces.
FROM eclipse-temurin:17-jre-noble

# curl serves the healthchecks of docker-compose.yml; the base image is not documented to include it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

# A fixed numeric id, so volume ownership does not depend on the build machine.
RUN groupadd --system --gid 10001 tokenmonitor \
    && useradd --system --uid 10001 --gid tokenmonitor --home-dir /var/lib/token-monitor \
        --shell /usr/sbin/nologin tokenmonitor \
    && mkdir -p /var/lib/token-monitor/state \
    && chown -R tokenmonitor:tokenmonitor /var/lib/token-monitor

# The runtime libraries change less often than the launcher jar, so they get their own layer.
COPY dev-stack/target/lib/ /opt/token-monitor/lib/
COPY dev-stack/target/dev-stack-*.jar /opt/token-monitor/lib/

ENV JAVA_OPTS="" \
    TOKEN_MONITOR_JAVA_OPTS="" \
    TOKEN_MONITOR_STATE_DIR=/var/lib/token-monitor/state

USER tokenmonitor
WORKDIR /var/lib/token-monitor
VOLUME ["/var/lib/token-monitor/state"]
EXPOSE 8080

# "exec" makes the JVM process 1, so docker stop's SIGTERM reaches its shutdown hook. The JVM options are
# left unquoted on purpose, to split them on spaces.
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS $TOKEN_MONITOR_JAVA_OPTS -cp '/opt/token-monitor/lib/*' io.tokenmonitor.stack.TokenMonitor \"$@\"", "token-monitor"]
CMD ["--help"]
