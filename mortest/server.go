// Developer note: how to add a group's handlers.
//
// Tables. Each group file declares its own endpoint table: cli.go
// cliActions, users.go userActions, devices.go deviceActions, dids.go
// didActions, phonebooks.go phonebookActions. server.go merges them into
// actions (a name declared twice panics at start-up; TestAliasesAndTables
// checks the list). The accounts tables already name every action with its
// before-filters and run: nil, which answers "There is no such API"; fill in
// run and touch nothing outside your file. A new group adds its table to
// the mergeEndpoints call, the only shared line.
//
// Gates are data. An endpoint says how the caller is found (caller: byU
// check_user, byUBadLogin find_current_user_for_api, byLogin
// check_user_for_login, byUsername, byUniquehash) and which gates run for a
// found caller: check_allow_api unless noAllowAPI, check_send_method unless
// anyVerb, the hash when hash is set (mor.Hash picks the fixed list or the
// global order by action name). An unknown caller skips the gates and the
// action answers with c.caller == nil. An action that checks a hash on its
// own terms (user_register without id: the admin's key) calls s.hashGate.
//
// Handlers. A handler is func(s *Server, c *call) []byte, e.g. a method
// func (s *Server) usersGet(c *call) []byte used as run: (*Server).usersGet.
// It runs with s.mu held, so it reads and writes s.st directly: tables are
// maps by id (s.st.users[id], s.st.dids[id]; sortedRows(s.st.devices, keep)
// for id order), s.st.right(u, "device_manage") for accountant and
// reseller rights, s.st.confline(owner, name) for settings, s.now() for
// timestamps, put(s.st, s.st.dids, row, true) to insert with AUTO_INCREMENT.
// c.p holds the merged parameters (c.p.has distinguishes absent from
// empty); ruby.go has Ruby's to_i, strip, blank? and MySQL's comparison
// key. A nil reply is the server's empty-body crash; setting c.redirect
// answers an HTTP 302 instead (user_login in redirect mode); c.remoteIP
// is the client's address for actions rows.
//
// Replies. xml.go builds documents as Builder does (el, leaf, leafPtr for
// NULL, leafInt, render) and the envelopes shapeA, shapeB, shapeC; shapeE
// below is the root <error> of user_details_get and device_details_get.
// Block-form tags (device_details_get) and shape F (<action>) are specific
// to one group and belong in its file. deviceContent (model_devices.go)
// lists a device's columns in device_details_get order.
//
// Data. model*.go hold the row types; a new table needs a type with
// key/tableName/clone, a field in state and newState, and the five
// seeding methods of model_seed.go. Tests of behaviour go in the external
// package (helpers_test.go: newSpecServer, call, sign); gates_internal_test.go
// shows how to drive a private endpoint table.

package mortest

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	mor "github.com/morbilling/mor-go"
)

// Server is an in-memory MOR server. Its exported methods seed and inspect
// the data; requests are served by Handler. All methods are safe for
// concurrent use with each other and with requests.
type Server struct {
	// URL is the base URL of a listening server, http://127.0.0.1:PORT,
	// with no trailing slash; the API is under URL + "/billing/api/". It is
	// empty for a server made by New that was never started.
	URL string

	mu    sync.Mutex
	st    *state
	eps   endpoints // the action table (actions; tests may swap in their own)
	clock func() time.Time
	loc   *time.Location

	handler  http.Handler
	httpSrv  *http.Server
	listener net.Listener
	done     chan struct{}
	closeMu  sync.Once

	connMu sync.Mutex                  // guards conns
	conns  map[net.Conn]http.ConnState // open connections and their state
}

// closeGrace is how long Close lets requests in flight finish before it
// cuts their connections.
const closeGrace = time.Second

// Option configures a Server.
type Option func(*config)

type config struct {
	clock        func() time.Time
	loc          *time.Location
	wire         Wire
	allowGET     bool
	xmlExtension bool
	specWorld    bool
	after        []func(*Server) // settings applied after the world (WithCallingCards, WithSMS)
}

