package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

const paymentImportLong = `Record payments from a CSV file (payment_create), each exactly once by its
transaction id. The header names the columns:

  user_id,currency,amount,transaction[,tax_included,type,payer_email,fee,description]

transaction is required and unique in the file (no white space, % or _):
it is how mor tells, after a lost reply or a kill, whether a payment landed.
tax_included is 1/true when amount includes the user's tax.

Safety (the same journal as mor import):
  - Every row is validated first; bad rows are reported and never sent.
  - Payments are sent one at a time, never retried. Before a payment is
    sent, a "started" record for it is synced to the results file
    (--results, default FILE.results.csv; mor import's format, with the
    transaction id in the number column and the user id in the device
    column).
  - Running the same command again resumes: rows recorded are skipped; a
    row whose earlier attempt may have reached the server (started or
    unknown) is looked up by its transaction id (payments_get) and sent
    again only if it is not there.
  - Ctrl-C stops after the payment in flight; the next run resumes.

Exit status is 0 only when every row ended recorded (in this run or an
earlier one).`

// paymentRow is one valid row of a payment import.
type paymentRow struct {
	line   int
	params mor.CreatePaymentParams
}

func (r paymentRow) record(outcome, msg string) resultRecord {
	return resultRecord{Line: r.line, Number: r.params.Transaction, Device: strconv.FormatInt(r.params.UserID, 10),
		Outcome: outcome, Message: msg, Time: time.Now()}
}

var paymentColumns = []string{"user_id", "currency", "amount", "transaction", "tax_included", "type", "payer_email", "fee", "description"}

// readPaymentCSV validates a payment import file: valid rows in file
// order, and invalid ones (as invalid records) with their reasons.
func readPaymentCSV(r io.Reader) (rows []paymentRow, bad []resultRecord, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("reading the header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		if !slices.Contains(paymentColumns, h) {
			return nil, nil, fmt.Errorf("unknown column %s (want %s)", quoteText(h), strings.Join(paymentColumns, ","))
		}
		col[h] = i
	}
	for _, need := range paymentColumns[:4] {
		if _, ok := col[need]; !ok {
			return nil, nil, fmt.Errorf("missing column %s", need)
		}
	}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, bad, nil
		}
		if err != nil {
			return nil, nil, err
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row, reason := validatePaymentRow(get)
		row.line = line
		if reason == "" {
			if first, dup := seen[row.params.Transaction]; dup {
				reason = fmt.Sprintf("transaction %s is also on line %d", row.params.Transaction, first)
			}
		}
		if reason != "" {
			bad = append(bad, resultRecord{Line: line, Number: get("transaction"), Device: get("user_id"), Outcome: outcomeInvalid,
				Message: reason, Time: time.Now()})
			continue
		}
		seen[row.params.Transaction] = line
		rows = append(rows, row)
	}
}

func validatePaymentRow(get func(string) string) (paymentRow, string) {
	var p mor.CreatePaymentParams
	id, err := strconv.ParseInt(get("user_id"), 10, 64)
	if err != nil || id < 0 {
		return paymentRow{}, "user_id must be a numeric user id"
	}
	p.UserID = id
	if p.Currency = get("currency"); p.Currency == "" {
		return paymentRow{}, "currency is empty"
	}
	amount, err := mor.ParseDecimal(get("amount"))
	if err != nil || amount.IsZero() {
		return paymentRow{}, "amount must be a non-zero decimal number"
	}
	p.Amount = amount
	p.Transaction = get("transaction")
	switch {
	case p.Transaction == "":
		return paymentRow{}, "transaction is empty"
	case strings.ContainsAny(p.Transaction, "%_") || strings.IndexFunc(p.Transaction, unicode.IsSpace) >= 0:
		return paymentRow{}, "transaction must not contain white space, % or _"
	}
	switch strings.ToLower(get("tax_included")) {
	case "", "0", "false", "no":
	case "1", "true", "yes":
		p.TaxIncluded = true
	default:
		return paymentRow{}, "tax_included must be 1 or 0"
	}
	p.PaymentType, p.PayerEmail, p.Description = get("type"), get("payer_email"), get("description")
	if f := get("fee"); f != "" {
		fee, err := mor.ParseDecimal(f)
		if err != nil {
			return paymentRow{}, "fee must be a decimal number"
		}
		p.Fee = &fee
	}
	return paymentRow{params: p}, ""
}

