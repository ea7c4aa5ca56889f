package main

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

// config holds the connection settings. Environment defaults are applied
// after parsing, never as flag defaults, so that --help cannot print a
// secret taken from the environment.
type config struct {
	url        string
	user       string
	secret     string
	secretFile string
	password   string
	timeout    time.Duration
	verbose    bool
	maxBytes   string
}

func (c *config) addFlags(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&c.url, "url", "", "MOR web app base URL, e.g. https://mor.example.com/billing (default $MOR_URL)")
	// Not --user: mor cli list --user ID filters by a MOR user id.
	f.StringVar(&c.user, "username", "", "API user name, sent as u (default $MOR_USER)")
	f.StringVar(&c.secret, "secret", "", "API secret key (default $MOR_SECRET; prefer the environment or --secret-file)")
	f.StringVar(&c.secretFile, "secret-file", "", "read the API secret key from the first line of this file")
	f.StringVar(&c.password, "password", "", "password, sent as p (default $MOR_PASSWORD)")
	f.DurationVar(&c.timeout, "timeout", 30*time.Second, "timeout of one HTTP request")
	f.StringVar(&c.maxBytes, "max-response-bytes", "", "largest reply accepted, in bytes or with KiB, MiB, GiB (default $MOR_MAX_RESPONSE_BYTES, else 32MiB); device_clis_get takes about 370 bytes a CLI")
	f.BoolVarP(&c.verbose, "verbose", "v", false, "log each request and reply to stderr (the secret, password and hash are never logged)")
}

// settings are the resolved connection values.
type settings struct {
	url, user, secret, password string
	hasSecret, hasPassword      bool
	maxBytes                    int64 // 0: the SDK's default
}

// resolve applies the environment defaults and reads --secret-file.
func (a *app) resolve(cmd *cobra.Command) (settings, error) {
	var s settings
	changed := func(name string) bool { return cmd.Flags().Changed(name) }
	pick := func(flagName, flagVal, env string) (string, bool) {
		if changed(flagName) {
			return flagVal, true
		}
		v := a.getenv(env)
		return v, v != ""
	}
	s.url, _ = pick("url", a.cfg.url, "MOR_URL")
	s.user, _ = pick("username", a.cfg.user, "MOR_USER")
	s.password, s.hasPassword = pick("password", a.cfg.password, "MOR_PASSWORD")
	if size, set := pick("max-response-bytes", a.cfg.maxBytes, "MOR_MAX_RESPONSE_BYTES"); set {
		n, err := parseSize(size)
		if err != nil {
			src := "--max-response-bytes"
			if !changed("max-response-bytes") {
				src = "MOR_MAX_RESPONSE_BYTES"
			}
			return s, usagef("%s %s: %v", src, quoteText(size), err)
		}
		s.maxBytes = n
	}
	switch {
	case changed("secret") && changed("secret-file"):
		return s, usagef("give --secret or --secret-file, not both")
	case changed("secret-file"):
		secret, err := readSecretFile(a.cfg.secretFile)
		if err != nil {
			return s, &usageError{err}
		}
		s.secret, s.hasSecret = secret, true
	default:
		s.secret, s.hasSecret = pick("secret", a.cfg.secret, "MOR_SECRET")
	}
	return s, nil
}

// readSecretFile returns the file's first line without its line ending. An
// empty first line is an error: an empty secret never matches a server
// that checks hashes.
func readSecretFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("--secret-file: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return "", fmt.Errorf("--secret-file %s: %w", path, err)
		}
		return "", fmt.Errorf("--secret-file %s is empty", path)
	}
	secret := strings.TrimRight(sc.Text(), "\r")
	if secret == "" {
		return "", fmt.Errorf("--secret-file %s: the first line is empty", path)
	}
	return secret, nil
}

// client builds the SDK client for a command that talks to the server.
// maxConns sizes the connection pool for concurrent callers.
func (a *app) client(cmd *cobra.Command, maxConns int) (*mor.Client, settings, error) {
	s, err := a.resolve(cmd)
	if err != nil {
		return nil, s, err
	}
	var missing []string
	if s.url == "" {
		missing = append(missing, "--url or MOR_URL")
	}
	if s.user == "" {
		missing = append(missing, "--username or MOR_USER")
	}
	if !s.hasSecret {
		missing = append(missing, "--secret, --secret-file or MOR_SECRET")
	}
	if len(missing) > 0 {
		return nil, s, usagef("not configured: set %s", strings.Join(missing, "; "))
	}
	if a.cfg.timeout <= 0 {
		return nil, s, usagef("--timeout must be positive")
	}
	if err := checkBaseURL(s.url); err != nil {
		src := "--url"
		if !cmd.Flags().Changed("url") {
			src = "MOR_URL"
		}
		return nil, s, usagef("%s: %v", src, err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = max(maxConns, 2)
	// mor.CheckRedirect refuses a redirect to another scheme or host and one
	// that would drop the POST body (WithHTTPClient applies it in any case).
	opts := []mor.Option{
		mor.WithHTTPClient(&http.Client{Transport: tr, Timeout: a.cfg.timeout, CheckRedirect: mor.CheckRedirect}),
		mor.WithUserAgent("mor-cli/" + mor.Version),
	}
	if s.maxBytes > 0 {
		opts = append(opts, mor.WithMaxResponseBytes(s.maxBytes))
	}
	if s.hasPassword {
		opts = append(opts, mor.WithPassword(s.password))
	}
	if a.cfg.verbose {
		opts = append(opts, mor.WithLogger(slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	c, err := mor.NewClient(s.url, s.user, s.secret, opts...)
	if err != nil {
		// NewClient rejects a bad URL; its messages never hold the secret.
		return nil, s, &usageError{err}
	}
	return c, s, nil
}

// parseSize reads a byte count: digits, optionally followed by B, KiB, MiB,
// GiB (or K, M, G, KB, MB, GB, all powers of 1024), case-insensitive.
func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	num, unit := t[:i], strings.TrimSpace(t[i:])
	mult := int64(1)
	switch unit {
	case "", "b":
	case "k", "kb", "kib":
		mult = 1 << 10
	case "m", "mb", "mib":
		mult = 1 << 20
	case "g", "gb", "gib":
		mult = 1 << 30
	default:
		return 0, errors.New("want a size in bytes, e.g. 67108864 or 64MiB")
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/mult {
		return 0, errors.New("want a positive size in bytes, e.g. 67108864 or 64MiB")
	}
	return n * mult, nil
}

// formatSize shows a byte count the way --max-response-bytes takes it:
// "32MiB" when it is a whole number of MiB (or KiB), else bytes.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// checkBaseURL explains what a base URL looks like when u is not one, before
// the SDK gets to say something like "first path segment in URL cannot
// contain colon". The URL itself is not repeated: it may hold credentials.
func checkBaseURL(u string) error {
	const want = "want the MOR web app's base URL with its scheme, e.g. https://mor.example.com/billing (mor adds /api/METHOD)"
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		if err == nil && p.Scheme != "" && p.Host != "" {
			return fmt.Errorf("scheme must be http or https, not %s: %s", quoteText(p.Scheme), want)
		}
		return errors.New("not a base URL: " + want)
	}
	return nil
}
