package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	mor "github.com/morbilling/mor-go"
)

// importColumns are the columns mor import reads; the first two are required.
var importColumns = []string{"device_id", "cli_number", "cli_domain", "description", "comment", "banned", "ivr_id"}

// importRow is one valid CSV row: the cli_add call to make.
type importRow struct {
	line   int // line of the CSV file where the row starts
	params mor.AddCLIParams
}

// key identifies the row's CLI the way the server's uniqueness check does:
// the number with all white space removed.
func (r importRow) key() string { return cliKey(r.params.CLINumber) }

func cliKey(number string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, number)
}

// badRow is a row that failed validation; it is reported and never sent.
type badRow struct {
	line   int
	number string
	device string
	reason string
}

// parsedCSV is a validated import file.
type parsedCSV struct {
	rows     []importRow // valid rows, in file order
	bad      []badRow    // invalid rows, in file order
	warnings []badRow    // valid rows whose number is probably not what was meant
}

// readImportCSV reads and validates an import file. The header names the
// columns (any order; device_id and cli_number required, the rest of
// importColumns optional). Every row is checked before anything is sent:
// a bad row is reported with its line number and does not stop the others.
// A CLI number that appears twice is imported from its first valid line
// only; later lines are reported as duplicates. The error is for a file
// that cannot be read at all (no header, unknown columns, I/O).
func readImportCSV(r io.Reader) (*parsedCSV, error) {
	// A byte order mark (Excel's "CSV UTF-8") goes before the csv reader
	// sees it, or a quoted first column name would be a bare quote.
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty: want a header line " + strings.Join(importColumns, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
		known := false
		for _, c := range importColumns {
			known = known || c == h
		}
		if !known {
			return nil, fmt.Errorf("header: unknown column %q (columns: %s)", h, strings.Join(importColumns, ","))
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("header: column %q appears twice", h)
		}
		col[h] = i
	}
	for _, need := range importColumns[:2] {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("header: no %s column (columns: %s)", need, strings.Join(importColumns, ","))
		}
	}

	out := &parsedCSV{}
	firstLine := map[string]int{} // CLI key → line of its first valid row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			out.bad = append(out.bad, badRow{line: pe.StartLine, reason: "malformed CSV: " + pe.Err.Error()})
			continue
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		row, reason := validateRow(rec, len(header), get)
		row.line = line
		if reason == "" {
			k := row.key()
			if first, dup := firstLine[k]; dup {
				reason = fmt.Sprintf("duplicate: cli_number %s is already on line %d", row.params.CLINumber, first)
			} else {
				firstLine[k] = line
			}
		}
		if reason != "" {
			out.bad = append(out.bad, badRow{line: line, number: strings.TrimSpace(get("cli_number")),
				device: strings.TrimSpace(get("device_id")), reason: reason})
			continue
		}
		if w := numberWarning(row.params.CLINumber); w != "" {
			out.warnings = append(out.warnings, badRow{line: line, number: row.params.CLINumber, reason: w})
		}
		out.rows = append(out.rows, row)
	}
	return out, nil
}

// numberWarning says why a CLI number the server accepts as numeric is
// probably not what was meant, or "" when it looks like a plain number. The
// server's check is Ruby's Float(), so a sign, an exponent, underscores
// and a decimal point pass it, and the number is stored as typed.
func numberWarning(n string) string {
	switch {
	case strings.HasPrefix(n, "+"):
		return fmt.Sprintf("cli_number %s starts with +: the server stores the + as typed, and calls arriving as %s will not match it; leave the + out unless your CLIs are stored with it", quoteText(n), strings.TrimPrefix(n, "+"))
	case strings.HasPrefix(n, "-"):
		return fmt.Sprintf("cli_number %s starts with -: the server accepts it as a number and stores the - as typed", quoteText(n))
	case strings.Contains(n, "_"):
		return fmt.Sprintf("cli_number %s contains _: the server accepts it as a number (1_000 = 1000) but stores the underscores as typed", quoteText(n))
	case strings.ContainsAny(n, "eE"):
		return fmt.Sprintf("cli_number %s is in exponent form: the server accepts it as a number but stores it as typed, not as the digits it stands for", quoteText(n))
	case strings.Contains(n, "."):
		return fmt.Sprintf("cli_number %s contains a decimal point: the server accepts it as a number and stores it as typed", quoteText(n))
	}
	return ""
}

// validateRow checks one record and builds its cli_add parameters; reason
// is empty when the row is valid. It refuses what the server would refuse
// (so no request is wasted) and what import could not check afterwards.
func validateRow(rec []string, columns int, get func(string) string) (row importRow, reason string) {
	if len(rec) != columns {
		return row, fmt.Sprintf("has %s, the header has %s", plural(len(rec), "field", "fields"), plural(columns, "field", "fields"))
	}
	p := &row.params
	device := strings.TrimSpace(get("device_id"))
	number := strings.TrimSpace(get("cli_number"))
	p.CLIDomain = strings.TrimSpace(get("cli_domain"))
	p.Description = get("description")
	p.Comment = get("comment")
	switch {
	case device == "":
		return row, "device_id is empty"
	case number == "" && p.CLIDomain != "":
		return row, "cli_number is empty: import needs a number, since only a number can be checked with cli_info_get (use mor cli add --domain for domain-only CLIs)"
	case number == "":
		return row, "cli_number is empty"
	case !mor.IsNumericCLI(number):
		return row, fmt.Sprintf("cli_number %q is not numeric (the server would answer \"CLI must be numeric\")", number)
	}
	id, err := strconv.ParseInt(device, 10, 64)
	if err != nil || id <= 0 {
		return row, fmt.Sprintf("device_id %q is not a positive integer", device)
	}
	p.DeviceID, p.CLINumber = id, number
	switch b := strings.ToLower(strings.TrimSpace(get("banned"))); b {
	case "", "0", "false", "no", "n":
	case "1", "true", "yes", "y":
		p.Banned = true
	default:
		return row, fmt.Sprintf("banned %q is not 0/1, true/false or yes/no", b)
	}
	if ivr := strings.TrimSpace(get("ivr_id")); ivr != "" {
		n, err := strconv.ParseInt(ivr, 10, 64)
		if err != nil || n <= 0 {
			return row, fmt.Sprintf("ivr_id %q is not a positive integer", ivr)
		}
		p.IVRID = n
	}
	return row, ""
}
