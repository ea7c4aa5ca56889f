package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// inDoubtJournal writes a results journal in which every number was
// journaled as started and never answered (a kill right after the batch
// was synced), as the next run finds it.
func inDoubtJournal(t *testing.T, path string, numbers []string) {
	t.Helper()
	b := appendCSVLine(nil, resultsHeader...)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i, n := range numbers {
		b = appendRecord(b, resultRecord{Line: i + 2, Number: n, Device: "2", Outcome: outcomeStarted, Time: at})
	}
	require.NoError(t, os.WriteFile(path, b, 0o644))
}

// fillDevice puts n CLIs on device 2, so that listing it is a big reply.
func fillDevice(f *fake, n int) {
	for i := range n {
		f.AddCLI(mortest.CLI{Number: strconv.Itoa(38_000_000_000 + i), DeviceID: 2})
	}
}

// Rows in doubt on one big device: cli_info_get says "CLI not found" for
// each (they were never sent), and the device's list is fetched once for
// the whole run, not once per row.
func TestImportResumeListsEachDeviceOnce(t *testing.T) {
	f := newFake(t)
	fillDevice(f, 3000)
	path, numbers := bulkCSV(t, 300, 37_300_000_000)
	inDoubtJournal(t, path+".results.csv", numbers)

	r := runMor(t, f.env(), "import", "--file", path, "--concurrency", "16")
	require.Equal(t, 0, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Equal(t, summary{rows: 300, added: 300}, parseSummary(t, r.stdout))
	assert.Equal(t, 300, f.Requests("cli_info_get"), "each row in doubt is checked")
	assert.Equal(t, 1, f.Requests("device_clis_get"), "device 2 must be listed once per run")
	for _, n := range numbers {
		require.Equal(t, 1, f.addCount(n))
	}
}

// A device list larger than the reply cap stops the import with the cap
// and how to raise it, fetched once, and is never called unreachable.
func TestImportCapErrorIsNotUnreachable(t *testing.T) {
	f := newFake(t)
	fillDevice(f, 200)
	path, numbers := bulkCSV(t, 100, 37_400_000_000)
	inDoubtJournal(t, path+".results.csv", numbers)

	r := runMor(t, f.env(), "import", "--file", path, "--concurrency", "8", "--max-response-bytes", "16KiB")
	require.Equal(t, exitError, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.NotContains(t, r.stderr, "reachable")
	assert.Contains(t, r.stderr, "more than the limit of 16384 bytes")
	assert.Contains(t, r.stderr, "mor: stopped: checking line ")
	assert.Contains(t, r.stderr, "the list of device 2's CLIs (device_clis_get) is larger than the cap of 16KiB on a reply: raise it with --max-response-bytes or MOR_MAX_RESPONSE_BYTES, e.g. --max-response-bytes 64KiB")
	assert.Contains(t, r.stderr, "hint: the reply was larger than the cap")
	assert.Contains(t, r.stderr, "--max-response-bytes")
	assert.Equal(t, 1, f.Requests("device_clis_get"))
	assert.Zero(t, f.addsSeen(), "no row in doubt may be sent unchecked")
	// The rows stay in doubt for the next run.
	history, err := readResults(path + ".results.csv")
	require.NoError(t, err)
	for _, n := range numbers {
		require.True(t, inDoubt(history[n].Outcome), "%s: %s", n, history[n].Outcome)
	}

	// A cap too small even for cli_add's reply stops at the first row,
	// which stays in doubt; still not "unreachable".
	fresh, freshNumbers := bulkCSV(t, 50, 37_450_000_000)
	r = runMor(t, f.env(), "import", "--file", fresh, "--concurrency", "1", "--max-response-bytes", "20")
	require.Equal(t, exitError, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.NotContains(t, r.stderr, "reachable")
	assert.Contains(t, r.stderr, "mor: stopped: the cli_add reply for line 2 was larger than the cap of 20 bytes on a reply: raise it with --max-response-bytes")
	assert.Equal(t, 1, f.addsSeen())
	history, err = readResults(fresh + ".results.csv")
	require.NoError(t, err)
	assert.Equal(t, outcomeUnknown, history[freshNumbers[0]].Outcome)

	// The environment sets the same cap, for every command.
	r = runMor(t, f.env("MOR_MAX_RESPONSE_BYTES=16KiB"), "cli", "list", "--device", "2")
	require.Equal(t, exitError, r.code, r.stderr)
	assert.Contains(t, r.stderr, "hint: the reply was larger than the cap")
	assert.NotContains(t, r.stderr, "mor: mor")
	r = runMor(t, f.env("MOR_MAX_RESPONSE_BYTES=lots"), "cli", "list")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "MOR_MAX_RESPONSE_BYTES")
	// And a cap large enough lets the resume through.
	r = runMor(t, f.env("MOR_MAX_RESPONSE_BYTES=1MiB"), "import", "--file", path)
	require.Equal(t, 0, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Equal(t, summary{rows: 100, added: 100}, parseSummary(t, r.stdout))
}

// tornJournal is a results journal as an older version wrote it, with a
// server message spanning lines (and holding quotes and a comma) in its
// last records.
func tornJournal() (data []byte, complete []int) {
	b := appendCSVLine(nil, resultsHeader...)
	complete = append(complete, len(b))
	b = append(b, "2,37500000000,2,added,CLI successfully created,2026-01-02T03:04:05Z\n"...)
	complete = append(complete, len(b))
	b = append(b, "3,37500000001,2,started,,2026-01-02T03:04:05Z\n"...)
	complete = append(complete, len(b))
	b = append(b, "3,37500000001,2,failed,\"Device was not found\nsee \"\"there\"\", and\r\nhere\",2026-01-02T03:04:06Z\n"...)
	complete = append(complete, len(b))
	b = append(b, "4,37500000002,2,unknown,\"no answer\n\",2026-01-02T03:04:07Z\n"...)
	complete = append(complete, len(b))
	return b, complete
}

// A journal cut anywhere in its last records (a kill mid-write), even
// inside a quoted message that spans lines, is read up to its last
// complete record, and reopening it for appending cuts it there.
func TestTornJournalEveryCut(t *testing.T) {
	data, complete := tornJournal()
	dir := t.TempDir()
	for cut := complete[1]; cut <= len(data); cut++ {
		path := filepath.Join(dir, fmt.Sprintf("cut%d.csv", cut))
		require.NoError(t, os.WriteFile(path, data[:cut], 0o644))
		history, err := readResults(path)
		require.NoError(t, err, "cut at %d: %q", cut, data[:cut])
		want := 0 // complete records before the cut
		for _, c := range complete[1:] {
			if c <= cut {
				want++
			}
		}
		switch {
		case want >= 4:
			assert.Equal(t, outcomeUnknown, history["37500000002"].Outcome, "cut at %d", cut)
			fallthrough
		case want >= 3:
			assert.Equal(t, outcomeFailed, history["37500000001"].Outcome, "cut at %d", cut)
			assert.NotContains(t, history["37500000001"].Message, "\n", "cut at %d", cut)
		case want == 2:
			assert.Equal(t, outcomeStarted, history["37500000001"].Outcome, "cut at %d", cut)
		}
		_, has := history["37500000002"]
		assert.Equal(t, want >= 4, has, "cut at %d", cut)

		j, err := openJournal(path)
		require.NoError(t, err, "cut at %d", cut)
		require.NoError(t, j.Close())
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		keep := 0
		for _, c := range complete {
			if c <= cut {
				keep = c
			}
		}
		require.Equal(t, string(data[:keep]), string(got), "cut at %d", cut)
	}
	// Damage before the end is not a torn tail: an error, not a guess.
	bad := bytes.Replace(data, []byte("2,37500000000,2,added,"), []byte("2,37500000000,added,"), 1)
	path := filepath.Join(dir, "damaged.csv")
	require.NoError(t, os.WriteFile(path, bad, 0o644))
	_, err := readResults(path)
	assert.ErrorContains(t, err, "damaged")
}

// Resuming from a journal cut at any byte of its last records, even inside
// a quoted multi-line message, works end to end; and server text is
// journaled on one line.
func TestResumeFromJournalCutInsideMessage(t *testing.T) {
	data, complete := tornJournal()
	inside := bytes.Index(data, []byte("and\r\nhere")) + 5 // just after the CR LF inside the quotes
	for cut := complete[2]; cut <= len(data); cut++ {
		f := newFake(t)
		path := writeFile(t, "clis.csv", "device_id,cli_number\n2,37500000000\n2,37500000001\n2,37500000002\n")
		require.NoError(t, os.WriteFile(path+".results.csv", data[:cut], 0o644))
		f.AddCLI(mortest.CLI{Number: "37500000000", DeviceID: 2}) // the journal says added

		r := runMor(t, f.env(), "import", "--file", path)
		require.Equal(t, 0, r.code, "cut at %d\nstdout:\n%s\nstderr:\n%s", cut, r.stdout, r.stderr)
		s := parseSummary(t, r.stdout)
		assert.Equal(t, 1, s.skipped, "cut at %d", cut)
		assert.Equal(t, 3, s.rows, "cut at %d", cut)
		assert.Equal(t, 2, s.added, "cut at %d", cut)
		assert.Equal(t, map[string]int{"123456": 1, "37500000000": 1, "37500000001": 1, "37500000002": 1}, f.numbersOn(2), "cut at %d", cut)
		if cut == inside {
			// 37500000001 was started and never answered: checked, then sent.
			assert.Equal(t, 1, f.addCount("37500000001"))
			assert.Equal(t, 1, f.Requests("cli_info_get"))
		}
	}

	rec := (&importer{}).rec(importRow{line: 2, params: mor.AddCLIParams{DeviceID: 2, CLINumber: "1"}},
		outcomeFailed, "Device was not found\nline 3,x,2,added,forged,2026-01-01T00:00:00Z\r\x1b[2J")
	line := appendRecord(nil, rec)
	assert.Equal(t, 1, bytes.Count(line, []byte("\n")), "%q", line)
	assert.NotContains(t, string(line), "\r")
	assert.NotContains(t, string(line), "\x1b")
}

// A symlink to the results file (or through a symlinked directory) shares
// the lock of the file itself.
func TestLockSymlinkSharesLock(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "out.csv")
	link := filepath.Join(dir, "link.csv")
	require.NoError(t, os.Symlink("out.csv", link))
	linkDir := filepath.Join(t.TempDir(), "d")
	require.NoError(t, os.Symlink(dir, linkDir))

	for _, exists := range []bool{false, true} {
		if exists {
			require.NoError(t, os.WriteFile(target, nil, 0o644))
		}
		unlock, err := lockResults(target)
		require.NoError(t, err)
		_, err = lockResults(link)
		assert.ErrorContains(t, err, "in use by another mor import", "symlink, target exists: %v", exists)
		_, err = lockResults(filepath.Join(linkDir, "out.csv"))
		assert.ErrorContains(t, err, "in use by another mor import", "symlinked dir, target exists: %v", exists)
		unlock()
	}
}

// unlock must not remove the lock file: a process that opened it before
// the unlock, and flocks it after, would hold an orphan while a third
// process creates a new lock file and holds that: two holders.
func TestUnlockKeepsLockFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock")
	}
	results := filepath.Join(t.TempDir(), "out.csv")
	unlockA, err := lockResults(results)
	require.NoError(t, err)
	b, err := os.OpenFile(results+".lock", os.O_RDWR, 0) // B opened it while A held it
	require.NoError(t, err)
	defer b.Close()
	unlockA()
	require.NoError(t, syscall.Flock(int(b.Fd()), syscall.LOCK_EX|syscall.LOCK_NB), "B takes the lock after A")
	_, err = lockResults(results) // C must see B's lock
	assert.ErrorContains(t, err, "in use by another mor import")
}

