package mor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The SMS group: sms_send, user_sms_get and user_sms_service_subscribe.

// SMSService sends SMS messages, lists them and subscribes users to the SMS
// service. Reach it as Client.SMS; it holds no state of its own.
type SMSService service

// SendSMSParams are sms_send's parameters; all four are hashed.
type SendSMSParams struct {
	// LCRID is the SMS LCR to route through (lcr_id). Required.
	LCRID int64
	// Dst is the destination number, digits only (dst). Required.
	Dst string
	// Src is the sender id handed to the provider (src); may be empty.
	Src string
	// Message is the text (message). The server URL-decodes it a second
	// time, so the SDK sends every "%" as "%25": the phone receives
	// Message exactly. 160 characters make one billed part.
	Message string
}

// SMSSent is sms_send's success reply.
type SMSSent struct {
	MessageID int64  // message/message_id: the stored message
	Tip       string // message/sms_status_code_tip, e.g. "SMS is sent"
	// Price is what the caller was charged, rounded by the server, in the
	// caller's currency (message/price, message/currency).
	Price Money
}

// SMSError is an SMS the server stored but whose delivery failed: the
// provider refused it, no rate was found, the balance was short, or the
// routing raised an error (Detail). It matches ErrSMSNotSent unless Charged
// is set, and errors.As also finds the *APIError holding the server's texts.
type SMSError struct {
	// MessageID is the stored message's id (0 if the server gave none).
	MessageID int64
	// Tip is the server's text for the delivery status, e.g. "Insufficient
	// balance".
	Tip string
	// Detail is the server's exception text, when routing or rating failed.
	Detail string
	// Charged is set when the reply first said the SMS was sent (and
	// charged) and then broke: the message went out, only the reply is
	// incomplete. Do not send it again.
	Charged bool
	api     *APIError
}

// Error returns "mor: sms_send: TIP (message N)".
func (e *SMSError) Error() string {
	msg := "mor: sms_send: " + e.Tip
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.MessageID != 0 {
		msg += " (message " + strconv.FormatInt(e.MessageID, 10) + ")"
	}
	if e.Charged {
		msg += "; the SMS was sent and charged, the reply is incomplete"
	}
	return msg
}

// Is matches ErrSMSNotSent for an SMS that was not sent.
func (e *SMSError) Is(target error) bool { return target == ErrSMSNotSent && !e.Charged }

// Unwrap returns the *APIError with the server's texts.
func (e *SMSError) Unwrap() error { return e.api }

// gateError is a gate refusal the reply's shape tells apart: the
// *APIError plus the gate's own sentinel.
type gateError struct {
	*APIError
	gate error
}

// Error is the server's text with the gate named.
func (e *gateError) Error() string {
	return e.APIError.Error() + " (" + unprefixed(e.gate.Error()) + ")"
}

// Is matches the gate's sentinel (the *APIError matches the rest).
func (e *gateError) Is(target error) bool { return target == e.gate }

// Unwrap returns the server's *APIError.
func (e *gateError) Unwrap() error { return e.APIError }

// smsReply is what sms_send's decoder saw, kept until the transport has
// scrubbed the *APIError built from it.
type smsReply struct {
	root     string
	ok       bool // <response><status>ok</status>
	sent     SMSSent
	failed   bool // an <error><message> block
	failID   int64
	failTip  string
	failText string
}

