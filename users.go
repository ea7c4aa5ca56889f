package mor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
)

// The users group: user_details_get, user_details_update, user_register,
// users_get, user_login, user_logout and reseller_group_create.

// UsersService reads, registers and updates users, logs them in and out,
// and creates reseller permission groups. Reach it as Client.Users; it
// holds no state of its own.
//
// The legacy action login_form is deliberately not typed: it checks no
// hash and no password, only that the username exists, and marks that user
// as logged in, answering the same login page whether the user exists or
// not. Use Login to check credentials; call login_form through Client.Call
// only if an old integration needs it.
type UsersService service

// Password is a user's login password, sent by Login, Register and Update
// (device credentials in replies are DeviceSecret). It never prints: String, GoString, Format,
// LogValue and MarshalJSON all give "[redacted]", so a Password inside a
// struct is safe in fmt, log/slog and encoding/json output. Reveal returns
// the value.
type Password struct{ v string }

// NewPassword wraps a password to send.
func NewPassword(v string) Password { return Password{v} }

// Reveal returns the password in clear.
func (p Password) Reveal() string { return p.v }

// IsZero reports whether the password is empty.
func (p Password) IsZero() bool { return p.v == "" }

const redactedPassword = "[redacted]"

// String returns "[redacted]".
func (p Password) String() string { return redactedPassword }

// GoString returns "[redacted]".
func (p Password) GoString() string { return redactedPassword }

// Format prints "[redacted]" for every verb.
func (p Password) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redactedPassword) }

// LogValue makes log/slog print "[redacted]".
func (p Password) LogValue() slog.Value { return slog.StringValue(redactedPassword) }

// MarshalJSON encodes "[redacted]".
func (p Password) MarshalJSON() ([]byte, error) { return []byte(`"` + redactedPassword + `"`), nil }

// EncodeValues sends the password itself in a params struct.
func (p Password) EncodeValues(key string, v *url.Values) error {
	v.Set(key, p.v)
	return nil
}

// Errors of the users calls that are the SDK's own (the server's texts are
// in the error table).
var (
	// ErrPasswordRequired is a call that signs the caller's password (List,
	// All: users_get) on a Client made without WithPassword, or a Login or
	// Register without a password.
	ErrPasswordRequired = errors.New("mor: password required")
	// ErrUsernameRequired is a Login or Register without a username.
	ErrUsernameRequired = errors.New("mor: username required")
	// ErrRequired is a required parameter left empty.
	ErrRequired = errors.New("mor: required parameter missing")
	// ErrUserNotUpdated is user_details_update's "User was not updated": the
	// save was refused; APIError.Messages holds the reasons after it.
	ErrUserNotUpdated = errors.New("mor: user not updated")
	// ErrLoginRedirect is a login the server answered with an HTTP redirect
	// to its web interface instead of XML: its API_Login_Redirect_to_Main
	// setting is on. The credentials were accepted.
	ErrLoginRedirect = errors.New("mor: login answered with a redirect (the server's API_Login_Redirect_to_Main is on)")
)

// errClientPassword is ErrPasswordRequired for a Client without
// WithPassword, saying what to do.
var errClientPassword = fmt.Errorf("%w: users_get signs the API user's password; create the Client with WithPassword",
	ErrPasswordRequired)

// asUser is a copy of the client that sends u (and p) of another user:
// user_login and user_logout name the user in u.
func (s *UsersService) asUser(username string, password *Password) *Client {
	c := *s.c
	c.username = username
	if password != nil {
		c.password, c.hasPassword = password.v, true
	}
	// A login in redirect mode answers 302: stop there and say so.
	hc := *c.hc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return ErrLoginRedirect }
	c.hc = &hc
	return &c
}

// LoginResult is a successful user_login.
type LoginResult struct {
	UserID  int64  // the user's id
	Message string // the server's status_message, "Successfully logged in"
}

// Login checks a username and password and marks the user as logged in.
// MOR: user_login, alias login (write: sets the user's "logged in" flag and
// writes an audit row; not hash-checked: the password itself is checked).
//
// Wrong credentials, a blocked user, or an unknown one are an *APIError
// matching ErrLoginFailed; from the third failure in a row from one address
// the server answers ErrLoginThrottled instead (it does not actually delay)
// until a login from that address succeeds. A server in redirect mode
// answers a successful login with an HTTP redirect: ErrLoginRedirect.
// Found users still pass the API gates: the API must be on for the user's
// API owner (ErrAPIDisabled).
//
// Safe to retry (apart from audit rows), but not retried automatically.
func (s *UsersService) Login(ctx context.Context, username string, password Password) (*LoginResult, error) {
	const method = "user_login"
	switch {
	case strings.TrimSpace(username) == "":
		return nil, &ValidationError{Method: method, Field: "u", Err: ErrUsernameRequired}
	case password.IsZero():
		return nil, &ValidationError{Method: method, Field: "p", Err: ErrPasswordRequired}
	}
	var name, status, msg string
	var out LoginResult
	fields := []field{req("name", str(&name)), req("status", str(&status)), opt("user_id", i64(&out.UserID)),
		opt("status_message", str(&msg))}
	err := s.asUser(username, &password).do(ctx, method, url.Values{}, func(r io.Reader) error {
		return decodeFields(method, r, fields, false)
	})
	if err != nil {
		if errors.Is(err, ErrLoginRedirect) {
			return nil, fmt.Errorf("mor: %s: %w", method, ErrLoginRedirect)
		}
		return nil, err
	}
	return decodeAction(method, "login", name, status, msg, &out)
}

