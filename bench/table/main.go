// Command table reads `go test -bench` output for mor's benchmarks on stdin
// and prints one Markdown table per section (per-call overhead, Hash, large
// replies, bulk import) with the medians of repeated runs, the ratios, and
// whether each of issue 5's targets is met. bench/run.sh feeds it.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// result holds every value seen for one benchmark, by unit.
type result map[string][]float64

var line = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func parse(r io.Reader) (map[string]result, []string) {
	res := map[string]result{}
	var order []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		name := strings.TrimPrefix(m[1], "Benchmark")
		f := strings.Fields(m[2])
		if res[name] == nil {
			res[name] = result{}
			order = append(order, name)
		}
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err == nil {
				res[name][f[i+1]] = append(res[name][f[i+1]], v)
			}
		}
	}
	return res, order
}

// get returns the median of a benchmark's values in unit, or -1.
func (r result) get(unit string) float64 {
	vs := slices.Clone(r[unit])
	if len(vs) == 0 {
		return -1
	}
	slices.Sort(vs)
	if len(vs)%2 == 1 {
		return vs[len(vs)/2]
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
}

func num(v float64, format string) string {
	if v < 0 {
		return "–"
	}
	return fmt.Sprintf(format, v)
}

func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func main() {
	res, order := parse(os.Stdin)
	get := func(name, unit string) float64 {
		if r, ok := res[name]; ok {
			return r.get(unit)
		}
		return -1
	}

	fmt.Println("### Per-call overhead (same in-process server, same recorded gzipped replies, keep-alive)")
	fmt.Println()
	fmt.Println("| call | mor ns/op | hand-rolled ns/op | time ratio | mor B/op | hand-rolled B/op | mor allocs/op | hand-rolled allocs/op | target ≤ 1.05× and ≤ allocs |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, call := range []string{"AddCLI", "DeviceCLIs"} {
		m, h := call+"/client=mor", call+"/client=handrolled"
		mt, ht := get(m, "ns/op"), get(h, "ns/op")
		ma, ha := get(m, "allocs/op"), get(h, "allocs/op")
		ratio := -1.0
		if mt > 0 && ht > 0 {
			ratio = mt / ht
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", call, num(mt, "%.0f"), num(ht, "%.0f"), num(ratio, "%.2f×"),
			num(get(m, "B/op"), "%.0f"), num(get(h, "B/op"), "%.0f"), num(ma, "%.0f"), num(ha, "%.0f"),
			met(ratio > 0 && ratio <= 1.05 && ma <= ha))
	}

	fmt.Println()
	fmt.Println("### Hash")
	fmt.Println()
	fmt.Println("| case | ns/op | B/op | allocs/op | target ≤ 2 allocs |")
	fmt.Println("|---|---:|---:|---:|---|")
	hashNames := slices.Clone(order)
	slices.Sort(hashNames)
	for _, name := range hashNames {
		if c, ok := strings.CutPrefix(name, "Hash/"); ok {
			a := get(name, "allocs/op")
			fmt.Printf("| %s | %s | %s | %s | %s |\n", c, num(get(name, "ns/op"), "%.0f"), num(get(name, "B/op"), "%.0f"), num(a, "%.0f"), met(a >= 0 && a <= 2))
		}
	}

	fmt.Println()
	fmt.Println("### Large replies: DeviceCLIs on one gzipped device_clis_get reply")
	fmt.Println()
	fmt.Println("| CLIs | client | time | decoded XML | gzip | peak heap | peak / XML | allocs/op | target peak < 4× XML |")
	fmt.Println("|---:|---|---:|---:|---:|---:|---:|---:|---|")
	for _, name := range order {
		rest, ok := strings.CutPrefix(name, "DeviceCLIsLarge/clis=")
		if !ok {
			continue
		}
		n, client, _ := strings.Cut(rest, "/client=")
		ratio := get(name, "peak/xml")
		fmt.Printf("| %s | %s | %s s | %s MB | %s MB | %s MB | %s× | %s | %s |\n", n, client, num(get(name, "ns/op")/1e9, "%.2f"),
			num(get(name, "xml-MB"), "%.1f"), num(get(name, "gz-MB"), "%.2f"), num(get(name, "peak-heap-MB"), "%.1f"),
			num(ratio, "%.2f"), num(get(name, "allocs/op"), "%.0f"), met(ratio >= 0 && ratio < 4))
	}

	fmt.Println()
	for _, server := range []struct{ name, title string }{
		{"inproc", "fake as fast as it goes, on the same 2 CPUs as the client"},
		{"1ms", "fake with a fixed 1 ms service time per request, so the server is the bottleneck, as with a real MOR"},
	} {
		fmt.Println()
		fmt.Printf("### Bulk: rows/s of cli_add against mortest, %s (fresh server per run)\n", server.title)
		fmt.Println()
		fmt.Println("| concurrency | raw loop (fake's capacity) | mor SDK loop | SDK / raw | mor import | import / raw | mor import, journal on tmpfs | tmpfs / raw | target import ≥ 90% of raw at 16 |")
		fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
		for _, c := range []string{"1", "8", "16"} {
			p := "BulkImport/server=" + server.name + "/concurrency=" + c + "/client="
			raw := get(p+"raw", "rows/s")
			sdk, imp, tmp := get(p+"mor-sdk", "rows/s"), get(p+"mor-import", "rows/s"), get(p+"mor-import-tmpfs", "rows/s")
			if raw < 0 {
				continue
			}
			pct := func(v float64) string {
				if v < 0 {
					return "–"
				}
				return fmt.Sprintf("%.0f%%", v/raw*100)
			}
			target := "–"
			if c == "16" {
				target = met(imp >= 0.9*raw)
			}
			fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c, num(raw, "%.0f"), num(sdk, "%.0f"), pct(sdk),
				num(imp, "%.0f"), pct(imp), num(tmp, "%.0f"), pct(tmp), target)
		}
	}
}
