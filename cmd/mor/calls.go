package main

import (
	"bufio"

	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

func (a *app) callsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "calls",
		Short: "Export call detail records",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(a.callsExportCommand())
	return cmd
}

type callsExportOptions struct {
	from, till string
	window     time.Duration
	user       string
	format     string
	out        string
	zone       string
}

func (a *app) callsExportCommand() *cobra.Command {
	var o callsExportOptions
	cmd := &cobra.Command{
		Use:   "export --from TIME --to TIME --out FILE",
		Short: "Stream the call records of a period to a CSV or JSON Lines file (user_calls_get)",
		Long: `Export streams every call record of the period to FILE, one window at a
time (--window, default 1h): user_calls_get has no paging, so a month is
fetched as, say, 744 one-hour replies, each decoded as it arrives. Both ends
of the period are inclusive, to the second.

FILE.journal records each complete window. An interrupted export (Ctrl-C:
exit status 130) keeps the complete windows; running the same command again
resumes after the last of them. A journal written for another period,
window, user or format is refused rather than mixed.

TIME is RFC 3339 (2024-05-01T00:00:00+03:00) or "YYYY-MM-DD HH:MM:SS" in
--zone, the MOR server's time zone (an IANA name; default: this machine's).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runCallsExport(cmd, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.from, "from", "", "start of the period (inclusive)")
	f.StringVar(&o.till, "to", "", "end of the period (inclusive)")
	f.DurationVar(&o.window, "window", time.Hour, "length of each request's window (whole seconds)")
	f.StringVar(&o.user, "user", "", "only this user's calls (user id)")
	f.StringVar(&o.format, "format", "csv", "output format: csv or jsonl")
	f.StringVar(&o.out, "out", "", "output file")
	f.StringVar(&o.zone, "zone", "", "the MOR server's time zone (IANA name, e.g. Europe/Vilnius)")
	return cmd
}

// callsColumns are the export's columns, in order.
var callsColumns = []string{"time", "uniqueid", "src", "dst", "clid", "destination", "prefix", "did", "disposition",
	"hangup_cause", "billsec", "user", "reseller", "provider_id", "provider", "server_id", "currency",
	"user_price", "user_rate", "reseller_price", "reseller_rate", "provider_price", "provider_rate",
	"did_price", "did_inc_price", "did_prov_price", "profit", "self_cost_price", "self_cost_rate"}

func callValues(c *mor.Call) []string {
	num := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	currency := ""
	money := func(m *mor.Money) string {
		if m == nil {
			return ""
		}
		currency = m.Currency
		return m.Amount.String()
	}
	prices := []string{money(c.UserPrice), money(c.UserRate), money(c.ResellerPrice), money(c.ResellerRate),
		money(c.ProviderPrice), money(c.ProviderRate), money(c.DIDPrice), money(c.DIDIncPrice), money(c.DIDProvPrice),
		money(c.Profit), money(c.SelfCostPrice), money(c.SelfCostRate)}
	return append([]string{c.Time.Format(time.RFC3339), c.UniqueID, c.Source, c.Destination, c.CallerID, c.DestinationName,
		c.Prefix, c.DID, c.Disposition, num(c.HangupCause), strconv.FormatInt(int64(c.Billsec/time.Second), 10), c.User,
		c.Reseller, num(c.ProviderID), c.ProviderName, num(c.ServerID), currency}, prices...)
}

func parseExportTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateTime, s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 nor YYYY-MM-DD HH:MM:SS", s)
}

// exportJournal is FILE.journal: a header naming the export, then one line
// per complete window: "window FROM TILL OFFSET RECORDS" (Unix seconds,
// the output's size after it, the records in it).
type exportJournal struct {
	header  string
	windows int
	offset  int64
	records int64
	next    time.Time // start of the first window not done
}

func readExportJournal(path, header string, from time.Time) (*exportJournal, error) {
	j := &exportJournal{header: header, next: from}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return j, nil
	}
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(data), "\n")
	if lines[0] != header {
		return nil, usagef("%s was written for another export (%s); remove it (and the output) to start over", path, escapeText(lines[0]))
	}
	for _, l := range lines[1:] {
		var f, t, off, n int64
		if _, err := fmt.Sscanf(l, "window %d %d %d %d", &f, &t, &off, &n); err != nil {
			continue // a torn last line: that window is not done
		}
		j.windows++
		j.offset, j.records, j.next = off, j.records+n, time.Unix(t+1, 0)
	}
	return j, nil
}

func (a *app) runCallsExport(cmd *cobra.Command, o callsExportOptions) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	if o.format != "csv" && o.format != "jsonl" {
		return usagef("--format must be csv or jsonl")
	}
	if o.window < time.Second || o.window%time.Second != 0 {
		return usagef("--window must be whole seconds, at least 1s")
	}
	loc := time.Local
	var zone *time.Location
	if o.zone != "" {
		z, err := time.LoadLocation(o.zone)
		if err != nil {
			return usagef("--zone: %v", err)
		}
		loc, zone = z, z
	}
	if o.from == "" || o.till == "" {
		return usagef("--from and --to are required")
	}
	from, err := parseExportTime(o.from, loc)
	if err != nil {
		return usagef("--from: %v", err)
	}
	till, err := parseExportTime(o.till, loc)
	if err != nil {
		return usagef("--to: %v", err)
	}
	if till.Before(from) {
		return usagef("--to is before --from")
	}
	var userID *int64
	if o.user != "" {
		n, err := strconv.ParseInt(o.user, 10, 64)
		if err != nil || n < 0 {
			return usagef("--user: want a numeric user id, got %q", o.user)
		}
		userID = &n
	}
	client, _, err := a.client(cmd, 1)
	if err != nil {
		return err
	}

	header := fmt.Sprintf("mor calls export from=%d to=%d window=%d user=%s format=%s", from.Unix(), till.Unix(),
		int64(o.window/time.Second), o.user, o.format)
	jpath := o.out + ".journal"
	unlock, err := lockResults(jpath)
	if err != nil {
		return err
	}
	defer unlock()
	j, err := readExportJournal(jpath, header, from)
	if err != nil {
		return err
	}
	out, err := os.OpenFile(o.out, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return &usageError{err}
	}
	defer out.Close()
	// Whatever follows the last complete window is a window cut short.
	if err := out.Truncate(j.offset); err != nil {
		return err
	}
	if _, err := out.Seek(j.offset, io.SeekStart); err != nil {
		return err
	}
	jf, err := os.OpenFile(jpath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer jf.Close()
	if j.windows == 0 {
		if err := jf.Truncate(0); err != nil {
			return err
		}
		if _, err := fmt.Fprintln(jf, header); err != nil {
			return err
		}
	}

	total := int((till.Unix()-from.Unix())/int64(o.window/time.Second)) + 1
	ctx, stop := a.commandContext()
	defer stop()
	bw := bufio.NewWriterSize(out, 256<<10)
	var cw *csv.Writer
	if o.format == "csv" {
		cw = csv.NewWriter(bw)
		if j.offset == 0 {
			_ = cw.Write(callsColumns)
			cw.Flush()
		}
	}
	enc := json.NewEncoder(bw)
	records, offset := j.records, j.offset
	done := j.windows
	var bar *progressbar.ProgressBar
	if isTerminal(a.stderr) {
		bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(a.stderr), progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetDescription("windows"))
		_ = bar.Set(done)
	}
	report := func() {
		msg := fmt.Sprintf("%d records, %s, windows %d/%d", records, humanBytes(offset), done, total)
		if bar != nil {
			bar.Describe(msg)
			_ = bar.Set(done)
		} else {
			fmt.Fprintln(a.stderr, msg)
		}
	}
	if done > 0 {
		fmt.Fprintf(a.stderr, "resuming after %d complete windows (%d records)\n", done, records)
	}
	step := o.window
	for start := j.next; !start.After(till); start = start.Add(step) {
		end := start.Add(step - time.Second)
		if end.After(till) {
			end = till
		}
		q := mor.CallsQuery{From: start, Till: end, UserID: userID, Window: step, Zone: zone}
		n := int64(0)
		for call, err := range client.Calls.All(ctx, q) {
			if err != nil {
				if bar != nil {
					_ = bar.Clear()
				}
				if a.interrupted.Load() || ctx.Err() != nil {
					fmt.Fprintf(a.stderr, "interrupted: %d complete windows kept in %s; run the same command again to resume\n", done, o.out)
					_ = out.Truncate(offset)
					return &exitCodeError{exitInterrupted}
				}
				_ = out.Truncate(offset)
				return fmt.Errorf("window %s – %s: %w", start.Format(time.DateTime), end.Format(time.DateTime), err)
			}
			if cw != nil {
				err = cw.Write(callValues(&call))
			} else {
				row := map[string]string{}
				for i, v := range callValues(&call) {
					if v != "" {
						row[callsColumns[i]] = v
					}
				}
				err = enc.Encode(row)
			}
			if err != nil {
				return err
			}
			n++
		}
		if cw != nil {
			cw.Flush()
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if err := out.Sync(); err != nil {
			return err
		}
		pos, err := out.Seek(0, io.SeekCurrent)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(jf, "window %d %d %d %d\n", start.Unix(), end.Unix(), pos, n); err != nil {
			return err
		}
		records, offset = records+n, pos
		done++
		report()
		if a.interrupted.Load() {
			fmt.Fprintf(a.stderr, "interrupted: %d complete windows kept in %s; run the same command again to resume\n", done, o.out)
			return &exitCodeError{exitInterrupted}
		}
	}
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(a.stderr)
	}
	fmt.Fprintf(a.stderr, "exported %d records (%s) to %s\n", records, humanBytes(offset), o.out)
	return nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
