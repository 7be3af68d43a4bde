#!/usr/bin/env bash
# Runs JMH benchmarks of one module on its test classpath.
#   scripts/jmh.sh MODULE [JMH arguments...]
# e.g. scripts/jmh.sh grammar CompileBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
#      scripts/jmh.sh constrained-decoding 'CompileBench|MaskBench' -f 1
# Builds the reactor once (skipping tests) unless SKIP_BUILD=1. Needs ../shared beside the clone
# for the benchmarks that read bench workloads.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  echo "usage: $0 MODULE [JMH arguments...]" >&2
  exit 2
fi
module=$1
shift
TEMURIN=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -z "${JAVA_HOME:-}" ] && [ -x "$TEMURIN/bin/java" ]; then
  export JAVA_HOME="$TEMURIN"
fi
: "${JAVA_HOME:?set JAVA_HOME to a JDK 25}"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q install -DskipTests
fi
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -o -pl "$module" dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
cp="$module/target/test-classes:$module/target/classes:grammar/target/test-classes:$(cat "$cp_file")"
exec "$JAVA_HOME/bin/java" -Xss8m --enable-native-access=ALL-UNNAMED \
  -Dguidepost.shared.dir="$(cd .. && pwd)/shared" \
  -cp "$cp" org.openjdk.jmh.Main "$@"