// decodeAction judges a shape-F reply (<action><name/><status/>…</action>).
func decodeAction(method, want, name, status, msg string, out *LoginResult) (*LoginResult, error) {
	switch {
	case strings.TrimSpace(name) != want:
		return nil, &ParseError{Method: method, Reason: "<action> reply names " + strconv.Quote(name), Err: ErrUnexpectedResponse}
	case strings.TrimSpace(status) == "ok":
		out.Message = msg
		return out, nil
	case strings.TrimSpace(status) == "failed" && strings.TrimSpace(msg) != "":
		return nil, newAPIError(method, []string{strings.TrimSpace(msg)})
	case strings.TrimSpace(status) == "failed":
		return nil, newAPIError(method, []string{"Login failed"})
	}
	return nil, &ParseError{Method: method, Reason: "<status> is " + strconv.Quote(status), Err: ErrUnexpectedResponse}
}

// Logout marks a user as logged out. MOR: user_logout, alias logout (write:
// clears the "logged in" flag; hash: nothing of its own, the secret alone).
// username is the user to log out; "" is the client's own user. The hash
// is signed with the client's secret, so the user must have the same API
// owner as the client's user (the admin's users and accountants share the
// admin's; a reseller's users the reseller's).
//
// An unknown username is ErrBadLogin, answered before the API gates.
// Safe to retry, but not retried automatically.
func (s *UsersService) Logout(ctx context.Context, username string) error {
	const method = "user_logout"
	c := s.c
	if username != "" {
		c = s.asUser(username, nil)
	}
	var name, status string
	fields := []field{req("name", str(&name)), req("status", str(&status))}
	err := c.do(ctx, method, url.Values{}, func(r io.Reader) error {
		return decodeFields(method, r, fields, false)
	})
	if err != nil {
		return err
	}
	_, err = decodeAction(method, "logout", name, status, "", &LoginResult{})
	return err
}

// DetailsParams choose whose details user_details_get returns.
type DetailsParams struct {
	// UserID is the user's id (user_id, hashed); nil means not sent. The
	// admin is user 0, so a pointer tells "user 0" from "not sent".
	UserID *int64 `url:"user_id,omitempty"`
	// Username filters by login name (username, hashed).
	Username string `url:"username,omitempty"`
}

// UserDetails is user_details_get's reply. Money is in the system currency
// (no conversion to the user's currency is applied).
type UserDetails struct {
	UserID int64 // userid

	Postpaid bool  // account: "Postpaid" (true) or "Prepaid"
	Balance  Money // balance_number in balance_currency
	// Credit is the credit limit; CreditUnlimited is true (and Credit zero)
	// when the server says "Unlimited".
	Credit          Money
	CreditUnlimited bool // true when the credit limit is "Unlimited" (<credit>); Credit is then zero
	// PBXPoolID is shown to the admin and to resellers with the
	// pbx_functions right; nil otherwise.
	PBXPoolID *int64
	// HideNonAnsweredCalls is shown to admins and resellers for simple
	// users; nil otherwise.
	HideNonAnsweredCalls *bool

	Username        string // login name (<username>)
	FirstName       string // first name (<first_name>)
	LastName        string // surname
	PersonalID      string // personalid (the client id)
	AgreementNumber string // agreement number (<agreement_number>)
	// AgreementDate is the agreement date; the server shows today's date
	// when none is stored.
	AgreementDate time.Time
	// TaxationCountry is the country's name, cut to 22 characters; empty
	// when none is set.
	TaxationCountry string
	VATRegNumber    string  // vat_reg_number
	VATPercent      Decimal // vat_percent
	CallLimit       int64   // concurrent call limit (<call_limit>)

	// Registration is the user's address; nil when the user has none.
	Registration *UserAddress
	// Invoices are the invoice settings; nil for accountants.
	Invoices *InvoiceSettings
	// WarningBalance is the low-balance warning; nil for accountants.
	WarningBalance *WarningBalance
}

// UserAddress is the registration block of user_details_get.
type UserAddress struct {
	Address  string `json:"address"`  // reg_address
	Postcode string `json:"postcode"` // reg_postcode
	City     string `json:"city"`     // reg_city
	// County is reg_country, which holds the address's county field.
	County string `json:"county"`
	State  string `json:"state"` // reg_state
	// Direction is reg_direction: the server writes the address's e-mail
	// here too.
	Direction   string `json:"direction"`
	Phone       string `json:"phone"`        // reg_phone
	MobilePhone string `json:"mobile_phone"` // reg_mobile
	Fax         string `json:"fax"`          // reg_fax
	Email       string `json:"email"`        // reg_email
}

// InvoiceSettings say which invoice forms a user gets. The pointer fields
// are nil when the server does not show them (GenerateInvoices and
// ShowZeroCalls for the admin; the by-caller-ID, by-destination and calls
// forms for resellers and partners).
type InvoiceSettings struct {
	GenerateInvoices *bool `json:"generate_invoices"` // whether invoices are generated (<generate_invoices>); nil for the admin
	XLSX             bool  `json:"xlsx"`              // XLSX invoice (<invoice_xlsx>)
	SimplifiedPDF    bool  `json:"simplified_pdf"`    // simplified PDF invoice (<simplified_pdf>)
	SimplifiedCSV    bool  `json:"simplified_csv"`    // simplified CSV invoice (<simplified_csv>)
	DetailedPDF      bool  `json:"detailed_pdf"`      // detailed PDF invoice (<detailed_pdf>)
	DetailedCSV      bool  `json:"detailed_csv"`      // detailed CSV invoice (<detailed_csv>)
	ByCallerIDPDF    *bool `json:"by_callerid_pdf"`   // by-caller-ID PDF invoice (<by_callerid_pdf>); nil for resellers and partners
	ByCallerIDCSV    *bool `json:"by_callerid_csv"`   // by-caller-ID CSV invoice (<by_callerid_csv>); nil for resellers and partners
	ByDestinations   *bool `json:"by_destinations"`   // by-destination invoice (<by_destinations>); nil for resellers and partners
	Calls            *bool `json:"calls"`             // calls invoice (<calls>); nil for resellers and partners
	ShowZeroCalls    *bool `json:"show_zero_calls"`   // show calls with zero price (<show_zero_calls>); nil for the admin
}

