package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/morbilling/mor-go/mortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeFile writes a test input and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// bulkCSV is an import file of n rows for device 2, numbers from base.
func bulkCSV(t *testing.T, n int, base int64) (path string, numbers []string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("device_id,cli_number,description\n")
	for i := range n {
		num := strconv.FormatInt(base+int64(i), 10)
		numbers = append(numbers, num)
		fmt.Fprintf(&b, "2,%s,row %d\n", num, i)
	}
	return writeFile(t, "clis.csv", b.String()), numbers
}

var summaryRE = regexp.MustCompile(`summary: (\d+) rows?: (\d+) added, (\d+) already present, (\d+) conflicts?, (\d+) failed, (\d+) invalid, (\d+) unknown, (\d+) not attempted, (\d+) skipped \(done earlier\)`)

// summary is import's closing counts.
type summary struct {
	rows, added, present, conflicts, failed, invalid, unknown, pending, skipped int
}

func parseSummary(t *testing.T, stdout string) summary {
	t.Helper()
	m := summaryRE.FindStringSubmatch(stdout)
	require.NotNil(t, m, "no summary in:\n%s", stdout)
	n := make([]int, len(m))
	for i := 1; i < len(m); i++ {
		n[i], _ = strconv.Atoi(m[i])
	}
	return summary{n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9]}
}

// resultLines reads every line of a results file.
func resultLines(t *testing.T, path string) []resultRecord {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Equal(t, resultsHeader, recs[0])
	var out []resultRecord
	for _, r := range recs[1:] {
		line, err := strconv.Atoi(r[0])
		require.NoError(t, err)
		out = append(out, resultRecord{Line: line, Number: r[1], Device: r[2], Outcome: r[3], Message: r[4]})
	}
	return out
}

// requireExactState checks the fake holds the seed's CLI on device 2 plus
// exactly numbers, each sent exactly once, and that the results file says
// so, one line per row.
func requireExactState(t *testing.T, f *fake, numbers []string, results string) {
	t.Helper()
	want := map[string]int{"123456": 1}
	for _, n := range numbers {
		want[n] = 1
	}
	require.Equal(t, want, f.numbersOn(2), "device 2 must hold exactly the imported CLIs")
	require.Len(t, f.CLIs(), len(numbers)+3)
	for _, n := range numbers {
		if c := f.addCount(n); c != 1 {
			t.Fatalf("cli_add for %s was sent %d times, want once", n, c)
		}
	}
	lines := resultLines(t, results)
	require.Len(t, lines, len(numbers))
	for i, l := range lines {
		require.Equal(t, i+2, l.Line)
		require.Equal(t, numbers[i], l.Number)
		require.Equal(t, "2", l.Device)
		require.True(t, done(l.Outcome), "line %d: %s %s", l.Line, l.Outcome, l.Message)
	}
}

func TestImport10k(t *testing.T) {
	f := newFake(t)
	path, numbers := bulkCSV(t, 10_000, 37_000_000_000)
	r := runMor(t, f.env(), "import", "--file", path, "--concurrency", "16")
	require.Equal(t, 0, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Equal(t, summary{rows: 10_000, added: 10_000}, parseSummary(t, r.stdout))
	assert.Contains(t, r.stdout, "results: "+path+".results.csv\n")
	requireExactState(t, f, numbers, path+".results.csv")
	assert.Regexp(t, `progress: 10000/10000 rows: 10000 added`, r.stderr) // not a TTY: plain lines

	// Running it again sends nothing.
	before := f.Requests("cli_add")
	r = runMor(t, f.env(), "import", "--file", path, "--concurrency", "16")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, summary{rows: 10_000, skipped: 10_000}, parseSummary(t, r.stdout))
	assert.Equal(t, before, f.Requests("cli_add"))
}

// waitForAdded polls the results journal until at least n rows are added.
func waitForAdded(t *testing.T, path string, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		data, _ := os.ReadFile(path)
		return strings.Count(string(data), ",added,") >= n
	}, 60*time.Second, 5*time.Millisecond, "the import never got to %d rows", n)
}