func (a *app) paymentImportCommand() *cobra.Command {
	var file, results string
	var every time.Duration
	c := &cobra.Command{
		Use:   "import --file payments.csv [--results FILE]",
		Short: "Record payments from a CSV file, each once by transaction id (payment_create)",
		Long:  paymentImportLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if every <= 0 {
				return usagef("--progress-interval must be positive")
			}
			return a.runPaymentImport(cmd, file, results, every)
		},
	}
	c.Flags().StringVarP(&file, "file", "f", "", "CSV file of payments")
	c.Flags().StringVar(&results, "results", "", "results file (default FILE.results.csv)")
	c.Flags().DurationVar(&every, "progress-interval", 10*time.Second, "how often to print progress when not on a terminal")
	_ = c.MarkFlagRequired("file")
	return c
}

func (a *app) runPaymentImport(cmd *cobra.Command, file, results string, every time.Duration) error {
	client, _, err := a.client(cmd, 1)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	rows, bad, err := readPaymentCSV(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	for _, b := range bad {
		fmt.Fprintf(a.stderr, "%s:%d: invalid: %s\n", file, b.Line, escapeText(b.Message))
	}
	if results == "" {
		results = file + ".results.csv"
	}
	if sameFile(results, file) {
		return usagef("--results %s is the input file", results)
	}
	resolved, err := resolveResults(results)
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
	j, err := openJournal(resolved)
	if err != nil {
		return err
	}
	ctx, stop := a.commandContext()
	defer stop()

	final := map[string]resultRecord{}
	var todo []paymentRow
	skipped := 0
	for _, row := range rows {
		if r, ok := history[row.params.Transaction]; ok && done(r.Outcome) {
			final[row.params.Transaction] = r
			skipped++
			continue
		}
		todo = append(todo, row)
	}
	report := newReporter(a.stderr, len(todo), every)
	note := func(row paymentRow, outcome, msg string) {
		r := row.record(outcome, msg)
		final[row.params.Transaction] = r
		_ = j.note(r)
		report.row(outcome)
	}
	var jerr error
	addedNow, foundNow := 0, 0
	for _, row := range todo {
		if ctx.Err() != nil {
			break
		}
		tx := row.params.Transaction
		if prior, ok := history[tx]; ok && inDoubt(prior.Outcome) {
			from, till := checkWindow(prior.Time)
			found, err := client.Payments.FindByTransaction(ctx, tx, from, till)
			if err != nil {
				note(row, outcomeUnknown, "checking an earlier attempt failed: "+err.Error())
				continue
			}
			if len(found) > 0 {
				note(row, outcomePresent, "an earlier attempt landed (found by transaction id)")
				foundNow++
				continue
			}
		}
		if err := j.startedRecords(row.record(outcomeStarted, "")); err != nil {
			jerr = err
			break
		}
		r, err := client.Payments.Create(ctx, row.params)
		switch {
		case err == nil:
			note(row, outcomeAdded, fmt.Sprintf("payment %d: amount %s, tax %s", r.ID, r.Amount, r.Tax))
			addedNow++
		case mor.InDoubt(err):
			note(row, outcomeUnknown, err.Error())
		default:
			note(row, outcomeFailed, err.Error())
		}
	}
	report.finish()
	if err := j.Close(); err != nil && jerr == nil {
		jerr = err
	}
	// One line per row of the file, its last outcome: pending when not
	// attempted in this run.
	var out []resultRecord
	counts := map[string]int{}
	for _, row := range rows {
		r, ok := final[row.params.Transaction]
		if !ok {
			r = row.record(outcomePending, "")
			if h, ok := history[row.params.Transaction]; ok {
				r = h // an earlier attempt's record stays (started, unknown, failed)
			}
		}
		out = append(out, r)
		counts[r.Outcome]++
	}
	out = append(out, bad...)
	slices.SortFunc(out, func(x, y resultRecord) int { return x.Line - y.Line })
	if err := writeResultsAtomically(resolved, out); err != nil && jerr == nil {
		jerr = err
	}
	fmt.Fprintf(a.stdout, "summary: %s: %d recorded, %d recorded earlier (%d skipped, %d found by transaction id), %d failed, %d invalid, %d unknown, %d not attempted\n",
		plural(len(rows)+len(bad), "row", "rows"), addedNow, counts[outcomeAdded]+counts[outcomePresent]-addedNow, skipped, foundNow,
		counts[outcomeFailed], len(bad), counts[outcomeUnknown]+counts[outcomeStarted], counts[outcomePending])
	fmt.Fprintf(a.stdout, "results: %s\n", results)
	if jerr != nil {
		return fmt.Errorf("results file: %w", jerr)
	}
	if a.interrupted.Load() {
		return &exitCodeError{exitInterrupted}
	}
	if counts[outcomeAdded]+counts[outcomePresent] != len(rows) || len(bad) > 0 {
		return &exitCodeError{exitError}
	}
	return nil
}
