package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Outcomes recorded in the results file.
const (
	// outcomeStarted is written, and synced to disk, before a cli_add is
	// sent: from then on the request may have reached the server. A row
	// whose last record is "started" is checked before it is sent again.
	outcomeStarted = "started"
	// outcomeAdded: the server answered "CLI successfully created".
	outcomeAdded = "added"
	// outcomePresent: the CLI is on the requested device already (the
	// server said "CLI already exists" and a check found it there, or a
	// check after an unanswered attempt did).
	outcomePresent = "present"
	// outcomeConflict: the CLI exists, but not on the requested device.
	outcomeConflict = "conflict"
	// outcomeFailed: the server refused the cli_add (nothing was added).
	outcomeFailed = "failed"
	// outcomeUnknown: the cli_add may have reached the server and no check
	// settled it (transport error, abandoned on interrupt). Like started,
	// it is checked before any retry.
	outcomeUnknown = "unknown"
	// outcomeInvalid: the row failed validation and was never sent.
	outcomeInvalid = "invalid"
	// outcomePending: not attempted yet (the run was interrupted or stopped).
	outcomePending = "pending"
)

// done reports whether a row with this outcome needs no more work.
func done(outcome string) bool { return outcome == outcomeAdded || outcome == outcomePresent }

// inDoubt reports whether a cli_add for the row may have reached the server
// without its answer being recorded: it must be checked before a retry.
func inDoubt(outcome string) bool { return outcome == outcomeStarted || outcome == outcomeUnknown }

var resultsHeader = []string{"line", "number", "device", "outcome", "message", "time"}

// resultRecord is one line of the results file.
type resultRecord struct {
	Line    int
	Number  string
	Device  string
	Outcome string
	Message string
	Time    time.Time
}

func (r resultRecord) fields() []string {
	return []string{strconv.Itoa(r.Line), r.Number, r.Device, r.Outcome, r.Message, r.Time.UTC().Format(time.RFC3339)}
}

// readResults reads an existing results file (a previous run's journal, or
// its compacted form) and returns the last record for each CLI key of the
// rows that were sent (invalid and pending rows are left out). A
// missing file is an empty history. A torn last line (the process was killed
// mid-write) is ignored: a record is written completely before the request
// it announces is sent.
func readResults(path string) (map[string]resultRecord, error) {
	last := map[string]resultRecord{}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return last, nil
	}
	if err != nil {
		return nil, err
	}
	if i := bytes.LastIndexByte(data, '\n'); i < len(data)-1 {
		data = data[:i+1] // drop a torn last line
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = len(resultsHeader)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return last, nil
	}
	if err != nil || !slices.Equal(header, resultsHeader) {
		return nil, fmt.Errorf("%s is not a mor import results file (want header %v)", path, resultsHeader)
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return last, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := strconv.Atoi(rec[0])
		t, _ := time.Parse(time.RFC3339, rec[5])
		r := resultRecord{Line: line, Number: rec[1], Device: rec[2], Outcome: rec[3], Message: rec[4], Time: t}
		if r.Outcome == outcomeInvalid || r.Outcome == outcomePending {
			// Never sent: says nothing about the server, and must not hide
			// the record of another line with the same number.
			continue
		}
		last[cliKey(r.Number)] = r
	}
}

// journal appends records to the results file as the import goes. Every
// record reaches the operating system (one write) before append returns, so
// killing the process loses nothing written; a durable record is also on
// disk (fsync) before append returns. Concurrent durable appends share one
// fsync (group commit), so syncing every "started" record costs little.
type journal struct {
	path string
	f    *os.File

	mu      sync.Mutex // guards f writes, written
	buf     bytes.Buffer
	written uint64 // records written

	syncMu sync.Mutex // one fsync at a time
	synced uint64     // records known to be on disk
	err    error      // first write or sync error; the journal is unusable after it
}

// openJournal opens path for appending, creating it with a header. A torn
// last line is cut off first, so that new records start on a line of their
// own.
func openJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	j := &journal{path: path, f: f}
	if err := j.prepare(); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return j, nil
}

func (j *journal) prepare() error {
	data, err := io.ReadAll(j.f)
	if err != nil {
		return err
	}
	keep := int64(bytes.LastIndexByte(data, '\n') + 1)
	if keep != int64(len(data)) {
		if err := j.f.Truncate(keep); err != nil {
			return err
		}
	}
	if _, err := j.f.Seek(keep, io.SeekStart); err != nil {
		return err
	}
	if keep == 0 {
		return j.writeLine(resultsHeader)
	}
	return nil
}

// writeLine writes one CSV line with a single write call.
func (j *journal) writeLine(fields []string) error {
	j.buf.Reset()
	w := csv.NewWriter(&j.buf)
	_ = w.Write(fields)
	w.Flush()
	_, err := j.f.Write(j.buf.Bytes())
	return err
}

// append writes r; with durable it returns only once r is on disk.
func (j *journal) append(r resultRecord, durable bool) error {
	j.mu.Lock()
	if j.err != nil {
		err := j.err
		j.mu.Unlock()
		return err
	}
	if err := j.writeLine(r.fields()); err != nil {
		j.err = fmt.Errorf("writing %s: %w", j.path, err)
		j.mu.Unlock()
		return j.err
	}
	j.written++
	seq := j.written
	j.mu.Unlock()
	if durable {
		return j.syncTo(seq)
	}
	return nil
}

// syncTo returns once record seq is on disk: whoever holds syncMu syncs
// everything written so far, so waiters behind it usually find their
// record covered already.
func (j *journal) syncTo(seq uint64) error {
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	if j.synced >= seq {
		return nil
	}
	j.mu.Lock()
	target := j.written
	j.mu.Unlock()
	if err := j.f.Sync(); err != nil {
		j.mu.Lock()
		if j.err == nil {
			j.err = fmt.Errorf("syncing %s: %w", j.path, err)
		}
		j.mu.Unlock()
		return err
	}
	j.synced = target
	return nil
}

// Close syncs and closes the file.
func (j *journal) Close() error {
	err := j.f.Sync()
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeResultsAtomically replaces path with records (one line per row),
// via a synced temporary file and a rename, so that a crash leaves either
// the old journal or the new file, never a mix.
func writeResultsAtomically(path string, records []resultRecord) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	w := csv.NewWriter(tmp)
	_ = w.Write(resultsHeader)
	for _, r := range records {
		_ = w.Write(r.fields())
	}
	w.Flush()
	if err := w.Error(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename itself durable; not all systems allow it
		d.Close()
	}
	return nil
}