func TestImportInterruptedThenResumed(t *testing.T) {
	f := newFake(t)
	path, numbers := bulkCSV(t, 10_000, 37_100_000_000)
	results := filepath.Join(t.TempDir(), "out.csv")
	args := []string{"import", "--file", path, "--concurrency", "16", "--results", results}
	// The rate keeps the run long enough to be interrupted part way.
	cmd, out, errb := command(f.env(), append(args, "--rate", "4000/s", "--progress-interval", "100ms")...)
	require.NoError(t, cmd.Start())
	waitForAdded(t, results, 1500)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	r := finish(t, cmd.Wait(), out, errb)
	require.Equal(t, exitInterrupted, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Contains(t, r.stderr, "interrupt: sending no more rows; finishing the rows in flight")
	assert.Contains(t, r.stderr, "progress: ")

	first := parseSummary(t, r.stdout)
	assert.GreaterOrEqual(t, first.added, 1500)
	assert.Less(t, first.added, 10_000, "the interrupt came too late to test anything")
	assert.Equal(t, summary{rows: 10_000, added: first.added, pending: 10_000 - first.added}, first)
	// The results file is complete after the interrupt: one line per row,
	// added or pending, nothing in doubt (the rows in flight finished).
	lines := resultLines(t, results)
	require.Len(t, lines, 10_000)
	added := 0
	for _, l := range lines {
		require.Contains(t, []string{outcomeAdded, outcomePending}, l.Outcome)
		if l.Outcome == outcomeAdded {
			added++
			require.Equal(t, 1, f.addCount(l.Number))
		} else {
			require.Equal(t, 0, f.addCount(l.Number))
		}
	}
	assert.Equal(t, first.added, added)
	assert.Len(t, f.numbersOn(2), 1+added)

	r = runMor(t, f.env(), args...)
	require.Equal(t, 0, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Equal(t, summary{rows: 10_000, added: 10_000 - first.added, skipped: first.added}, parseSummary(t, r.stdout))
	requireExactState(t, f, numbers, results)
}

// A kill -9 leaves "started" records with no outcome; the next run checks
// each with cli_info_get instead of adding blindly.
func TestImportKilledThenResumed(t *testing.T) {
	f := newFake(t)
	path, numbers := bulkCSV(t, 4_000, 37_200_000_000)
	args := []string{"import", "--file", path, "--concurrency", "16"}
	cmd, out, errb := command(f.env(), append(args, "--rate", "4000/s")...)
	require.NoError(t, cmd.Start())
	waitForAdded(t, path+".results.csv", 1000)
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	t.Logf("stderr of the killed run:\n%s", errb.String())
	_ = out

	history, err := readResults(path + ".results.csv")
	require.NoError(t, err)
	inDoubtRows := 0
	for _, rec := range history {
		if inDoubt(rec.Outcome) {
			inDoubtRows++
		}
	}
	t.Logf("killed with %d rows done and %d in doubt", len(history)-inDoubtRows, inDoubtRows)
	infoBefore := f.Requests("cli_info_get")

	r := runMor(t, f.env(), args...)
	require.Equal(t, 0, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	s := parseSummary(t, r.stdout)
	assert.Equal(t, 4_000, s.added+s.present+s.skipped)
	assert.Zero(t, s.conflicts+s.failed+s.unknown+s.pending)
	assert.GreaterOrEqual(t, f.Requests("cli_info_get")-infoBefore, inDoubtRows, "every row in doubt is checked first")
	requireExactState(t, f, numbers, path+".results.csv")
}

// Rows in doubt from an earlier run are checked, never blindly re-sent: on
// the requested device → present; elsewhere → conflict; not there → added;
// on a reseller's user's device, which cli_info_get hides from the admin,
// the device's listing decides.
func TestImportResumeChecksRowsInDoubt(t *testing.T) {
	f := newFake(t)
	f.AddCLI(mortest.CLI{Number: "555666", DeviceID: 6}) // on the reseller's own device
	path := writeFile(t, "clis.csv", `device_id,cli_number
2,123456
2,37080001
2,555666
7,987654
2,37080002
`)
	at := time.Now().UTC().Format(time.RFC3339)
	require.NoError(t, os.WriteFile(path+".results.csv", []byte(`line,number,device,outcome,message,time
2,123456,2,started,,`+at+`
3,37080001,2,started,,`+at+`
4,555666,2,unknown,abandoned on interrupt,`+at+`
5,987654,7,started,,`+at+`
6,37080002,2,added,CLI successfully created,`+at+`
2,123456,2,started,,`+at+`
7,37080003,2,started,,`+at+`
7,37080003,2,added,CLI successfully created,`+at+`
8,`), 0o644)) // a torn last line, as after a kill mid-write

	r := runMor(t, f.env(), "import", "-f", path)
	assert.Equal(t, exitError, r.code, "a conflict is not success")
	assert.Equal(t, summary{rows: 5, added: 1, present: 2, conflicts: 1, skipped: 1}, parseSummary(t, r.stdout))
	for _, n := range []string{"123456", "555666", "987654", "37080002"} {
		assert.Zero(t, f.addCount(n), "cli_add sent for %s", n)
	}
	assert.Equal(t, 1, f.addCount("37080001"))

	lines := resultLines(t, path+".results.csv")
	require.Len(t, lines, 6) // five rows, then the record of a CLI no longer in the file
	assert.Equal(t, outcomePresent, lines[0].Outcome)
	assert.Contains(t, lines[0].Message, "cli_info_get: on device 2 (user 2)")
	assert.Equal(t, outcomeAdded, lines[1].Outcome)
	assert.Contains(t, lines[1].Message, "checked first")
	assert.Equal(t, outcomeConflict, lines[2].Outcome)
	assert.Contains(t, lines[2].Message, "on device 6 (user 3), not on device 2")
	assert.Equal(t, outcomePresent, lines[3].Outcome)
	assert.Contains(t, lines[3].Message, "device_clis_get: on device 7")
	assert.Equal(t, outcomeAdded, lines[4].Outcome)
	assert.Equal(t, resultRecord{Line: 7, Number: "37080003", Device: "2", Outcome: outcomeAdded, Message: "CLI successfully created"}, lines[5])
	assert.Contains(t, r.stderr, "line 4: 555666 on device 2: conflict:")
}

// "CLI already exists" is looked into: on the requested device it is done,
// elsewhere a conflict, whoever can see it.
func TestImportExistingCLIs(t *testing.T) {
	f := newFake(t)
	f.AddCLI(mortest.CLI{Number: "555666", DeviceID: 6}) // on the reseller's own device
	path := writeFile(t, "clis.csv", `device_id,cli_number
2,123456
7,987654
2,987654
2,555666
7,37090001
999,37090002
`)
	r := runMor(t, f.env(), "import", "-f", path)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "duplicate: cli_number 987654 is already on line 3") // the CSV check comes first
	assert.Equal(t, summary{rows: 6, added: 1, present: 2, conflicts: 1, failed: 1, invalid: 1}, parseSummary(t, r.stdout))
	lines := resultLines(t, path+".results.csv")
	require.Len(t, lines, 6)
	assert.Equal(t, outcomePresent, lines[0].Outcome)
	assert.Contains(t, lines[0].Message, "CLI already exists. It is assigned to Test User #1 device; cli_info_get: on device 2")
	assert.Equal(t, outcomePresent, lines[1].Outcome)
	assert.Contains(t, lines[1].Message, "device_clis_get: on device 7 (cli_info_get cannot see it")
	assert.Equal(t, outcomeInvalid, lines[2].Outcome)
	assert.Equal(t, outcomeConflict, lines[3].Outcome)
	assert.Contains(t, lines[3].Message, "cli_info_get: on device 6 (user 3), not on device 2")
	assert.Equal(t, outcomeAdded, lines[4].Outcome)
	assert.Equal(t, outcomeFailed, lines[5].Outcome)
	assert.Equal(t, "Device was not found", lines[5].Message)
	c, ok := f.CLI("37090001")
	require.True(t, ok)
	assert.Equal(t, int64(7), c.DeviceID)
}

func TestImportBadRows(t *testing.T) {
	f := newFake(t)
	path := writeFile(t, "clis.csv", `device_id,cli_number,description,banned
2,37070001,ok,
2,abc,non-numeric,
,37070002,missing device,
2,37070001,duplicate of line 2 on another line,
2,37070003,too,many,fields
x7,37070004,bad device,
2,37070005,bad banned,maybe
2,,no number,

2,37070006,"a ""quoted"", multi
line description",1
2,37070001,ok,
2,37070007,"broken "quote",0
2,37070008,last,no
`)
	r := runMor(t, f.env(), "import", "-f", path, "-c", "2")
	assert.Equal(t, exitError, r.code, r.stderr)
	for _, want := range []string{
		path + `:3: invalid: cli_number "abc" is not numeric`,
		path + `:4: invalid: device_id is empty`,
		path + `:5: invalid: duplicate: cli_number 37070001 is already on line 2`,
		path + `:6: invalid: has 5 fields, the header has 4`,
		path + `:7: invalid: device_id "x7" is not a positive integer`,
		path + `:8: invalid: banned "maybe" is not 0/1`,
		path + `:9: invalid: cli_number is empty`,
		path + `:13: invalid: duplicate: cli_number 37070001 is already on line 2`,
		path + `:14: invalid: malformed CSV:`,
	} {
		assert.Contains(t, r.stderr, want)
	}
	assert.Equal(t, summary{rows: 12, added: 3, invalid: 9}, parseSummary(t, r.stdout))
	assert.Equal(t, map[string]int{"123456": 1, "37070001": 1, "37070006": 1, "37070008": 1}, f.numbersOn(2))
	c, _ := f.CLI("37070006")
	assert.Equal(t, int64(1), c.Banned)
	require.NotNil(t, c.Description)
	assert.Equal(t, "a \"quoted\", multi\nline description", *c.Description)

	lines := resultLines(t, path+".results.csv")
	require.Len(t, lines, 12)
	var got []string
	for _, l := range lines {
		got = append(got, fmt.Sprintf("%d %s", l.Line, l.Outcome))
	}
	assert.Equal(t, []string{"2 added", "3 invalid", "4 invalid", "5 invalid", "6 invalid", "7 invalid", "8 invalid",
		"9 invalid", "11 added", "13 invalid", "14 invalid", "15 added"}, got)

	// The dry run reads the same file and the results: nothing left to send.
	r = runMor(t, f.env(), "import", "-f", path, "--dry-run")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stdout, "dry run: 12 rows in "+path+": 3 valid, 9 invalid; 3 done earlier (skipped), 0 to send")
}

// A wrong secret fails every row alike: the import stops at once instead
// of sending thousands of doomed requests.
func TestImportStopsOnIncorrectHash(t *testing.T) {
	f := newFake(t)
	path, _ := bulkCSV(t, 2_000, 37_300_000_000)
	r := runMor(t, f.env("MOR_SECRET=wrong"), "import", "-f", path, "-c", "4")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "mor: stopped: every row would fail: cli_add: Incorrect hash\n")
	assert.Contains(t, r.stderr, "hint: see exactly what is hashed: mor hash --explain cli_add")
	s := parseSummary(t, r.stdout)
	assert.LessOrEqual(t, s.failed, 4+1)
	assert.Equal(t, 2_000, s.failed+s.pending)
	assert.LessOrEqual(t, f.Requests("cli_add"), 4+1)
	assert.Empty(t, f.numbersOn(2)["37300000000"])
}

