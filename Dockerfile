# The PassCom image: one airline's node (`passcom serve`), the web app inside the binary.
#
#   docker build -t passcom .                               the web app and binary from source
#   docker build --build-arg BUILD_FROM=binary -t passcom .  a binary built outside, staged in
#                                                            target/container/root (see
#                                                            scripts/test-containers)
#
# The base images are the official ones; on a machine that reaches no image registry,
# scripts/lib/containers.sh makes local stand-ins under the same names. The runtime image runs
# `passcom serve` as an unprivileged user, keeps its data in the volume /data, logs to the
# container's output, and stops cleanly on `docker stop` (SIGTERM: requests in flight finish).
ARG BUILD_FROM=source

# The web app (Vite), embedded into the binary by the next stage.
FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

# The binary, in release mode.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY crates crates
COPY --from=web /src/web/dist web/dist
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p passcom \
    && install -D target/release/passcom /out/usr/local/bin/passcom

FROM scratch AS from-source
COPY --from=build /out/ /

# A binary built outside (the test run's), with any files it reads, as a tree to lay over /.
FROM scratch AS from-binary
COPY target/container/root/ /

FROM from-${BUILD_FROM} AS binary

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home passcom \
    && mkdir -p /data /keys /etc/passcom \
    && chown passcom:passcom /data /keys
COPY deploy/passcom.toml /etc/passcom/passcom.toml
COPY --from=binary / /
USER passcom
WORKDIR /data
VOLUME /data
EXPOSE 7777 7770
HEALTHCHECK --interval=5s --timeout=5s --start-period=120s --retries=3 \
    CMD ["passcom", "healthcheck", "--config", "/etc/passcom/passcom.toml"]
ENTRYPOINT ["passcom"]
CMD ["serve", "--config", "/etc/passcom/passcom.toml"]