// WithClock sets the clock used for added_at and updated_at (default
// time.Now).
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithLocation sets the server's time zone: datetimes are written in it, as
// MOR writes its local times (default time.Local).
func WithLocation(loc *time.Location) Option {
	return func(c *config) { c.loc = loc }
}

// WithWire sets how reply bodies are encoded (default WirePlain).
func WithWire(w Wire) Option {
	return func(c *config) { c.wire = w }
}

// WithAllowGET turns the admin's Allow_GET_API confline on: known users may
// then call with GET. Off by default, as on a fresh MOR.
func WithAllowGET() Option {
	return func(c *config) { c.allowGET = true }
}

// WithXMLExtension turns the admin's XML_API_Extension confline on: replies
// are text/xml (application/xml inline) and downloads are named
// mor_api_response.xml.
func WithXMLExtension() Option {
	return func(c *config) { c.xmlExtension = true }
}

// WithSpecWorld seeds the server with Kolmisoft's test database (the one
// their Selenium API tests start from), plus the rows of their CLI tests:
//
//	users      0 admin "System Admin"; 2 user_admin "Test User #1" (owner 0);
//	           3 reseller "Test Reseller"; 4 accountant "Test Accountant"
//	           (device_manage edit, cli_ivr none); 5 user_reseller
//	           "User Resellers" (owner 3); 6 reseller2; 7 user_reseller2
//	           (owner 6). Passwords are the username + "1" (admin: admin1).
//	           Uniquehashes: admin hfttv7bcqt, reseller qg2audn8qa.
//	addresses  1–4 (of users 0, 3, 4, 5); countries 1 Afghanistan, 123 Lithuania
//	devices    1 IAX2 prov1 (provider 1's, user -1); 2 IAX2/101, 3 FAX/102,
//	           4 IAX2/1002 (user 2); 5 IAX2/ipauth0000000005 (admin);
//	           6 IAX2/ipauth0000000006 (reseller); 7 IAX2/105 (user 5);
//	           8 SIP/1001 (user 7)
//	groups     device groups 1–3 "primary" of users 3, 4, 5
//	DIDs       1 37063042438 free; 2 37093042422 reserved for user 2
//	           (device -2); both on provider 1 "Test Provider"
//	tariffs    1–5; LCR 1 "Primary" (provider 1); location 1 "Global";
//	           currency 1 USD; IVR 2 "IVR 2" (admin)
//	CLIs       1 "123456" (device 2); 2 "987654" (device 7); 3 "654121" (device 8)
//	settings   the API on for the admin and reseller 3, secret SpecSecret,
//	           hash checking on; GET and the XML extension off (see
//	           WithAllowGET, WithXMLExtension); Nice_Number_Digits 4,
//	           Asterisk_Server_IP 192.168.1.8, the addon flags on
//	system     Asterisk server 1 (inactive: callbacks answer "Cannot
//	           connect to Asterisk Server"), Version "MOR 18", e-mail
//	           template 6 calling_cards_data_to_paypal (admin)
//
// No phonebooks, quick-forward rules or DIDs, dial plans or acc groups
// exist. The seeded CLIs have empty description and comment, ivr_id 0, and
// were added at 2018-02-01 10:00:00 in the server's zone; every other
// datetime is in the server's zone too. The world is loaded after every
// other option, so WithClock and WithLocation apply in any position.
func WithSpecWorld() Option {
	return func(c *config) { c.specWorld = true }
}

// New returns a server that does not listen: mount Handler yourself (e.g.
// in an httptest.Server or under your own mux). Its URL is empty.
func New(opts ...Option) *Server {
	cfg := config{clock: time.Now, loc: time.Local}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{st: newState(), eps: actions, clock: cfg.clock, loc: cfg.loc}
	s.st.wire = cfg.wire
	if cfg.allowGET {
		s.st.setConf(0, confAllowGET, "1")
	}
	if cfg.xmlExtension {
		s.st.setConf(0, confXMLExtension, "1")
	}
	if cfg.specWorld {
		s.loadSpecWorld()
	}
	for _, f := range cfg.after {
		f(s)
	}
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s
}

