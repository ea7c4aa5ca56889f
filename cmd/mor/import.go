package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/spf13/cobra"
	"golang.org/x/time/rate"

	mor "github.com/morbilling/mor-go"
)

const importLong = `Bulk cli_add from a CSV file with a header line naming its columns:

  device_id,cli_number[,cli_domain,description,comment,banned,ivr_id]

A byte order mark and quoted column names are fine. device_id and cli_number
are trimmed of surrounding spaces (as mor cli add --number is); a number with
a leading + or -, an underscore, a decimal point or an exponent is sent as
typed (the server accepts it as numeric), with a warning.

Safety:
  - Every row is validated before anything is sent. Bad rows (and later
    duplicates of a number) are reported with their line numbers and never
    sent; the good rows go on.
  - At most --concurrency requests are in flight, at most --rate per second.
  - The results file (--results, default FILE.results.csv) is written as the
    import goes: no cli_add is sent before a "started" record for its row is
    synced to disk (these are written for a batch of upcoming rows at a
    time, with one sync), and each outcome follows within 50 ms. A kill
    loses at most the answers of the rows in flight or just answered; those
    rows, and the rows journaled ahead but not yet sent, are known to be in
    doubt and are checked on the next run.
  - Running the same command again resumes: rows already added or present
    are skipped. A row whose earlier attempt may have reached the server
    (started or unknown) is checked with cli_info_get before it is sent
    again, and never added blindly.
  - "CLI already exists" is checked too: on the requested device it counts
    as already present, on another device as a conflict.
  - Ctrl-C (or SIGTERM) stops sending, lets the rows in flight finish, writes
    the results and exits 130; a second Ctrl-C abandons the rows in flight
    (recorded as unknown, checked on the next run).
  - An error every row would get (Incorrect hash, unknown user, API off,
    wrong URL, server unreachable) stops the import after the first rows
    instead of failing them all; the rest stay pending for the next run.

The results file has one line per row (line,number,device,outcome,message,
time) once the run ends; while it runs it is an append-only journal.
Outcomes: added, present (already on the requested device), conflict (on
another device), failed (the server refused; nothing added), invalid,
unknown (may have reached the server; checked on the next run), pending (not
attempted; also rows journaled as started but never sent when a run stops
cleanly), started (only while a run is going or after a kill).

cli_info_get limit: an admin cannot see CLIs of resellers' users ("CLI not
found"). import then lists the requested device's CLIs (device_clis_get),
once per device and run, to decide whether the CLI is already there; a CLI
held by such a user on another device shows up as a conflict with the
server's "CLI already exists" text. A device with about 90,000 CLIs or more
makes a reply larger than the default cap of 32MiB: the import then stops
and says so; raise the cap with --max-response-bytes.

The results file may be a symlink: it is locked, written and replaced
through to its target (the lock file, RESULTS.lock beside the target, is
left in place). Server text in the messages is escaped onto one line.

Exit status is 0 only when every row ended added or already present (in this
run or an earlier one).`

type importOptions struct {
	file          string
	results       string
	concurrency   int
	rate          string
	progressEvery time.Duration
	dryRun        bool
}

func (a *app) importCommand() *cobra.Command {
	var o importOptions
	c := &cobra.Command{
		Use:   "import --file clis.csv [--concurrency 8] [--rate N/s] [--results out.csv]",
		Short: "Add CLIs in bulk from a CSV file, safely and resumably",
		Long:  importLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runImport(cmd, o)
		},
	}
	f := c.Flags()
	f.StringVarP(&o.file, "file", "f", "", "CSV file to import")
	f.StringVar(&o.results, "results", "", "results file, also the resume journal (default FILE.results.csv)")
	f.IntVarP(&o.concurrency, "concurrency", "c", 8, "requests in flight at most")
	f.StringVar(&o.rate, "rate", "", "at most this many rows per second, e.g. 20 or 20/s or 600/m (default unlimited)")
	f.DurationVar(&o.progressEvery, "progress-interval", 10*time.Second, "how often to print a progress line when stderr is not a terminal")
	f.BoolVar(&o.dryRun, "dry-run", false, "validate the file and show what would be sent; send nothing")
	_ = c.MarkFlagRequired("file")
	return c
}

