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
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Outcomes recorded in the results file.
const (
	// outcomeStarted is written, and synced to disk, before a cli_add is
	// sent (for a batch of upcoming rows at once, so some rows with it may
	// never have been sent): from then on the request may have reached the
	// server. A row whose last record is "started" is checked before it is
	// sent again.
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
	recs, _, err := completeRecords(data)
	if errors.Is(err, errNotResults) {
		return nil, fmt.Errorf("%s is not a mor import results file (want header %s)", path, strings.Join(resultsHeader, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, rec := range recs {
		line, _ := strconv.Atoi(rec[0])
		t, _ := time.Parse(time.RFC3339, rec[5])
		// Older versions journaled server text raw, line breaks and all;
		// keep it on one line from now on.
		r := resultRecord{Line: line, Number: rec[1], Device: rec[2], Outcome: rec[3], Message: escapeText(rec[4]), Time: t}
		if r.Outcome == outcomeInvalid || r.Outcome == outcomePending {
			// Never sent: says nothing about the server, and must not hide
			// the record of another line with the same number.
			continue
		}
		last[cliKey(r.Number)] = r
	}
	return last, nil
}

// errNotResults is a file whose first line is not the results header.
var errNotResults = errors.New("not a mor import results file")

// completeRecords parses a results file or journal and returns its
// records (header excluded) up to the last complete one, and the length
// of the data they fill. A record is complete when it parses with the
// right number of fields and ends with a line break. Whatever comes after
// the last complete record is taken as torn by a kill mid-write (a cut
// anywhere, including inside a quoted message that spans lines, as older
// versions wrote them) and is left out, as long as no complete record
// follows it; a bad record with complete records after it is damage, an
// error. A file that is empty or holds a torn header has no records.
func completeRecords(data []byte) (recs [][]string, keep int, err error) {
	header := appendCSVLine(nil, resultsHeader...)
	if len(data) < len(header) && bytes.HasPrefix(header, data) {
		return nil, 0, nil // empty, or the header itself was torn
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = len(resultsHeader)
	cr.ReuseRecord = false
	first, err := cr.Read()
	if err != nil || !slices.Equal(first, resultsHeader) || data[cr.InputOffset()-1] != '\n' {
		return nil, 0, errNotResults
	}
	keep = int(cr.InputOffset())
	var bad error // the first record that did not parse, if any
	for {
		rec, err := cr.Read()
		end := int(cr.InputOffset())
		if errors.Is(err, io.EOF) {
			return recs, keep, nil
		}
		if err == nil && data[end-1] != '\n' {
			err = errors.New("record not ended by a line break")
		}
		if err != nil {
			if bad == nil {
				bad = err // a *csv.ParseError names its line
			}
			continue
		}
		if bad != nil {
			// A complete record after a bad one: not a torn tail.
			return nil, 0, fmt.Errorf("damaged record (%w) before the end of the file", bad)
		}
		recs = append(recs, rec)
		keep = end
	}
}

// journal appends records to the results file as the import goes.
//
// Two kinds of record, two promises:
//
//   - started records (startedBatch) are on disk, fsync'd, before the call
//     returns. The import journals a whole batch of upcoming rows this way
//     with one write and one fsync before handing any of them to a worker,
//     so every cli_add that may reach the server is announced durably first.
//   - outcome records (note) are buffered and written to the file within
//     flushAfter, or sooner with the next batch of started records, and are
//     never fsync'd on their own. An outcome lost to a crash leaves its row
//     "started", which the next run checks with cli_info_get before any
//     retry: it costs a check, never a duplicate.
//
// Records are encoded straight into the buffer (appendRecord), one write
// call per flush; a record is never split across two writes.
type journal struct {
	path       string
	f          *os.File
	flushAfter time.Duration

	mu      sync.Mutex // guards buf, err, armed and writes to f
	buf     []byte     // encoded outcome records not yet written
	armed   bool       // timer will flush buf
	timer   *time.Timer
	err     error // first write or sync error; the journal is unusable after it
	scratch []byte
}

// journalFlushAfter is how long an outcome record may wait in memory
// before it is written to the results file.
const journalFlushAfter = 50 * time.Millisecond

// journalBufferMax is the size at which buffered outcome records are
// written without waiting for the timer.
const journalBufferMax = 64 << 10

// openJournal opens path for appending, creating it with a header. A torn
// last line is cut off first, so that new records start on a line of their
// own.
func openJournal(path string) (*journal, error) {
	// O_APPEND: every write lands at the end of the file, whatever else
	// has been written to it, never over it.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	j := &journal{path: path, f: f, flushAfter: journalFlushAfter}
	j.timer = time.AfterFunc(time.Hour, j.timerFlush)
	j.timer.Stop()
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
	_, n, err := completeRecords(data)
	if err != nil {
		return err
	}
	keep := int64(n)
	if keep != int64(len(data)) {
		if err := j.f.Truncate(keep); err != nil {
			return err
		}
	}
	if _, err := j.f.Seek(keep, io.SeekStart); err != nil {
		return err
	}
	if keep == 0 {
		_, err := j.f.Write(appendCSVLine(nil, resultsHeader...))
		return err
	}
	return nil
}

// note buffers an outcome record; see journal.
func (j *journal) note(r resultRecord) error {
	r.Message = escapeText(r.Message) // one record, one line, whatever the server said
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	j.buf = appendRecord(j.buf, r)
	if len(j.buf) >= journalBufferMax {
		return j.writeLocked(nil)
	}
	if !j.armed {
		j.armed = true
		j.timer.Reset(j.flushAfter)
	}
	return nil
}

// startedBatch writes a started record for each row, after any buffered
// outcome records, in one write, and returns once all of it is on disk.
// It may run alongside note, but not alongside another startedBatch (the
// import has one caller, prejournal).
func (j *journal) startedBatch(rows []importRow, at time.Time) error {
	// Encode outside the lock: workers keep noting outcomes meanwhile.
	b := j.scratch[:0]
	for _, row := range rows {
		b = appendRecord(b, resultRecord{Line: row.line, Number: row.params.CLINumber, Device: deviceString(row),
			Outcome: outcomeStarted, Time: at})
	}
	j.scratch = b
	return j.writeSynced(b)
}

// startedRecords is startedBatch for records already built (mor payment
// import journals its rows this way).
func (j *journal) startedRecords(recs ...resultRecord) error {
	b := j.scratch[:0]
	for _, r := range recs {
		r.Outcome = outcomeStarted
		b = appendRecord(b, r)
	}
	j.scratch = b
	return j.writeSynced(b)
}

// writeSynced writes the buffered outcome records followed by b and returns
// once all of it is on disk.
func (j *journal) writeSynced(b []byte) error {
	j.mu.Lock()
	if j.err == nil {
		j.err = j.writeLocked(b)
	}
	err := j.err
	j.mu.Unlock()
	if err != nil {
		return err
	}
	// Only the batch's writer waits for the disk; outcomes are buffered
	// (and even written) meanwhile, and are merely carried along.
	if err := j.f.Sync(); err != nil {
		j.mu.Lock()
		if j.err == nil {
			j.err = fmt.Errorf("syncing %s: %w", j.path, err)
		}
		err = j.err
		j.mu.Unlock()
		return err
	}
	return nil
}

// writeLocked writes the buffered outcome records followed by more, with
// one write call; j.mu is held.
func (j *journal) writeLocked(more []byte) error {
	if j.err != nil {
		return j.err
	}
	out := j.buf
	if len(more) > 0 {
		out = append(out, more...)
	}
	if len(out) == 0 {
		return nil
	}
	_, err := j.f.Write(out)
	j.buf = out[:0]
	if err != nil {
		j.err = fmt.Errorf("writing %s: %w", j.path, err)
	}
	return j.err
}

// timerFlush writes the buffered outcome records once they have waited
// flushAfter. An error is kept and returned by the next note or Close.
func (j *journal) timerFlush() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.armed = false
	if j.err == nil {
		j.err = j.writeLocked(nil)
	}
}

// Close writes what is buffered, syncs and closes the file.
func (j *journal) Close() error {
	j.timer.Stop()
	j.mu.Lock()
	err := j.writeLocked(nil)
	j.armed = false
	j.mu.Unlock()
	if serr := j.f.Sync(); err == nil {
		err = serr
	}
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// appendRecord appends r as one line of the results file, encoded exactly
// as encoding/csv would, without its per-call allocations.
func appendRecord(b []byte, r resultRecord) []byte {
	b = strconv.AppendInt(b, int64(r.Line), 10)
	b = append(b, ',')
	b = appendCSVField(b, r.Number)
	b = append(b, ',')
	b = appendCSVField(b, r.Device)
	b = append(b, ',')
	b = appendCSVField(b, r.Outcome)
	b = append(b, ',')
	b = appendCSVField(b, r.Message)
	b = append(b, ',')
	b = r.Time.UTC().AppendFormat(b, time.RFC3339)
	return append(b, '\n')
}

// appendCSVLine appends fields as one CSV line.
func appendCSVLine(b []byte, fields ...string) []byte {
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, f)
	}
	return append(b, '\n')
}

// appendCSVField appends one field, quoted when encoding/csv's Writer
// would quote it (a comma, quote, CR or LF inside, a leading space, or
// the field \.).
func appendCSVField(b []byte, f string) []byte {
	if !csvNeedsQuotes(f) {
		return append(b, f...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(f, '"')
		if i < 0 {
			break
		}
		b = append(b, f[:i+1]...)
		b = append(b, '"')
		f = f[i+1:]
	}
	b = append(b, f...)
	return append(b, '"')
}

// csvNeedsQuotes mirrors encoding/csv's fieldNeedsQuotes for a comma
// separator.
func csvNeedsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` || strings.ContainsAny(f, ",\"\r\n") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}

// resolveResults is the file a results path stands for, with every symlink
// resolved: the file itself when it exists, else the resolved directory
// plus the name (a dangling symlink is followed to the file it would
// create). Locking, journaling and the final rename all use it, so that a
// symlink to the results file shares its lock and stays a symlink.
func resolveResults(path string) (string, error) {
	p := path
	for range 40 {
		fi, err := os.Lstat(p)
		switch {
		case errors.Is(err, os.ErrNotExist):
			dir, err := filepath.EvalSymlinks(filepath.Dir(p))
			if err != nil {
				return "", fmt.Errorf("results file %s: %w", path, err)
			}
			return filepath.Join(dir, filepath.Base(p)), nil
		case err != nil:
			return "", fmt.Errorf("results file %s: %w", path, err)
		case fi.Mode()&os.ModeSymlink == 0:
			resolved, err := filepath.EvalSymlinks(p)
			if err != nil {
				return "", fmt.Errorf("results file %s: %w", path, err)
			}
			return resolved, nil
		}
		target, err := os.Readlink(p)
		if err != nil {
			return "", fmt.Errorf("results file %s: %w", path, err)
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		p = target
	}
	return "", fmt.Errorf("results file %s: too many levels of symbolic links", path)
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
	b := appendCSVLine(make([]byte, 0, 64*(len(records)+1)), resultsHeader...)
	for _, r := range records {
		b = appendRecord(b, r)
	}
	if _, err := tmp.Write(b); err != nil {
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