func (r *smsReply) decode(method string, rd io.Reader) error {
	*r = smsReply{}
	var firstBad error
	set := func(name string, s setter, text string) {
		if err := s(text); err != nil && firstBad == nil {
			firstBad = &ParseError{Method: method, Reason: "bad <" + name + ">", Snippet: snippet([]byte(text)), Err: err}
		}
	}
	w := walker{method: method}
	w.end = func(parent, name, text string) error {
		p := w.path
		if len(p) < 2 {
			return nil
		}
		switch {
		case len(p) == 3 && p[1] == "response" && name == "status":
			r.ok = strings.TrimSpace(text) == "ok"
		case len(p) == 4 && p[1] == "response" && parent == "message":
			switch name {
			case "message_id":
				set(name, i64(&r.sent.MessageID), text)
			case "sms_status_code_tip":
				r.sent.Tip = strings.TrimSpace(text)
			case "price":
				set(name, money(&r.sent.Price), text)
			case "currency":
				set(name, currency(&r.sent.Price), text)
			}
		case len(p) == 4 && p[1] == "error" && parent == "message":
			r.failed = true
			switch name {
			case "message_id":
				set(name, i64(&r.failID), text)
			case "sms_status_code_tip":
				r.failTip = strings.TrimSpace(text)
			case "error_message":
				r.failText = strings.TrimSpace(text)
			}
		}
		return nil
	}
	if err := w.run(rd); err != nil {
		return err
	}
	r.root = w.root
	if r.failed {
		msgs := []string{r.failTip}
		if r.failText != "" {
			msgs = append(msgs, r.failText)
		}
		return newAPIError(method, msgs)
	}
	if err := w.apiError(); err != nil {
		return err
	}
	if firstBad != nil {
		return firstBad
	}
	if !r.ok || r.sent.MessageID == 0 {
		return unexpected(method, w.root, "no <response> with status ok and a message id")
	}
	return nil
}

// Send sends one SMS as the calling simple user, who pays for it. MOR:
// sms_send, alias send_sms (money; hash: lcr_id, dst, src, message).
//
// Before any I/O: LCRID ≤ 0, an empty or non-digit Dst is ErrInvalidParams.
// Server refusals: ErrSMSAddonDisabled (also ErrAccessDenied) when the SMS
// add-on is off; ErrAccessDenied for any caller but a simple user;
// ErrSMSNotSubscribed; ErrSMSLCRNotFound. A message the server stored but did
// not deliver is an *SMSError (ErrSMSNotSent) with the stored message's id
// and the reason ("Insufficient balance", "… does not have rate for this
// destination", a provider error).
//
// Never retried, and not idempotent: a repeat sends and charges a second
// SMS, and nothing the API offers tells whether a lost request was sent
// (SMS.List shows the day's messages; a message in doubt may or may not be
// among them yet). When InDoubt(err) is true, do not resend blindly.
func (s *SMSService) Send(ctx context.Context, p SendSMSParams) (*SMSSent, error) {
	const method = "sms_send"
	bad := func(field, why string) error {
		return &ValidationError{Method: method, Field: field, Err: fmt.Errorf("%w: %s", ErrInvalidParams, why)}
	}
	switch {
	case p.LCRID <= 0:
		return nil, bad("lcr_id", "an SMS LCR id is required")
	case !allDigits(p.Dst):
		return nil, bad("dst", "the destination must be digits")
	}
	params := url.Values{
		"lcr_id":  {strconv.FormatInt(p.LCRID, 10)},
		"dst":     {p.Dst},
		"src":     {p.Src},
		"message": {strings.ReplaceAll(p.Message, "%", "%25")},
	}
	var rep smsReply
	err := s.c.do(ctx, method, params, func(r io.Reader) error { return rep.decode(method, r) })
	var ae *APIError
	if err != nil && errors.As(err, &ae) {
		switch {
		case rep.failed:
			se := &SMSError{MessageID: rep.failID, Charged: rep.ok, api: ae}
			se.Tip = ae.Messages[0]
			if len(ae.Messages) > 1 {
				se.Detail = ae.Messages[1]
			}
			return nil, se
		case rep.root == "status" && len(ae.Messages) == 1 && ae.Messages[0] == "Access Denied":
			return nil, &gateError{APIError: ae, gate: ErrSMSAddonDisabled}
		}
	}
	if err != nil {
		return nil, err
	}
	out := rep.sent
	return &out, nil
}