// parseRate reads "N", "N/s", "N/m" or "N/min" (N may be a decimal).
func parseRate(s string) (rate.Limit, error) {
	if s == "" {
		return rate.Inf, nil
	}
	num, unit, _ := strings.Cut(s, "/")
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) || n <= 0 {
		return 0, fmt.Errorf("--rate %q: want a positive number per second, e.g. 20/s", s)
	}
	switch strings.TrimSpace(unit) {
	case "", "s", "sec":
		return rate.Limit(n), nil
	case "m", "min":
		return rate.Limit(n / 60), nil
	}
	return 0, fmt.Errorf("--rate %q: unit must be /s or /m", s)
}

// importState is what one run knows about each CLI: the history read from
// the results file, updated as this run records outcomes.
type importState struct {
	mu      sync.Mutex
	history map[string]resultRecord // CLI key → last record of earlier runs
	now     map[string]resultRecord // CLI key → last record of this run
}

func (s *importState) set(key string, r resultRecord) {
	s.mu.Lock()
	s.now[key] = r
	s.mu.Unlock()
}

// last is the latest record for key from this run or an earlier one.
func (s *importState) last(key string) (resultRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.now[key]; ok {
		return r, true
	}
	r, ok := s.history[key]
	return r, ok
}

// importer runs the rows of one import.
type importer struct {
	client  *mor.Client
	devices *deviceCache
	journal *journal
	state   *importState
	report  *reporter

	// stop is cancelled to send no more rows (interrupt, fatal error);
	// abandon to cancel the requests in flight (second interrupt).
	stop    context.Context
	abandon context.Context
	halt    context.CancelCauseFunc

	limiter *rate.Limiter

	inDoubtRun atomic.Int64 // consecutive rows that ended in doubt
	doubtLimit int64

	maxBatch int // most rows journaled as started in one batch

	maxBytes int64 // the client's cap on a reply's size
}

// defaultMaxResponseBytes is the SDK's cap on a reply's size when
// --max-response-bytes is not given.
const defaultMaxResponseBytes = 32 << 20

// errUnreachable stops an import when many rows in a row ended in doubt.
var errUnreachable = errors.New("too many consecutive requests failed without an answer: is the server reachable?")

