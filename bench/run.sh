#!/usr/bin/env bash
# Runs all of mor's benchmarks in one go on this machine and prints one set
# of Markdown tables (medians, ratios, targets met). Raw output is kept in
# bench/out/. Numbers are noisy on a shared machine: run it on a quiet one.
#
#   bench/run.sh                 # COUNT=5 repeats of the per-call benchmarks
#   COUNT=3 BENCHTIME=500ms bench/run.sh
#   MOR_BENCH_HUGE=1 bench/run.sh   # also the 1,000,000-CLI reply (~1.5 GB RAM)
#   MOR_BENCH_ROWS=20000 bench/run.sh   # bigger bulk imports (default 3000 rows)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-5}
BENCHTIME=${BENCHTIME:-1s}
out=bench/out
mkdir -p "$out"

{
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //'), $(go version | cut -d' ' -f3-)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
} | tee "$out/machine.txt" >&2

echo "== Hash" >&2
go test -run '^$' -bench '^BenchmarkHash$' -benchmem -count "$COUNT" -benchtime "$BENCHTIME" . | tee "$out/hash.txt" >&2
echo "== per-call overhead" >&2
go test -run '^$' -bench '^Benchmark(AddCLI|DeviceCLIs)$' -benchmem -count "$COUNT" -benchtime "$BENCHTIME" ./bench | tee "$out/overhead.txt" >&2
echo "== large replies" >&2
go test -run '^$' -bench '^BenchmarkDeviceCLIsLarge$' -benchmem -count 1 -benchtime 3x -timeout 30m ./bench | tee "$out/large.txt" >&2
echo "== call records (user_calls_get streamed; MOR_BENCH_HUGE=1 adds 1,000,000 CDRs)" >&2
go test -run '^$' -bench '^BenchmarkCalls(Stream|Gunzip)$' -benchmem -count 1 -benchtime 2x -timeout 30m ./bench | tee "$out/calls.txt" >&2
go test -run '^$' -bench '^BenchmarkCallsDecodeParts$' -benchmem -count 1 -benchtime 3x . | tee -a "$out/calls.txt" >&2
echo "== tariff_rates_get (100k rates, zipped)" >&2
go test -run '^$' -bench '^BenchmarkTariffExport' -benchmem -count 1 -benchtime 3x -timeout 30m ./bench | tee "$out/tariff.txt" >&2
echo "== shape bombs under the cap (peak heap)" >&2
go test -run '^$' -bench '^BenchmarkShapeBombs' -benchmem -count 1 -benchtime 3x -timeout 30m ./bench | tee "$out/bombs.txt" >&2
echo "== bulk import" >&2
go test -run '^$' -bench '^BenchmarkBulkImport$' -count 1 -benchtime 2x -timeout 30m ./bench | tee "$out/bulk.txt" >&2

echo
cat "$out/machine.txt"
echo
cat "$out/hash.txt" "$out/overhead.txt" "$out/large.txt" "$out/calls.txt" "$out/bulk.txt" | go run ./bench/table
echo
echo "Tariff export and shape bombs (raw benchmark lines):"
cat "$out/tariff.txt" "$out/bombs.txt" | grep '^Benchmark' || true
