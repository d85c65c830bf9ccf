#!/usr/bin/env bash
# navolg set-up: installs what is missing (Debian 12, as root), builds, then runs the main
# job or every test.
#
#   deploy/setup.sh run    build the release preset and start `navolg serve` (embedded SQLite
#                          at ./data/navolg.db, http://127.0.0.1:8080; extra arguments go to
#                          navolg serve, e.g. --listen 0.0.0.0:8080)
#   deploy/setup.sh test   build the dev preset (warnings as errors, ASan, UBSan) and run
#                          every test through CTest, then build the fuzz preset (clang-16,
#                          libFuzzer) and run each fuzz target for 5 s on its seed corpus;
#                          exits non-zero on any failure
#
# Idempotent: packages already present are not touched, builds are incremental.
set -euo pipefail

cd "$(dirname "$0")/.."

# Each package and why we need it.
packages=(
  g++ cmake make pkg-config         # the toolchain
  nlohmann-json3-dev                # JSON
  libhowardhinnant-date-dev tzdata  # Europe/Amsterdam from the system tz database
  libssl-dev                        # OpenSSL: SHA-256, Ed25519, PBKDF2, TLS for webhooks
  ca-certificates                   # https webhooks are verified against the system's CAs
  openssl                           # the webhook TLS tests make their certificates with it
  libsqlite3-dev libsqlitecpp-dev   # the embedded database
  libpq-dev                         # libpq: PostgreSQL, the backend for several nodes
  libboost1.81-dev                  # Boost.Asio and Boost.Beast for the HTTP server
  zlib1g-dev                        # gzip for the web files and large answers
  libgtest-dev libbenchmark-dev     # tests and benchmarks
)
# Only for `test`: the browser the web interface's tests drive (headless, playwright-core).
test_packages=(
  chromium                         # the browser the web tests drive
  clang-format-14                  # the pinned C++ format check (tests/style)
  clang-16 libclang-rt-16-dev      # libFuzzer and its sanitizer runtimes: the fuzz preset
  sqlite3                          # the browser test edits the database behind navolg's back
  postgresql-15                    # the throwaway cluster the PostgreSQL tests run against
  systemd python3-yaml             # tests/deploy/lint.sh: systemd-analyze, the compose file
  nginx                            # the reverse proxy of deploy/nginx, in front of two nodes
)

log() { printf 'setup: %s\n' "$*" >&2; }

install_missing() {
  local missing=()
  local wanted=("${packages[@]}")
  if [ "${1:-}" = test ]; then wanted+=("${test_packages[@]}"); fi
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # Node.js runs the schema and browser test tooling; any install of it will do.
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    missing+=(nodejs npm)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
      log "missing packages: ${missing[*]}; run this script as root to install them"
      exit 1
    fi
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # The packages' own services (nginx on :80, PostgreSQL's main cluster) are not started:
    # the tests start their own on loopback ports. A policy-rc.d of the machine is left as is.
    local policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\n# deploy/setup.sh: no service starts while it installs\nexit 101\n' >"$policy"
      chmod 0755 "$policy"
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ -e "$policy" ] && grep -q 'deploy/setup.sh' "$policy"; then rm -f "$policy"; trap - EXIT; fi
  fi
}

install_node_tools() {
  if [ ! -d tests/node/node_modules ] || [ tests/node/package-lock.json -nt tests/node/node_modules ]; then
    log "installing test tools from npm (tests/node)"
    (cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The fuzz preset needs clang-16 and its libFuzzer runtime. Without them the fuzz run is
# skipped with a warning, except under CI=true, where a missing tool fails the run.
fuzz_tools_present() {
  if command -v clang++-16 >/dev/null &&
    compgen -G "/usr/lib/llvm-16/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
    return 0
  fi
  if [ "${CI:-}" = true ]; then
    log "clang-16 or libclang-rt-16-dev (libFuzzer) is missing; CI=true, so this fails"
    exit 1
  fi
  log "warning: clang-16 or libclang-rt-16-dev (libFuzzer) is missing; fuzzing skipped"
  return 1
}

build() {
  local preset=$1
  shift
  log "building ($preset${1:+, $*})"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" ${1:+--target "$@"}
}

case "${1:-}" in
  run)
    install_missing
    build release navolg
    shift
    log "starting navolg serve"
    exec build/release/api/navolg serve "$@"
    ;;
  test)
    install_missing test
    install_node_tools
    build dev
    ctest --preset dev
    if fuzz_tools_present; then
      build fuzz
      ctest --preset fuzz
    fi
    ;;
  *)
    echo "usage: deploy/setup.sh run|test" >&2
    exit 2
    ;;
esac