// NewServer starts a server on 127.0.0.1 with a random port, like
// httptest.NewServer, and panics if it cannot listen. Call Close when done.
func NewServer(opts ...Option) *Server {
	s, err := Listen("127.0.0.1:0", opts...)
	if err != nil {
		panic(fmt.Sprintf("mortest: failed to listen on a port: %v", err))
	}
	return s
}

// Listen starts a server on addr (host:port, e.g. "127.0.0.1:8080"; port 0
// picks a free one). An unspecified host (":8080", "0.0.0.0:8080") listens on
// every interface and is reported in URL as 127.0.0.1.
func Listen(addr string, opts ...Option) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := New(opts...)
	s.Start(ln)
	return s, nil
}

// Start serves s on ln and sets URL. It is for a server made by New, and
// may be called once; use NewServer or Listen otherwise.
func (s *Server) Start(ln net.Listener) {
	s.listener = ln
	s.URL = "http://" + urlHost(ln.Addr())
	s.conns = map[net.Conn]http.ConnState{}
	s.httpSrv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second, ConnState: s.trackConn}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		_ = s.httpSrv.Serve(ln) // returns http.ErrServerClosed after Close
	}()
}

func urlHost(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}

// trackConn records each connection's state for Close.
func (s *Server) trackConn(c net.Conn, st http.ConnState) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	switch st {
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	default:
		s.conns[c] = st
	}
}

// Close stops a listening server. Idle connections, and connections that
// have not sent a whole request yet, are closed at once; requests in flight
// get a short grace (about a second) to finish before their connections are
// cut. It is safe to call more than once, and does nothing for a server
// that never listened. The data stays readable after Close.
func (s *Server) Close() {
	if s.httpSrv == nil {
		return
	}
	s.closeMu.Do(func() {
		// Stop accepting first and wait for Serve to return: every accepted
		// connection has then been reported as StateNew, so none can slip
		// past the sweep below. (http.Server.Shutdown alone waits up to 5 s
		// for a connection that stays silent in StateNew.)
		_ = s.listener.Close()
		<-s.done
		s.httpSrv.SetKeepAlivesEnabled(false)
		s.connMu.Lock()
		for c, st := range s.conns {
			if st == http.StateNew || st == http.StateIdle {
				_ = c.Close()
			}
		}
		s.connMu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
		defer cancel()
		_ = s.httpSrv.Shutdown(ctx)
		_ = s.httpSrv.Close()
	})
}

// Handler returns the server's HTTP handler. It serves paths under
// /billing/api/ and answers 404 elsewhere.
func (s *Server) Handler() http.Handler { return s.handler }

// now is the server clock in the server zone. Callers hold s.mu or are
// seeding.
func (s *Server) now() time.Time { return s.clock().In(s.loc) }

// Wire says how reply bodies go on the wire. The 2018 server sends plain
// XML; the other forms are what the wiki describes or what a client must
// survive, for exercising a client's body sniffing.
type Wire int

const (
	// WirePlain is the XML document as is (the 2018 server).
	WirePlain Wire = iota
	// WireGzip is the document gzipped with a Content-Encoding: gzip header.
	// (Go's http.Client undoes this itself unless the request set its own
	// Accept-Encoding.)
	WireGzip
	// WireGzipRaw is the document gzipped, with no Content-Encoding header:
	// a body starting 1f 8b, as the wiki describes.
	WireGzipRaw
	// WireZip is a zip archive with one member, mor_api_response.xml.
	WireZip
	// WireHTML is the document without its XML declaration inside
	// <html><head></head><body>…</body></html>, as a browser shows it on the
	// wiki.
	WireHTML
	// WireEmpty sends every reply with an empty body, as the 2018 server does
	// when an action raises (on top of the specific crash cases the fake
	// always models).
	WireEmpty
)

