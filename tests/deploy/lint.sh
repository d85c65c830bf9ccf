#!/usr/bin/env bash
# deploy_lint: the files in deploy/ checked with what Debian 12 offers.
#
#   tests/deploy/lint.sh NAVOLG_BINARY
#
# 1. deploy/navolg.service: `systemd-analyze verify` without a single remark about the unit
#    (ExecStart pointed at NAVOLG_BINARY, since verify wants an existing binary), the
#    hardening the deployment promises, and `systemd-analyze security --offline` at an
#    exposure of at most kMaxExposure.
# 2. Every NAVOLG_* variable the deployment files set is a setting of `navolg serve`, and
#    `navolg serve` accepts deploy/navolg.env.example's values.
# 3. deploy/compose.yaml parses, and its addresses agree: nginx's upstreams are the nodes,
#    the nodes trust exactly nginx, all inside the pinned subnet, the key mounted read-only.
# 4. deploy/nginx/navolg.conf.template: the body limit is navolg's, and `nginx -t` accepts
#    it filled in, when nginx is installed (skipped otherwise).
# 5. deploy/Containerfile is built, and the image runs `navolg serve --help`, when docker
#    (with a daemon), podman or buildah is present; skipped with the reason otherwise.
#
# A missing systemd-analyze is a skip, except under CI=true, where it fails the run.
# Exits 1 after reporting every failed check.
set -euo pipefail

# The exposure `systemd-analyze security` (systemd 252) gives deploy/navolg.service: 1.2.
# What it still counts is what a server needs: the network (it listens, sends webhooks to
# any host, reaches PostgreSQL), AF_UNIX (the journal, a local PostgreSQL socket), @resources
# (setrlimit: navolg raises its open-file limit to --max-connections) and /dev/rtc (from
# ProtectClock). Dropping most hardening directives raises it; lower the threshold when the
# unit gets tighter, never raise it without a reason.
kMaxExposure=1.2

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
  echo "usage: tests/deploy/lint.sh NAVOLG_BINARY (an executable navolg)" >&2
  exit 2
fi
navolg=$(realpath "$1")
cd "$(dirname "$0")/../.."

failures=0
fail() {
  echo "deploy_lint: FAIL: $*" >&2
  failures=$((failures + 1))
}
note() { echo "deploy_lint: $*"; }
# A tool's output under a FAIL line.
indent() { sed 's/^/  /' >&2; }

work=$(mktemp -d)
serve_pid=
cleanup() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---- 1. the systemd unit ----
check_unit() {
  local analyze
  analyze=$(command -v systemd-analyze || true)
  if [ -z "$analyze" ]; then
    if [ "${CI:-}" = true ]; then
      fail "systemd-analyze is missing (Debian package systemd); CI=true, so this fails"
    else
      note "skipped: systemd unit not checked: systemd-analyze is missing (Debian package systemd)"
    fi
    return
  fi

  local unit=$work/unit/navolg.service
  mkdir -p "$work/unit"
  sed "s#^ExecStart=/usr/local/bin/navolg serve\$#ExecStart=$navolg serve#" \
    deploy/navolg.service >"$unit"
  if ! grep -qxF "ExecStart=$navolg serve" "$unit"; then
    fail "deploy/navolg.service: no line 'ExecStart=/usr/local/bin/navolg serve'"
  fi

  local output status=0
  output=$("$analyze" verify "$unit" 2>&1) || status=$?
  # verify exits 0 after "Unknown key ..., ignoring": every line about the unit is a fault.
  if [ "$status" -ne 0 ] || grep -q 'navolg\.service' <<<"$output"; then
    fail "systemd-analyze verify deploy/navolg.service (exit $status):"
    indent <<<"$output"
  else
    note "systemd-analyze verify: no remarks"
  fi

  # What the deployment promises, by name, in case the exposure score does not move.
  local directive
  for directive in 'User=navolg' 'NoNewPrivileges=yes' 'ProtectSystem=strict' \
    'ProtectHome=yes' 'PrivateTmp=yes' 'PrivateDevices=yes' \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'SystemCallFilter=@system-service' \
    'CapabilityBoundingSet=' 'LockPersonality=yes' 'MemoryDenyWriteExecute=yes' \
    'RestrictNamespaces=yes' 'UMask=0077' 'Restart=on-failure' 'StateDirectory=navolg' \
    'EnvironmentFile=-/etc/navolg/navolg.env'; do
    grep -qxF "$directive" deploy/navolg.service ||
      fail "deploy/navolg.service lacks the line '$directive'"
  done

  output=$("$analyze" security --offline=true "$unit" 2>&1) || true
  local exposure
  exposure=$(sed -n 's/.*Overall exposure level for navolg\.service: \([0-9.]*\).*/\1/p' \
    <<<"$output")
  if [ -z "$exposure" ]; then
    fail "systemd-analyze security --offline=true gave no exposure level:"
    indent <<<"$output"
  elif awk -v e="$exposure" -v max="$kMaxExposure" 'BEGIN { exit !(e > max) }'; then
    fail "exposure level of deploy/navolg.service is $exposure, above $kMaxExposure:"
    grep '✗' <<<"$output" | indent || true
  else
    note "systemd-analyze security: exposure $exposure (at most $kMaxExposure)"
  fi
}

