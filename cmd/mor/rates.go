package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

func (a *app) ratesCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "rates",
		Short: "Export tariffs (rate decks)",
	}
	c.AddCommand(a.ratesExportCommand())
	return c
}

// rateRow is one exported rate as written by mor rates export.
type rateRow struct {
	Block            string `json:"block"` // "custom" or "tariff"
	Tariff           string `json:"tariff"`
	Purpose          string `json:"purpose"`
	Currency         string `json:"currency"`
	DestinationGroup string `json:"destination_group,omitempty"`
	Direction        string `json:"direction,omitempty"`
	Destination      string `json:"destination,omitempty"`
	Prefix           string `json:"prefix,omitempty"`
	Code             string `json:"code,omitempty"`
	Price            string `json:"price"`
	ConnectionFee    string `json:"connection_fee,omitempty"`
	Increment        string `json:"increment,omitempty"`
	MinTime          string `json:"min_time,omitempty"`
	From             string `json:"from,omitempty"`
	Duration         string `json:"duration,omitempty"`
	Type             string `json:"type,omitempty"`
	RoundBy          string `json:"round_by,omitempty"`
	StartTime        string `json:"start_time"`
	EndTime          string `json:"end_time"`
	DayType          string `json:"daytype"`
}

var rateColumns = []string{"block", "tariff", "purpose", "currency", "destination_group", "direction", "destination",
	"prefix", "code", "price", "connection_fee", "increment", "min_time", "from", "duration", "type", "round_by",
	"start_time", "end_time", "daytype"}

func toRow(r mor.TariffRate) rateRow {
	block := "tariff"
	if r.Block.Custom {
		block = "custom"
	}
	row := rateRow{Block: block, Tariff: r.Block.Name, Purpose: r.Block.Purpose, Currency: r.Block.Currency,
		DestinationGroup: r.DestinationGroup, Direction: r.Direction, Destination: r.Destination, Prefix: r.Prefix,
		Code: r.Code, StartTime: r.StartTime, EndTime: r.EndTime, DayType: r.DayType}
	if !r.HasDetails {
		return row
	}
	row.Price = r.Price.Amount.String()
	if r.Block.Wholesale() {
		row.ConnectionFee = r.ConnectionFee.Amount.String()
		row.Increment, row.MinTime = strconv.FormatInt(r.Increment, 10), strconv.FormatInt(r.MinTime, 10)
	} else {
		row.From, row.Type, row.RoundBy = strconv.FormatInt(r.From, 10), r.Type, strconv.FormatInt(r.RoundBy, 10)
		row.Duration = strconv.FormatInt(r.Duration, 10)
	}
	return row
}

func (r rateRow) fields() []string {
	return []string{r.Block, r.Tariff, r.Purpose, r.Currency, r.DestinationGroup, r.Direction, r.Destination, r.Prefix,
		r.Code, r.Price, r.ConnectionFee, r.Increment, r.MinTime, r.From, r.Duration, r.Type, r.RoundBy, r.StartTime,
		r.EndTime, r.DayType}
}

