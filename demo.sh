#!/usr/bin/env bash
# The README's first command: the quick-start demo on a local 3-node memcached cluster.
# Needs a JDK 17+; installs memcached from the OS packages when it is missing.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v memcached >/dev/null 2>&1 && [ -z "${MEMCACHED_BIN:-}" ]; then
  echo "memcached is not installed; installing it with apt-get (Debian/Ubuntu)..."
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "No apt-get here: install memcached with your package manager, or set MEMCACHED_BIN." >&2
    exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq memcached >/dev/null
  # the package may start a system service on 11211; the demo starts its own servers
  $SUDO systemctl stop memcached >/dev/null 2>&1 || $SUDO service memcached stop >/dev/null 2>&1 || true
fi

echo "building (first run downloads Maven and the dependencies)..."
./mvnw -B -q install -DskipTests -pl samples/quickstart -am
./mvnw -B -q exec:java -pl samples/quickstart
