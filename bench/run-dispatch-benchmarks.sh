#!/bin/sh
# Builds the bench jar and runs the dispatch load harness, one measurement at a time.
# Results go to bench/target/dispatch-results/. About 6 minutes on 2 cores.
# Usage: bench/run-dispatch-benchmarks.sh [throughput|isolation|latency|memory|chaos]...
set -eu
cd "$(dirname "$0")/.."
mvn -B -q -o install -DskipTests -Dmaven.javadoc.skip=true
JAR=bench/target/benchmarks.jar
OUT=bench/target/dispatch-results
mkdir -p "$OUT"
run() {
  name=$1; shift
  echo "== $name"
  java "$@" 2>"$OUT/$name.log" | tee "$OUT/$name.txt"
}
for what in ${*:-throughput isolation latency memory chaos}; do
  case $what in
    throughput) run throughput -Xms1g -Xmx1g -cp $JAR dev.hookwire.bench.DispatchThroughput ;;
    isolation)  run isolation -Xms1g -Xmx1g -cp $JAR dev.hookwire.bench.Isolation ;;
    latency)    run latency -Xms1g -Xmx1g -cp $JAR dev.hookwire.bench.Latency ;;
    memory)     run memory -Xms2g -Xmx2g -cp $JAR dev.hookwire.bench.Memory ;;
    chaos)      run chaos -Xms2g -Xmx2g -cp $JAR dev.hookwire.bench.Chaos ;;
    *) echo "unknown: $what" >&2; exit 2 ;;
  esac
done