// A second Ctrl-C abandons the rows in flight: they are recorded as unknown
// (the server may have them), and the next run checks them first. Here the
// server did add them after the client left, so the check finds them and
// nothing is sent twice.
func TestImportSecondInterruptAbandons(t *testing.T) {
	f := newFake(t)
	f.setAddDelay(3 * time.Second)
	path, numbers := bulkCSV(t, 40, 37_400_000_000)
	args := []string{"import", "--file", path, "--concurrency", "4"}
	cmd, out, errb := command(f.env(), args...)
	require.NoError(t, cmd.Start())
	// Four rows in flight: their requests have reached the (slow) server.
	require.Eventually(t, func() bool { return f.addsSeen() == 4 }, 20*time.Second, 5*time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	require.Eventually(t, func() bool { return strings.Contains(errb.String(), "finishing the rows in flight") },
		10*time.Second, 5*time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	start := time.Now()
	r := finish(t, cmd.Wait(), out, errb)
	assert.Less(t, time.Since(start), 2*time.Second, "abandoning must not wait for the server")
	require.Equal(t, exitInterrupted, r.code, r.stderr)
	assert.Contains(t, r.stderr, "interrupt: abandoning the rows in flight")
	assert.Equal(t, summary{rows: 40, unknown: 4, pending: 36}, parseSummary(t, r.stdout))
	assert.Contains(t, r.stdout, "4 rows may have reached the server without an answer")
	for _, l := range resultLines(t, path+".results.csv")[:4] {
		assert.Equal(t, outcomeUnknown, l.Outcome)
		assert.Contains(t, l.Message, "abandoned on interrupt")
	}

	// The server finishes the abandoned adds (mortest counts a request when
	// it handles it, after the delay).
	require.Eventually(t, func() bool { return f.Requests("cli_add") == 4 }, 10*time.Second, 5*time.Millisecond,
		"mortest handled %d cli_add", f.Requests("cli_add"))
	f.setAddDelay(0)
	r = runMor(t, f.env(), args...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, summary{rows: 40, added: 36, present: 4}, parseSummary(t, r.stdout))
	requireExactState(t, f, numbers, path+".results.csv")
}

// A server that cannot be reached: the first row fails as "not sent" (a
// refused connection never reached anything) and the import stops.
func TestImportServerDown(t *testing.T) {
	f := newFake(t)
	path, _ := bulkCSV(t, 500, 37_500_000_000)
	env := append(cleanEnv(), "MOR_URL=http://127.0.0.1:1/billing", "MOR_USER=admin", "MOR_SECRET=secret")
	r := runMor(t, env, "import", "-f", path, "-c", "4")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "mor: stopped: cannot reach the server:")
	s := parseSummary(t, r.stdout)
	assert.Equal(t, 500, s.failed+s.pending)
	assert.LessOrEqual(t, s.failed, 4)
	assert.Zero(t, s.unknown)

	r = runMor(t, f.env(), "import", "-f", path, "--results", path)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "is the input file")
}

