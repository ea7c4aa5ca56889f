package mor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Version is the SDK version, sent in the default User-Agent.
const Version = "0.1.0"

const (
	defaultTimeout          = 30 * time.Second
	defaultMaxResponseBytes = 32 << 20
	defaultUserAgent        = "mor-go/" + Version
)

// Client calls one MOR server as one API user. It is immutable after
// NewClient and safe for concurrent use by many goroutines.
//
// Every call follows one path: the parameters plus u (and p with
// WithPassword) are signed with Hash, sent as an
// application/x-www-form-urlencoded POST body to <baseURL>/api/<method> with
// no query string, and the reply is sniffed, decoded and checked for <error>
// elements at any depth before the method's own result is read.
type Client struct {
	apiBase     string // "https://host/billing/api/"
	username    string
	secret      string
	password    string
	hasPassword bool
	hc          *http.Client
	userAgent   string
	maxBytes    int64
	logger      *slog.Logger
	retries     int
	backoff     time.Duration
	maxBackoff  time.Duration

	common service // shared by every service below

	// CLIs adds, deletes, looks up and lists CLIs (caller numbers).
	CLIs *CLIsService
	// Users reads, registers and updates users.
	Users *UsersService
	// Devices lists, creates, updates and deletes devices.
	Devices *DevicesService
	// DIDs lists, creates, assigns and frees DIDs.
	DIDs *DIDsService
	// Phonebooks reads and edits phonebooks and their records.
	Phonebooks *PhonebooksService
}

// Option configures a Client. An option may reject its value, making
// NewClient fail.
type Option func(*Client) error

// WithHTTPClient makes the Client send through a copy of hc; hc itself is
// never modified. Its Timeout, Transport and CheckRedirect are kept; when hc
// has no CheckRedirect, the copy refuses redirects that would turn the POST
// into a GET and drop its body (u, hash and every parameter).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("mor: WithHTTPClient: nil *http.Client")
		}
		cp := *hc
		if cp.CheckRedirect == nil {
			cp.CheckRedirect = refuseMethodChange
		}
		c.hc = &cp
		return nil
	}
}

// WithPassword sends p=password with every call, for servers and methods
// that want it (users_get hashes it). It is never logged.
func WithPassword(password string) Option {
	return func(c *Client) error {
		c.password, c.hasPassword = password, true
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if strings.ContainsAny(ua, "\r\n") {
			return errors.New("mor: WithUserAgent: user agent contains a line break")
		}
		c.userAgent = ua
		return nil
	}
}

// WithMaxResponseBytes caps the decoded size of a reply (after gzip or zip);
// a larger reply, or a compression bomb, fails with ErrResponseTooLarge. The
// default is 32 MiB.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("mor: WithMaxResponseBytes: %d is not a positive size", n)
		}
		c.maxBytes = n
		return nil
	}
}

// WithLogger sends request and response records to l at debug level. The
// password, the hash and the secret never appear in them.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		c.logger = l
		return nil
	}
}

// WithRetries lets read-only methods (KindRead in the method registry, such
// as cli_info_get and device_clis_get) be retried up to n times after a
// transport error, a timeout or an HTTP 429/5xx, waiting base, 2×base, 4×base
// … (with jitter, at most 30 s) between tries, and never past the context's
// deadline. Writes such as cli_add and cli_delete are never retried: once the
// request may have reached the server, repeating it could add or delete
// twice. The default is no retries.
func WithRetries(n int, base time.Duration) Option {
	return func(c *Client) error {
		if n < 0 || base <= 0 && n > 0 {
			return fmt.Errorf("mor: WithRetries: need n >= 0 and a positive base delay, got %d, %v", n, base)
		}
		c.retries, c.backoff = n, base
		return nil
	}
}

