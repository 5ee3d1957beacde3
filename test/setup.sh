#!/usr/bin/env bash
# Brings a fresh Debian machine to the point where the lab and the tests can run: the Debian
# packages they use, PostgreSQL and Redis up, pnpm at the pinned version, node_modules.
# Idempotent and quick when everything is there. The Nautobot venv is made by the lab itself.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

# command -> Debian package that provides it
declare -A needs=(
  [vtysh]=frr
  [/usr/lib/frr/frr-reload.py]=frr-pythontools
  [/usr/sbin/sshd]=openssh-server
  [ssh-keygen]=openssh-client
  [ip]=iproute2
  [psql]=postgresql-client
  [redis-cli]=redis-tools
)
missing=()
for cmd in "${!needs[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "$cmd" ]; then missing+=("${needs[$cmd]}"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  say "installing pnpm $pnpm_version"
  npm install --global --silent "pnpm@$pnpm_version"
fi
pnpm install --frozen-lockfile --reporter=silent