// WarningBalance is the low-balance e-mail warning of a user.
type WarningBalance struct {
	Active bool // whether the warning e-mail is on (<active>)
	// User is the balance under which the user is warned.
	User Money
	// Admin and ResponsibleAccountant are the admin's and the responsible
	// accountant's thresholds, shown to the admin only (nil otherwise).
	Admin                 *Money
	ResponsibleAccountant *Money // the responsible accountant's threshold (<responsible_accountant>); nil unless shown
	// Hour is the hour of day the warning is sent (-1: any time).
	Hour int64
}

type detailsReply struct {
	UserDetails
	account, credit                           string
	hasReg, hasInv, hasWarn, hasAdm, hasRespA bool
	reg                                       UserAddress
	inv                                       InvoiceSettings
	warn                                      WarningBalance
	adm, resp                                 Money
}

func present(b *bool) setter { return func(string) error { *b = true; return nil } }

func (d *detailsReply) fields() []field {
	const m, o, r, i, w = "details/main_detail/", "details/other_details/", "details/registration/",
		"details/invoices/", "details/warning_balance/"
	const lim = w + "send_email_when_balance_drops_lower_than/"
	u := &d.UserDetails
	return []field{
		req("userid", i64(&u.UserID)),
		req(m+"account", str(&d.account)),
		req(m+"balance_number", money(&u.Balance)),
		opt(m+"balance_currency", currency(&u.Balance, &u.Credit, &d.warn.User, &d.adm, &d.resp)),
		req(m+"credit", str(&d.credit)),
		opt(m+"pbx_pool_id", ptrI64(&u.PBXPoolID)),
		opt(m+"hide_non_answered_calls", ptrFlag(&u.HideNonAnsweredCalls)),
		req(o+"username", str(&u.Username)),
		opt(o+"first_name", str(&u.FirstName)),
		opt(o+"surname", str(&u.LastName)),
		opt(o+"personalid", str(&u.PersonalID)),
		opt(o+"agreement_number", str(&u.AgreementNumber)),
		opt(o+"agreement_date", date(&u.AgreementDate)),
		opt(o+"taxation_country", str(&u.TaxationCountry)),
		opt(o+"vat_reg_number", str(&u.VATRegNumber)),
		opt(o+"vat_percent", decimal(&u.VATPercent)),
		opt(o+"call_limit", i64(&u.CallLimit)),
		opt("details/registration", present(&d.hasReg)),
		opt(r+"reg_address", str(&d.reg.Address)),
		opt(r+"reg_postcode", str(&d.reg.Postcode)),
		opt(r+"reg_city", str(&d.reg.City)),
		opt(r+"reg_country", str(&d.reg.County)),
		opt(r+"reg_state", str(&d.reg.State)),
		opt(r+"reg_direction", str(&d.reg.Direction)),
		opt(r+"reg_phone", str(&d.reg.Phone)),
		opt(r+"reg_mobile", str(&d.reg.MobilePhone)),
		opt(r+"reg_fax", str(&d.reg.Fax)),
		opt(r+"reg_email", str(&d.reg.Email)),
		opt("details/invoices", present(&d.hasInv)),
		opt(i+"generate_invoices", ptrFlag(&d.inv.GenerateInvoices)),
		opt(i+"invoice_xlsx", flag(&d.inv.XLSX)),
		opt(i+"simplified_pdf", flag(&d.inv.SimplifiedPDF)),
		opt(i+"simplified_csv", flag(&d.inv.SimplifiedCSV)),
		opt(i+"detailed_pdf", flag(&d.inv.DetailedPDF)),
		opt(i+"detailed_csv", flag(&d.inv.DetailedCSV)),
		opt(i+"by_callerid_pdf", ptrFlag(&d.inv.ByCallerIDPDF)),
		opt(i+"by_callerid_csv", ptrFlag(&d.inv.ByCallerIDCSV)),
		opt(i+"by_destinations", ptrFlag(&d.inv.ByDestinations)),
		opt(i+"calls", ptrFlag(&d.inv.Calls)),
		opt(i+"show_zero_calls", ptrFlag(&d.inv.ShowZeroCalls)),
		opt("details/warning_balance", present(&d.hasWarn)),
		opt(w+"active", flag(&d.warn.Active)),
		opt(lim+"user", money(&d.warn.User)),
		opt(lim+"admin", func(t string) error { d.hasAdm = true; return money(&d.adm)(t) }),
		opt(lim+"responsible_accountant", func(t string) error { d.hasRespA = true; return money(&d.resp)(t) }),
		opt(w+"warning_email_hour", i64(&d.warn.Hour)),
	}
}