// NewClient returns a Client for the MOR web app at baseURL (for example
// "https://mor.example.com/billing"; a URL with no path gets /billing),
// calling as username and signing with secret, the API secret key of the
// user's API owner. It does no I/O and reads no environment variables.
// The default HTTP client has a 30 s timeout.
func NewClient(baseURL, username, secret string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("mor: base URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("mor: base URL %q: scheme must be http or https", u.Redacted())
	case u.Host == "":
		return nil, fmt.Errorf("mor: base URL %q: no host", u.Redacted())
	case u.User != nil:
		return nil, errors.New("mor: base URL must not carry credentials; pass them to NewClient")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, fmt.Errorf("mor: base URL %q: no query or fragment allowed", u.Redacted())
	}
	if username == "" {
		return nil, errors.New("mor: username is empty")
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	if path == "" {
		path = "/billing"
	}
	c := &Client{
		apiBase:    u.Scheme + "://" + u.Host + path + "/api/",
		username:   username,
		secret:     secret,
		userAgent:  defaultUserAgent,
		maxBytes:   defaultMaxResponseBytes,
		maxBackoff: 30 * time.Second,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.hc == nil {
		c.hc = &http.Client{Timeout: defaultTimeout, CheckRedirect: refuseMethodChange}
	}
	c.initServices()
	return c, nil
}

// refuseMethodChange stops the redirects that would turn the POST into a
// GET without its body (and so without u and hash).
func refuseMethodChange(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if req.Method != via[0].Method {
		return fmt.Errorf("redirected to %s, which would drop the POST body; use that address as the base URL", req.URL.Redacted())
	}
	return nil
}

// Endpoint returns the URL a method is posted to.
func (c *Client) Endpoint(method string) string { return c.apiBase + method }

// Call calls any MOR method, signed with the server's hash rule for that
// method. params holds the method's own parameters; u, p and hash are added
// by the Client and must not be in params. Send only documented parameters:
// any extra one the server hashes changes the hash.
//
// out may be nil (only success or failure matters), a *[]byte (receives the
// decoded XML), or a pointer that encoding/xml can unmarshal the reply into.
// Any <error> in the reply comes back as an *APIError. For a method whose
// success reply is a fixed text (LookupMethod's MethodInfo.Success, e.g.
// "Device successfully updated"), a reply without that text is an
// ErrUnexpectedResponse, never success. A parameter name containing [ or ]
// is refused (ErrBracketParam).
//
// Call retries only methods the registry knows as reads (KindRead), and only
// with WithRetries; an unknown method is never retried.
func (c *Client) Call(ctx context.Context, method string, params url.Values, out any) error {
	if err := checkMethod(method); err != nil {
		return err
	}
	for _, k := range []string{"u", "p", "hash"} {
		if _, ok := params[k]; ok {
			return &ValidationError{Method: method, Field: k, Err: ErrReservedParam}
		}
	}
	for _, k := range sortedKeys(params) {
		if strings.ContainsAny(k, "[]") {
			return &ValidationError{Method: method, Field: k, Err: ErrBracketParam}
		}
	}
	if _, ok := successSpec(method); ok {
		return c.do(ctx, method, params, func(r io.Reader) error {
			return decodeSuccessGeneric(method, r, out)
		})
	}
	return c.do(ctx, method, params, func(r io.Reader) error {
		return decodeGeneric(method, r, out)
	})
}

// Sentinels for misuse of Call.
var (
	// ErrInvalidMethod is a method name that is not a MOR API name.
	ErrInvalidMethod = errors.New("mor: invalid method name")
	// ErrReservedParam is u, p or hash passed in Call's params: the Client
	// sets them.
	ErrReservedParam = errors.New("mor: parameter is set by the client")
	// ErrBracketParam is a parameter name in Call's params containing [ or ]:
	// the server would nest it into an array or a hash, which no MOR method
	// reads and the hash rule cannot sign.
	ErrBracketParam = errors.New("mor: parameter name contains [ or ]")
)

func checkMethod(method string) error {
	ok := method != ""
	for i := 0; i < len(method) && ok; i++ {
		b := method[i]
		ok = b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
	}
	if !ok {
		return &ValidationError{Method: method, Field: "method", Err: ErrInvalidMethod}
	}
	return nil
}

// readOnly reports whether a method only reads (KindRead in the method
// registry, aliases included), so that retrying it is safe. An unknown method
// is never treated as a read.
func readOnly(method string) bool { return methodKind(method) == KindRead }

// signedForm returns the request body: params plus u, p and the hash over
// exactly these values.
func (c *Client) signedForm(method string, params url.Values) string {
	form := make(url.Values, len(params)+3)
	for k, vs := range params {
		form[k] = vs
	}
	form["u"] = []string{c.username}
	if c.hasPassword {
		form["p"] = []string{c.password}
	}
	form["hash"] = []string{Hash(method, form, c.secret)}
	return form.Encode()
}

// do is the one request path: sign, POST, check the status, open the body,
// decode. It retries read-only methods when configured.
func (c *Client) do(ctx context.Context, method string, params url.Values, decode func(io.Reader) error) error {
	return c.doStream(ctx, method, params, decode, nil)
}

// doStream is do for streamed reads: a read is retried only while started
// (when not nil) reports that nothing has been handed to the consumer yet.
func (c *Client) doStream(ctx context.Context, method string, params url.Values, decode func(io.Reader) error, started func() bool) error {
	if ctx == nil {
		return errors.New("mor: nil context")
	}
	body := c.signedForm(method, params)
	tries := 1
	if c.retries > 0 && readOnly(method) {
		tries += c.retries
	}
	for attempt := 1; ; attempt++ {
		err := c.once(ctx, method, body, decode)
		if err == nil || attempt >= tries || started != nil && started() || !retryable(err) || ctx.Err() != nil {
			return withMethod(method, err)
		}
		if err := sleep(ctx, c.delay(attempt)); err != nil {
			// Reported like any other ended context; only reads get here.
			return &TransportError{Method: method, Err: err, sent: true}
		}
	}
}

func (c *Client) delay(attempt int) time.Duration {
	d := c.backoff << (attempt - 1)
	if d <= 0 || d > c.maxBackoff {
		d = c.maxBackoff
	}
	// Full jitter in [d/2, d): many clients retrying don't stampede.
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryable reports whether a read may be tried again after err.
func retryable(err error) bool {
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Temporary()
	}
	var te *TransportError
	return errors.As(err, &te)
}

func (c *Client) once(ctx context.Context, method, body string, decode func(io.Reader) error) (err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.apiBase+method, strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("mor: %s: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/xml, text/xml, text/html;q=0.9, */*;q=0.5")
	req.Header.Set("User-Agent", c.userAgent)

	logging := c.logger != nil && c.logger.Enabled(ctx, slog.LevelDebug)
	var start time.Time
	if logging {
		start = time.Now()
		c.logger.LogAttrs(ctx, slog.LevelDebug, "mor request",
			slog.String("method", method), slog.String("url", req.URL.String()),
			slog.Any("params", redactedBody(body)))
	}
	status := 0
	defer func() {
		if err != nil {
			err = c.finishErr(ctx, method, err)
		}
		if logging {
			attrs := []slog.Attr{slog.String("method", method), slog.Int("status", status),
				slog.Duration("elapsed", time.Since(start))}
			if err != nil {
				attrs = append(attrs, slog.String("error", err.Error()))
			}
			c.logger.LogAttrs(ctx, slog.LevelDebug, "mor response", attrs...)
		}
	}()

	resp, err := c.hc.Do(req)
	if err != nil {
		return &TransportError{Method: method, Err: err, sent: maybeWritten(err)}
	}
	status = resp.StatusCode
	rr := getReplyReader()
	defer func() {
		// Drain a little so the connection can be reused, then close.
		rr.discard(resp.Body, 64<<10)
		resp.Body.Close()
		rr.release()
	}()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &HTTPError{Method: method, StatusCode: resp.StatusCode, Status: resp.Status, Snippet: bodySnippet(resp.Body)}
	}
	r, err := rr.open(method, resp.Body, c.maxBytes)
	if err != nil {
		return err
	}
	return decode(r)
}

// finishErr makes a failed call's error final: a cancelled or expired
// context is reported as such (wrapping ctx.Err()), and server text is
// scrubbed of the secret and password in case a hostile server echoes them.
func (c *Client) finishErr(ctx context.Context, method string, err error) error {
	var apiErr *APIError
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.As(err, &apiErr) {
		// Report the context, but keep what is known about the request.
		sent := true
		var te *TransportError
		if errors.As(err, &te) {
			sent = te.sent
		}
		return &TransportError{Method: method, Err: ctxErr, sent: sent}
	}
	switch e := err.(type) {
	case *APIError:
		e.Message = c.scrub(e.Message)
		e.Owner = c.scrub(e.Owner)
		for i := range e.Messages {
			e.Messages[i] = c.scrub(e.Messages[i])
		}
	case *HTTPError:
		e.Snippet = c.scrub(e.Snippet)
	case *ParseError:
		e.Snippet = c.scrub(e.Snippet)
	}
	return err
}

// scrub removes the secret and the password from server text.
func (c *Client) scrub(s string) string {
	for _, secret := range []string{c.secret, c.password} {
		if len(secret) >= 4 && strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// bodySnippet reads the start of an error page for HTTPError.
func bodySnippet(r io.Reader) string {
	buf := make([]byte, 512)
	n, _ := io.ReadFull(r, buf)
	return snippet(buf[:n])
}

// redactedBody logs a form body with p and hash hidden.
type redactedBody string

func (b redactedBody) LogValue() slog.Value {
	vals, err := url.ParseQuery(string(b))
	if err != nil {
		return slog.StringValue("(unparsable)")
	}
	attrs := make([]slog.Attr, 0, len(vals))
	for _, k := range sortedKeys(vals) {
		v := strings.Join(vals[k], ",")
		if k == "p" || k == "hash" {
			v = "[redacted]"
		}
		attrs = append(attrs, slog.String(k, v))
	}
	return slog.GroupValue(attrs...)
}
