package mor

import (
	"context"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/go-querystring/query"
)

// SystemService reads the server's version, starts callback calls, sends
// e-mail templates, changes the caller's default settings and creates PBX
// pools. Reach it as Client.System; it holds no state of its own.
//
// The legacy actions main_page and new_calls_list have no typed call: they
// serve MOR's own pages, are not hash-checked, mark the caller as logged
// in, and new_calls_list answers an empty body on any day with an answered
// call. Send them with Client.Call if you must.
type SystemService service

// Version returns the MOR version the server reports (its Version setting
// without "MOR ", e.g. "18"; "" when the setting is missing). MOR:
// system_version_get (read; hash: the secret only).
//
// It is the cheapest signed call: Client.Ping uses it to check the URL,
// the credentials and the API switch in one round trip. Refusals:
// ErrAccessDenied (unknown user), and the gate errors (ErrIncorrectHash,
// ErrAPIDisabled, …).
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *SystemService) Version(ctx context.Context) (string, error) {
	const method = "system_version_get"
	var v string
	err := s.c.do(ctx, method, url.Values{}, func(r io.Reader) error {
		return decodeFields(method, r, []field{req("version", trimmed(&v))}, false)
	})
	if err != nil {
		return "", err
	}
	return v, nil
}

// Ping checks that the server answers a signed request for this client: the
// URL, the username, the secret (or the server's hash setting) and the API
// switch. It sends system_version_get and discards the version; nil means
// the server accepted the request. Use System.Version for the version.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.System.Version(ctx)
	return err
}

// CallbackParams are callback_init's parameters.
type CallbackParams struct {
	// DeviceID is the caller's own device the call is billed to (device,
	// hashed). Required.
	DeviceID int64 `url:"device"`
	// Src is the first number rung (src, hashed). Required.
	Src string `url:"src"`
	// Dst is dialled once Src answers (dst, hashed); empty asks the person
	// at Src for a destination.
	Dst string `url:"dst,omitempty"`
	// CardPIN bills a calling card (card_pin; a credential, never logged).
	CardPIN string `url:"card_pin,omitempty"`
	// LegATariffID prices leg A with this tariff (lega_tariff_id).
	LegATariffID int64 `url:"lega_tariff_id,omitempty"`
	// LegAResellerTariffID is passed to the dial plan unchecked
	// (lega_reseller_tariff_id).
	LegAResellerTariffID int64 `url:"lega_reseller_tariff_id,omitempty"`
	// CLILegA and CLILegB override the caller IDs of the legs (cli_lega,
	// cli_legb); nil means not sent, and a pointer to "" is sent empty,
	// which the server also takes as an override.
	CLILegA *string `url:"cli_lega,omitempty"`
	CLILegB *string `url:"cli_legb,omitempty"` // caller ID of leg B (cli_legb); nil: not sent, "" sent empty
	// ServerID is the Asterisk server to use (server_id); 0 means the
	// server's Web_Callback_Server setting.
	ServerID int64 `url:"server_id,omitempty"`
}