// The journal appends: bytes written to the file by someone else are
// never overwritten.
func TestJournalAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.csv")
	j, err := openJournal(path)
	require.NoError(t, err)
	other, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	_, err = other.WriteString("OTHER\n")
	require.NoError(t, err)
	require.NoError(t, other.Close())
	require.NoError(t, j.note(resultRecord{Line: 2, Number: "1", Device: "2", Outcome: outcomeAdded}))
	require.NoError(t, j.Close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), strings.Join(resultsHeader, ",")+"\nOTHER\n2,1,2,added,"), "%q", data)
}

// --results through a symlink: the symlink stays a symlink, its target
// gets the results.
func TestImportResultsSymlinkKept(t *testing.T) {
	f := newFake(t)
	path, _ := bulkCSV(t, 20, 37_600_000_000)
	dir := t.TempDir()
	target := filepath.Join(dir, "real.csv")
	link := filepath.Join(dir, "link.csv")
	require.NoError(t, os.Symlink("real.csv", link)) // dangling until the import writes
	r := runMor(t, f.env(), "import", "--file", path, "--results", link)
	require.Equal(t, 0, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeSymlink, "the results symlink was replaced by a file")
	assert.Len(t, resultLines(t, target), 20)
	_, err = os.Stat(link + ".lock")
	assert.ErrorIs(t, err, os.ErrNotExist, "the lock belongs beside the target")
	assert.FileExists(t, target+".lock")
}