func (a *app) runImport(cmd *cobra.Command, o importOptions) error {
	if o.concurrency < 1 || o.concurrency > 256 {
		return usagef("--concurrency must be between 1 and 256")
	}
	limit, err := parseRate(o.rate)
	if err != nil {
		return &usageError{err}
	}
	if o.progressEvery <= 0 {
		return usagef("--progress-interval must be positive")
	}
	var client *mor.Client
	var conn settings
	if !o.dryRun {
		if client, conn, err = a.client(cmd, o.concurrency); err != nil {
			return err
		}
	}
	f, err := os.Open(o.file)
	if err != nil {
		return &usageError{err}
	}
	parsed, err := readImportCSV(f)
	f.Close()
	if err != nil {
		return usagef("%s: %v", o.file, err)
	}
	for _, w := range parsed.warnings {
		fmt.Fprintf(a.stderr, "%s:%d: warning: %s\n", o.file, w.line, escapeText(w.reason))
	}
	for _, b := range parsed.bad {
		fmt.Fprintf(a.stderr, "%s:%d: invalid: %s\n", o.file, b.line, escapeText(b.reason))
	}
	if o.results == "" {
		o.results = o.file + ".results.csv"
	}
	if sameFile(o.results, o.file) {
		return usagef("--results %s is the input file", o.results)
	}
	// Everything below works on the resolved file: the final rename then
	// writes through a symlink instead of replacing it.
	resolved, err := resolveResults(o.results)
	if err != nil {
		return err
	}
	unlock, err := lockResults(resolved)
	if err != nil {
		return err
	}
	defer unlock()
	history, err := readResults(resolved)
	if err != nil {
		return err
	}
	state := &importState{history: history, now: make(map[string]resultRecord, len(parsed.rows))}

	var todo []importRow
	skippedKeys := map[string]bool{} // rows done in an earlier run
	for _, row := range parsed.rows {
		if r, ok := history[row.key()]; ok && done(r.Outcome) && r.Device == deviceString(row) {
			skippedKeys[row.key()] = true
			continue
		}
		todo = append(todo, row)
	}
	if o.dryRun {
		doubt := 0
		for _, row := range todo {
			if r, ok := history[row.key()]; ok && inDoubt(r.Outcome) {
				doubt++
			}
		}
		fmt.Fprintf(a.stdout, "dry run: %s in %s: %d valid, %d invalid; %d done earlier (skipped), %d to send, of which %d to check first (an earlier attempt may have reached the server)\n",
			plural(len(parsed.rows)+len(parsed.bad), "row", "rows"), o.file, len(parsed.rows), len(parsed.bad), len(skippedKeys), len(todo), doubt)
		if len(parsed.bad) > 0 {
			return &exitCodeError{exitError}
		}
		return nil
	}

	j, err := openJournal(resolved)
	if err != nil {
		return err
	}
	stop, halt := context.WithCancelCause(context.Background())
	abandon, abandonNow := context.WithCancel(context.Background())
	defer halt(nil)
	defer abandonNow()
	im := &importer{
		client: client, devices: newDeviceCache(client), journal: j, state: state,
		report:     newReporter(a.stderr, len(todo), o.progressEvery),
		stop:       stop,
		abandon:    abandon,
		halt:       halt,
		limiter:    rate.NewLimiter(limit, 1),
		doubtLimit: int64(max(10, 2*o.concurrency)),
		maxBatch:   batchLimit(o.concurrency, limit),
		maxBytes:   cmp.Or(conn.maxBytes, defaultMaxResponseBytes),
	}

	// Interrupts: the first stops sending and lets the rows in flight
	// finish; the second abandons them; a third leaves at once.
	sigDone := make(chan struct{})
	defer close(sigDone)
	go func() {
		for n := 1; ; n++ {
			select {
			case <-a.sigs:
			case <-sigDone:
				return
			}
			a.interrupted.Store(true)
			switch n {
			case 1:
				im.report.printf("interrupt: sending no more rows; finishing the rows in flight (Ctrl-C again to abandon them)")
				halt(errInterrupted)
			case 2:
				im.report.printf("interrupt: abandoning the rows in flight (recorded as unknown, checked on the next run)")
				abandonNow()
			default:
				fmt.Fprintln(a.stderr, "mor: interrupted; results file left as a journal, the next run resumes from it")
				os.Exit(exitInterrupted)
			}
		}
	}()

	start := time.Now()
	im.run(todo, o.concurrency)
	elapsed := time.Since(start)
	im.report.finish()

	jerr := j.Close()
	records, old := finalRecords(parsed, state)
	if err := writeResultsAtomically(resolved, append(records, old...)); err != nil && jerr == nil {
		jerr = err
	}

	counts := map[string]int{}
	allDone := true
	for _, r := range records {
		allDone = allDone && done(r.Outcome)
		if done(r.Outcome) && skippedKeys[cliKey(r.Number)] {
			continue
		}
		counts[r.Outcome]++
	}
	thisRun := 0
	for _, r := range state.now {
		if r.Outcome != outcomeStarted {
			thisRun++
		}
	}
	fmt.Fprintf(a.stdout, "summary: %s: %d added, %d already present, %s, %d failed, %d invalid, %d unknown, %d not attempted, %d skipped (done earlier)\n",
		plural(len(records), "row", "rows"), counts[outcomeAdded], counts[outcomePresent], plural(counts[outcomeConflict], "conflict", "conflicts"), counts[outcomeFailed],
		counts[outcomeInvalid], counts[outcomeUnknown]+counts[outcomeStarted], counts[outcomePending], len(skippedKeys))
	if secs := elapsed.Seconds(); thisRun > 0 && secs > 0 {
		fmt.Fprintf(a.stdout, "sent %s in %s (%s)\n", plural(thisRun, "row", "rows"), elapsed.Round(time.Millisecond), perSecond(float64(thisRun)/secs))
	}
	fmt.Fprintf(a.stdout, "results: %s\n", o.results)
	if n := counts[outcomeUnknown] + counts[outcomeStarted]; n > 0 {
		them := "them"
		if n == 1 {
			them = "it"
		}
		fmt.Fprintf(a.stdout, "%s may have reached the server without an answer: run the same command again to check %s with cli_info_get\n", plural(n, "row", "rows"), them)
	}
	if jerr != nil {
		return fmt.Errorf("results file: %w", jerr)
	}
	if cause := context.Cause(stop); cause != nil && !errors.Is(cause, errInterrupted) && !errors.Is(cause, context.Canceled) {
		return cause
	}
	if a.interrupted.Load() {
		return &exitCodeError{exitInterrupted}
	}
	if !allDone {
		return &exitCodeError{exitError}
	}
	return nil
}