// Details returns one user's account, contact, invoice and warning
// settings. MOR: user_details_get, alias user_details (read; hash: user_id,
// username).
//
// Which user: the admin and resellers get the first of their own users
// (owner = the caller) matching the filters, or themselves when UserID is
// their own id; without filters the admin gets itself and a reseller its
// first user, so always pass one. The admin cannot read a reseller's users
// (ErrUserNotFound). Accountants and simple users always get themselves,
// whatever the filters. An unknown caller is ErrAccessDenied.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *UsersService) Details(ctx context.Context, p DetailsParams) (*UserDetails, error) {
	const method = "user_details_get"
	if p.UserID != nil && *p.UserID < 0 {
		return nil, &ValidationError{Method: method, Field: "user_id", Err: ErrInvalidParams}
	}
	params, _ := query.Values(p)
	var d detailsReply
	err := s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeFields(method, r, d.fields(), false)
	})
	if err != nil {
		return nil, err
	}
	u := d.UserDetails
	switch d.account {
	case "Postpaid":
		u.Postpaid = true
	case "Prepaid":
	default:
		return nil, &ParseError{Method: method, Reason: "bad <account>", Snippet: snippet([]byte(d.account)), Err: ErrUnexpectedResponse}
	}
	if strings.TrimSpace(d.credit) == "Unlimited" {
		u.CreditUnlimited = true
	} else if err := money(&u.Credit)(d.credit); err != nil {
		return nil, &ParseError{Method: method, Reason: "bad <credit>", Snippet: snippet([]byte(d.credit)), Err: err}
	}
	if d.hasReg {
		reg := d.reg
		u.Registration = &reg
	}
	if d.hasInv {
		inv := d.inv
		u.Invoices = &inv
	}
	if d.hasWarn {
		warn := d.warn
		if d.hasAdm {
			adm := d.adm
			warn.Admin = &adm
		}
		if d.hasRespA {
			resp := d.resp
			warn.ResponsibleAccountant = &resp
		}
		u.WarningBalance = &warn
	}
	return &u, nil
}

// InvoiceTypes is the set of invoice forms sent to a user, as bits.
type InvoiceTypes int64

// The invoice forms.
const (
	InvoiceSimplifiedPDF InvoiceTypes = 2
	InvoiceSimplifiedCSV InvoiceTypes = 4
	InvoiceDetailedPDF   InvoiceTypes = 8
	InvoiceDetailedCSV   InvoiceTypes = 16
	InvoiceByCallerIDPDF InvoiceTypes = 32
	InvoiceByDestination InvoiceTypes = 64
	InvoiceByCallerIDCSV InvoiceTypes = 128
	InvoiceCalls         InvoiceTypes = 256
	InvoiceXLSX          InvoiceTypes = 512
)

// Billing periods for UpdateParams.BillingPeriod.
const (
	BillingWeekly   = "weekly"
	BillingBiWeekly = "bi-weekly"
	BillingMonthly  = "monthly"
)