// Callback starts a two-leg callback call: the server rings Src, then
// dials Dst, and both legs are billed. MOR: callback_init (moves money;
// hash: device, dst, src).
//
// Nil means the server handed the call to Asterisk; whether it connects
// is not reported. Refusals (every reply is a root <Status>):
// ErrAccessDenied (callbacks are off), ErrBadLogin ("Not authenticated"),
// ErrDeviceNotFound ("Bad device": not the caller's device),
// ErrCallbackNoSource, ErrTariffNotFound, ErrBadTariff, ErrNotAuthorized,
// ErrNotFound (PIN or server), ErrAsteriskUnavailable (nothing started).
// DeviceID ≤ 0 or an empty Src fail before any I/O.
//
// Never retried, never re-sent: a second request places a second billed
// call. When InDoubt(err) is true the call may be ringing; MOR writes no
// record of the request, so check the call records (or ask the person at
// Src) before trying again.
func (s *SystemService) Callback(ctx context.Context, p CallbackParams) error {
	const method = "callback_init"
	switch {
	case p.DeviceID <= 0:
		return &ValidationError{Method: method, Field: "device", Err: ErrDeviceIDEmpty}
	case strings.TrimSpace(p.Src) == "":
		return &ValidationError{Method: method, Field: "src", Err: ErrCallbackNoSource}
	}
	params, err := query.Values(p)
	if err != nil {
		return &ValidationError{Method: method, Field: "params", Err: err}
	}
	return s.c.do(ctx, method, params, func(r io.Reader) error {
		var status string
		w := walker{method: method}
		w.end = func(parent, name, text string) error {
			if parent == "" && name == "Status" {
				status = strings.TrimSpace(text)
			}
			return nil
		}
		if err := w.run(r); err != nil {
			return err
		}
		if err := w.apiError(); err != nil {
			return err
		}
		switch {
		case w.root != "Status":
			return unexpected(method, w.root, "no <Status>")
		case status == "Ok":
			return nil
		case status == "":
			return unexpected(method, w.root, "empty <Status>")
		}
		return newAPIError(method, []string{status})
	})
}