// errInterrupted is the stop cause of a SIGINT/SIGTERM.
var errInterrupted = errors.New("interrupted")

// perSecond is a rate of rows, rounded: "1 row/s", "250 rows/s".
func perSecond(rate float64) string {
	n := int(rate + 0.5)
	if n == 1 {
		return "1 row/s"
	}
	return strconv.Itoa(n) + " rows/s"
}

func deviceString(row importRow) string { return strconv.FormatInt(row.params.DeviceID, 10) }

// finalRecords is the compacted results file: one line per CSV row in line
// order (invalid rows included, rows never attempted as pending), and
// separately (old) the records of earlier runs for CLIs no longer in the
// file, kept so that no knowledge of a request that may have reached the
// server is lost.
func finalRecords(parsed *parsedCSV, s *importState) (rows, old []resultRecord) {
	var out []resultRecord
	seen := map[string]bool{}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, row := range parsed.rows {
		k := row.key()
		seen[k] = true
		r, ok := s.now[k]
		if !ok {
			r, ok = s.history[k]
		}
		if !ok {
			r = resultRecord{Number: row.params.CLINumber, Device: deviceString(row), Outcome: outcomePending,
				Message: "not attempted", Time: time.Now()}
		}
		r.Line = row.line
		out = append(out, r)
	}
	for _, b := range parsed.bad {
		out = append(out, resultRecord{Line: b.line, Number: b.number, Device: b.device, Outcome: outcomeInvalid,
			Message: escapeText(b.reason), Time: time.Now()})
	}
	slices.SortStableFunc(out, func(a, b resultRecord) int { return a.Line - b.Line })
	for k, r := range s.history {
		if !seen[k] {
			old = append(old, r)
		}
	}
	slices.SortFunc(old, func(a, b resultRecord) int { return a.Line - b.Line })
	return out, old
}

// run sends the rows with at most n in flight and returns when every row is
// finished or abandoned.
//
// Rows reach the workers through a pipeline: prejournal writes "started"
// records for a batch of upcoming rows with one fsync and only then hands
// the batch on, so that no cli_add is ever sent for a row whose started
// record is not on disk. While the workers send one batch, the next is
// being synced, so the disk is off the per-row path and costs far less
// than one fsync per row.
func (im *importer) run(rows []importRow, n int) {
	work := make(chan importRow)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for row := range work {
				im.row(row)
			}
		})
	}
	batches := make(chan []importRow)
	journaled := make(chan struct{})
	go func() {
		defer close(journaled)
		im.prejournal(rows, n, batches)
	}()
dispatch:
	for batch := range batches {
		for _, row := range batch {
			select {
			case work <- row:
			case <-im.stop.Done():
				break dispatch
			}
			if im.stop.Err() != nil {
				break dispatch
			}
		}
	}
	close(work)
	<-journaled // stops at im.stop too
	wg.Wait()
}

// batchLimit is the largest batch prejournal writes for n workers sending
// at most limit rows per second. A kill leaves up to two batches of rows
// that were journaled but never sent; each costs a check on the next run.
func batchLimit(n int, limit rate.Limit) int {
	most := max(256, 4*n)
	if limit != rate.Inf {
		// A rate limit makes the rows wait anyway: journal about half a
		// second ahead.
		most = min(most, max(n, int(float64(limit)/2)))
	}
	return most
}

// prejournal journals rows as started, a batch at a time, and sends each
// batch on batches once it is on disk; it closes batches when done or
// stopped. A batch starts at n rows and doubles, up to im.maxBatch, while
// the dispatcher is found waiting for it: then the disk, not the server,
// was holding the workers up.
func (im *importer) prejournal(rows []importRow, n int, batches chan<- []importRow) {
	defer close(batches)
	size := min(n, im.maxBatch)
	for len(rows) > 0 && im.stop.Err() == nil {
		batch := rows[:min(size, len(rows))]
		rows = rows[len(batch):]
		if err := im.journal.startedBatch(batch, time.Now()); err != nil {
			im.halt(err)
			return
		}
		select {
		case batches <- batch:
			size = min(2*size, im.maxBatch) // the dispatcher was waiting
		default:
			select {
			case batches <- batch:
			case <-im.stop.Done():
				return
			}
		}
	}
}