// UpdateParams are user_details_update's parameters. Only UserID is
// required; every other field is sent only when set (nil pointers and
// empty strings are not sent), so an update touches only what it names —
// with the server's exceptions listed on Update.
type UpdateParams struct {
	// UserID is the user to change (user_id, hashed). 0 is the admin.
	UserID int64 `url:"user_id"`

	// Account.
	Username  *string   `url:"u9,omitempty"`   // login name
	FirstName *string   `url:"u23,omitempty"`  // first name
	LastName  *string   `url:"u17,omitempty"`  // last name
	Password  *Password `url:"pswd,omitempty"` // new login password
	UserType  *string   `url:"u13,omitempty"`  // checked only; the server never changes the type
	// AccountantType is the permission group a reseller or accountant
	// keeps: the server stores it only when UserType is "reseller" or
	// "accountant", and clears the group on every other update.
	AccountantType *int64 `url:"accountant_type,omitempty"`
	// AccGroupID (u11) is sent as given, but the server then overwrites
	// the group as AccountantType says; set both to keep a group.
	AccGroupID              *int64     `url:"u11,omitempty"`
	Blocked                 *bool      `url:"u15,omitempty,int"`                       // blocked (u15); nil: not sent
	Hidden                  *bool      `url:"u28,omitempty,int"`                       // hidden (u28); nil: not sent
	Postpaid                *bool      `url:"u25,omitempty,int"`                       // postpaid (true) or prepaid (u25); nil: not sent
	Language                *string    `url:"u8,omitempty"`                            // interface language (u8); nil: not sent
	ClientID                *string    `url:"u19,omitempty"`                           // personal id
	AccountingNumber        *string    `url:"u26,omitempty"`                           // accounting number (u26); nil: not sent
	AgreementNumber         *string    `url:"u27,omitempty"`                           // agreement number (u27); nil: not sent
	AgreementDate           *time.Time `url:"-"`                                       // ay/am/ad
	BlockAt                 *time.Time `url:"-"`                                       // by/bm/bd: the date the user gets blocked
	BlockAtConditional      *int64     `url:"block_at_conditional,omitempty"`          // block_at_conditional; nil: not sent
	BlockConditionalUse     *bool      `url:"block_conditional_use,omitempty,int"`     // block_conditional_use; nil: not sent
	VATNumber               *string    `url:"u0,omitempty"`                            // VAT number (u0); nil: not sent
	TaxationCountryID       *int64     `url:"u14,omitempty"`                           // taxation country's id (u14); nil: not sent
	CallLimit               *int64     `url:"u18,omitempty"`                           // concurrent calls; negative is stored as 0
	OwnProviders            *bool      `url:"own_providers,omitempty,int"`             // resellers
	PBXPoolID               *int64     `url:"u29,omitempty"`                           // PBX pool id (u29); nil: not sent
	ResponsibleAccountantID *int64     `url:"u31,omitempty"`                           // an accountant's id; -1 passes but changes nothing
	SpyDeviceID             *int64     `url:"u7,omitempty"`                            // spy device id (u7); nil: not sent
	QuickForwardsRuleID     *int64     `url:"u16,omitempty"`                           // quick forwards rule id (u16); nil: not sent
	AllowLossCalls          *bool      `url:"allow_loss_calls,omitempty,int"`          // allow_loss_calls; nil: not sent
	AllowChangeCallerID     *bool      `url:"allow_change_callerid,omitempty,int"`     // allow_change_callerid; nil: not sent
	AllowLoginReceiveEmail  *bool      `url:"allow_login_receive_email,omitempty,int"` // allow_login_receive_email; nil: not sent
	CyberplatActive         *bool      `url:"-"`                                       // u21 plus the top-level flag the server also needs
	HideNonAnsweredCalls    *bool      `url:"hide_non_answered_calls,omitempty,int"`   // hide_non_answered_calls; nil: not sent
	// HideDestinationEnd: the server sets "hide destination end" on every
	// update unless told otherwise; false sends what turns it off.
	HideDestinationEnd *bool  `url:"-"`
	InvoiceGracePeriod *int64 `url:"invoice_grace_period,omitempty"` // invoice_grace_period; nil: not sent
	SimpleUserGroupID  *int64 `url:"simple_user_group_id,omitempty"` // simple_user_group_id; nil: not sent

	// Billing. Money is in the caller's currency (the server converts it).
	LCRID      *int64   `url:"u1,omitempty"`
	TariffID   *int64   `url:"u5,omitempty"`     // tariff id (u5); nil: not sent
	CurrencyID *int64   `url:"u4,omitempty"`     // currency id (u4); nil: not sent
	Credit     *Decimal `url:"credit,omitempty"` // credit limit; negative is stored as 0
	// UnlimitedCredit sets the credit limit to unlimited (overrides Credit).
	UnlimitedCredit bool `url:"unlimited,omitempty,int"`
	// BillingPeriod is BillingWeekly, BillingBiWeekly or BillingMonthly.
	// The server resets it to monthly on every update that does not send it.
	BillingPeriod string `url:"billing_period,omitempty"`

	// Invoices.
	GenerateInvoice *bool         `url:"u12,omitempty,int"`
	InvoiceTypes    *InvoiceTypes `url:"i1,omitempty"`                  // replaces the whole set
	ShowZeroCalls   *bool         `url:"show_zero_calls,omitempty,int"` // show calls with zero price on invoices (show_zero_calls); nil: not sent

	// Low-balance warning.
	WarningEmailActive  *bool    `url:"warning_email_active,omitempty,int"`
	WarningEmailBalance *Decimal `url:"u6,omitempty"` // threshold, caller's currency
	// WarningEmailHour is the hour of day (0–23, -1 any time). Sent with
	// WarningEmailActive it is also what the server stores then.
	WarningEmailHour *int64 `url:"-"`
	// ResetWarningEmailSent clears the "warning already sent" flag (the
	// server compares the threshold it is sent with the stored one).
	ResetWarningEmailSent     bool   `url:"-"`
	WarningBalanceCall        *bool  `url:"u10,omitempty,int"` // low-balance warning call (u10); nil: not sent
	WarningBalanceSoundFileID *int64 `url:"u24,omitempty"`     // sound file id of the warning call (u24); nil: not sent

	// Recordings.
	RecordingEnabled       *bool   `url:"recording_enabled,omitempty,int"`
	RecordingForcedEnabled *bool   `url:"recording_forced_enabled,omitempty,int"` // recording_forced_enabled; nil: not sent
	RecordingHDDQuotaMB    *int64  `url:"u20,omitempty"`                          // recordings disk quota in MB (u20); nil: not sent
	RecordingsEmail        *string `url:"u22,omitempty"`                          // e-mail address for recordings (u22); nil: not sent

	// Address (created when the user has none).
	Address     *string `url:"a0,omitempty"`
	City        *string `url:"a1,omitempty"` // city (a1); nil: not sent
	Postcode    *string `url:"a2,omitempty"` // postcode (a2); nil: not sent
	County      *string `url:"a3,omitempty"` // county (a3); nil: not sent
	MobilePhone *string `url:"a4,omitempty"` // mobile phone (a4); nil: not sent
	Fax         *string `url:"a5,omitempty"` // fax (a5); nil: not sent
	CountryID   *int64  `url:"a6,omitempty"` // country id (a6); nil: not sent
	Phone       *string `url:"a7,omitempty"` // phone (a7); nil: not sent
	Email       *string `url:"a8,omitempty"` // e-mail (a8); nil: not sent
	State       *string `url:"a9,omitempty"` // state (a9); nil: not sent

	// Taxes (the user's taxes row; tax 1 is always enabled).
	Tax1Name     *string  `url:"tax1_name,omitempty"`
	Tax1Value    *Decimal `url:"tax1_value,omitempty"`       // tax 1 value (tax1_value); nil: not sent
	Tax2Enabled  *bool    `url:"tax2_enabled,omitempty,int"` // tax 2 on (tax2_enabled); nil: not sent
	Tax2Name     *string  `url:"tax2_name,omitempty"`        // tax 2 name (tax2_name); nil: not sent
	Tax2Value    *Decimal `url:"tax2_value,omitempty"`       // tax 2 value (tax2_value); nil: not sent
	Tax3Enabled  *bool    `url:"tax3_enabled,omitempty,int"` // tax 3 on (tax3_enabled); nil: not sent
	Tax3Name     *string  `url:"tax3_name,omitempty"`        // tax 3 name (tax3_name); nil: not sent
	Tax3Value    *Decimal `url:"tax3_value,omitempty"`       // tax 3 value (tax3_value); nil: not sent
	Tax4Enabled  *bool    `url:"tax4_enabled,omitempty,int"` // the 2018 server never applies it
	Tax4Name     *string  `url:"tax4_name,omitempty"`        // tax 4 name (tax4_name); nil: not sent
	Tax4Value    *Decimal `url:"tax4_value,omitempty"`       // tax 4 value (tax4_value); nil: not sent
	TotalTaxName *string  `url:"total_tax_name,omitempty"`   // name of the tax total (total_tax_name); nil: not sent
	CompoundTax  *bool    `url:"compound_tax,omitempty,int"` // compound taxes (compound_tax); nil: not sent
}