# ---- 2. the settings ----
check_settings() {
  local help name names
  help=$("$navolg" serve --help)
  mapfile -t names < <(grep -ohE '\bNAVOLG_[A-Z_]+' deploy/navolg.service \
    deploy/navolg.env.example deploy/compose.yaml deploy/Containerfile |
    grep -v '^NAVOLG_PROXY_' | sort -u)
  for name in "${names[@]}"; do
    grep -qw "$name" <<<"$help" || fail "$name (deploy/) is no setting of navolg serve"
  done

  # The example's values, with state in a temporary folder and any free port.
  local settings
  mapfile -t settings < <(grep -E '^NAVOLG_[A-Z_]+=' deploy/navolg.env.example)
  mkdir -m 0700 "$work/state"
  "$navolg" org add --db "$work/state/navolg.db" lint "Lint" >/dev/null
  env "${settings[@]}" NAVOLG_DB="$work/state/navolg.db" \
    NAVOLG_SIGNING_KEY="$work/state/signing-key.pem" NAVOLG_LISTEN=127.0.0.1:0 \
    "$navolg" serve >"$work/serve.out" 2>&1 &
  serve_pid=$!
  local _
  for _ in $(seq 100); do
    if grep -q 'luistert op' "$work/serve.out" || ! kill -0 "$serve_pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if grep -q 'luistert op' "$work/serve.out"; then
    note "navolg serve accepts deploy/navolg.env.example"
    kill -TERM "$serve_pid"
    wait "$serve_pid" || fail "navolg serve did not stop cleanly on SIGTERM"
  else
    kill "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
    fail "navolg serve with deploy/navolg.env.example did not start:"
    indent <"$work/serve.out"
  fi
  serve_pid=
}

# ---- 3. the compose file ----
# Prints what is wrong, one line each; nothing when all is well.
compose_checks_py='
import ipaddress, sys, yaml
compose = yaml.safe_load(open(sys.argv[1]))
services = compose["services"]
subnet = ipaddress.ip_network(compose["networks"]["navolg"]["ipam"]["config"][0]["subnet"])
def address(name):
    return services[name]["networks"]["navolg"]["ipv4_address"]
for name in services:
    if ipaddress.ip_address(address(name)) not in subnet:
        print(f"{name}: {address(name)} is outside {subnet}")
nodes = ["navolg-1", "navolg-2"]
proxy = services["proxy"]["environment"]
proxy_address = address("proxy")
if services["postgres"]["image"] != "postgres:15":
    print("postgres: the image is not postgres:15")
for number, name in enumerate(nodes, 1):
    env = services[name]["environment"]
    port = env["NAVOLG_LISTEN"].rsplit(":", 1)[1]
    if proxy[f"NAVOLG_PROXY_NODE{number}"] != f"{address(name)}:{port}":
        print(f"proxy: NAVOLG_PROXY_NODE{number} is not {name} ({address(name)}:{port})")
    if env["NAVOLG_TRUSTED_PROXIES"] != proxy_address:
        print(f"{name}: NAVOLG_TRUSTED_PROXIES is not the proxy ({proxy_address})")
    if not env["NAVOLG_DB"].startswith("postgresql://"):
        print(f"{name}: NAVOLG_DB is not a postgresql:// address")
    key = env["NAVOLG_SIGNING_KEY"]
    if not any(v.endswith(":" + key + ":ro") for v in services[name].get("volumes", [])):
        print(f"{name}: the signing key {key} is not mounted read-only")
'
check_compose() {
  local python=/usr/bin/python3
  if [ -x "$python" ] && "$python" -c 'import yaml' 2>/dev/null; then
    local problems
    if ! problems=$("$python" -c "$compose_checks_py" deploy/compose.yaml 2>&1); then
      fail "deploy/compose.yaml does not parse as the expected YAML:"
      indent <<<"$problems"
    elif [ -n "$problems" ]; then
      fail "deploy/compose.yaml:"
      indent <<<"$problems"
    else
      note "deploy/compose.yaml parses and its addresses agree"
    fi
  elif command -v node >/dev/null && [ -d tests/node/node_modules/yaml ]; then
    if node -e 'require(process.argv[2]).parse(require("fs").readFileSync(process.argv[1], "utf8"))' \
      deploy/compose.yaml "$PWD/tests/node/node_modules/yaml"; then
      note "deploy/compose.yaml parses (addresses not compared: python3-yaml is missing)"
    else
      fail "deploy/compose.yaml does not parse as YAML"
    fi
  else
    note "skipped: deploy/compose.yaml not parsed: neither python3-yaml nor tests/node/node_modules/yaml"
  fi
}

