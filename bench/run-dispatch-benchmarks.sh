#!/bin/sh
# Builds the bench jar and runs the dispatch load harness, one measurement at a time.
# Results go to bench/target/dispatch-results/. About 6 minutes on 2 cores for the default five;
# the durable ones (PostgreSQL on 127.0.0.1:5432, database test, user postgres, or --pg-url)
# take about 8 minutes more, contention-nodes (1, 2 and 3 nodes) about 1.5 minutes,
# propagation (two runs, mostly waiting) about 6 minutes, and the soak (2 million events in a
# 256 MB heap) about 6 minutes.
# Usage: bench/run-dispatch-benchmarks.sh
#          [throughput|isolation|latency|memory|chaos|soak|durable|durable-latency|crash|
#           contention|contention-nodes|propagation]...
set -eu
cd "$(dirname "$0")/.."
# package, not install: running the benchmarks leaves the local Maven repository as it was.
mvn -B -q -o package -DskipTests -Dmaven.javadoc.skip=true -pl bench -am
JAR=bench/target/benchmarks.jar
OUT=bench/target/dispatch-results
mkdir -p "$OUT"
# These runs measure CPU-bound throughput on a small machine: wait until nothing else runs.
wait_idle() {
  while :; do
    idle=$(vmstat 1 4 | tail -3 | awk '{s += $15} END {print int(s / 3)}')
    [ "$idle" -ge 90 ] && return
    echo "   (machine busy, ${idle}% idle; waiting)" >&2
    sleep 10
  done
}
run() {
  name=$1; shift
  wait_idle
  echo "== $name"
  java "$@" 2>"$OUT/$name.log" | tee "$OUT/$name.txt"
}
for what in ${*:-throughput isolation latency memory chaos}; do
  case $what in
    throughput) run throughput -Xms1g -Xmx1g -cp $JAR dev.hookwire.bench.DispatchThroughput ;;
    isolation)  run isolation -Xms1g -Xmx1g -cp $JAR dev.hookwire.bench.Isolation ;;
    latency)    run latency -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp $JAR dev.hookwire.bench.Latency ;;
    memory)     run memory -Xms2g -Xmx2g -cp $JAR dev.hookwire.bench.Memory ;;
    chaos)      run chaos -Xms2g -Xmx2g -cp $JAR dev.hookwire.bench.Chaos ;;
    soak)       run soak -Xmx256m -XX:+ExitOnOutOfMemoryError -cp $JAR dev.hookwire.bench.Soak ;;
    durable)    run durable -Xms1g -Xmx1g -cp $JAR dev.hookwire.bench.Durable --sync-commit both ;;
    durable-latency)
                # 15 s of warm-up: the first seconds of fresh tables stall (see BENCHMARKS.md).
                run durable-latency -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp $JAR dev.hookwire.bench.Latency --store postgres --warmup-seconds 15 --timeline
                run durable-latency-async -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp $JAR dev.hookwire.bench.Latency --store postgres --sync-commit off --warmup-seconds 15 --timeline ;;
    crash)      run crash -Xms1g -Xmx1g -cp $JAR dev.hookwire.bench.Crash ;;
    contention) run contention -Xms1g -Xmx1g -cp $JAR dev.hookwire.bench.Contention ;;
    contention-nodes)
                for n in 1 2 3; do
                  run contention-$n-nodes -Xms1g -Xmx1g -cp $JAR dev.hookwire.bench.Contention --nodes $n
                done ;;
    propagation)
                run propagation -Xms512m -Xmx512m -cp $JAR dev.hookwire.bench.Propagation
                run propagation-100ms -Xms512m -Xmx512m -cp $JAR dev.hookwire.bench.Propagation --refresh-ms 100 ;;
    *) echo "unknown: $what" >&2; exit 2 ;;
  esac
done
