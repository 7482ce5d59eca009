#!/usr/bin/env bash
# The README's first command: the quick-start demo on a local 3-node memcached cluster it starts
# itself (samples/quickstart). Needs a JDK 17+; installs memcached from the OS packages when it is
# missing (or set MEMCACHED_BIN=/path/to/memcached). Maven comes with ./mvnw.
set -euo pipefail
cd "$(dirname "$0")"

how_to_install() {
  cat >&2 <<'EOF'
memcached is needed to run the demo, and it could not be installed automatically. Install it, then run ./demo.sh again:
  Debian/Ubuntu:  sudo apt-get install memcached
  Fedora/RHEL:    sudo dnf install memcached
  macOS:          brew install memcached
or point MEMCACHED_BIN at a memcached binary.
EOF
  exit 1
}

if [ -z "${MEMCACHED_BIN:-}" ] && ! command -v memcached >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || how_to_install
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || how_to_install
    SUDO="sudo"
  fi
  echo "memcached is not installed: installing it with apt-get..." >&2
  $SUDO apt-get update -qq || how_to_install
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq memcached >/dev/null || how_to_install
  command -v memcached >/dev/null 2>&1 || how_to_install
  # the package may start a system service on 11211; the demo starts its own servers on free ports
  $SUDO systemctl stop memcached >/dev/null 2>&1 || $SUDO service memcached stop >/dev/null 2>&1 || true
fi

if [ -z "${JAVA_HOME:-}" ] && ! command -v java >/dev/null 2>&1; then
  echo "No JDK found: install a JDK 17 or newer (e.g. sudo apt-get install openjdk-17-jdk) or set JAVA_HOME." >&2
  exit 1
fi

echo "building the quick start (the first run downloads Maven and the dependencies)..." >&2
./mvnw -B -q install -Dmaven.test.skip=true -pl samples/quickstart -am
./mvnw -B -q exec:java -pl samples/quickstart
