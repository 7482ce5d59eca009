# Shared by run.sh and run-bulk.sh (sourced, from the repository root, with JAR set).

log() { printf '\n== %s\n' "$*" >&2; }

need_package() { # binary package
  if ! command -v "$1" >/dev/null 2>&1; then
    log "$1 not found: installing the OS package $2"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
  fi
}

build_jar() { # builds $JAR unless NO_BUILD=1 and it exists
  if [ "${NO_BUILD:-0}" != 1 ] || [ ! -f "$JAR" ]; then
    log "building $JAR"
    if grep -q '<module>benchmarks</module>' pom.xml; then
      ./mvnw -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests
    else
      # the root pom does not list the module yet: install what it depends on, build it on its own
      ./mvnw -B -q -pl testkit,provider -am install -DskipTests
      ./mvnw -B -q -f benchmarks/pom.xml package
    fi
  fi
}
