package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/internal/leaktest"
	"github.com/morbilling/mor-go/mortest"
)

// morBin is the mor binary under test, built once by TestMain.
var morBin string

// raceExit is the status a race-detector binary exits with on a race.
const raceExit = 66

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mor-cmd-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	morBin = filepath.Join(dir, "mor")
	args := []string{"build", "-o", morBin}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building mor:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	// No goroutine may outlive the tests (in-process fakes, clients).
	os.Exit(leaktest.Check(code))
}

// fake is an in-process mortest server behind a wrapper that counts the
// cli_add requests per cli_number, so a test can prove no row was sent
// twice.
type fake struct {
	*mortest.Server
	URL string // base URL for --url / MOR_URL

	mu       sync.Mutex
	adds     map[string]int
	addDelay time.Duration // cli_add is answered this late (the add still happens)

	// journal, when set, is a results file that must hold a started
	// record for every cli_add's number by the time the request arrives;
	// unjournaled lists the numbers that arrived without one.
	journal      string
	unjournaled  []string
	journalReads int
}

// requireJournaledBeforeSent makes the fake check, as each cli_add
// arrives, that the import's results file already announces the row as
// started; see fake.journal.
func (f *fake) requireJournaledBeforeSent(path string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.journal = path
}

// checkJournaled records number as unjournaled unless the journal has a
// started record for it; f.mu is held.
func (f *fake) checkJournaled(number string) {
	if f.journal == "" {
		return
	}
	f.journalReads++
	data, err := os.ReadFile(f.journal)
	if err != nil || !bytes.Contains(data, []byte(","+number+",2,started,")) {
		f.unjournaled = append(f.unjournaled, number)
	}
}

// setAddDelay makes the server slow to answer cli_add from now on.
func (f *fake) setAddDelay(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addDelay = d
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{Server: mortest.New(mortest.WithSpecWorld()), adds: map[string]int{}}
	inner := f.Server.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/cli_add") {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			f.mu.Lock()
			if form, err := url.ParseQuery(string(body)); err == nil {
				f.adds[form.Get("cli_number")]++
				f.checkJournaled(form.Get("cli_number"))
			}
			delay := f.addDelay
			f.mu.Unlock()
			// Like a busy server, finish the add even if the client left.
			time.Sleep(delay)
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	f.URL = ts.URL + "/billing"
	return f
}

// addCount is how many cli_add requests carried number.
func (f *fake) addCount(number string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.adds[number]
}

// addsSeen is how many cli_add requests arrived, whether handled yet or not.
func (f *fake) addsSeen() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.adds {
		n += c
	}
	return n
}

// numbersOn returns the CLI numbers on a device.
func (f *fake) numbersOn(device int64) map[string]int {
	got := map[string]int{}
	for _, c := range f.CLIs() {
		if c.DeviceID == device {
			got[c.Number]++
		}
	}
	return got
}

// result is one finished run of the binary.
type result struct {
	stdout, stderr string
	code           int
}

// env returns a process environment for the fake: admin with the spec
// secret, and nothing inherited that could point mor elsewhere.
func (f *fake) env(extra ...string) []string {
	return append(cleanEnv(), append([]string{"MOR_URL=" + f.URL, "MOR_USER=admin", "MOR_SECRET=" + mortest.SpecSecret}, extra...)...)
}

func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MOR_") {
			env = append(env, kv)
		}
	}
	return append(env, "GORACE=halt_on_error=1 exitcode=66 atexit_sleep_ms=0")
}

// lockedBuffer is written by exec's copying goroutine and may be read by
// the test while the process runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// command prepares the binary with env and args.
func command(env []string, args ...string) (cmd *exec.Cmd, stdout, stderr *lockedBuffer) {
	cmd = exec.Command(morBin, args...)
	cmd.Env = env
	stdout, stderr = &lockedBuffer{}, &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd, stdout, stderr
}

// runMor runs the binary to completion.
func runMor(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd, out, errb := command(env, args...)
	err := cmd.Run()
	return finish(t, err, out, errb)
}

func finish(t *testing.T, err error, out, errb *lockedBuffer) result {
	t.Helper()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("running mor: %v", err)
	}
	require.NotEqual(t, raceExit, r.code, "data race in mor:\n%s", r.stderr)
	return r
}

// fakeProc is a running mor fake-server.
type fakeProc struct {
	base string        // base URL it printed
	cmd  *exec.Cmd     // the process
	out  *syncBuffer   // its stdout so far
	eof  chan struct{} // closed when its stdout is closed (it exited)
}

// startFakeServer runs mor fake-server on a free port.
func startFakeServer(t *testing.T, args ...string) *fakeProc {
	t.Helper()
	cmd := exec.Command(morBin, append([]string{"fake-server", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = cleanEnv()
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	cmd.Stdout = pw
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	pw.Close() // the child has its own copy: EOF comes when it exits
	p := &fakeProc{cmd: cmd, out: &syncBuffer{}, eof: make(chan struct{})}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		pr.Close()
	})
	urlc := make(chan string, 1)
	go func() {
		defer close(p.eof)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			p.out.WriteLine(line)
			if u, ok := strings.CutPrefix(line, "URL:"); ok {
				urlc <- strings.TrimSpace(u)
			}
		}
	}()
	select {
	case p.base = <-urlc:
	case <-p.eof:
		t.Fatalf("fake-server exited; output:\n%s", p.out.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("fake-server printed no URL; output so far:\n%s", p.out.String())
	}
	require.Eventually(t, func() bool { return strings.Contains(p.out.String(), "Ctrl-C stops the server.") },
		10*time.Second, 10*time.Millisecond)
	return p
}

// syncBuffer collects lines written by one goroutine and read by another.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) WriteLine(l string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.WriteString(l + "\n")
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// interrupt sends SIGINT and waits for the process to end.
func interrupt(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	err := cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	require.NoError(t, err)
	return 0
}

func TestMainBuilds(t *testing.T) {
	r := runMor(t, cleanEnv(), "--help")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "Exit status:")
}