func (a *app) ratesExportCommand() *cobra.Command {
	var (
		tariffID, userID int64
		format, out      string
	)
	c := &cobra.Command{
		Use:   "export (--tariff ID | --user ID) --format csv|jsonl --out FILE",
		Short: "Export a tariff's rates to a file (tariff_rates_get)",
		Long: `Export a tariff's rates to a file (tariff_rates_get), streaming: the server
zips the whole tariff; mor unzips it and writes each rate as it is decoded,
so memory stays small however large the tariff. With --user, the user's
custom rates come first (block "custom"), then its tariff's rates.

Prices are exact decimals as the server sends them, in the currency column.
A retail duration of -1 means "to the end of the call". The file is written
as FILE.part and renamed when the export is complete; on any error it is
removed. A progress bar shows on a terminal.

Large tariffs: raise --max-response-bytes (default 32MiB) above the
tariff's XML size, about 0.8 KB a wholesale rate.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "csv" && format != "jsonl" {
				return usagef("--format must be csv or jsonl, not %q", format)
			}
			if out == "" {
				return usagef("--out FILE is required")
			}
			var p mor.TariffExportParams
			params := url.Values{}
			switch {
			case cmd.Flags().Changed("user") && cmd.Flags().Changed("tariff"):
				return usagef("--user and --tariff are exclusive")
			case cmd.Flags().Changed("user"):
				p.UserID = &userID
				params.Set("user_id", strconv.FormatInt(userID, 10))
			case cmd.Flags().Changed("tariff"):
				p.TariffID = tariffID
				params.Set("tariff_id", strconv.FormatInt(tariffID, 10))
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				n, err := a.exportRates(client.Rates.ExportAll(ctx, p), format, out)
				if err != nil {
					return withCall(err, "tariff_rates_get", params)
				}
				fmt.Fprintf(a.stdout, "%d rates written to %s\n", n, escapeText(out))
				return nil
			})
		},
	}
	f := c.Flags()
	f.Var(idFlag{&tariffID, "tariff"}, "tariff", "export this tariff (tariff_id)")
	f.Var(idFlag{&userID, "user"}, "user", "export this user's tariff and custom rates (user_id; 0 is the admin)")
	f.StringVar(&format, "format", "csv", "file format: csv (with a header) or jsonl (one JSON object a line)")
	f.StringVarP(&out, "out", "O", "", "the file to write")
	return c
}

// exportRates writes seq to out (via out.part) and returns the count.
func (a *app) exportRates(seq func(func(mor.TariffRate, error) bool), format, out string) (n int, err error) {
	part := out + ".part"
	f, err := os.OpenFile(part, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, usagef("--out: %v", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(part)
		}
	}()
	bw := bufio.NewWriterSize(f, 256<<10)
	var bar *progressbar.ProgressBar
	if isTerminal(a.stderr) {
		bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(a.stderr),
			progressbar.OptionSetDescription("export "+filepath.Base(out)), progressbar.OptionShowCount(),
			progressbar.OptionShowIts(), progressbar.OptionSetItsString("rates"),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionSpinnerType(14))
	}
	var cw *csv.Writer
	var enc *json.Encoder
	if format == "csv" {
		cw = csv.NewWriter(bw)
		_ = cw.Write(rateColumns)
	} else {
		enc = json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
	}
	for r, rerr := range seq {
		if rerr != nil {
			return n, rerr
		}
		row := toRow(r)
		if cw != nil {
			err = cw.Write(row.fields())
		} else {
			err = enc.Encode(row)
		}
		if err != nil {
			return n, err
		}
		n++
		if bar != nil {
			_ = bar.Add(1)
		}
	}
	if cw != nil {
		cw.Flush()
		if err = cw.Error(); err != nil {
			return n, err
		}
	}
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(a.stderr)
	}
	if err = bw.Flush(); err != nil {
		return n, err
	}
	if err = f.Close(); err != nil {
		return n, err
	}
	return n, os.Rename(part, out)
}

func (a *app) rateCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "rate",
		Short: "Quote the price of a number",
	}
	c.AddCommand(a.rateGetCommand())
	return c
}

func (a *app) rateGetCommand() *cobra.Command {
	var (
		p      mor.RateParams
		all    bool
		output string
	)
	c := &cobra.Command{
		Use:   "get --account USERNAME --number N [--all]",
		Short: "Quote the price of a number in an account's tariff (rate_get)",
		Long: `Quote the price of a number in an account's tariff (rate_get): the longest
matching destination and its price per minute, in the tariff's currency
(which MOR does not report). --all lists every currently active rate for the
number in all tariffs that apply to the account (by_full_dst=1).

The admin's Devices_Check_Rate setting must be on ("Feature disabled"
otherwise). Read-only.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, "table", "json", "csv"); err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				var (
					qs  []mor.RateQuote
					err error
				)
				if all {
					qs, err = client.Rates.Active(ctx, p)
				} else {
					var q *mor.RateQuote
					if q, err = client.Rates.Get(ctx, p); q != nil {
						qs = []mor.RateQuote{*q}
					}
				}
				if err != nil {
					return withCall(err, "rate_get", url.Values{"username": {p.Username}, "prefix": {p.Number}})
				}
				return writeQuotes(a.stdout, output, qs)
			})
		},
	}
	f := c.Flags()
	f.StringVar(&p.Username, "account", "", "the account whose tariff is quoted (username)")
	f.StringVar(&p.Number, "number", "", "the dialled number (prefix); non-digits are ignored")
	f.BoolVar(&all, "all", false, "every active rate in every applicable tariff (by_full_dst=1)")
	f.StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	_ = c.MarkFlagRequired("account")
	_ = c.MarkFlagRequired("number")
	return c
}

func writeQuotes(w io.Writer, output string, qs []mor.RateQuote) error {
	type rec struct {
		Price       string `json:"price"`
		Destination string `json:"destination"`
		Prefix      string `json:"prefix"`
	}
	recs := make([]rec, len(qs))
	for i, q := range qs {
		recs[i] = rec{q.Price.String(), q.Destination, q.Prefix}
	}
	switch output {
	case "json":
		return writeJSON(w, recs)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"price", "destination", "prefix"})
		for _, r := range recs {
			_ = cw.Write([]string{r.Price, r.Destination, r.Prefix})
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PRICE\tDESTINATION\tPREFIX")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Price, oneLine(r.Destination), escapeText(r.Prefix))
	}
	return tw.Flush()
}

// trimmedLines is used by flags that take name=value pairs.
func splitPair(s string) (string, string, bool) {
	k, v, ok := strings.Cut(s, "=")
	return strings.TrimSpace(k), v, ok
}