// values encodes p with the parameters that need more than a tag.
func (p UpdateParams) values() (url.Values, error) {
	v, err := query.Values(p)
	if err != nil {
		return nil, err
	}
	setDate := func(t *time.Time, y, m, d string) {
		if t != nil {
			v.Set(y, strconv.Itoa(t.Year()))
			v.Set(m, strconv.Itoa(int(t.Month())))
			v.Set(d, strconv.Itoa(t.Day()))
		}
	}
	setDate(p.AgreementDate, "ay", "am", "ad")
	setDate(p.BlockAt, "by", "bm", "bd")
	if p.CyberplatActive != nil {
		if *p.CyberplatActive {
			v.Set("u21", "1")
			v.Set("cyberplat_active", "1")
		} else {
			v.Set("u21", "0")
		}
	}
	if p.HideDestinationEnd != nil && !*p.HideDestinationEnd {
		v.Set("pgui", "1")
	}
	if p.WarningEmailHour != nil {
		h := strconv.FormatInt(*p.WarningEmailHour, 10)
		v.Set("u2", h)
		v.Set("user_warning_email_hour", h)
	}
	if p.ResetWarningEmailSent {
		// Any value other than the threshold: the server compares the two.
		v.Set("warning_email_balance", "-1")
		if p.WarningEmailBalance != nil && p.WarningEmailBalance.Equal(NewDecimal(-1, 0)) {
			v.Set("warning_email_balance", "-2")
		}
	}
	return v, nil
}

// Update changes a user's settings. MOR: user_details_update, alias
// user_update_api (write; hash: user_id, then the sent u0…u28, ay, am, ad,
// by, bm, bd, pswd, the tax, invoice and flag fields, a0…a9 in the server's
// global order — the SDK signs whatever it sends).
//
// Who may change whom: the admin its own users (owner 0: simple users,
// resellers, accountants, itself); a reseller its users and itself (a
// subset of the columns; blocked, tariff and the like only on its users);
// an accountant with the user_manage right (edit) users of owner 0 other
// than itself. Simple users get ErrAccessDenied; a user out of reach is
// ErrUserNotFound.
//
// The server's validation keeps only the last failing check's message
// (ErrTariffNotFound, "LCR was not found", password and username rules,
// …). Save-time refusals are an *APIError "User was not updated" whose
// Messages hold the reasons (ErrUsernameTaken, ErrEmailTaken,
// "Please enter correct email").
//
// Server behaviour beyond the sent fields, on every update: the billing
// period is reset to monthly unless BillingPeriod is set; "hide
// destination end" is set unless HideDestinationEnd is false; the
// permission group is cleared unless UserType is "reseller" or
// "accountant" with AccountantType; for a reseller target without
// OwnProviders, all its users take the reseller's LCR.
//
// Absolute values, so a repeat reaches the same state, but never retried
// automatically (the side effects repeat).
func (s *UsersService) Update(ctx context.Context, p UpdateParams) error {
	const method = "user_details_update"
	switch {
	case p.UserID < 0:
		return &ValidationError{Method: method, Field: "user_id", Err: ErrInvalidParams}
	case p.BillingPeriod != "" && p.BillingPeriod != BillingWeekly && p.BillingPeriod != BillingBiWeekly &&
		p.BillingPeriod != BillingMonthly:
		return &ValidationError{Method: method, Field: "billing_period", Err: ErrInvalidParams}
	}
	params, err := p.values()
	if err != nil {
		return &ValidationError{Method: method, Field: "params", Err: err}
	}
	return s.c.do(ctx, method, params, func(r io.Reader) error {
		var reasons []string
		fields := []field{opt("message", func(t string) error {
			reasons = append(reasons, strings.TrimSpace(t))
			return nil
		})}
		err := decodeFields(method, r, fields, true)
		var ae *APIError
		if errors.As(err, &ae) && len(reasons) > 0 {
			// "User was not updated" is followed by the reasons.
			return newAPIError(method, append(ae.Messages, reasons...))
		}
		return err
	})
}

// Device types for RegisterParams.DeviceType.
const (
	DeviceSIP     = "SIP"
	DeviceIAX2    = "IAX2"
	DeviceVirtual = "Virtual"
)