# ---- 4. the nginx configuration ----
check_nginx() {
  local template=deploy/nginx/navolg.conf.template
  # navolg's body limit, "body_limit = 1024 * 1024", against client_max_body_size.
  local navolg_limit nginx_limit
  navolg_limit=$(sed -n 's/.*std::size_t body_limit = \([0-9* ]*\);.*/\1/p' api/server/server.h)
  nginx_limit=$(sed -n 's/^ *client_max_body_size \([0-9]*\)\([km]\?\);.*/\1 \2/p' "$template" |
    head -n 1 | awk '{ print $1 * ($2 == "m" ? 1048576 : $2 == "k" ? 1024 : 1) }')
  if [ -z "$navolg_limit" ] || [ -z "$nginx_limit" ]; then
    fail "body limits not found (body_limit in api/server/server.h, client_max_body_size in $template)"
  elif [ $((navolg_limit)) -ne "$nginx_limit" ]; then
    fail "$template: client_max_body_size is $nginx_limit bytes, navolg's limit $((navolg_limit))"
  fi

  local conf=$work/nginx/navolg.conf
  mkdir -p "$work/nginx"
  # shellcheck disable=SC2016 # the placeholders are literal text
  sed -e 's/\${NAVOLG_PROXY_LISTEN}/127.0.0.1:18080/' \
    -e 's/\${NAVOLG_PROXY_NODE1}/127.0.0.1:18081/' \
    -e 's/\${NAVOLG_PROXY_NODE2}/127.0.0.1:18082/' "$template" >"$conf"
  # shellcheck disable=SC2016
  if grep -q '\${' "$conf"; then
    fail "$template: a placeholder other than NAVOLG_PROXY_LISTEN, _NODE1, _NODE2:"
    grep '\${' "$conf" | indent
  fi

  local nginx
  nginx=$(PATH=$PATH:/usr/sbin command -v nginx || true)
  if [ -z "$nginx" ]; then
    note "skipped: nginx -t not run: nginx is not installed (Debian package nginx)"
    return
  fi
  cat >"$work/nginx/nginx.conf" <<EOF
pid $work/nginx/nginx.pid;
error_log stderr;
events {}
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  include $conf;
}
EOF
  local output
  if output=$("$nginx" -t -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>&1); then
    note "nginx -t accepts $template"
  else
    fail "nginx -t refuses $template:"
    indent <<<"$output"
  fi
}

# ---- 5. the container file ----
check_container() {
  local builder=
  if command -v podman >/dev/null; then
    builder=podman
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    builder=docker
  elif command -v buildah >/dev/null; then
    builder=buildah
  fi
  if [ -z "$builder" ]; then
    note "container file not built: no container builder on this machine (docker, podman, buildah)"
    if command -v docker >/dev/null; then
      note "(a docker client is installed, but no docker daemon answers)"
    fi
    return
  fi
  # Only the sources: build/, data/, node_modules/, keys and passwords stay out.
  local context=$work/context image=localhost/navolg:deploy-lint
  mkdir -p "$context/deploy"
  tar -c --exclude=node_modules CMakeLists.txt CMakePresets.json engine storage api web \
    workflows tests | tar -x -C "$context"
  cp deploy/Containerfile "$context/deploy/"
  note "building deploy/Containerfile with $builder (several minutes)"
  local build=("$builder" build)
  [ "$builder" = buildah ] && build=(buildah bud)
  if ! "${build[@]}" -f "$context/deploy/Containerfile" -t "$image" "$context"; then
    fail "$builder could not build deploy/Containerfile"
    return
  fi
  if [ "$builder" = buildah ]; then
    note "deploy/Containerfile built (buildah does not run it)"
  elif "$builder" run --rm "$image" --help | grep -q 'navolg serve'; then
    note "deploy/Containerfile built; the image runs navolg serve --help"
  else
    fail "the image from deploy/Containerfile does not run navolg serve --help"
  fi
  "$builder" rmi "$image" >/dev/null 2>&1 || true
}

check_unit
check_settings
check_compose
check_nginx
check_container

if [ "$failures" -gt 0 ]; then
  echo "deploy_lint: $failures check(s) failed" >&2
  exit 1
fi
echo "deploy_lint: all checks passed"
