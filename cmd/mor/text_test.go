package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEscapeText(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "",
		"CLI already exists.":     "CLI already exists.",
		"ünïcödé €":               "ünïcödé €",
		"a\nb":                    `a\nb`,
		"a\r\nb\tc":               `a\r\nb\tc`,
		"\x1b[2J":                 `\x1b[2J`,
		"\u009b2J":                `\u009b2J`,
		"rtl \u202eevil":          `rtl \u202eevil`,
		"line\u2028sep":           `line\u2028sep`,
		"bad \xff utf8":           `bad \xff utf8`,
		`already \n escaped`:      `already \n escaped`,
		"del\x7f":                 `del\x7f`,
		"zero\x00width\u200bjoin": `zero\x00width\u200bjoin`,
	} {
		got := escapeText(in)
		assert.Equal(t, want, got, "%q", in)
		assert.Equal(t, got, escapeText(got), "idempotent: %q", in)
	}
}

func TestPrefixed(t *testing.T) {
	for in, want := range map[string]string{
		"mor call: missing METHOD":                             "mor: call: missing METHOD",
		"mor: cli_add: Incorrect hash":                         "mor: cli_add: Incorrect hash",
		"stopped: every row would fail: mor: cli_add: x":       "mor: stopped: every row would fail: cli_add: x",
		"cli_info_get: CLI not found; mor: device_clis_get: y": "mor: cli_info_get: CLI not found; device_clis_get: y",
		"results file: open x: denied":                         "mor: results file: open x: denied",
	} {
		assert.Equal(t, want, prefixed(in), in)
	}
}

func TestPlural(t *testing.T) {
	assert.Equal(t, "0 rows", plural(0, "row", "rows"))
	assert.Equal(t, "1 row", plural(1, "row", "rows"))
	assert.Equal(t, "2 fields", plural(2, "field", "fields"))
	assert.Equal(t, "1 row/s", perSecond(1.2))
	assert.Equal(t, "0 rows/s", perSecond(0.4))
	assert.Equal(t, "250 rows/s", perSecond(250))
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "4096": 4096, "16KiB": 16 << 10, "64MiB": 64 << 20, "64 mb": 64 << 20,
		"1G": 1 << 30, "100b": 100} {
		got, err := parseSize(in)
		assert.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "0", "-1", "lots", "1.5MiB", "12TB", "MiB", "99999999999999999999", "9999999999999GiB"} {
		_, err := parseSize(in)
		assert.Error(t, err, in)
	}
	assert.Equal(t, "32MiB", formatSize(32<<20))
	assert.Equal(t, "16KiB", formatSize(16<<10))
	assert.Equal(t, "1000 bytes", formatSize(1000))
}

func TestCheckBaseURL(t *testing.T) {
	for _, ok := range []string{"https://mor.example.com/billing", "http://127.0.0.1:8089/billing"} {
		assert.NoError(t, checkBaseURL(ok), ok)
	}
	for _, bad := range []string{"mor.example.com/billing", "mor.example.com:8080/billing", "https:///billing", "", "ftp://x/billing", "://x"} {
		err := checkBaseURL(bad)
		if assert.Error(t, err, bad) {
			assert.Contains(t, err.Error(), "e.g. https://mor.example.com/billing", bad)
		}
	}
}