// SMSListParams filter user_sms_get; a zero field is not sent, and nothing
// is hashed.
type SMSListParams struct {
	// From is the first day of the window: the server takes the date of this
	// instant in its own zone. Zero means today.
	From time.Time
	// Till ends the window at the START of its date in the server's zone
	// (that day itself is excluded). Zero means the end of today.
	Till time.Time
	// UserID keeps one user's messages (ignored for simple users).
	UserID *int64
	// ResellerID keeps one reseller's users' messages (admins, accountants).
	ResellerID *int64
	// StatusCode, Prefix and Number must be digits; the server compares them
	// as numbers (status 4 matches "004", number 37061111111 matches
	// "+37061111111").
	StatusCode string
	ProviderID *int64 // provider id (provider_id); nil: not sent
	Prefix     string // destination prefix, digits (prefix); empty: not sent
	Number     string // number, digits (number); empty: not sent
}

func (p SMSListParams) values() (url.Values, error) {
	v := url.Values{}
	if !p.From.IsZero() {
		v.Set("from", strconv.FormatInt(p.From.Unix(), 10))
	}
	if !p.Till.IsZero() {
		v.Set("till", strconv.FormatInt(p.Till.Unix(), 10))
	}
	for _, kv := range []struct {
		k string
		n *int64
	}{{"user_id", p.UserID}, {"reseller_id", p.ResellerID}, {"provider_id", p.ProviderID}} {
		if kv.n != nil {
			if *kv.n < 0 {
				return nil, fmt.Errorf("%s must not be negative", kv.k)
			}
			v.Set(kv.k, strconv.FormatInt(*kv.n, 10))
		}
	}
	for _, kv := range [][2]string{{"status_code", p.StatusCode}, {"prefix", p.Prefix}, {"number", p.Number}} {
		if kv[1] == "" {
			continue
		}
		if !allDigits(kv[1]) {
			// The server would ignore a non-digit filter and list more.
			return nil, fmt.Errorf("%s must be digits", kv[0])
		}
		v.Set(kv[0], kv[1])
	}
	return v, nil
}

// SMSMessage is one record of user_sms_get. Amounts are as stored: system
// currency. Which of them the server shows depends on the caller: provider
// columns for admins and accountants, reseller columns for admins,
// accountants and partners, self-cost columns for resellers.
type SMSMessage struct {
	ID          int64     // id
	SentAt      time.Time // sending_date, with the server's zone
	StatusCode  string    // status_code: "0" is sent
	ProviderID  *int64    // provider_id; nil when none or not shown
	UserID      int64     // user_id
	ResellerID  *int64    // reseller_id; nil when not shown
	Prefix      string    // prefix
	Number      string    // number
	ClickatelID string    // clickatell_message_id

	ProviderRate  *Decimal // provider_rate
	ProviderPrice *Decimal // provider_price
	UserRate      Decimal  // user_rate
	UserPrice     Decimal  // user_price
	ResellerRate  *Decimal // reseller_rate
	ResellerPrice *Decimal // reseller_price
	SelfCostRate  *Decimal // self_cost_rate (resellers)
	SelfCostPrice *Decimal // self_cost_price (resellers)
}

func (m *SMSMessage) fields() []field {
	return []field{
		req("id", i64(&m.ID)),
		req("sending_date", datetime(&m.SentAt)),
		opt("status_code", str(&m.StatusCode)),
		opt("provider_id", ptrI64(&m.ProviderID)),
		opt("provider_rate", ptrDecimal(&m.ProviderRate)),
		opt("provider_price", ptrDecimal(&m.ProviderPrice)),
		req("user_id", i64(&m.UserID)),
		opt("user_rate", decimal(&m.UserRate)),
		opt("user_price", decimal(&m.UserPrice)),
		opt("reseller_id", ptrI64(&m.ResellerID)),
		opt("reseller_rate", ptrDecimal(&m.ResellerRate)),
		opt("reseller_price", ptrDecimal(&m.ResellerPrice)),
		opt("self_cost_rate", ptrDecimal(&m.SelfCostRate)),
		opt("self_cost_price", ptrDecimal(&m.SelfCostPrice)),
		opt("prefix", str(&m.Prefix)),
		opt("number", str(&m.Number)),
		opt("clickatell_message_id", str(&m.ClickatelID)),
	}
}

