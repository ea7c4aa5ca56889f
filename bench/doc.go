// Package bench holds mor's benchmarks: per-call overhead against a
// hand-written standard-library client, large replies, and bulk import
// throughput against mortest. It has no API; run ./run.sh for one table of
// figures and ratios.
package bench