// String returns the wire form's name.
func (w Wire) String() string {
	switch w {
	case WirePlain:
		return "plain"
	case WireGzip:
		return "gzip"
	case WireGzipRaw:
		return "gzip-raw"
	case WireZip:
		return "zip"
	case WireHTML:
		return "html"
	case WireEmpty:
		return "empty"
	}
	return fmt.Sprintf("Wire(%d)", int(w))
}

// aliases are the alias routes of the server's routes file: the path name
// → the action that answers (which is also the name the hash is computed
// for). They come from the SDK's method registry, the one list of MOR's
// actions and aliases. Targets this fake does not implement answer "There
// is no such API", as does ma_activate on the 2018 server (its target
// action does not exist there).
var aliases = func() map[string]string {
	m := map[string]string{}
	for _, info := range mor.Methods() {
		if info.Name != info.Action {
			m[info.Name] = info.Action
		}
	}
	return m
}()

// shapeE is an error as the root element: <error>TEXT</error>.
func shapeE(msg string) []byte { return render(leaf("error", msg)) }

// call is one request as an action sees it.
type call struct {
	method   string // the action's name (after alias resolution)
	verb     string // "GET" or "POST"
	p        params
	caller   *User  // who the endpoint's lookup found; nil: nobody
	remoteIP string // the client's IP, as the server logs it in actions rows
	// redirect, when an action sets it, makes the reply an HTTP 302 to this
	// location instead of the returned body (user_login in redirect mode).
	redirect string
	// stream, when an action sets it, writes the reply body instead of the
	// returned one, after s.mu is released (user_calls_get: a million rows
	// are never held whole).
	stream func(w io.Writer) error
	// download, when an action sets it, sends the returned body as is as an
	// application/zip attachment of that file name (tariff_rates_get).
	download string
}

// handler runs one API action after the gates and returns the reply body;
// a nil body is the real server's empty-body crash (an exception it
// swallowed). s.mu is held.
type handler func(s *Server, c *call) []byte

// action is the shorter handler form of actions that need only the caller
// and the parameters (the CLI family).
type action func(s *Server, caller *User, p params) []byte

// simple adapts an action to a handler.
func simple(a action) handler { return func(s *Server, c *call) []byte { return a(s, c.caller, c.p) } }

// lookup is how an endpoint's before-filter finds the caller.
type lookup int

const (
	// byU is check_user: the user whose username equals u (MySQL
	// comparison). Unknown or absent u: the caller is nil, the API, GET and
	// hash gates are skipped and the action answers.
	byU lookup = iota
	// byUBadLogin is find_current_user_for_api: as byU, but an unknown u is
	// answered at once with the gate error "Bad login" (shape A), before the
	// API gate.
	byUBadLogin
	// byLogin is check_user_for_login: the user with username u and
	// password SHA-1(p), not blocked (a blocked user passes only with
	// allow_login_receive_email); with the admin's Allow_login_by_email = 1,
	// u may also be the e-mail of the user's address. Unknown: caller nil,
	// gates skipped.
	byLogin
	// byUsername is check_user reading the username parameter instead of u
	// (user_balance_get).
	byUsername
	// byUniquehash is check_user reading id (parameter or path) as the
	// user's uniquehash (user_register, user_simple_balance_get).
	byUniquehash
)

// endpoint is one action and the before-filters that guard it, as data:
// the caller lookup, then (for a found caller) check_allow_api unless
// noAllowAPI, check_send_method unless anyVerb, and
// check_api_params_with_hash when hash is set (the hash rule itself,
// fixed list or global order, is mor.Hash's per-method table).
type endpoint struct {
	run        handler // nil: declared but not implemented yet ("There is no such API")
	caller     lookup
	hash       bool
	anyVerb    bool
	noAllowAPI bool
}

