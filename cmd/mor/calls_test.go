package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCallsExportUsageErrors(t *testing.T) {
	f := newFake(t)
	out := filepath.Join(t.TempDir(), "calls.csv")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"calls", "export", "--from", "2024-05-01 00:00:00", "--to", "2024-05-02 00:00:00"}, "--out is required"},
		{[]string{"calls", "export", "--to", "2024-05-02 00:00:00", "--out", out}, "--from and --to are required"},
		{[]string{"calls", "export", "--from", "yesterday", "--to", "2024-05-02 00:00:00", "--out", out}, "--from"},
		{[]string{"calls", "export", "--from", "2024-05-02 00:00:00", "--to", "2024-05-01 00:00:00", "--out", out}, "--to is before --from"},
		{[]string{"calls", "export", "--from", "2024-05-01 00:00:00", "--to", "2024-05-02 00:00:00", "--out", out, "--format", "xml"}, "--format must be csv or jsonl"},
		{[]string{"calls", "export", "--from", "2024-05-01 00:00:00", "--to", "2024-05-02 00:00:00", "--out", out, "--window", "1500ms"}, "--window"},
		{[]string{"calls", "export", "--from", "2024-05-01 00:00:00", "--to", "2024-05-02 00:00:00", "--out", out, "--user", "bob"}, "--user"},
	} {
		r := runMor(t, f.env(), tt.args...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", tt.args, r.stderr)
		assert.Contains(t, r.stderr, tt.want)
	}
	assert.Zero(t, f.Requests("user_calls_get"))
}

func TestCallsExport(t *testing.T) {
	f := newFake(t)
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.Local)
	f.GenerateCalls(5000, day, day.Add(24*time.Hour-time.Second), 5)
	dir := t.TempDir()
	from, to := day.Format(time.RFC3339), day.Add(24*time.Hour-time.Second).Format(time.RFC3339)

	csvOut := filepath.Join(dir, "calls.csv")
	r := runMor(t, f.env(), "calls", "export", "--from", from, "--to", to, "--window", "2h", "--out", csvOut)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "exported 5000 records")
	assert.Contains(t, r.stderr, "windows 12/12")
	fh, err := os.Open(csvOut)
	require.NoError(t, err)
	rows, err := csv.NewReader(fh).ReadAll()
	fh.Close()
	require.NoError(t, err)
	require.Len(t, rows, 5001)
	assert.Equal(t, callsColumns, rows[0])
	assert.Equal(t, 12, f.Requests("user_calls_get"))
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		assert.False(t, seen[row[1]], "uniqueid %s twice", row[1])
		seen[row[1]] = true
		assert.Equal(t, "USD", row[16])
	}

	jsonOut := filepath.Join(dir, "calls.jsonl")
	r = runMor(t, f.env(), "calls", "export", "--from", from, "--to", to, "--window", "24h", "--format", "jsonl", "--user", "2", "--out", jsonOut)
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(jsonOut)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	require.NotEmpty(t, lines)
	assert.Less(t, len(lines), 5000)
	var first map[string]string
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	assert.Equal(t, "Test User #1", first["user"])

	// A second run with another period refuses the journal.
	r = runMor(t, f.env(), "calls", "export", "--from", from, "--to", day.Add(time.Hour).Format(time.RFC3339), "--window", "2h", "--out", csvOut)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "another export")
}

// Ctrl-C mid-export: exit 130 with the complete windows kept; the same
// command resumes after them, and the result equals an uninterrupted run.
func TestCallsExportInterruptedThenResumed(t *testing.T) {
	f := newFake(t)
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.Local)
	till := day.Add(48*time.Hour - time.Second)
	f.GenerateCalls(150000, day, till, 11)
	dir := t.TempDir()
	args := func(out string) []string {
		return []string{"calls", "export", "--from", day.Format(time.RFC3339), "--to", till.Format(time.RFC3339), "--window", "1h", "--out", out}
	}
	ref := filepath.Join(dir, "ref.csv")
	r := runMor(t, f.env(), args(ref)...)
	require.Equal(t, 0, r.code, r.stderr)

	out := filepath.Join(dir, "calls.csv")
	cmd, stdout, stderr := command(f.env(), args(out)...)
	require.NoError(t, cmd.Start())
	require.Eventually(t, func() bool { return strings.Contains(stderr.String(), "windows 2/48") }, 60*time.Second, 5*time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	r = finish(t, cmd.Wait(), stdout, stderr)
	require.Equal(t, exitInterrupted, r.code, r.stderr)
	assert.Contains(t, r.stderr, "complete windows kept")
	journal, err := os.ReadFile(out + ".journal")
	require.NoError(t, err)
	kept := strings.Count(string(journal), "\nwindow ")
	require.Less(t, kept, 48, "interrupted before the end")
	partial, err := os.ReadFile(out)
	require.NoError(t, err)
	full, err := os.ReadFile(ref)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(full), string(partial)), "only complete windows are kept")

	r = runMor(t, f.env(), args(out)...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "resuming after")
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, string(full), string(got))
}
