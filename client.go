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
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
	noHashCheck bool
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
	// Invoices lists invoices with their lines.
	Invoices *InvoicesService
	// CreditNotes lists, creates, pays and deletes credit notes.
	CreditNotes *CreditNotesService
	// Statements reads paid/unpaid totals (financial statements).
	Statements *StatementsService
	// Services lists, creates, updates and deletes services.
	Services *ServicesService
	// Subscriptions lists, creates, changes and ends subscriptions.
	Subscriptions *SubscriptionsService
	// Calls streams call records and lists recordings and quick statistics.
	Calls *CallsService
	// Balances reads and changes users' balances.
	Balances *BalancesService
	// Payments records and lists payments.
	Payments *PaymentsService
	// Vouchers redeems prepaid vouchers.
	Vouchers *VouchersService
	// Cards tops up, sells, pays onto, lists and edits calling cards and card groups.
	Cards *CardsService
	// SMS sends and lists SMS messages and subscribes users to SMS.
	SMS *SMSService
	// Rates exports tariffs, quotes rates and imports or updates tariffs.
	Rates *RatesService
	// System reads the server version, starts callbacks, sends e-mail and
	// changes the caller's default settings.
	System *SystemService
}

// Option configures a Client. An option may reject its value, making
// NewClient fail.
type Option func(*Client) error

// WithHTTPClient makes the Client send through a copy of hc; hc itself is
// never modified. Its Timeout and Transport are kept. Redirects always go
// through CheckRedirect first, so that a redirect to another scheme or host,
// or one that would turn the POST into a GET, is refused whatever hc allows;
// hc's own CheckRedirect, if any, then decides about the redirects that
// pass (a 307 or 308 within the base URL's scheme and host).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("mor: WithHTTPClient: nil *http.Client")
		}
		cp := *hc
		cp.CheckRedirect = CheckRedirect
		if own := hc.CheckRedirect; own != nil {
			cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
				if err := CheckRedirect(req, via); err != nil {
					return err
				}
				return own(req, via)
			}
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