// hostileServer answers every request with an API error whose text holds
// line breaks and an escape sequence.
func hostileServer(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <status>\n    <error>Device was not found\nhint: forged line&#13;\n\u009b2J\u202emor: all good</error>\n  </status>\n</page>\n")
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/billing"
}

func TestUXDefects(t *testing.T) {
	f := newFake(t)
	env := f.env()
	t.Run("unknown subcommand of a group", func(t *testing.T) {
		r := runMor(t, env, "cli", "lst")
		assert.Equal(t, exitUsage, r.code, r.stderr)
		assert.Contains(t, r.stderr, `mor: unknown command "lst" for "mor cli"`)
		assert.Contains(t, r.stderr, "list")
		assert.Empty(t, r.stdout)
		r = runMor(t, env, "cli")
		assert.Equal(t, 0, r.code)
		assert.Contains(t, r.stdout, "Available Commands")
	})
	t.Run("number trimmed in add, info, delete; --cli and --number everywhere", func(t *testing.T) {
		r := runMor(t, env, "cli", "add", "--device", "2", "--number", " 37061234 ")
		require.Equal(t, 0, r.code, r.stderr)
		_, ok := f.CLI("37061234")
		assert.True(t, ok, "stored with its spaces")
		r = runMor(t, env, "cli", "info", "--number", " 37061234")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stdout, "cli:       37061234\n")
		r = runMor(t, env, "cli", "info", "--cli", "37061234")
		require.Equal(t, 0, r.code, r.stderr)
		r = runMor(t, env, "cli", "delete", "--cli", "37061234 ")
		require.Equal(t, 0, r.code, r.stderr)
		_, ok = f.CLI("37061234")
		assert.False(t, ok)
		r = runMor(t, env, "cli", "add", "--help")
		assert.Contains(t, r.stdout, "trimmed")
	})
	t.Run("numeric forms users rarely mean are warned about", func(t *testing.T) {
		for _, n := range []string{"+37061235", "3706_1236", "3.706e10"} {
			r := runMor(t, env, "cli", "add", "--device", "2", "--number", n)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stderr, "mor: warning: --number "+strconv.Quote(n), n)
		}
		r := runMor(t, env, "cli", "add", "--device", "2", "--number", "37061237")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Empty(t, r.stderr)
		path := writeFile(t, "w.csv", "device_id,cli_number\n2,+37061238\n")
		r = runMor(t, env, "import", "--file", path)
		require.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stderr, path+":2: warning: cli_number \"+37061238\" starts with +")
	})
	t.Run("a write without an answer is in doubt", func(t *testing.T) {
		f.setAddDelay(time.Second)
		defer f.setAddDelay(0)
		r := runMor(t, env, "--timeout", "100ms", "cli", "add", "--device", "2", "--number", "37061239")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "hint: the cli_add may have been applied: check with `mor cli info --number 37061239` before retrying")
		r = runMor(t, env, "cli", "add", "--device", "2", "--number", "37061240")
		require.Equal(t, 0, r.code)
		r = runMor(t, env, "cli", "add", "--device", "2", "--number", "37061240")
		assert.Equal(t, exitError, r.code)
		assert.NotContains(t, r.stderr, "may have been applied", "a refusal is not in doubt")
	})
	t.Run("ids want numbers", func(t *testing.T) {
		r := runMor(t, env, "cli", "list", "--user", "admin")
		assert.Equal(t, exitUsage, r.code)
		assert.Contains(t, r.stderr, `want a numeric user id, e.g. 5, not "admin"`)
		assert.NotContains(t, r.stderr, "strconv")
	})
	t.Run("a URL without a scheme", func(t *testing.T) {
		for _, u := range []string{"mor.example.com:8080/billing", "mor.example.com/billing"} {
			r := runMor(t, append(cleanEnv(), "MOR_URL="+u, "MOR_USER=admin", "MOR_SECRET=s"), "cli", "list")
			assert.Equal(t, exitUsage, r.code, u)
			assert.Contains(t, r.stderr, "mor: MOR_URL: not a base URL: want the MOR web app's base URL with its scheme, e.g. https://mor.example.com/billing", u)
			assert.NotContains(t, r.stderr, "first path segment")
		}
	})
	t.Run("no such API also points at the URL", func(t *testing.T) {
		r := runMor(t, env, "call", "no_such_method")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "There is no such API")
		assert.Contains(t, r.stderr, "--url (MOR_URL)")
	})
	t.Run("rate must be a positive finite number", func(t *testing.T) {
		path := writeFile(t, "r.csv", "device_id,cli_number\n2,37061241\n")
		for _, rate := range []string{"NaN", "Inf", "+Inf", "-5", "0", "nan/m"} {
			r := runMor(t, env, "import", "--file", path, "--rate", rate)
			assert.Equal(t, exitUsage, r.code, rate)
			assert.Contains(t, r.stderr, "--rate", rate)
		}
		assert.Zero(t, f.addCount("37061241"))
	})
	t.Run("BOM and a quoted header", func(t *testing.T) {
		path := writeFile(t, "bom.csv", "\uFEFF\"device_id\",\"cli_number\"\r\n2,37061242\r\n")
		r := runMor(t, env, "import", "--file", path)
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, 1, f.addCount("37061242"))
	})
	t.Run("server text is escaped", func(t *testing.T) {
		henv := append(cleanEnv(), "MOR_URL="+hostileServer(t), "MOR_USER=admin", "MOR_SECRET=hostile-test-secret") // a 1-byte secret would be scrubbed from every word
		r := runMor(t, henv, "cli", "add", "--device", "2", "--number", "37061243")
		assert.Equal(t, exitError, r.code)
		for _, line := range strings.Split(r.stderr, "\n") {
			assert.False(t, strings.HasPrefix(line, "hint: forged"), "forged line in:\n%s", r.stderr)
			assert.NotContains(t, line, "\u009b")
			assert.NotContains(t, line, "\u202e")
			assert.NotContains(t, line, "\r")
		}
		assert.Contains(t, r.stderr, `Device was not found\nhint: forged line\r\n\u009b2J\u202emor: all good`)

		path := writeFile(t, "h.csv", "device_id,cli_number\n2,37061244\n")
		r = runMor(t, henv, "import", "--file", path)
		assert.Equal(t, exitError, r.code)
		for _, line := range strings.Split(r.stderr+r.stdout, "\n") {
			assert.False(t, strings.HasPrefix(line, "hint: forged"), "forged line in:\n%s", r.stderr)
			assert.NotContains(t, line, "\u009b")
		}
		data, err := os.ReadFile(path + ".results.csv")
		require.NoError(t, err)
		assert.Equal(t, 2, bytes.Count(data, []byte("\n")), "%q", data)

		var b bytes.Buffer
		require.NoError(t, writeCLIs(&b, "table", []mor.CLI{{ID: 1, Number: "1\nforged", Device: "SIP/1\r", IVR: "\x1b[2J"}}))
		assert.Equal(t, 2, strings.Count(b.String(), "\n"), "%q", b.String())
		assert.NotContains(t, b.String(), "\x1b")
	})
	t.Run("version", func(t *testing.T) {
		r := runMor(t, cleanEnv(), "--version")
		require.Equal(t, 0, r.code)
		assert.Equal(t, "mor "+mor.Version+" ("+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH+")\n", r.stdout)
	})
	t.Run("plurals", func(t *testing.T) {
		path := writeFile(t, "p.csv", "device_id,cli_number\n2,37061245\n2\n")
		r := runMor(t, env, "import", "--file", path)
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, ":3: invalid: has 1 field, the header has 2 fields")
		assert.Contains(t, r.stdout, "summary: 2 rows: 1 added, 0 already present, 0 conflicts,")
		assert.Regexp(t, `sent 1 row in \S+ \(\d+ rows?/s\)`, r.stdout)
		assert.NotRegexp(t, `\b1 rows`, r.stdout)
		assert.NotContains(t, r.stdout, " 1 conflicts")
	})
	t.Run("one prefix", func(t *testing.T) {
		r := runMor(t, env, "call")
		assert.Equal(t, exitUsage, r.code)
		assert.Contains(t, r.stderr, "mor: call: missing METHOD\n")
		r = runMor(t, env, "cli", "add", "--device", "999", "--number", "37061246")
		assert.Contains(t, r.stderr, "mor: cli_add: Device was not found\n")
		assert.NotContains(t, r.stderr, "mor: mor")
	})
}