// row takes one row to a recorded outcome, or leaves it untouched (pending)
// when the import stops before it is started.
func (im *importer) row(row importRow) {
	if err := im.limiter.Wait(im.stop); err != nil || im.stop.Err() != nil {
		return // not started: stays pending
	}
	key := row.key()
	checked := ""
	// An earlier attempt may have reached the server: look before sending.
	if prev, ok := im.state.last(key); ok && inDoubt(prev.Outcome) {
		outcome, msg, err := im.check(im.abandon, row)
		switch {
		case err != nil:
			im.checkFailed(row, err)
			im.record(row, outcomeUnknown, "an earlier attempt may have reached the server and checking failed: "+err.Error())
			return
		case outcome != "":
			im.record(row, outcome, msg+" (checked after an earlier attempt without an answer)")
			return
		}
		// Not there: the earlier attempt did not take effect; send again.
		checked = " (an earlier attempt without an answer was checked first: the CLI was not there)"
	}
	if im.stop.Err() != nil {
		return // stopped during the check: the row keeps its earlier record
	}
	// Its started record is on disk already (prejournal). Until the outcome
	// is recorded, the final results say started: in doubt.
	im.state.set(key, im.rec(row, outcomeStarted, ""))

	err := im.client.CLIs.Add(im.abandon, row.params)
	var apiErr *mor.APIError
	switch {
	case err == nil:
		im.record(row, outcomeAdded, "CLI successfully created"+checked)
	case errors.Is(err, mor.ErrCLIExists):
		outcome, msg, cerr := im.check(im.abandon, row)
		switch {
		case cerr != nil:
			im.checkFailed(row, cerr)
			im.record(row, outcomeUnknown, serverText(err)+"; checking where it is failed: "+cerr.Error())
		case outcome == "":
			im.record(row, outcomeConflict, serverText(err)+"; not on device "+deviceString(row)+" (not visible to cli_info_get)")
		case outcome == outcomePresent:
			im.record(row, outcomePresent, serverText(err)+"; "+msg)
		default:
			im.record(row, outcome, serverText(err)+"; "+msg)
		}
	case errors.As(err, &apiErr):
		im.record(row, outcomeFailed, apiErr.Message)
		if fatalForAll(err) {
			params, _ := query.Values(row.params)
			im.halt(withCall(fmt.Errorf("stopped: every row would fail: %w", err), "cli_add", params))
		}
	case im.abandon.Err() != nil:
		im.record(row, outcomeUnknown, "abandoned on interrupt: the request may have reached the server")
	case errors.Is(err, mor.ErrResponseTooLarge):
		// The server answered, at a length the cap refused: the add may
		// have happened, and every other row would be refused the same way.
		im.halt(fmt.Errorf("stopped: the cli_add reply for line %d was larger than the cap of %s on a reply: raise it with --max-response-bytes or MOR_MAX_RESPONSE_BYTES (%w)",
			row.line, formatSize(im.maxBytes), err))
		im.record(row, outcomeUnknown, "the reply was larger than the cap, the CLI may have been added: "+err.Error())
	case notSent(err):
		// Nothing reached the server, and nothing else will get through.
		im.record(row, outcomeFailed, "not sent: "+err.Error())
		im.halt(fmt.Errorf("stopped: cannot reach the server: %w", err))
	case fatalForAll(err):
		// An HTTP 401/403/404/405: a proxy or the router refused the request
		// before MOR's action ran, so nothing was added.
		im.record(row, outcomeFailed, err.Error())
		im.halt(fmt.Errorf("stopped: every row would fail: %w", err))
	default:
		// No answer: the add may or may not have happened. Look once; if
		// that settles nothing, the next run looks again before any retry.
		outcome, msg, cerr := im.check(im.abandon, row)
		if cerr == nil && outcome != "" {
			im.record(row, outcome, "no answer ("+err.Error()+"); "+msg)
			return
		}
		if cerr != nil {
			im.checkFailed(row, cerr)
		}
		im.record(row, outcomeUnknown, "no answer, the request may have reached the server: "+err.Error())
	}
}