// endpoints is one group's table: action name → endpoint.
type endpoints map[string]endpoint

// actions is every action the fake knows, merged from the group tables;
// each group file declares its own (cli.go cliActions, users.go
// userActions, …). A name in two tables panics at start-up.
var actions = mergeEndpoints(cliActions, userActions, deviceActions, didActions, phonebookActions,
	invoiceActions, serviceActions, paymentActions, cardActions, smsActions, rateActions, systemActions, callActions)

// Handles reports whether the fake answers method, an action or an alias
// route, with the real server's behaviour. Any other name answers "There is
// no such API", as the real server does for a name it does not route.
func Handles(method string) bool {
	if m, ok := aliases[method]; ok {
		method = m
	}
	ep, ok := actions[method]
	return ok && ep.run != nil
}

func mergeEndpoints(groups ...endpoints) endpoints {
	out := endpoints{}
	for _, g := range groups {
		for name, ep := range g {
			if _, dup := out[name]; dup {
				panic("mortest: action " + name + " declared twice")
			}
			out[name] = ep
		}
	}
	return out
}

// params are the request parameters after Rails' merge: one value per
// name.
type params map[string]string

func (p params) has(k string) bool { _, ok := p[k]; return ok }

func (p params) values() url.Values {
	v := make(url.Values, len(p))
	for k, x := range p {
		v[k] = []string{x}
	}
	return v
}

// route splits /billing/api/<method>[/<id>][.<format>].
func route(path string) (method, id, format string, ok bool) {
	rest, found := strings.CutPrefix(path, "/billing/api/")
	if !found {
		return "", "", "", false
	}
	rest = strings.TrimSuffix(rest, "/")
	parts := strings.Split(rest, "/")
	if len(parts) > 2 || parts[0] == "" {
		return "", "", "", false
	}
	last := &parts[len(parts)-1]
	if i := strings.LastIndexByte(*last, '.'); i >= 0 {
		format = (*last)[i+1:]
		*last = (*last)[:i]
	}
	method = parts[0]
	if len(parts) == 2 {
		id = parts[1]
		if id == "" {
			return "", "", "", false
		}
	}
	return method, id, format, method != ""
}

