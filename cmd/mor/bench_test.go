package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/morbilling/mor-go/mortest"
)

// BenchmarkImport measures mor import against the in-process fake at
// concurrency 1, 8 and 16, reporting rows/s over the whole command (process
// start, CSV validation, the journal with its fsyncs, and the final
// compaction included). Run it without -race:
//
//	go test -run '^$' -bench Import -benchtime 3x ./cmd/mor
func BenchmarkImport(b *testing.B) {
	const rows = 3000
	for _, conc := range []int{1, 8, 16} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			srv := mortest.NewServer(mortest.WithSpecWorld())
			defer srv.Close()
			env := append(cleanEnv(), "MOR_URL="+srv.URL+"/billing", "MOR_USER=admin", "MOR_SECRET="+mortest.SpecSecret)
			dir := b.TempDir()
			var total time.Duration
			for i := 0; i < b.N; i++ {
				var sb strings.Builder
				sb.WriteString("device_id,cli_number\n")
				for r := range rows {
					fmt.Fprintf(&sb, "2,%d\n", 40_000_000_000+int64(i)*1_000_000+int64(r))
				}
				path := filepath.Join(dir, fmt.Sprintf("run%d.csv", i))
				if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
					b.Fatal(err)
				}
				cmd, out, errb := command(env, "import", "-f", path, "-c", fmt.Sprint(conc))
				start := time.Now()
				err := cmd.Run()
				total += time.Since(start)
				if err != nil {
					b.Fatalf("import: %v\n%s\n%s", err, out, errb)
				}
			}
			b.ReportMetric(float64(rows*b.N)/total.Seconds(), "rows/s")
		})
	}
}