// EmailVars are the template variables email_send fills in: each replaces
// the template's <%= name %> tag, HTML-escaped by the server; unset ones
// are sent as nothing and print empty. Values are text as the template
// shows them (Balance, for instance, is printed as given). DevicePassword,
// LoginPassword, PrimaryDevicePIN and AuthCode are credentials: the client
// never logs them and scrubs them from errors.
type EmailVars struct {
	ServerIP                string `url:"server_ip,omitempty"`                  // fills <%= server_ip %> (server_ip); empty prints empty
	DeviceType              string `url:"device_type,omitempty"`                // fills <%= device_type %> (device_type); empty prints empty
	DeviceUsername          string `url:"device_username,omitempty"`            // fills <%= device_username %> (device_username); empty prints empty
	DevicePassword          string `url:"device_password,omitempty"`            // fills <%= device_password %> (device_password; a credential); empty prints empty
	LoginURL                string `url:"login_url,omitempty"`                  // fills <%= login_url %> (login_url); empty prints empty
	LoginUsername           string `url:"login_username,omitempty"`             // fills <%= login_username %> (login_username); empty prints empty
	Username                string `url:"username,omitempty"`                   // fills <%= username %> (username); empty prints empty
	FirstName               string `url:"first_name,omitempty"`                 // fills <%= first_name %> (first_name); empty prints empty
	LastName                string `url:"last_name,omitempty"`                  // fills <%= last_name %> (last_name); empty prints empty
	FullName                string `url:"full_name,omitempty"`                  // fills <%= full_name %> (full_name); empty prints empty
	Balance                 string `url:"balance,omitempty"`                    // fills <%= balance %> (balance); empty prints empty
	NiceBalance             string `url:"nice_balance,omitempty"`               // fills <%= nice_balance %> (nice_balance); empty prints empty
	WarningEmailBalance     string `url:"warning_email_balance,omitempty"`      // fills <%= warning_email_balance %> (warning_email_balance); empty prints empty
	NiceWarningEmailBalance string `url:"nice_warning_email_balance,omitempty"` // fills <%= nice_warning_email_balance %> (nice_warning_email_balance); empty prints empty
	Currency                string `url:"currency,omitempty"`                   // fills <%= currency %> (currency); empty prints empty
	UserEmail               string `url:"user_email,omitempty"`                 // fills <%= user_email %> (user_email); empty prints empty
	CompanyEmail            string `url:"company_email,omitempty"`              // fills <%= company_email %> (company_email); empty prints empty
	Email                   string `url:"email,omitempty"`                      // fills <%= email %> (email); empty prints empty
	Company                 string `url:"company,omitempty"`                    // fills <%= company %> (company); empty prints empty
	PrimaryDevicePIN        string `url:"primary_device_pin,omitempty"`         // fills <%= primary_device_pin %> (primary_device_pin; a credential); empty prints empty
	LoginPassword           string `url:"login_password,omitempty"`             // fills <%= login_password %> (login_password; a credential); empty prints empty
	UserIP                  string `url:"user_ip,omitempty"`                    // fills <%= user_ip %> (user_ip); empty prints empty
	Amount                  string `url:"amount,omitempty"`                     // fills <%= amount %> (amount); empty prints empty
	Date                    string `url:"date,omitempty"`                       // fills <%= date %> (date); empty prints empty
	AuthCode                string `url:"auth_code,omitempty"`                  // fills <%= auth_code %> (auth_code; a credential); empty prints empty
	TransactionID           string `url:"transaction_id,omitempty"`             // fills <%= transaction_id %> (transaction_id); empty prints empty
	CustomerName            string `url:"customer_name,omitempty"`              // fills <%= customer_name %> (customer_name); empty prints empty
	Description             string `url:"description,omitempty"`                // fills <%= description %> (description); empty prints empty
	CompanyName             string `url:"company_name,omitempty"`               // fills <%= company_name %> (company_name); empty prints empty
	URL                     string `url:"url,omitempty"`                        // fills <%= url %> (url); empty prints empty
	TransID                 string `url:"trans_id,omitempty"`                   // fills <%= trans_id %> (trans_id); empty prints empty
	CCPurchaseDetails       string `url:"cc_purchase_details,omitempty"`        // fills <%= cc_purchase_details %> (cc_purchase_details); empty prints empty
	PaymentAmount           string `url:"payment_amount,omitempty"`             // fills <%= payment_amount %> (payment_amount); empty prints empty
	PaymentPayerFirstName   string `url:"payment_payer_first_name,omitempty"`   // fills <%= payment_payer_first_name %> (payment_payer_first_name); empty prints empty
	PaymentPayerLastName    string `url:"payment_payer_last_name,omitempty"`    // fills <%= payment_payer_last_name %> (payment_payer_last_name); empty prints empty
	PaymentPayerEmail       string `url:"payment_payer_email,omitempty"`        // fills <%= payment_payer_email %> (payment_payer_email); empty prints empty
	PaymentSellerEmail      string `url:"payment_seller_email,omitempty"`       // fills <%= payment_seller_email %> (payment_seller_email); empty prints empty
	PaymentReceiverEmail    string `url:"payment_receiver_email,omitempty"`     // fills <%= payment_receiver_email %> (payment_receiver_email); empty prints empty
	PaymentDate             string `url:"payment_date,omitempty"`               // fills <%= payment_date %> (payment_date); empty prints empty
	PaymentFree             string `url:"payment_free,omitempty"`               // fills <%= payment_free %> (payment_free); empty prints empty
	PaymentCurrency         string `url:"payment_currency,omitempty"`           // fills <%= payment_currency %> (payment_currency); empty prints empty
	PaymentType             string `url:"payment_type,omitempty"`               // fills <%= payment_type %> (payment_type); empty prints empty
	PaymentFee              string `url:"payment_fee,omitempty"`                // fills <%= payment_fee %> (payment_fee); empty prints empty
	CallList                string `url:"call_list,omitempty"`                  // fills <%= call_list %> (call_list); empty prints empty
	UserID                  string `url:"user_id,omitempty"`                    // fills <%= user_id %> (user_id); empty prints empty
	DeviceID                string `url:"device_id,omitempty"`                  // fills <%= device_id %> (device_id); empty prints empty
	CallerID                string `url:"caller_id,omitempty"`                  // fills <%= caller_id %> (caller_id); empty prints empty
	Calldate                string `url:"calldate,omitempty"`                   // fills <%= calldate %> (calldate); empty prints empty
	Source                  string `url:"source,omitempty"`                     // fills <%= source %> (source); empty prints empty
	Destination             string `url:"destination,omitempty"`                // fills <%= destination %> (destination); empty prints empty
	Billsec                 string `url:"billsec,omitempty"`                    // fills <%= billsec %> (billsec); empty prints empty
	HDDFreeSpace            string `url:"hdd_free_space,omitempty"`             // fills <%= hdd_free_space %> (hdd_free_space); empty prints empty
	ServerID                string `url:"server_id,omitempty"`                  // fills <%= server_id %> (server_id); empty prints empty
	ArchiveSize             string `url:"archive_size,omitempty"`               // fills <%= archive_size %> (archive_size); empty prints empty
	DateFrom                string `url:"date_from,omitempty"`                  // fills <%= date_from %> (date_from); empty prints empty
	DateTill                string `url:"date_till,omitempty"`                  // fills <%= date_till %> (date_till); empty prints empty
	CurrentDate             string `url:"current_date,omitempty"`               // fills <%= current_date %> (current_date); empty prints empty
	SearchUserUsername      string `url:"search_user_username,omitempty"`       // fills <%= search_user_username %> (search_user_username); empty prints empty
	SearchUserFullname      string `url:"search_user_fullname,omitempty"`       // fills <%= search_user_fullname %> (search_user_fullname); empty prints empty
	SearchResellerUsername  string `url:"search_reseller_username,omitempty"`   // fills <%= search_reseller_username %> (search_reseller_username); empty prints empty
	SearchResellerFullname  string `url:"search_reseller_fullname,omitempty"`   // fills <%= search_reseller_fullname %> (search_reseller_fullname); empty prints empty
	SearchDeviceDescription string `url:"search_device_description,omitempty"`  // fills <%= search_device_description %> (search_device_description); empty prints empty
	SearchDeviceUsername    string `url:"search_device_username,omitempty"`     // fills <%= search_device_username %> (search_device_username); empty prints empty
}