var smsRecords = recordSpec[SMSMessage]{record: "sms_messages/sms_message", fields: (*SMSMessage).fields, empty: []error{ErrSMSMessagesNotFound}}

// List returns the SMS messages the caller may see in a window of days
// (today by default), in id order. MOR: user_sms_get (read; hash: nothing,
// the filters are not hashed). It collects All; use All for large volumes.
//
// "Sms Mesagges were not found" is an empty list and a nil error. A
// non-digit StatusCode, Prefix or Number fails locally with ErrInvalidParams.
// Server refusals include ErrAccessDenied and ErrNotAuthorized (a caller
// other than admin whose own SMS service is off).
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *SMSService) List(ctx context.Context, p SMSListParams) ([]SMSMessage, error) {
	return collect(s.All(ctx, p))
}

// All streams the messages that List returns. MOR: user_sms_get (read; hash:
// nothing). The reply has no paging; a message takes about 600 bytes of XML,
// so the default 32 MiB cap holds about 50,000 (WithMaxResponseBytes raises
// it). Nothing is sent until ranged over; an error is the last pair; retried
// with WithRetries only until the first message has been yielded.
func (s *SMSService) All(ctx context.Context, p SMSListParams) iter.Seq2[SMSMessage, error] {
	const method = "user_sms_get"
	v, err := p.values()
	if err != nil {
		return func(yield func(SMSMessage, error) bool) {
			yield(SMSMessage{}, &ValidationError{Method: method, Field: "params", Err: fmt.Errorf("%w: %v", ErrInvalidParams, err)})
		}
	}
	return streamRecords(ctx, s.c, method, v, smsRecords)
}

// SMSSubscribeParams are user_sms_service_subscribe's parameters.
type SMSSubscribeParams struct {
	UserID      int64 // user_id (hashed): a simple user or a reseller
	SMSTariffID int64 // sms_tariff_id (hashed): a user SMS tariff of the user's owner
	// SMSLCRID is the SMS LCR (sms_lcr_id, not hashed): required when the
	// admin subscribes its own users; resellers' users get their reseller's.
	SMSLCRID int64
}

// Subscribe switches the SMS service on for a user. MOR:
// user_sms_service_subscribe (write; hash: user_id, sms_tariff_id).
//
// UserID or SMSTariffID ≤ 0 fails locally with ErrInvalidParams. Server
// refusals include ErrAccessDenied (also when the SMS add-on is off),
// ErrNotAuthorized, ErrUserNotFound, ErrSMSNotSubscribed (the user's
// reseller has no SMS service), ErrSMSTariffNotFound, ErrSMSLCRNotFound and
// ErrSMSAlreadySubscribed.
//
// Never retried, but safe to repeat: a repeat answers ErrSMSAlreadySubscribed.
func (s *SMSService) Subscribe(ctx context.Context, p SMSSubscribeParams) error {
	const method = "user_sms_service_subscribe"
	switch {
	case p.UserID <= 0:
		return &ValidationError{Method: method, Field: "user_id", Err: fmt.Errorf("%w: a user id is required", ErrInvalidParams)}
	case p.SMSTariffID <= 0:
		return &ValidationError{Method: method, Field: "sms_tariff_id", Err: fmt.Errorf("%w: an SMS tariff id is required", ErrInvalidParams)}
	}
	v := url.Values{"user_id": {strconv.FormatInt(p.UserID, 10)}, "sms_tariff_id": {strconv.FormatInt(p.SMSTariffID, 10)}}
	if p.SMSLCRID > 0 {
		v.Set("sms_lcr_id", strconv.FormatInt(p.SMSLCRID, 10))
	}
	return s.c.do(ctx, method, v, func(r io.Reader) error { return decodeSuccess(method, r) })
}