// checkFailed stops the import when a check failed because a reply was
// larger than the cap: every other row in doubt on that device would fail
// the same way, and it says nothing about the server being unreachable.
// The stop cause is set before the row is recorded, so the import reports
// the cap, not "is the server reachable?".
func (im *importer) checkFailed(row importRow, err error) {
	if errors.Is(err, mor.ErrResponseTooLarge) {
		im.halt(fmt.Errorf("stopped: checking line %d: the list of device %d's CLIs (device_clis_get) is larger than the cap of %s on a reply: raise it with --max-response-bytes or MOR_MAX_RESPONSE_BYTES, e.g. --max-response-bytes %s (%w)",
			row.line, row.params.DeviceID, formatSize(im.maxBytes), formatSize(4*im.maxBytes), err))
	}
}

func serverText(err error) string {
	var apiErr *mor.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Message
	}
	return err.Error()
}

// fatalForAll reports errors that every other row would get too (wrong
// secret, wrong user, API off, wrong URL): the import stops instead of
// failing thousands of rows.
func fatalForAll(err error) bool {
	for _, s := range []error{mor.ErrIncorrectHash, mor.ErrNoSecretKey, mor.ErrAPIDisabled, mor.ErrGETDisabled,
		mor.ErrAccessDenied, mor.ErrBadLogin, mor.ErrNoSuchAPI} {
		if errors.Is(err, s) {
			return true
		}
	}
	var apiErr *mor.APIError
	if errors.As(err, &apiErr) && errors.Is(err, mor.ErrNotAuthorized) && !strings.Contains(apiErr.Message, "rights to edit") {
		return true // an accountant without device_manage; the cli_ivr right only affects rows with ivr_id
	}
	var he *mor.HTTPError
	if errors.As(err, &he) {
		switch he.StatusCode {
		case 401, 403, 404, 405:
			return true
		}
	}
	return false
}

// notSent reports a failure before the request was written (a name that
// did not resolve, a refused connection), so the add certainly did not
// happen.
func notSent(err error) bool {
	var te *mor.TransportError
	return errors.As(err, &te) && !te.MaybeSent()
}

// check finds out whether the row's CLI is on the server: present (on the
// requested device), conflict (elsewhere), or "" (not found). cli_info_get
// answers "CLI not found" also for a CLI the caller may not see (an admin
// and a reseller's user's CLI), so a not-found is confirmed by listing the
// requested device's CLIs.
func (im *importer) check(ctx context.Context, row importRow) (outcome, msg string, err error) {
	want := row.params.DeviceID
	info, err := im.client.CLIs.Info(ctx, row.params.CLINumber)
	switch {
	case err == nil && info.DeviceID == want:
		return outcomePresent, fmt.Sprintf("cli_info_get: on device %d (user %d)", info.DeviceID, info.UserID), nil
	case err == nil:
		return outcomeConflict, fmt.Sprintf("cli_info_get: on device %d (user %d), not on device %d", info.DeviceID, info.UserID, want), nil
	case !errors.Is(err, mor.ErrCLINotFound):
		return "", "", err
	}
	keys, err := im.devices.get(ctx, want)
	if errors.Is(err, mor.ErrDeviceNotFound) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("cli_info_get: CLI not found; %w", err) // err names device_clis_get
	}
	if _, ok := keys[row.key()]; ok {
		return outcomePresent, fmt.Sprintf("device_clis_get: on device %d (cli_info_get cannot see it: the caller does not own the device's user directly)", want), nil
	}
	return "", "", nil
}

// deviceCache lists each device's CLIs (device_clis_get) at most once per
// run, however many rows ask and however many workers ask at once: a device
// with tens of thousands of CLIs makes a reply of tens of megabytes, which
// must not be fetched again for every row in doubt. A failed listing is
// remembered too, so that a reply larger than the cap is not downloaded
// again for each row.
//
// The list is a snapshot: a CLI added to the device after it was taken is
// not in it. The rows of this run are each sent at most once, so a miss
// only ever makes a row a conflict or unknown, never added twice; the next
// run takes a new snapshot.
type deviceCache struct {
	client *mor.Client
	mu     sync.Mutex
	byID   map[int64]*deviceEntry
}

// deviceEntry is one device's listing; ready is closed once keys and err
// are set.
type deviceEntry struct {
	ready chan struct{}
	keys  map[string]struct{} // CLI keys (cliKey) on the device
	err   error
}

