#!/usr/bin/env bash
# Installs everything the tests need, then builds, lints and tests every package.
# This is the README's test command and what .ci/run runs. Debian 12 with Node 20 and npm; root for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")

# System packages the tests use: real Redis tools as the reference, Debian's redis-py as a client,
# kcat and librdkafka's mock cluster as the Kafka side, Chromium for the docs site's browser test,
# iproute2 for network namespaces.
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
{ command -v redis-cli && command -v redis-benchmark; } >/dev/null || missing+=(redis-tools)
/usr/bin/python3 -c 'import redis' 2>/dev/null || missing+=(python3-redis)
command -v kcat >/dev/null || missing+=(kcat)
[ -f /usr/include/librdkafka/rdkafka_mock.h ] || missing+=(librdkafka-dev)
command -v cc >/dev/null || missing+=(gcc)
command -v chromium >/dev/null || missing+=(chromium)
# ip: the protected-mode test makes its own network namespace to connect from a non-loopback address.
command -v ip >/dev/null || missing+=(iproute2)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing system packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# pnpm through npm: corepack's signature check fails against this registry.
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
pnpm install --frozen-lockfile
pnpm exec turbo run build lint --output-logs=errors-only
# Tests start real servers: one package at a time on 2 cores.
pnpm exec turbo run test --concurrency=1
