package bench

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// importRows is the CSV size of one bulk run (MOR_BENCH_ROWS overrides).
func importRows() int {
	if n, err := strconv.Atoi(os.Getenv("MOR_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 3000
}

var (
	morBinOnce sync.Once
	morBin     string
	morBinErr  error
)

// buildMor builds cmd/mor once per process, without -race. MOR_BENCH_BIN
// names another build to measure instead (a candidate change, say).
func buildMor(b *testing.B) string {
	b.Helper()
	if bin := os.Getenv("MOR_BENCH_BIN"); bin != "" {
		return bin
	}
	morBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "mor-bench")
		if err != nil {
			morBinErr = err
			return
		}
		morBin = filepath.Join(dir, "mor")
		out, err := exec.Command("go", "build", "-o", morBin, "github.com/morbilling/mor-go/cmd/mor").CombinedOutput()
		if err != nil {
			morBinErr = fmt.Errorf("go build cmd/mor: %v\n%s", err, out)
		}
	})
	if morBinErr != nil {
		b.Fatal(morBinErr)
	}
	return morBin
}

// cliNumber is row r of run i: unique across the runs on one server.
func cliNumber(run, r int) string { return strconv.Itoa(40_000_000_000 + run*1_000_000 + r) }

// rawLoad is the fake's raw capacity: conc goroutines posting precomputed,
// signed cli_add bodies as fast as the server answers, on keep-alive
// connections, checking only that each reply says success. No validation,
// no journal, no decoding beyond a substring: the ceiling any client can
// reach against this server on this machine.
func rawLoad(b *testing.B, baseURL string, run, rows, conc int) time.Duration {
	bodies := make([]string, rows)
	for r := range bodies {
		num := cliNumber(run, r)
		sum := sha1.Sum([]byte("2" + num + mortest.SpecSecret))
		bodies[r] = "cli_number=" + num + "&device_id=2&hash=" + hex.EncodeToString(sum[:]) + "&u=admin"
	}
	tr := &http.Transport{MaxIdleConnsPerHost: conc}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	endpoint := baseURL + "/billing/api/cli_add"
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= rows {
					return
				}
				req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, endpoint, strings.NewReader(bodies[i]))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := hc.Do(req)
				if err != nil {
					failed.Store(err)
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || !strings.Contains(string(body), "successfully created") {
					failed.Store(fmt.Errorf("row %d: %v %s", i, err, body))
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	return elapsed
}

// sdkLoad is rawLoad through mor.Client.CLIs.Add: the SDK's share of the
// gap between the raw loop and mor import.
func sdkLoad(b *testing.B, baseURL string, run, rows, conc int) time.Duration {
	tr := &http.Transport{MaxIdleConnsPerHost: conc}
	defer tr.CloseIdleConnections()
	c, err := mor.NewClient(baseURL+"/billing", "admin", mortest.SpecSecret, mor.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= rows {
					return
				}
				if err := c.CLIs.Add(context.Background(), mor.AddCLIParams{DeviceID: 2, CLINumber: cliNumber(run, i)}); err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	return elapsed
}

// importRun runs the mor binary's import of rows new CLIs, whole command
// included (process start, CSV validation, the fsynced journal, the final
// results file).
func importRun(b *testing.B, bin, baseURL string, run, rows, conc int, resultsDir string) time.Duration {
	dir := b.TempDir()
	var sb strings.Builder
	sb.WriteString("device_id,cli_number\n")
	for r := range rows {
		sb.WriteString("2," + cliNumber(run, r) + "\n")
	}
	path := filepath.Join(dir, "clis.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	args := []string{"import", "-f", path, "-c", strconv.Itoa(conc)}
	if resultsDir != "" {
		args = append(args, "--results", filepath.Join(resultsDir, "clis.results.csv"))
	}
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MOR_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "MOR_URL="+baseURL+"/billing", "MOR_USER=admin", "MOR_SECRET="+mortest.SpecSecret)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start)
	if err != nil {
		b.Fatalf("mor import: %v\n%s", err, out)
	}
	return elapsed
}

// bulkServer is a fresh mortest, optionally behind a fixed service time.
type bulkServer struct {
	fake *mortest.Server
	url  string
	stop func()
}

func newBulkServer(delay time.Duration) bulkServer {
	fake := mortest.New(mortest.WithSpecWorld())
	h := fake.Handler()
	if delay > 0 {
		inner := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(delay)
			inner.ServeHTTP(w, r)
		})
	}
	srv := httptest.NewServer(h)
	return bulkServer{fake: fake, url: srv.URL, stop: srv.Close}
}

// BenchmarkBulkImport measures mor import at concurrency 1, 8 and 16
// against mortest, next to the fake's raw capacity at the same concurrency
// measured by rawLoad in the same run. Each run uses a fresh server, so all
// clients see the same database size. rows/s is the figure to compare;
// run.sh prints the ratios.
//
// client=mor-sdk is the same loop as raw through mor.Client.CLIs.Add (the
// SDK's own share). client=mor-import keeps its results journal next to the
// CSV (on disk, as a user would); client=mor-import-tmpfs puts it on
// /dev/shm, where fsync is nearly free, to show what the journal's
// durability costs.
//
// server=inproc is the fake as fast as it goes, sharing this machine's CPUs
// with the client. server=1ms adds a fixed 1 ms service time per request
// (sleeping, not computing): the server, not the client machine, is then
// the bottleneck, as with a real MOR server, whose Rails cli_add takes
// several milliseconds.
func BenchmarkBulkImport(b *testing.B) {
	bin := buildMor(b)
	clients := []string{"raw", "mor-sdk", "mor-import"}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		clients = append(clients, "mor-import-tmpfs")
	}
	for _, server := range []struct {
		name  string
		delay time.Duration
		rows  int
	}{{"inproc", 0, importRows()}, {"1ms", time.Millisecond, importRows()}} {
		rows := server.rows
		for _, conc := range []int{1, 8, 16} {
			for _, client := range clients {
				b.Run(fmt.Sprintf("server=%s/concurrency=%d/client=%s", server.name, conc, client), func(b *testing.B) {
					var total time.Duration
					for i := 0; i < b.N; i++ {
						b.StopTimer()
						srv := newBulkServer(server.delay)
						b.StartTimer()
						switch client {
						case "raw":
							total += rawLoad(b, srv.url, i, rows, conc)
						case "mor-sdk":
							total += sdkLoad(b, srv.url, i, rows, conc)
						case "mor-import":
							total += importRun(b, bin, srv.url, i, rows, conc, "")
						default:
							shm, err := os.MkdirTemp("/dev/shm", "mor-bench")
							if err != nil {
								b.Fatal(err)
							}
							total += importRun(b, bin, srv.url, i, rows, conc, shm)
							os.RemoveAll(shm)
						}
						b.StopTimer()
						if got := srv.fake.Requests("cli_add"); got != rows {
							b.Fatalf("%d cli_add requests, want %d", got, rows)
						}
						srv.stop()
						b.StartTimer()
					}
					b.ReportMetric(float64(rows*b.N)/total.Seconds(), "rows/s")
				})
			}
		}
	}
}