// RegisterParams are user_register's parameters.
type RegisterParams struct {
	// RegistrarHash is the registrar's registration key (id, hashed): the
	// uniquehash of the admin or reseller that will own the new user, shown
	// in MOR's settings. The request is signed with the client's secret,
	// which must be that registrar's API secret. Required.
	RegistrarHash string `url:"id"`

	Username  string   `url:"username"`   // required
	Password  Password `url:"password"`   // required; sent as password and password2
	FirstName string   `url:"first_name"` // required
	LastName  string   `url:"last_name"`  // required
	Email     string   `url:"email"`      // required, unique among users' addresses
	CountryID int64    `url:"country_id"` // required: the country's id
	// DeviceType is the first device's type: DeviceSIP, DeviceIAX2 or
	// DeviceVirtual (case-sensitive). Required.
	DeviceType string `url:"device_type"`

	// UserType is "user" (default), "reseller" or "accountant"; the latter
	// two need PermissionGroupID.
	UserType          string `url:"usertype,omitempty"`
	PermissionGroupID int64  `url:"permission_group,omitempty"`  // permission group id (permission_group); 0: not sent
	AccountingNumber  string `url:"accounting_number,omitempty"` // accounting number (accounting_number); empty: not sent
	CurrencyID        int64  `url:"currency_id,omitempty"`       // currency id (currency_id); 0: not sent
	TariffID          int64  `url:"tariff,omitempty"`            // one of the registrar's tariffs; 0: the default
	CallLimit         *int64 `url:"call_limit,omitempty"`        // concurrent call limit (call_limit); nil: not sent
	// CreditLimit is the credit limit: a whole number, or -1 for unlimited.
	CreditLimit      *int64 `url:"credit_limit,omitempty"`
	ClientID         string `url:"client_id,omitempty"`          // personal/client id (client_id); empty: not sent
	VATNumber        string `url:"vat_number,omitempty"`         // VAT number (vat_number); empty: not sent
	LCRID            *int64 `url:"lcr_id,omitempty"`             // LCR id (lcr_id); nil: not sent
	Address          string `url:"address,omitempty"`            // address (address); empty: not sent
	City             string `url:"city,omitempty"`               // city (city); empty: not sent
	Postcode         string `url:"postcode,omitempty"`           // postcode (postcode); empty: not sent
	County           string `url:"county,omitempty"`             // county (county); empty: not sent
	State            string `url:"state,omitempty"`              // state (state); empty: not sent
	Phone            string `url:"phone,omitempty"`              // its digits also become a CLI
	MobilePhone      string `url:"mob_phone,omitempty"`          // its digits also become a CLI
	Fax              string `url:"fax,omitempty"`                // its digits also become a CLI
	DeviceLocationID *int64 `url:"device_location_id,omitempty"` // device location id (device_location_id); nil: not sent
	// CallerID is the device's caller ID number (sent as caller_id; the
	// device gets "<CallerID>").
	CallerID string `url:"caller_id,omitempty"`
}

// RegisterResult is what user_register answers: the new user's id and its
// device's settings. This reply is the only place the device password is
// ever shown.
type RegisterResult struct {
	UserID         int64        // the new user's id (<user_id>)
	DeviceType     string       // the device's type (<device_type>)
	DeviceID       int64        // the new device's id (<device_id>)
	CallerID       string       // e.g. "<37060000001>"; empty when none was sent
	DeviceUsername string       // the device's login name (<username>)
	DevicePassword DeviceSecret // the device's password (<password>)
	PIN            DeviceSecret // the device's PIN (<pin>)
	ServerIP       string       // the server's IP address (<server_ip>)
	Notice         string       // the server's registration notice, as sent
}

func (r *RegisterResult) fields() []field {
	const d = "user_device_settings/"
	return []field{
		req(d+"user_id", i64(&r.UserID)),
		opt(d+"device_type", str(&r.DeviceType)),
		req(d+"device_id", i64(&r.DeviceID)),
		opt(d+"caller_id", str(&r.CallerID)),
		opt(d+"username", str(&r.DeviceUsername)),
		opt(d+"password", deviceSecretSetter(&r.DevicePassword)),
		opt(d+"pin", deviceSecretSetter(&r.PIN)),
		opt(d+"server_ip", str(&r.ServerIP)),
		opt(d+"registration_notice", str(&r.Notice)),
	}
}