// EmailParams are email_send's parameters.
type EmailParams struct {
	// Template is the e-mail template's name (email_name, hashed), among
	// the caller's templates (the admin's for admin and accountants).
	// Required.
	Template string `url:"email_name"`
	// ToUserID is the recipient (email_to_user_id, hashed); nil sends to
	// the caller. The server checks no ownership.
	ToUserID *int64 `url:"email_to_user_id,omitempty"`
	// Vars fill the template.
	Vars EmailVars
}

func (p EmailParams) values(method string, render bool) (url.Values, error) {
	if strings.TrimSpace(p.Template) == "" {
		return nil, &ValidationError{Method: method, Field: "email_name", Err: ErrEmailTemplateNotFound}
	}
	v, err := query.Values(p.Vars)
	if err != nil {
		return nil, &ValidationError{Method: method, Field: "params", Err: err}
	}
	v.Set("email_name", p.Template)
	if p.ToUserID != nil {
		v.Set("email_to_user_id", strconv.FormatInt(*p.ToUserID, 10))
	}
	if render {
		v.Set("test_body", "1")
	}
	return v, nil
}

// emailStatus reads <page><email_sending_status>TEXT</email_sending_status></page>.
func (s *SystemService) emailStatus(ctx context.Context, method string, params url.Values) (string, error) {
	var text string
	err := s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeFields(method, r, []field{req("email_sending_status", str(&text))}, false)
	})
	return text, err
}

// SendEmail sends one of the caller's e-mail templates to a user. MOR:
// email_send (write: sends mail; hash: the sent variables of the server's
// global order, email_name, email_to_user_id).
//
// Nil means "Email sent". The statuses that mean nothing was sent are
// errors: ErrEmailDisabled, ErrRecipientEmailEmpty, ErrEmailSettings.
// Refusals: ErrBadLogin, ErrAccessDenied (only admin, resellers and
// accountants send), ErrEmailTemplateNotFound, ErrSenderEmailNotFound,
// ErrUserNotFound.
//
// Never retried: a repeat sends the mail again. When InDoubt(err) is
// true, ask the recipient; MOR keeps an audit row but no API reads it.
func (s *SystemService) SendEmail(ctx context.Context, p EmailParams) error {
	const method = "email_send"
	params, err := p.values(method, false)
	if err != nil {
		return err
	}
	text, err := s.emailStatus(ctx, method, params)
	if err != nil {
		return err
	}
	if strings.TrimSpace(text) == "Email sent" {
		return nil
	}
	return newAPIError(method, []string{strings.TrimSpace(text)})
}