func newDeviceCache(c *mor.Client) *deviceCache {
	return &deviceCache{client: c, byID: map[int64]*deviceEntry{}}
}

// get returns the CLI keys on device id, fetching them on the first call
// only; concurrent callers wait for that one fetch.
func (d *deviceCache) get(ctx context.Context, id int64) (map[string]struct{}, error) {
	d.mu.Lock()
	e, ok := d.byID[id]
	if !ok {
		e = &deviceEntry{ready: make(chan struct{})}
		d.byID[id] = e
	}
	d.mu.Unlock()
	if ok {
		select {
		case <-e.ready:
			return e.keys, e.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	defer close(e.ready)
	clis, err := d.client.CLIs.List(ctx, mor.DeviceCLIsParams{DeviceID: id})
	if err != nil {
		e.err = err
		return nil, err
	}
	e.keys = make(map[string]struct{}, len(clis))
	for _, c := range clis {
		e.keys[cliKey(c.Number)] = struct{}{}
	}
	return e.keys, nil
}

func (im *importer) rec(row importRow, outcome, msg string) resultRecord {
	return resultRecord{Line: row.line, Number: row.params.CLINumber, Device: deviceString(row),
		Outcome: outcome, Message: escapeText(unprefixed(msg)), Time: time.Now()}
}

// record writes a row's outcome to the results file and the progress.
func (im *importer) record(row importRow, outcome, msg string) {
	r := im.rec(row, outcome, msg)
	if err := im.journal.note(r); err != nil {
		im.halt(err)
	}
	im.state.set(row.key(), r)
	if outcome == outcomeUnknown {
		if im.inDoubtRun.Add(1) >= im.doubtLimit && im.stop.Err() == nil {
			im.halt(errUnreachable)
		}
	} else {
		im.inDoubtRun.Store(0)
	}
	im.report.row(outcome)
	if !done(outcome) {
		im.report.printf("line %d: %s on device %d: %s: %s", row.line, escapeText(row.params.CLINumber), row.params.DeviceID, outcome, r.Message)
	}
}

// reporter shows progress: a bar on a terminal, a line every interval
// otherwise. Problem lines go to the same stream without breaking the bar.
type reporter struct {
	w        io.Writer
	total    int
	start    time.Time
	mu       sync.Mutex
	counts   map[string]int
	finished int
	bar      progressBar
	tick     *time.Ticker
	quit     chan struct{}
	wg       sync.WaitGroup
}

// progressBar is the part of a terminal progress bar the reporter uses.
type progressBar interface {
	Add(int) error
	Clear() error
	Finish() error
}

func newReporter(w io.Writer, total int, every time.Duration) *reporter {
	r := &reporter{w: w, total: total, start: time.Now(), counts: map[string]int{}, quit: make(chan struct{})}
	if isTerminal(w) {
		r.bar = newBar(w, total)
		return r
	}
	r.tick = time.NewTicker(every)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		for {
			select {
			case <-r.tick.C:
				r.mu.Lock()
				r.line()
				r.mu.Unlock()
			case <-r.quit:
				return
			}
		}
	}()
	return r
}

// line prints the plain progress line; r.mu is held.
func (r *reporter) line() {
	secs := time.Since(r.start).Seconds()
	fmt.Fprintf(r.w, "progress: %d/%s: %d added, %d already present, %s, %d failed, %d unknown (%s)\n",
		r.finished, plural(r.total, "row", "rows"), r.counts[outcomeAdded], r.counts[outcomePresent],
		plural(r.counts[outcomeConflict], "conflict", "conflicts"), r.counts[outcomeFailed], r.counts[outcomeUnknown],
		perSecond(float64(r.finished)/max(secs, 1e-9)))
}

func (r *reporter) row(outcome string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counts[outcome]++
	r.finished++
	if r.bar != nil {
		_ = r.bar.Add(1)
	}
}

func (r *reporter) printf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.bar != nil {
		_ = r.bar.Clear()
	}
	fmt.Fprintf(r.w, format+"\n", args...)
}

func (r *reporter) finish() {
	if r.tick != nil {
		r.tick.Stop()
		close(r.quit)
		r.wg.Wait()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.bar != nil {
		_ = r.bar.Finish()
		fmt.Fprintln(r.w)
		return
	}
	if r.total > 0 {
		r.line()
	}
}

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
