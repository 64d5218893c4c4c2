# syntax=docker/dockerfile:1
# The chat node's image: the one runnable jar on a JRE 17, run as a non-root user.
#   docker build -t chat-node:0.1.0 .
# Configuration comes from the environment (README, "Configuration"); JAVA_OPTS adds JVM flags.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The Maven cache mount keeps downloaded dependencies between builds.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q package -DskipTests -pl http-edge -am

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 chat \
 && useradd --system --uid 10001 --gid chat --home-dir /app --shell /usr/sbin/nologin chat \
 && mkdir -p /app/data \
 && chown chat:chat /app/data
WORKDIR /app
COPY --from=build /src/http-edge/target/chat-node.jar /app/chat-node.jar

# The heap follows the container's memory limit; what is left covers metaspace, threads and
# direct buffers. A JVM out of memory exits, so the pod restarts instead of limping on.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    CHAT_DATA_DIR=/app/data
# HTTP and WebSocket, Pekko Management, Artery remoting.
EXPOSE 8080 8558 25520
USER 10001:10001
# SIGTERM runs Pekko's coordinated shutdown through the JVM's shutdown hook: WebSockets get 1012,
# shards are handed off, the node leaves the cluster. exec makes java the process that gets it.
STOPSIGNAL SIGTERM
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/chat-node.jar"]