// RenderEmail returns the template's body filled with p.Vars, as HTML text
// (the server escapes the values and turns the template's own apostrophes
// into &#8216;), without sending anything. MOR: email_send with test_body=1
// (read-only in effect; hash: as SendEmail). Refusals as SendEmail's.
//
// Never retried automatically (the action is a write for the client's
// retry rules), but safe to send again.
func (s *SystemService) RenderEmail(ctx context.Context, p EmailParams) (string, error) {
	const method = "email_send"
	params, err := p.values(method, true)
	if err != nil {
		return "", err
	}
	return s.emailStatus(ctx, method, params)
}

// ConflinesParams are the caller's default settings conflines_update can
// change; nil (or an empty slice) means not sent. The admin changes the
// system defaults, a reseller its own.
type ConflinesParams struct {
	// AllowAPI turns the owner's API on or off (allow_api). DANGER: false
	// locks this client out from the next request (a reseller stays in
	// while the admin's API is on).
	AllowAPI *bool `url:"allow_api,omitempty,int"`
	// APISecretKey replaces the owner's API secret (api_secret_key; at
	// least 6 characters; never logged). DANGER: from the next request the
	// server checks hashes with the new secret, so this Client (which
	// still signs with the old one) fails with ErrIncorrectHash: make a new
	// Client with the new secret.
	APISecretKey *string `url:"api_secret_key,omitempty"`
	// DefaultUserPasswordLength is 6…30 (default_user_password_length).
	DefaultUserPasswordLength *int64 `url:"default_user_password_length,omitempty"`
	// DefaultUserCredit is ≥ 0, or -1 for unlimited (default_user_credit).
	DefaultUserCredit *Decimal `url:"-"`
	// DefaultUserBalance is the balance of new users (default_user_balance).
	DefaultUserBalance                *Decimal `url:"-"`
	DefaultUserPostpaid               *bool    `url:"default_user_postpaid,omitempty,int"`                 // default postpaid for new users (default_user_postpaid); nil: not sent
	DefaultUserAllowLossCalls         *bool    `url:"default_user_allow_loss_calls,omitempty,int"`         // default "allow loss calls" for new users (default_user_allow_loss_calls); nil: not sent
	DefaultUserCallLimit              *int64   `url:"default_user_call_limit,omitempty"`                   // default call limit for new users (default_user_call_limit); nil: not sent
	DefaultUserRecordingEnabled       *bool    `url:"default_user_recording_enabled,omitempty,int"`        // default recording for new users (default_user_recording_enabled); nil: not sent
	DefaultUserRecordingForcedEnabled *bool    `url:"default_user_recording_forced_enabled,omitempty,int"` // default forced recording for new users (default_user_recording_forced_enabled); nil: not sent
	DefaultDeviceCallLimit            *int64   `url:"default_device_call_limit,omitempty"`                 // default call limit for new devices (default_device_call_limit); nil: not sent
	// DefaultUserTimeZone is a Rails time-zone name, e.g. "Vilnius", "UTC".
	DefaultUserTimeZone *string `url:"default_user_time_zone,omitempty"`
	// DefaultUserCurrency is a currency code the server knows, e.g. "USD".
	DefaultUserCurrency *string `url:"default_user_currency,omitempty"`
	// DefaultUserQuickforwardsRuleID is one of the caller's rules, or 0.
	DefaultUserQuickforwardsRuleID *int64 `url:"default_user_quickforwards_rule_id,omitempty"`
	// DefaultUserTariffID is one of the caller's retail or wholesale tariffs.
	DefaultUserTariffID *int64 `url:"default_user_tariff_id,omitempty"`
	// DefaultDeviceCanReinvite is yes, no, nonat, update or "update,nonat".
	DefaultDeviceCanReinvite *string `url:"default_device_canreinvite,omitempty"`
	// DefaultDeviceNAT is yes, no, force_rport or comedia.
	DefaultDeviceNAT *string `url:"default_device_nat,omitempty"`
	// DefaultDeviceQualify is "no" or a number ≥ 1000.
	DefaultDeviceQualify    *string `url:"default_device_qualify,omitempty"`
	DefaultDeviceGraceTime  *int64  `url:"default_device_grace_time,omitempty"`  // default grace time for new devices (default_device_grace_time); nil: not sent
	DefaultDeviceLocationID *int64  `url:"default_device_location_id,omitempty"` // default location for new devices (default_device_location_id); nil: not sent
	// DefaultDeviceAudioCodecs and DefaultDeviceVideoCodecs are codec
	// names in order of preference; unknown names are dropped by the server.
	DefaultDeviceAudioCodecs []string `url:"-"`
	DefaultDeviceVideoCodecs []string `url:"-"` // default video codecs for new devices, by preference (default_device_video_codecs, comma-joined); nil or empty: not sent
}