// Register creates a user (with address, taxes, a device group and a first
// device; phone numbers become CLIs) on behalf of a registrar. MOR:
// user_register (write; hash: email, id, lcr_id, device_type, username,
// first_name, last_name, caller_id, state, device_location_id, those sent,
// with the registrar's secret).
//
// Missing required fields fail locally with a *ValidationError naming them
// all. Server refusals: ErrRegistrationDisabled (the server's registration
// over the API is off), ErrAccessDenied (no registrar with that hash),
// ErrUsernameTaken, ErrTariffNotFound, ErrUserLimit, ErrServerConfig (the
// registrar has no default-user settings), and ErrInvalidParams texts. Only
// one message comes back even when several fields are wrong.
//
// Never retried: a resend after an unseen success answers
// ErrUsernameTaken. When InDoubt(err), look the user up by username
// (Details with Username, as the registrar) before trying again; the device
// password is then lost, set a new one with the devices calls.
func (s *UsersService) Register(ctx context.Context, p RegisterParams) (*RegisterResult, error) {
	const method = "user_register"
	var missing []string
	for _, f := range []struct {
		name  string
		empty bool
	}{
		{"id", strings.TrimSpace(p.RegistrarHash) == ""}, {"username", strings.TrimSpace(p.Username) == ""},
		{"password", p.Password.IsZero()}, {"first_name", strings.TrimSpace(p.FirstName) == ""},
		{"last_name", strings.TrimSpace(p.LastName) == ""}, {"email", strings.TrimSpace(p.Email) == ""},
		{"country_id", p.CountryID <= 0}, {"device_type", p.DeviceType == ""},
	} {
		if f.empty {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, &ValidationError{Method: method, Field: strings.Join(missing, ", "), Err: ErrRequired}
	}
	switch {
	case p.DeviceType != DeviceSIP && p.DeviceType != DeviceIAX2 && p.DeviceType != DeviceVirtual:
		return nil, &ValidationError{Method: method, Field: "device_type", Err: ErrInvalidParams}
	case p.CreditLimit != nil && *p.CreditLimit < -1:
		return nil, &ValidationError{Method: method, Field: "credit_limit", Err: ErrInvalidParams}
	}
	params, err := query.Values(p)
	if err != nil {
		return nil, &ValidationError{Method: method, Field: "params", Err: err}
	}
	params.Set("password2", p.Password.v)
	var out RegisterResult
	err = s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeFields(method, r, out.fields(), true)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UserSummary is one record of users_get.
type UserSummary struct {
	ID        int64  // user id (<id>)
	Username  string // login name (<username>)
	FirstName string // first name (<first_name>)
	LastName  string // last name (<last_name>)
	// Balance is the stored balance in the system currency (the reply does
	// not name it; Details shows it as Balance.Currency).
	Balance  Decimal
	Blocked  bool   // blocked (<blocked>)
	LCRID    int64  // LCR id (<lcr_id>)
	TariffID int64  // tariff id (<tariff_id>)
	OwnerID  int64  // 0: the admin's user; else its reseller's id
	UserType string // "user", "reseller", "accountant", "partner"
}

func (u *UserSummary) fields() []field {
	return []field{
		req("id", i64(&u.ID)),
		req("username", str(&u.Username)),
		opt("first_name", str(&u.FirstName)),
		opt("last_name", str(&u.LastName)),
		opt("balance", decimal(&u.Balance)),
		opt("blocked", flag(&u.Blocked)),
		opt("lcr_id", i64(&u.LCRID)),
		opt("tariff_id", i64(&u.TariffID)),
		opt("owner_id", i64(&u.OwnerID)),
		opt("usertype", str(&u.UserType)),
	}
}

var userRecords = recordSpec[UserSummary]{record: "status/users/user", fields: (*UserSummary).fields,
	empty: []error{ErrUsersNotFound}}

// List returns every user the caller may see, in the server's order. MOR:
// users_get (read; hash: u, p — the caller's password is part of the
// signature, so the Client needs WithPassword). It collects All; use All to
// handle users one at a time.
//
// Who sees whom: the admin every user but itself; a reseller its users
// (not accountants); an accountant with the user_manage right (read) every
// user but the admin and accountants. Simple users, and a wrong password,
// get ErrAccessDenied; "No Users found" is an empty list and a nil error.
// The reply has no paging and grows with the account (about 350 bytes a
// user; raise WithMaxResponseBytes for very large systems).
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *UsersService) List(ctx context.Context) ([]UserSummary, error) {
	return collect(s.All(ctx))
}

// All streams the users that List returns, decoded as the reply arrives.
// MOR: users_get (read; hash: u, p). Nothing is sent until the sequence is
// ranged over; each range sends the request again. An error is the last
// pair. A Client without WithPassword yields ErrPasswordRequired before any
// I/O.
func (s *UsersService) All(ctx context.Context) iter.Seq2[UserSummary, error] {
	const method = "users_get"
	if !s.c.hasPassword {
		return func(yield func(UserSummary, error) bool) {
			yield(UserSummary{}, &ValidationError{Method: method, Field: "p", Err: errClientPassword})
		}
	}
	return streamRecords(ctx, s.c, method, url.Values{}, userRecords)
}

// ResellerGroupParams are reseller_group_create's parameters. Each right
// set to true is granted at the edit level; the others are none.
type ResellerGroupParams struct {
	Name         string `url:"name"`                        // required, unique (case-insensitive); hashed
	Description  string `url:"rg_description,omitempty"`    // description (rg_description); empty: not sent
	CallingCards bool   `url:"calling_cards,omitempty,int"` // calling cards right (calling_cards)
	Autodialer   bool   `url:"autodialer,omitempty,int"`    // autodialer right (autodialer)
	PBXFunctions bool   `url:"pbx_functions,omitempty,int"` // PBX functions right (pbx_functions)
	SMSAddon     bool   `url:"sms_addon,omitempty,int"`     // SMS addon right (sms_addon)
	// OtherRights names further reseller rights of the server (its
	// reseller-type permission names) to grant at the edit level.
	OtherRights []string `url:"-"`
}

// CreateResellerGroup adds a reseller permission group. MOR:
// reseller_group_create (write; hash: name). Admin only (others get
// ErrAccessDenied); a blank name fails locally.
//
// The reply carries no id. To use the group (UpdateParams.AccGroupID,
// RegisterParams.PermissionGroupID) read its id in MOR's web interface
// (permissions), where it is listed by its unique name.
//
// Never retried: a resend answers "Group name must be unique"
// (ErrAlreadyExists), which after an InDoubt error means it was created.
func (s *UsersService) CreateResellerGroup(ctx context.Context, p ResellerGroupParams) error {
	const method = "reseller_group_create"
	if strings.TrimSpace(p.Name) == "" {
		return &ValidationError{Method: method, Field: "name", Err: ErrRequired}
	}
	params, err := query.Values(p)
	if err != nil {
		return &ValidationError{Method: method, Field: "params", Err: err}
	}
	for _, r := range p.OtherRights {
		if r = strings.TrimSpace(r); r != "" {
			params.Set(r, "1")
		}
	}
	return s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeFields(method, r, nil, true)
	})
}