// journalCounts counts a results journal's records by outcome.
func journalCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, l := range resultLines(t, path) {
		counts[l.Outcome]++
	}
	return counts
}

// Started records are journaled a batch ahead of the workers, so rows
// can be announced and never sent. After a clean interrupt those rows are
// pending, not in doubt: the next run sends them without checking.
func TestImportInterruptLeavesPrejournaledRowsPending(t *testing.T) {
	f := newFake(t)
	f.setAddDelay(2 * time.Second)
	path, numbers := bulkCSV(t, 200, 37_600_000_000)
	results := path + ".results.csv"
	f.requireJournaledBeforeSent(results)
	args := []string{"import", "--file", path, "--concurrency", "4"}
	cmd, out, errb := command(f.env(), args...)
	require.NoError(t, cmd.Start())
	require.Eventually(t, func() bool { return f.addsSeen() == 4 }, 20*time.Second, 5*time.Millisecond)
	// The journal announces more rows than are in flight: the batch ahead
	// (synced while the four requests wait on the slow server).
	assert.Eventually(t, func() bool { return journalCounts(t, results)[outcomeStarted] > 4 },
		time.Second, 5*time.Millisecond, "no rows journaled ahead of the workers")
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	r := finish(t, cmd.Wait(), out, errb)
	require.Equal(t, exitInterrupted, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Equal(t, summary{rows: 200, added: 4, pending: 196}, parseSummary(t, r.stdout))
	assert.NotContains(t, r.stdout, "may have reached the server")
	lines := resultLines(t, results)
	require.Len(t, lines, 200)
	for i, l := range lines {
		want := outcomePending
		if i < 4 {
			want = outcomeAdded
		}
		require.Equal(t, want, l.Outcome, "line %d", l.Line)
	}

	f.setAddDelay(0)
	infoBefore := f.Requests("cli_info_get")
	r = runMor(t, f.env(), args...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, summary{rows: 200, added: 196, skipped: 4}, parseSummary(t, r.stdout))
	assert.Equal(t, infoBefore, f.Requests("cli_info_get"), "pending rows need no check")
	requireExactState(t, f, numbers, results)
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Empty(t, f.unjournaled, "cli_add sent before its started record was in the journal")
	assert.Equal(t, 200, f.journalReads)
}

// kill -9 at full speed, no rate limit: every cli_add the server saw was
// journaled as started first; the journal then holds rows in doubt (in
// flight, journaled ahead and never sent, or answered but not yet
// written), and the next run checks each of them, adds the rest, and
// never sends a row twice.
func TestImportKilledAtFullSpeedThenResumed(t *testing.T) {
	f := newFake(t)
	path, numbers := bulkCSV(t, 3_000, 37_700_000_000)
	results := path + ".results.csv"
	f.requireJournaledBeforeSent(results)
	args := []string{"import", "--file", path, "--concurrency", "16"}
	cmd, _, errb := command(f.env(), args...)
	require.NoError(t, cmd.Start())
	waitForAdded(t, results, 500)
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	t.Logf("stderr of the killed run:\n%s", errb.String())
	// Requests the killed process had written may still be in the
	// server's socket buffers: let them arrive.
	for seen := -1; seen != f.addsSeen(); {
		seen = f.addsSeen()
		time.Sleep(300 * time.Millisecond)
	}

	history, err := readResults(results)
	require.NoError(t, err)
	inDoubtRows, sentInDoubt := 0, 0
	for _, rec := range history {
		if inDoubt(rec.Outcome) {
			inDoubtRows++
			sentInDoubt += f.addCount(rec.Number)
		}
	}
	sent := f.Requests("cli_add")
	t.Logf("killed after %d cli_add: %d rows in the journal, %d in doubt, of which %d were sent", sent, len(history), inDoubtRows, sentInDoubt)
	require.Less(t, sent, 3_000, "the kill came too late to test anything")
	for _, n := range numbers {
		if f.addCount(n) > 0 {
			_, ok := history[n]
			require.True(t, ok, "%s was sent and is not in the journal", n)
		}
	}

	infoBefore := f.Requests("cli_info_get")
	f.requireJournaledBeforeSent(results)
	r := runMor(t, f.env(), args...)
	require.Equal(t, 0, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	s := parseSummary(t, r.stdout)
	assert.Equal(t, 3_000, s.added+s.present+s.skipped)
	assert.Equal(t, sentInDoubt, s.present, "exactly the rows in doubt that had been sent are found present")
	assert.Zero(t, s.conflicts+s.failed+s.unknown+s.pending)
	assert.GreaterOrEqual(t, f.Requests("cli_info_get")-infoBefore, inDoubtRows, "every row in doubt is checked first")
	requireExactState(t, f, numbers, results)
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Empty(t, f.unjournaled, "cli_add sent before its started record was in the journal")
}
