package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	mor "github.com/morbilling/mor-go"
)

func TestReadImportCSVHeader(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"empty file", "", "the file is empty"},
		{"no cli_number", "device_id,comment\n", "no cli_number column"},
		{"unknown column", "device_id,cli_number,colour\n", `unknown column "colour"`},
		{"twice", "device_id,cli_number,device_id\n", `column "device_id" appears twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readImportCSV(strings.NewReader(tt.in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
	t.Run("any order, BOM, case, spaces in numbers", func(t *testing.T) {
		p, err := readImportCSV(strings.NewReader("\uFEFFCLI_Number, Device_ID ,ivr_id,cli_domain\n 123 ,2,5,\n456,3,,\n12 3,4,,\n,5,,sip.example.com\n"))
		require.NoError(t, err)
		require.Len(t, p.rows, 2)
		assert.Equal(t, "123", p.rows[0].params.CLINumber)
		assert.Equal(t, int64(2), p.rows[0].params.DeviceID)
		assert.Equal(t, int64(5), p.rows[0].params.IVRID)
		assert.Equal(t, 3, p.rows[1].line)
		require.Len(t, p.bad, 2)
		assert.Equal(t, 4, p.bad[0].line) // "12 3" is not numeric
		assert.Contains(t, p.bad[1].reason, "import needs a number")
	})
	t.Run("duplicates compare as the server does: white space removed", func(t *testing.T) {
		assert.Equal(t, "1234", cliKey(" 12\t3 4 "))
	})
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]rate.Limit{"": rate.Inf, "20": 20, "20/s": 20, "0.5/s": 0.5, "600/m": 10, "60/min": 1} {
		got, err := parseRate(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"x", "0", "-1/s", "5/h"} {
		_, err := parseRate(in)
		assert.Error(t, err, in)
	}
}

func TestJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.csv")
	// A journal killed mid-write: the torn line is dropped on read, and
	// cut off before new records are appended.
	require.NoError(t, os.WriteFile(path, []byte("line,number,device,outcome,message,time\n2,100,2,started,,2026-01-01T00:00:00Z\n3,10"), 0o644))
	hist, err := readResults(path)
	require.NoError(t, err)
	assert.Len(t, hist, 1)
	assert.Equal(t, outcomeStarted, hist["100"].Outcome)

	j, err := openJournal(path)
	require.NoError(t, err)
	var rows []importRow
	for i := range 50 {
		rows = append(rows, importRow{line: i + 2, params: mor.AddCLIParams{DeviceID: 2, CLINumber: "n" + string(rune('A'+i))}})
	}
	// Started records go in batches, synced; outcomes are noted
	// concurrently, after their row's batch, as the workers do.
	var wg sync.WaitGroup
	for b := 0; b < len(rows); b += 10 {
		require.NoError(t, j.startedBatch(rows[b:b+10], time.Now()))
		for _, row := range rows[b : b+10] {
			wg.Go(func() {
				r := resultRecord{Line: row.line, Number: row.params.CLINumber, Device: "2", Outcome: outcomeAdded,
					Message: "a, \"quoted\"\nmessage", Time: time.Now()}
				assert.NoError(t, j.note(r))
			})
		}
	}
	wg.Wait()
	require.NoError(t, j.Close())
	hist, err = readResults(path)
	require.NoError(t, err)
	assert.Len(t, hist, 51)
	// Line breaks in a message are escaped when journaled: one record, one line.
	assert.Equal(t, `a, "quoted"\nmessage`, hist["nA"].Message)
	for _, row := range rows {
		assert.Equal(t, outcomeAdded, hist[row.key()].Outcome, row.params.CLINumber)
	}
	assert.Equal(t, outcomeStarted, hist["100"].Outcome)

	_, err = readResults(writeFile(t, "other.csv", "a,b\n1,2\n"))
	assert.ErrorContains(t, err, "is not a mor import results file")
}

func TestXMLToJSON(t *testing.T) {
	got, err := xmlToJSON([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<page>
  <status>
    <cli_id>1</cli_id>
    <cli_description/>
    <cli_comment></cli_comment>
    <cli_id>2</cli_id>
    <cli_id>3</cli_id>
    <x a="1">t</x>
  </status>
  <error>a &amp; b</error>
</page>
`))
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, writeJSON(&b, got))
	assert.Equal(t, `{
  "page": {
    "status": [
      {
        "cli_id": "1",
        "cli_description": null,
        "cli_comment": ""
      },
      {
        "cli_id": "2"
      },
      {
        "cli_id": "3",
        "x": {
          "@a": "1",
          "#text": "t"
        }
      }
    ],
    "error": "a & b"
  }
}
`, b.String())
}

// An outcome noted without a batch after it still reaches the file soon,
// without Close: a kill then loses only the last few answers, and their
// rows are checked on the next run.
func TestJournalFlushesOutcomesByItself(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.csv")
	j, err := openJournal(path)
	require.NoError(t, err)
	defer j.Close()
	row := importRow{line: 2, params: mor.AddCLIParams{DeviceID: 2, CLINumber: "100"}}
	require.NoError(t, j.startedBatch([]importRow{row}, time.Now()))
	require.NoError(t, j.note(resultRecord{Line: 2, Number: "100", Device: "2", Outcome: outcomeAdded, Time: time.Now()}))
	require.Eventually(t, func() bool {
		hist, err := readResults(path)
		return err == nil && hist["100"].Outcome == outcomeAdded
	}, 5*time.Second, 5*time.Millisecond)
}

// The journal's own encoder writes exactly what encoding/csv writes, so
// the results file reads back the same.
func TestAppendRecordMatchesEncodingCSV(t *testing.T) {
	at := time.Date(2026, 2, 3, 4, 5, 6, 7, time.FixedZone("x", 3600))
	for _, s := range []string{"", "plain", "a,b", `say "hi"`, "two\nlines", "cr\rhere", " leading space", "\tleading tab",
		`\.`, "trailing space ", "\u00a0nbsp first", "ünïcödé, \"mixed\"\r\n", `"`, `""`} {
		r := resultRecord{Line: 12, Number: s, Device: "7", Outcome: outcomeFailed, Message: s, Time: at}
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		require.NoError(t, w.Write([]string{"12", s, "7", outcomeFailed, s, at.UTC().Format(time.RFC3339)}))
		w.Flush()
		assert.Equal(t, want.String(), string(appendRecord(nil, r)), "%q", s)
	}
}

func TestBatchLimit(t *testing.T) {
	assert.Equal(t, 256, batchLimit(1, rate.Inf))
	assert.Equal(t, 256, batchLimit(16, rate.Inf))
	assert.Equal(t, 1024, batchLimit(256, rate.Inf))
	assert.Equal(t, 10, batchLimit(8, 20), "half a second at 20/s")
	assert.Equal(t, 8, batchLimit(8, 2), "never fewer rows than workers")
	assert.Equal(t, 256, batchLimit(16, 100000))
}