// UpdateConflines changes the caller's default settings (the system's for
// the admin, its own for a reseller). MOR: conflines_update (write; hash:
// the secret only).
//
// Every sent value is checked first; the first refusal is returned (an
// *APIError in the ErrInvalidParams or ErrNotFound family, e.g.
// "api_secret_key length must be higher than 5") and nothing is written.
// Refusals also include ErrAccessDenied (only the admin and resellers).
// An empty value the server would crash on (a tariff, rule or location id)
// cannot be expressed here; no settings at all fails before any I/O.
//
// DANGER: AllowAPI=false and APISecretKey change who may call the API from
// the next request on, this client included; see those fields.
//
// Never retried automatically; idempotent, so a repeat after InDoubt is
// harmless — unless it changed the secret, in which case retry with a
// Client using the new secret.
func (s *SystemService) UpdateConflines(ctx context.Context, p ConflinesParams) error {
	const method = "conflines_update"
	params, err := query.Values(p)
	if err != nil {
		return &ValidationError{Method: method, Field: "params", Err: err}
	}
	if p.DefaultUserCredit != nil {
		params.Set("default_user_credit", p.DefaultUserCredit.String())
	}
	if p.DefaultUserBalance != nil {
		params.Set("default_user_balance", p.DefaultUserBalance.String())
	}
	if len(p.DefaultDeviceAudioCodecs) > 0 {
		params.Set("default_device_audio_codecs", strings.Join(p.DefaultDeviceAudioCodecs, ","))
	}
	if len(p.DefaultDeviceVideoCodecs) > 0 {
		params.Set("default_device_video_codecs", strings.Join(p.DefaultDeviceVideoCodecs, ","))
	}
	if len(params) == 0 {
		return &ValidationError{Method: method, Field: "params", Err: ErrInvalidParams}
	}
	return s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeSuccess(method, r)
	})
}

// CreatePBXPool creates a PBX pool owned by the caller (name and comment
// are trimmed; the pool's id is not returned). MOR: pbx_pool_create (write;
// hash: name, as sent).
//
// Refusals: ErrAccessDenied, ErrNotAuthorized (resellers need the
// pbx_functions right), ErrInvalidParams ("PBX Pool must have name"),
// ErrPBXPoolNameTaken (names are unique across owners, case-insensitively).
// An empty name fails before any I/O.
//
// Never retried: a repeat after an unseen success answers
// ErrPBXPoolNameTaken, which then means the first one worked.
func (s *SystemService) CreatePBXPool(ctx context.Context, name, comment string) error {
	const method = "pbx_pool_create"
	if strings.TrimSpace(name) == "" {
		return &ValidationError{Method: method, Field: "name", Err: ErrInvalidParams}
	}
	params := url.Values{"name": {name}}
	if comment != "" {
		params.Set("comment", comment)
	}
	return s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeSuccess(method, r)
	})
}