// readParams merges the query string and the form body: on a clash the
// query wins, a repeated name keeps its last value, route values win over
// both.
func readParams(r *http.Request, id, format string) (params, error) {
	p := params{}
	ct := r.Header.Get("Content-Type")
	if r.Method == http.MethodPost {
		switch {
		case strings.HasPrefix(ct, "multipart/form-data"):
			if err := r.ParseMultipartForm(32 << 20); err != nil {
				return nil, err
			}
			for k, vs := range r.MultipartForm.Value {
				p[k] = vs[len(vs)-1]
			}
		default:
			if err := r.ParseForm(); err != nil {
				return nil, err
			}
			for k, vs := range r.PostForm {
				p[k] = vs[len(vs)-1]
			}
		}
	}
	q, _ := url.ParseQuery(r.URL.RawQuery) // like Rails, keep what parses
	for k, vs := range q {
		p[k] = vs[len(vs)-1]
	}
	if id != "" {
		p["id"] = id
	}
	if format != "" {
		p["format"] = format
	}
	return p, nil
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	method, id, format, ok := route(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	p, err := readParams(r, id, format)
	if err != nil {
		http.Error(w, "bad request body", http.StatusBadRequest)
		return
	}
	if m, ok := aliases[method]; ok {
		method = m
	}
	c := &call{method: method, verb: r.Method, p: p, remoteIP: remoteIP(r)}

	s.mu.Lock()
	s.st.requests[method]++
	body := s.handle(c)
	xmlExt, wire := s.st.confline(0, confXMLExtension) == "1", s.st.wire
	s.mu.Unlock()

	if c.redirect != "" {
		http.Redirect(w, r, c.redirect, http.StatusFound)
		return
	}
	if c.stream != nil {
		writeStream(w, c.stream, rubyToI(p["test"]) == 1, xmlExt, wire)
		return
	}
	if c.download != "" && body != nil {
		writeDownload(w, body, c.download)
		return
	}
	inline := rubyToI(p["test"]) == 1
	if method == "invoices_get" { // ignores test; file=false answers inline
		inline = p.has("file") && p["file"] == "false"
	}
	writeReply(w, body, inline, xmlExt, wire)
}

// remoteIP is the client's address without the port.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// handle runs the endpoint's before-filters in the server's order, then
// the action. s.mu is held.
func (s *Server) handle(c *call) []byte {
	ep, ok := s.eps[c.method]
	if !ok || ep.run == nil {
		return shapeA("There is no such API")
	}
	switch ep.caller {
	case byU:
		c.caller = s.findUser(c.p["u"], c.p.has("u"))
	case byUBadLogin:
		if c.caller = s.findUser(c.p["u"], c.p.has("u")); c.caller == nil {
			return shapeA("Bad login")
		}
	case byLogin:
		c.caller = s.findLogin(c.p["u"], c.p["p"], c.p.has("u") && c.p.has("p"))
	case byUsername:
		c.caller = s.findUser(c.p["username"], c.p.has("username"))
	case byUniquehash:
		c.caller = s.findByUniquehash(c.p["id"], c.p.has("id"))
	}
	if c.caller != nil {
		if msg := s.gates(ep, c); msg != "" {
			return shapeA(msg)
		}
	}
	return ep.run(s, c)
}

// findUser is the caller lookup: username equal to u under MySQL's
// case-insensitive comparison; nil when u is absent or matches nobody.
func (s *Server) findUser(u string, present bool) *User {
	if !present {
		return nil
	}
	k := mysqlKey(u)
	var found *User
	for _, usr := range s.st.users {
		if mysqlKey(usr.Username) == k && (found == nil || usr.ID < found.ID) {
			found = usr
		}
	}
	return found
}

// findLogin is check_user_for_login: username (or, with the admin's
// Allow_login_by_email, the address e-mail) equal to u, password equal to
// SHA-1(p), and not blocked unless the user may log in to receive e-mail.
// The lowest id wins.
func (s *Server) findLogin(u, p string, present bool) *User {
	if !present {
		return nil
	}
	k, hash := mysqlKey(u), PasswordHash(p)
	byEmail := s.st.confline(0, "Allow_login_by_email") == "1"
	var found *User
	for _, usr := range s.st.users {
		match := usr.Username != "" && mysqlKey(usr.Username) == k
		if !match && byEmail && usr.AddressID != nil {
			if a := s.st.addresses[*usr.AddressID]; a != nil && a.Email != nil && *a.Email != "" {
				match = mysqlKey(*a.Email) == k
			}
		}
		if !match || !strings.EqualFold(usr.PasswordHash, hash) || (usr.Blocked && !usr.AllowLoginReceiveEmail) {
			continue
		}
		if found == nil || usr.ID < found.ID {
			found = usr
		}
	}
	return found
}

// findByUniquehash is the lookup by users.uniquehash (MySQL comparison);
// nil when id is absent or matches nobody. (user_register's behaviour
// without id is its action's business.)
func (s *Server) findByUniquehash(id string, present bool) *User {
	if !present {
		return nil
	}
	k := mysqlKey(id)
	var found *User
	for _, usr := range s.st.users {
		if usr.Uniquehash != nil && mysqlKey(*usr.Uniquehash) == k && (found == nil || usr.ID < found.ID) {
			found = usr
		}
	}
	return found
}

// isAdmin: "admin" needs both the usertype and id 0.
func isAdmin(u *User) bool { return u.ID == 0 && u.Type == Admin }

// apiOwner is whose settings and secret apply to the caller.
func apiOwner(u *User) int64 {
	switch {
	case isAdmin(u), u.Type == Accountant:
		return 0
	case u.Type == Reseller:
		return u.ID
	}
	return u.OwnerID
}

// gates runs the API, GET and hash gates the endpoint declares for a found
// caller and returns the shape A text of the first that fails, or "".
func (s *Server) gates(ep endpoint, c *call) string {
	owner := apiOwner(c.caller)
	os := s.st.settings(owner)
	reseller := c.caller.Type == Reseller && owner != 0
	as := s.st.settings(0)

	// check_allow_api: a reseller also passes on the admin's switch.
	if !ep.noAllowAPI && !os.AllowAPI && !(reseller && as.AllowAPI) {
		return "API Requests are disabled"
	}
	// check_send_method: GET needs the admin's Allow_GET_API.
	if !ep.anyVerb && c.verb == http.MethodGet && s.st.confline(0, confAllowGET) != "1" {
		return "GET Requests are disabled"
	}
	if !ep.hash {
		return ""
	}
	return s.hashGate(c.method, c.p, c.caller)
}

// hashGate is check_api_params_with_hash for caller: "" when the hash
// passes or checking is off for its API owner, else the gate text.
// Actions that run the hash check on their own terms (user_register
// without id uses the admin's key) may call it with the user whose key
// applies.
func (s *Server) hashGate(method string, p params, caller *User) string {
	owner := apiOwner(caller)
	os := s.st.settings(owner)
	reseller := caller.Type == Reseller && owner != 0
	as := s.st.settings(0)
	if os.AllowAPI && os.DisableHashCheck || reseller && as.AllowAPI && as.DisableHashCheck {
		return ""
	}
	var keys []string
	if os.AllowAPI && os.Secret != "" {
		keys = append(keys, os.Secret)
	}
	if reseller && as.AllowAPI && as.Secret != "" {
		keys = append(keys, as.Secret)
	}
	if len(keys) == 0 {
		return "API must have Secret Key"
	}
	sent := p["hash"]
	if len(sent) != 40 { // the global-order path ignores any other length
		return "Incorrect hash"
	}
	v := p.values()
	for _, k := range keys {
		if mor.Hash(method, v, k) == sent {
			return ""
		}
	}
	return "Incorrect hash"
}

// writeReply sends body with the server's headers in the selected wire
// form. A nil body is sent empty whatever the wire form.
func writeReply(w http.ResponseWriter, body []byte, inline, xmlExt bool, wire Wire) {
	h := w.Header()
	switch {
	case body == nil || wire == WireEmpty:
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		return
	case inline && xmlExt:
		h.Set("Content-Type", "application/xml; charset=utf-8")
	case inline:
		h.Set("Content-Type", "text/html; charset=utf-8")
	case xmlExt:
		h.Set("Content-Type", "text/xml")
		h.Set("Content-Disposition", `attachment; filename="mor_api_response.xml"`)
		h.Set("Content-Transfer-Encoding", "binary")
	default:
		h.Set("Content-Type", "text/html")
		h.Set("Content-Disposition", `attachment; filename="mor_api_response.html"`)
		h.Set("Content-Transfer-Encoding", "binary")
	}
	switch wire {
	case WireGzip:
		h.Set("Content-Encoding", "gzip")
		body = gzipBytes(body)
	case WireGzipRaw:
		body = gzipBytes(body)
	case WireZip:
		body = zipBytes(body)
	case WireHTML:
		body = htmlWrap(body)
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

func zipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, _ := zw.Create("mor_api_response.xml")
	_, _ = f.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

func htmlWrap(b []byte) []byte {
	doc := bytes.TrimPrefix(b, []byte(xmlDecl))
	out := make([]byte, 0, len(doc)+40)
	out = append(out, "<html><head></head><body>"...)
	out = append(out, doc...)
	out = append(out, "</body></html>"...)
	return out
}

// OpenConns returns how many client connections the listening server holds
// open (0 for a server that never listened).
func (s *Server) OpenConns() int {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	return len(s.conns)
}