// WithoutHashCheck declares that the server does not check hashes for
// this user, which lets NewClient accept an empty secret. A MOR server
// skips the hash check only when the caller's API owner has both "Allow
// API" and "API disable hash checking" set; the API owner is the admin for
// the admin and accountants, the reseller itself for a reseller (which is
// also let through when the admin has both set), and the owner (admin or
// reseller) for a user or partner. Otherwise a call without the right
// secret fails with ErrIncorrectHash or ErrNoSecretKey. A non-empty secret
// is still used to sign every call.
func WithoutHashCheck() Option {
	return func(c *Client) error {
		c.noHashCheck = true
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
// user's API owner. A base URL that already ends in /api (such as
// "https://mor.example.com/billing/api") is taken as the API endpoint
// itself, so calls go to <baseURL>/<method>, never to …/api/api/….
//
// An empty or blank secret is refused unless WithoutHashCheck is given:
// only a server with hash checking turned off accepts unsigned calls.
// NewClient does no I/O and reads no environment variables. The default
// HTTP client has a 30 s timeout.
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
	var apiBase string
	if i := len(path) - len("/api"); i >= 0 && strings.EqualFold(path[i:], "/api") {
		apiBase = u.Scheme + "://" + u.Host + path + "/" // already the API endpoint
	} else {
		if path == "" {
			path = "/billing"
		}
		apiBase = u.Scheme + "://" + u.Host + path + "/api/"
	}
	c := &Client{
		apiBase:    apiBase,
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
	if strings.TrimSpace(secret) == "" && !c.noHashCheck {
		return nil, errors.New("mor: the API secret is empty; it is required unless hash checking is off on the server for this user (then pass WithoutHashCheck)")
	}
	if c.hc == nil {
		c.hc = &http.Client{Timeout: defaultTimeout, CheckRedirect: CheckRedirect}
	}
	c.initServices()
	return c, nil
}

// CheckRedirect is the redirect rule of every Client, exported for code
// that builds its own http.Client to talk to MOR. A MOR server never
// redirects an API call, and a 307 or 308 keeps the POST, so following one
// elsewhere would hand u, p and the hash to another host and trust its
// answer. CheckRedirect therefore refuses, with a *RedirectError:
//
//   - a redirect that changes the method (a 301, 302 or 303 turns the POST
//     into a GET without its body);
//   - a redirect to another scheme or host (port included) than the first
//     request's, which includes https to http on the same host;
//   - an 11th redirect.
//
// A 307 or 308 within the same scheme and host is allowed.
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if len(via) == 0 {
		return nil
	}
	first := via[0]
	re := &RedirectError{Location: redactedURL(req.URL)}
	if req.Response != nil {
		re.StatusCode = req.Response.StatusCode
	}
	switch {
	case len(via) >= 10:
		re.Reason = "stopped after 10 redirects"
	case req.Method != first.Method:
		re.Reason = "it would turn the " + first.Method + " into a " + req.Method + " and drop the POST body; use that address as the base URL"
	case first.URL.Scheme == "https" && req.URL.Scheme != "https":
		re.Reason = "it downgrades https to " + req.URL.Scheme
	case origin(req.URL) != origin(first.URL):
		re.Reason = "it leaves " + origin(first.URL) + "; the client never sends credentials to another scheme or host"
	default:
		return nil
	}
	return re
}

// origin returns scheme://host:port, lowercased, with the scheme's default
// port filled in.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// redactedURL returns u without userinfo, query or fragment.
func redactedURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	v := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return v.String()
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
		return &methodError{method, errors.New("nil context")}
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
		return &methodError{method, err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/xml, text/xml, text/html;q=0.9, */*;q=0.5")
	req.Header.Set("User-Agent", c.userAgent)
	// Asked for explicitly, so that no transport gunzips behind our back:
	// the body's own bytes decide (a gzip body is unwrapped, and a body
	// that claims gzip but is not is a ParseError, the same with every
	// transport).
	req.Header.Set("Accept-Encoding", "gzip")

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
			err = c.finishErr(ctx, method, body, err)
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
		var re *RedirectError
		if errors.As(err, &re) {
			// Not the *url.Error around it: that quotes the raw Location.
			re.Method = method
			return re
		}
		return &TransportError{Method: method, Err: err, sent: maybeWritten(err)}
	}
	status = resp.StatusCode
	rr := getReplyReader()
	defer func() {
		// After a success the decoder has read the body to its end; drain
		// what little may be left so the connection can be reused. After an
		// error nothing more is read: the rest of the body may never come,
		// and the error is already decided. Closing an unread body only
		// costs the keep-alive connection.
		if err == nil {
			rr.discard(resp.Body, 64<<10)
		}
		resp.Body.Close()
		rr.release()
	}()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &HTTPError{Method: method, StatusCode: resp.StatusCode, Status: resp.Status, Snippet: bodySnippet(resp.Body)}
	}
	encoding := ""
	if !resp.Uncompressed {
		encoding = resp.Header.Get("Content-Encoding")
	}
	r, err := rr.openEncoded(method, resp.Body, c.maxBytes, encoding)
	if err != nil {
		return err
	}
	return decode(r)
}

// finishErr makes a failed call's error final: a cancelled or expired
// context is reported as such (wrapping ctx.Err()), and every text that
// came from the server is scrubbed of the credentials in body (the signed
// request) and of the secret, in case a hostile server echoes them.
func (c *Client) finishErr(ctx context.Context, method, body string, err error) error {
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
	sc := c.scrubberFor(body)
	switch e := err.(type) {
	case *APIError:
		e.Message = sc.scrub(e.Message)
		e.Owner = sc.scrub(e.Owner)
		for i := range e.Messages {
			e.Messages[i] = sc.scrub(e.Messages[i])
		}
	case *HTTPError:
		e.Status = sc.scrub(e.Status)
		e.Snippet = sc.scrubSnippet(e.Snippet)
	case *ParseError:
		e.Snippet = sc.scrubSnippet(e.Snippet)
		if e.Err != nil {
			e.errText = sc.scrub(e.Err.Error())
		}
	case *TransportError:
		// A malformed reply's error quotes the server's bytes.
		e.text = sc.scrub(e.Err.Error())
	case *RedirectError:
		e.Location = sc.scrub(e.Location)
	}
	return err
}

// sensitiveParams are the request parameters whose values are credentials:
// every password, PIN, secret and hash parameter the MOR API takes. Their
// values are never logged, and are scrubbed from any server text that
// reaches an error. A parameter whose name has one of sensitiveWords as an
// "_"-separated part (card_pin, new_password, …) counts too.
var sensitiveParams = map[string]bool{
	"p": true, "hash": true, // sent by the client
	"pswd": true, "password": true, "password2": true, "device_password": true, "login_password": true,
	"email_password": true, "pin": true, "s_pin": true, "card_pin": true, "primary_device_pin": true,
	"api_secret_key": true, "secret": true, "ami_secret": true, "auth_code": true,
}

var sensitiveWords = []string{"pswd", "psw", "password", "password2", "passwd", "pin", "secret"}

// sensitiveParam reports whether a request parameter holds a credential.
func sensitiveParam(name string) bool {
	name = strings.ToLower(name)
	if sensitiveParams[name] {
		return true
	}
	for _, part := range strings.Split(name, "_") {
		if slices.Contains(sensitiveWords, part) {
			return true
		}
	}
	return false
}

// scrubber replaces credentials in server text with "[redacted]", in every
// form a server may echo them: raw, URL-encoded (with "+" or "%20" for a
// space, upper- or lower-case hex), HTML-escaped (&#34;, &quot;, …), and
// with white space collapsed as error snippets show it. A value is scrubbed
// wherever it occurs, however short: a 3-byte password is replaced in the
// middle of words too, which can blank unrelated text but never shows it.
type scrubber struct {
	r        *strings.Replacer
	prefixes []string // forms whose start may end a truncated snippet
}

// scrubberFor returns the scrubber for one request: the secret, the
// password, the value of every sensitive parameter in body, and the hash
// (lower and upper case).
func (c *Client) scrubberFor(body string) *scrubber {
	values := []string{c.secret}
	if c.hasPassword {
		values = append(values, c.password)
	}
	form, _ := url.ParseQuery(body)
	for k, vs := range form {
		if sensitiveParam(k) {
			for _, v := range vs {
				values = append(values, v)
				if k == "hash" {
					values = append(values, strings.ToUpper(v))
				}
			}
		}
	}
	seen := map[string]bool{}
	var forms []string
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			continue // nothing to hide, and replacing spaces would blank the text
		}
		for _, f := range encodedForms(v) {
			if f != "" && !seen[f] {
				seen[f] = true
				forms = append(forms, f)
			}
		}
	}
	// Longest first: at one position the longer form wins.
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, "[redacted]")
	}
	return &scrubber{r: strings.NewReplacer(pairs...), prefixes: forms}
}

// encodedForms returns v as a server may echo it.
func encodedForms(v string) []string {
	q := url.QueryEscape(v)
	pct := strings.ReplaceAll(q, "+", "%20")
	out := []string{v, q, pct, lowerHex(q), lowerHex(pct)}
	for _, quot := range []string{"&#34;", "&quot;", "&#x22;"} {
		for _, apos := range []string{"&#39;", "&apos;", "&#x27;"} {
			out = append(out, strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, quot, "'", apos).Replace(v))
		}
	}
	for _, f := range out[:len(out):len(out)] {
		out = append(out, snippetForm(f))
	}
	return out
}

// lowerHex lowercases the hex digits of every %XX escape.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = asciiLower(b[i+1 : i+2])[0], asciiLower(b[i+2 : i+3])[0]
		}
	}
	return string(b)
}

// snippetForm is s as snippet shows it: each run of white space one space,
// other unprintable characters '?'.
func snippetForm(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			if !space {
				sb.WriteByte(' ')
			}
			space = true
			continue
		case r == utf8.RuneError || !unicode.IsPrint(r):
			r = '?'
		}
		space = false
		sb.WriteRune(r)
	}
	return sb.String()
}

func (s *scrubber) scrub(text string) string { return s.r.Replace(text) }

// scrubSnippet scrubs a snippet. When snippet() cut it at its length
// limit, a credential cut in two leaves its start at the end, and that
// start is removed too.
func (s *scrubber) scrubSnippet(text string) string {
	cut := len(text) >= snippetMax-1
	text = s.r.Replace(text)
	if !cut {
		return text
	}
	for _, f := range s.prefixes {
		for k := len(f) - 1; k >= 2; k-- { // one character tells nothing
			if strings.HasSuffix(text, f[:k]) {
				return text[:len(text)-k] + "[redacted]"
			}
		}
	}
	return text
}

// bodySnippet reads the start of an error page for HTTPError: up to 512
// bytes of what has arrived. The status already decided the error, so it
// stops after the first read that returns data instead of waiting for a
// slow body to fill the buffer.
func bodySnippet(r io.Reader) string {
	buf := make([]byte, 512)
	n := 0
	for tries := 0; n < len(buf) && tries < 4; tries++ {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil || m > 0 {
			break
		}
	}
	return snippet(buf[:n])
}

// redactedBody logs a form body with the value of every sensitive
// parameter (sensitiveParams) hidden.
type redactedBody string

func (b redactedBody) LogValue() slog.Value {
	vals, err := url.ParseQuery(string(b))
	if err != nil {
		return slog.StringValue("(unparsable)")
	}
	attrs := make([]slog.Attr, 0, len(vals))
	for _, k := range sortedKeys(vals) {
		v := strings.Join(vals[k], ",")
		if sensitiveParam(k) {
			v = "[redacted]"
		}
		attrs = append(attrs, slog.String(k, v))
	}
	return slog.GroupValue(attrs...)
}
