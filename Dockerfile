# Veridict: the `veridict` CLI and HTTP service (`veridict serve`) in a container.
#
#   docker build -t veridict:local .
#   docker run --rm veridict:local verify /data/decision.bundle.json      (files under the mounted /data)
#   docker compose up                                                     (anvil + contracts + service)
#
# Base images are pinned to exact version tags AND sha256 digests. The digests were taken from
# public, independently maintained Dockerfiles and scripts that pin these same tags (found through
# a code search while writing this file); they were NOT resolved against the registries here (no
# Docker engine or registry access in the environment this was written in). Release tooling should
# re-resolve them (`docker buildx imagetools inspect <tag>`) and update tag and digest together.
# A digest wins over its tag: if a digest is ever garbage-collected upstream, the build fails loudly
# rather than silently using another image.

# Node.js for the contract build (the pinned npm solc compiles the Solidity sources during the Maven
# build, and `npm ci` installs solc, OpenZeppelin and anvil from contracts/package-lock.json).
FROM node:22.12.0-bookworm-slim@sha256:35531c52ce27b6575d69755c73e65d4468dba93a25644eed56dc12879cae9213 AS node

# ---- build: Maven + Temurin 21 JDK ----
FROM maven:3.9.11-eclipse-temurin-21@sha256:6fdc855a6ed81d288ca7ca37ac6ff5e9308b612485c0801d70b25a858c83d237 AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && node --version && npm --version
WORKDIR /src
# The npm packages first, in their own layer: they change only with the lockfile.
# --ignore-scripts: no install script may download anything (anvil ships in its platform package).
COPY contracts/package.json contracts/package-lock.json contracts/
RUN cd contracts && npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# The same build as `./veridict build` (tests are run by CI, not here): the shaded CLI jar and the
# standalone verifier jar. Maven downloads only from Maven Central.
RUN mvn -B -ntp -pl bench,verifier-app -am package -DskipTests \
 && mkdir -p /out/healthcheck \
 && cp bench/target/veridict-bench.jar /out/veridict.jar \
 && cp verifier-app/target/veridict-verifier.jar /out/veridict-verifier.jar \
 && javac --release 21 -d /out/healthcheck docker/HealthCheck.java

# ---- runtime: Temurin 21 JRE, no build tools, no node, no anvil ----
FROM eclipse-temurin:21.0.8_9-jre-noble@sha256:20e7f7288e1c18eebe8f06a442c9f7183342d9b022d3b9a9677cae2b558ddddd AS runtime
LABEL org.opencontainers.image.title="veridict" \
      org.opencontainers.image.description="Zero-knowledge STARK proofs for model decisions, anchored on a ledger (early development, not audited)"
# A fixed, unprivileged user. /data (the working directory: --data-dir, local ledgers, bundles) and
# /shared (the ledger configuration the compose deploy job writes) are created owned by it, so
# named volumes mounted there start out writable by it (Docker copies the ownership into an empty
# named volume on first use).
RUN groupadd --system --gid 10001 veridict \
 && useradd --system --uid 10001 --gid veridict --home-dir /data --no-create-home --shell /usr/sbin/nologin veridict \
 && mkdir -p /app /data /shared \
 && chown veridict:veridict /data /shared
COPY --from=build /out/veridict.jar /out/veridict-verifier.jar /app/
COPY --from=build /out/healthcheck/ /app/healthcheck/
USER 10001:10001
WORKDIR /data
EXPOSE 8080
# The probe the HEALTHCHECK runs (override for another --port or for /ready).
ENV VERIDICT_HEALTH_URL=http://127.0.0.1:8080/health
# No curl or wget in the JRE image: a 40-line Java client (docker/HealthCheck.java, compiled in the
# build stage) exits 0 on a 2xx answer. Only meaningful for `serve`; one-shot commands exit first.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx32m", "-cp", "/app/healthcheck", "HealthCheck"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/veridict.jar"]
CMD ["--help"]
