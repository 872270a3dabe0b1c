# Shell helpers for the web app (web/), sourced by scripts/test, scripts/demo and
# scripts/screenshots from the repository's root.

# Node and npm must be there; they are not installed here (Node 20.19+ and npm, from the
# distribution or nodejs.org).
web_require_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "the web app needs Node.js 20.19 or later and npm; install them first" >&2
    exit 1
  fi
}

# Installs web/node_modules exactly as locked, when missing or older than the lock file.
web_install() {
  web_require_node
  if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    (cd web && npm ci --no-audit --no-fund)
  fi
}

# Whether web/dist is missing or older than any of the app's sources.
web_stale() {
  [ ! -f web/dist/index.html ] && return 0
  [ -n "$(find web/src web/index.html web/package.json web/package-lock.json web/vite.config.ts -newer web/dist/index.html -print -quit)" ]
}

# Builds the app into web/dist (Vite), with gzip copies and the first-load size check.
web_build() {
  web_install
  (cd web && npm run --silent build)
}

# Debian's Chromium for the browser tests: installed with apt when absent (needs root or sudo).
web_install_chromium() {
  if [ -x "${CHROMIUM_BIN:-/usr/bin/chromium}" ]; then
    return
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}
