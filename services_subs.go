package mor

import (
	"context"
	"io"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The services group: services_get, service_create, service_update,
// service_delete, subscriptions_get, subscription_create,
// subscription_update and subscription_delete.

// ServicesService lists, creates, updates and deletes services (periodic
// fees, one-time fees, flat rates). Reach it as Client.Services; it holds
// no state of its own.
type ServicesService service

// SubscriptionsService lists, creates, changes and ends users' subscriptions
// to services. Reach it as Client.Subscriptions; it holds no state of its
// own.
//
// The legacy user_subscriptions action (the caller's own subscriptions for
// MOR's pages, not hash-checked, marks the caller as logged in) is reachable
// only through Client.Call.
type SubscriptionsService service

// ServiceType is a service's kind.
type ServiceType string

// The four service types.
const (
	ServicePeriodicFee     ServiceType = "periodic_fee"
	ServiceOneTimeFee      ServiceType = "one_time_fee"
	ServiceFlatRate        ServiceType = "flat_rate"
	ServiceDynamicFlatRate ServiceType = "dynamic_flat_rate"
)

// Service is one record of services_get.
type Service struct {
	ID     int64       // the service's id (<id>)
	Name   string      // the service's name (<name>)
	Type   ServiceType // the service's type (<type>)
	Period string      // "month" or "day"
	// PricesShown is false when the server left out price, self cost and
	// currency (an accountant without the financial-data right).
	PricesShown bool
	// Price and SelfCost are converted to the caller's currency; their
	// Currency is the server's default currency as the reply names it, which
	// is the caller's own unless the API user has another currency.
	Price    Money
	SelfCost Money // the service's self cost (<self_cost>); zero when PricesShown is false
	Quantity int64 // minutes per month for flat rates, else 1
}

func (v *Service) fields() []field {
	shown := func(set setter) setter {
		return func(t string) error { v.PricesShown = true; return set(t) }
	}
	return []field{
		req("id", i64(&v.ID)),
		opt("name", str(&v.Name)),
		opt("type", func(t string) error { v.Type = ServiceType(t); return nil }),
		opt("period", str(&v.Period)),
		opt("price", shown(money(&v.Price))),
		opt("self_cost", shown(money(&v.SelfCost))),
		opt("currency", currency(&v.Price, &v.SelfCost)),
		opt("quantity", i64(&v.Quantity)),
	}
}

var serviceRecords = recordSpec[Service]{
	record: "services/service",
	fields: (*Service).fields,
	empty:  []error{ErrServicesNotFound},
}

// List returns the services the caller may see (the admin: all; a reseller:
// its own; an accountant: the admin's). MOR: services_get (read; hash: the
// secret only).
//
// "No Services found" is an empty list and a nil error. Simple users get
// ErrAccessDenied; accountants without the services right ErrNotAuthorized.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *ServicesService) List(ctx context.Context) ([]Service, error) {
	return collect(streamRecords(ctx, s.c, "services_get", url.Values{}, serviceRecords))
}

// ServiceParams are the fields of service_create and service_update. On
// update only the fields set are sent (nothing can be cleared).
type ServiceParams struct {
	Name string      // new_service_name (hashed); required on create
	Type ServiceType // new_service_type (hashed); required on create
	// Price and SelfCost are in the server's default currency
	// (service_sell_price, service_self_cost); nil is not sent.
	Price    *Decimal
	SelfCost *Decimal // self cost (service_self_cost); nil: not sent
	// Period is "month" or "day" (service_period); only a periodic fee
	// keeps "day", every other value becomes "month".
	Period string
	// MinutesPerMonth is a flat rate's quantity
	// (service_minutes_per_month); required > 0 for flat rates.
	MinutesPerMonth int64
	// OwnerID (new_owner_id, create only, admin only) makes the service a
	// reseller's; nil leaves the caller's default.
	OwnerID *int64
}

func (p ServiceParams) values(method string, create bool) (url.Values, error) {
	v := url.Values{}
	var missing []string
	if create && strings.TrimSpace(p.Name) == "" {
		missing = append(missing, "new_service_name")
	}
	if create && p.Type == "" {
		missing = append(missing, "new_service_type")
	}
	if len(missing) > 0 {
		return nil, &ValidationError{Method: method, Field: strings.Join(missing, ", "), Err: ErrInvalidParams}
	}
	switch p.Type {
	case "", ServicePeriodicFee, ServiceOneTimeFee, ServiceFlatRate, ServiceDynamicFlatRate:
	default:
		return nil, &ValidationError{Method: method, Field: "new_service_type", Err: ErrInvalidParams}
	}
	if (p.Type == ServiceFlatRate || p.Type == ServiceDynamicFlatRate) && create && p.MinutesPerMonth <= 0 {
		return nil, &ValidationError{Method: method, Field: "service_minutes_per_month", Err: ErrInvalidParams}
	}
	if p.Name != "" {
		v.Set("new_service_name", p.Name)
	}
	if p.Type != "" {
		v.Set("new_service_type", string(p.Type))
	}
	if p.Price != nil {
		v.Set("service_sell_price", p.Price.String())
	}
	if p.SelfCost != nil {
		v.Set("service_self_cost", p.SelfCost.String())
	}
	if p.Period != "" {
		v.Set("service_period", p.Period)
	}
	if p.MinutesPerMonth != 0 {
		v.Set("service_minutes_per_month", strconv.FormatInt(p.MinutesPerMonth, 10))
	}
	if p.OwnerID != nil && create {
		v.Set("new_owner_id", strconv.FormatInt(*p.OwnerID, 10))
	}
	return v, nil
}

// Create adds a service. MOR: service_create (write; hash:
// new_service_name, new_service_type). The reply carries no id.
//
// A missing name or type, an unknown type, or a flat rate without minutes
// fail locally (ErrInvalidParams). Server refusals: ErrAccessDenied (simple
// users), ErrNotAuthorized, ErrInvalidParams texts ("Service must have
// name", …), "Reseller was not found" (ErrNotFound) for a bad OwnerID.
//
// Never retried: a repeat after an unseen success adds a second service
// with the same name (names are not unique). When InDoubt(err) is true,
// look for the name in List before creating it again.
func (s *ServicesService) Create(ctx context.Context, p ServiceParams) error {
	const method = "service_create"
	v, err := p.values(method, true)
	if err != nil {
		return err
	}
	err = s.c.do(ctx, method, v, func(r io.Reader) error { return decodeSuccess(method, r) })
	return moneyErr(method, err, "look for the name "+strconv.Quote(p.Name)+
		" in Services.List before creating it again")
}

// Update changes the fields set in p of the service id. MOR: service_update
// (write; hash: new_service_name, new_service_type, service_id). Existing
// subscriptions are not re-priced.
//
// Server refusals: ErrServiceNotFound, ErrAccessDenied, ErrNotAuthorized,
// the validation texts of Create (ErrInvalidParams).
//
// Never retried by the SDK; a repeat reaches the same end state, so after
// an in-doubt failure it is safe to send again.
func (s *ServicesService) Update(ctx context.Context, id int64, p ServiceParams) error {
	const method = "service_update"
	if id <= 0 {
		return &ValidationError{Method: method, Field: "service_id", Err: ErrInvalidParams}
	}
	v, err := p.values(method, false)
	if err != nil {
		return err
	}
	v.Set("service_id", strconv.FormatInt(id, 10))
	return s.c.do(ctx, method, v, func(r io.Reader) error { return decodeSuccess(method, r) })
}

// Delete removes a service. MOR: service_delete (write; hash: service_id).
//
// Server refusals: ErrServiceNotFound, ErrServiceInUse (subscriptions to it
// exist), ErrAccessDenied, ErrNotAuthorized. An unknown API user gets an
// empty reply (ErrEmptyResponse) from the real server.
//
// Never retried: a repeat after an unseen success answers
// ErrServiceNotFound, which then means it is gone.
func (s *ServicesService) Delete(ctx context.Context, id int64) error {
	const method = "service_delete"
	if id <= 0 {
		return &ValidationError{Method: method, Field: "service_id", Err: ErrInvalidParams}
	}
	return s.c.do(ctx, method, url.Values{"service_id": {strconv.FormatInt(id, 10)}}, func(r io.Reader) error {
		return decodeSuccess(method, r)
	})
}

// wallClockStamp is how the server reads subscription timestamps: it takes the
// instant's UTC wall clock as a server-local time. Sending t's own wall
// clock as if it were UTC makes the server store exactly the wall clock
// written (pass times in the server's zone).
func wallClockStamp(t time.Time) string {
	return strconv.FormatInt(time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC).Unix(), 10)
}

// SubscriptionsParams filter subscriptions_get. Nothing is hashed but the
// secret. Zero values are not sent.
type SubscriptionsParams struct {
	ServiceID int64  // service_id
	UserID    int64  // user_id
	Memo      string // subscription_memo: exact match (case-insensitive on MySQL)
	// ActivationStart and ActivationEnd (subscription_activation_start,
	// _end) are wall clocks in the server's zone, see SubscriptionParams.
	ActivationStart time.Time
	ActivationEnd   time.Time // activation end filter (subscription_activation_end); zero: not sent
	// UntilCanceled keeps only subscriptions without an end
	// (subscription_until_canceled=1).
	UntilCanceled bool
	// Currency is not sent: it names the server's default currency, in
	// which the reply's prices are (it does not say so). It is copied into
	// every Price.
	Currency string
}

func (p SubscriptionsParams) values() (url.Values, error) {
	const method = "subscriptions_get"
	v := url.Values{}
	if p.ServiceID > 0 {
		v.Set("service_id", strconv.FormatInt(p.ServiceID, 10))
	}
	if p.UserID > 0 {
		v.Set("user_id", strconv.FormatInt(p.UserID, 10))
	}
	if p.Memo != "" {
		// The server pastes the memo into SQL unescaped: a quote would crash it.
		if strings.Contains(p.Memo, "'") {
			return nil, &ValidationError{Method: method, Field: "subscription_memo", Err: ErrInvalidParams}
		}
		v.Set("subscription_memo", p.Memo)
	}
	if !p.ActivationStart.IsZero() {
		v.Set("subscription_activation_start", wallClockStamp(p.ActivationStart))
	}
	if !p.ActivationEnd.IsZero() {
		v.Set("subscription_activation_end", wallClockStamp(p.ActivationEnd))
	}
	if p.UntilCanceled {
		v.Set("subscription_until_canceled", "1")
	}
	return v, nil
}

// Subscription is one record of subscriptions_get.
type Subscription struct {
	ID      int64      // the subscription's id (<id>)
	User    string     // the subscriber's name ("first last", or the username)
	Device  string     // the subscribed device (<device>)
	Service string     // the service's name
	From    time.Time  // start of the subscription (<from>)
	Till    *time.Time // nil: until cancelled
	// TimeLeft is a flat rate's seconds left in the current period; nil for
	// other types.
	TimeLeft *int64
	Memo     string      // the subscription's memo (<memo>)
	Type     ServiceType // the service's type (<type>)
	// Price is the service's price in the default currency
	// (SubscriptionsParams.Currency); zero if the service is gone.
	Price  Money
	UserID int64 // the subscriber's user id (<user_id>)
}

func (v *Subscription) fields(cur string) []field {
	v.Price.Currency = cur
	return []field{
		req("id", i64(&v.ID)),
		opt("user", str(&v.User)),
		opt("device", str(&v.Device)),
		opt("service", str(&v.Service)),
		opt("from", datetime(&v.From)),
		opt("till", ptrDatetime(&v.Till)),
		opt("time_left", ptrI64(&v.TimeLeft)),
		opt("memo", str(&v.Memo)),
		opt("type", func(t string) error { v.Type = ServiceType(t); return nil }),
		opt("price", money(&v.Price)),
		req("user_id", i64(&v.UserID)),
	}
}

// List returns the subscriptions matching p. MOR: subscriptions_get (read;
// hash: the secret only, whatever filters are sent). It collects All.
//
// "No Subscriptions found" is an empty list and a nil error. Refusals:
// ErrAccessDenied, ErrNotAuthorized (accountants need the subscriptions
// edit right).
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *SubscriptionsService) List(ctx context.Context, p SubscriptionsParams) ([]Subscription, error) {
	return collect(s.All(ctx, p))
}

// All streams the subscriptions List returns, decoded as the reply arrives.
// MOR: subscriptions_get (read; hash: the secret only).
//
// Nothing is sent until the sequence is ranged over; each range sends the
// request again. An error is the last pair. Retried with WithRetries only
// until the first record has been yielded.
func (s *SubscriptionsService) All(ctx context.Context, p SubscriptionsParams) iter.Seq2[Subscription, error] {
	const method = "subscriptions_get"
	v, err := p.values()
	if err != nil {
		return func(yield func(Subscription, error) bool) { yield(Subscription{}, err) }
	}
	spec := recordSpec[Subscription]{
		record: "status/subscriptions/subscription",
		fields: func(x *Subscription) []field { return x.fields(p.Currency) },
		empty:  []error{ErrSubscriptionsNotFound},
	}
	return streamRecords(ctx, s.c, method, v, spec)
}

// Find returns the user's subscription to the service with exactly this
// memo, or ErrSubscriptionNotFound. It is the check to run after an
// in-doubt Create: MOR returns no id, so (user, service, memo) is the
// subscription's natural key; give every subscription a unique memo. MOR:
// subscriptions_get (read; hash: the secret only).
func (s *SubscriptionsService) Find(ctx context.Context, userID, serviceID int64, memo string) (*Subscription, error) {
	const method = "subscriptions_get"
	memo = strings.TrimSpace(memo)
	if userID <= 0 || serviceID <= 0 || memo == "" {
		return nil, &ValidationError{Method: method, Field: "user_id, service_id, subscription_memo", Err: ErrInvalidParams}
	}
	subs, err := s.List(ctx, SubscriptionsParams{UserID: userID, ServiceID: serviceID, Memo: memo})
	if err != nil {
		return nil, err
	}
	for i := range subs {
		if subs[i].Memo == memo && subs[i].UserID == userID {
			return &subs[i], nil
		}
	}
	return nil, newAPIError(method, []string{"Subscription was not found"})
}

// SubscriptionParams are subscription_create's and subscription_update's
// fields.
//
// Times are wall clocks in the server's zone: the server reads a
// timestamp's UTC wall clock as its local time, so the SDK sends t's own
// wall clock and the server stores exactly that (2018-01-01 00:00 in any
// location is stored as 2018-01-01 00:00 server time). Minutes are kept,
// seconds dropped.
type SubscriptionParams struct {
	UserID    int64 // user_id (hashed); create only, required
	ServiceID int64 // service_id (hashed); create only, required
	// ActivationStart (subscription_activation_start): zero is not sent
	// (create: now).
	ActivationStart time.Time
	// ActivationEnd (subscription_activation_end): zero is not sent
	// (create: now, which a periodic fee refuses unless UntilCanceled).
	ActivationEnd time.Time
	// UntilCanceled leaves the end open (subscription_until_canceled=1).
	UntilCanceled bool
	// Memo (subscription_memo, trimmed by the server). On create, make it
	// unique: it is what Find uses to tell whether an in-doubt create landed.
	Memo string
	// NoExpiration (subscription_no_expiration_at_the_end_of_a_month) is for
	// flat rates; nil is not sent.
	NoExpiration *bool
}

func (p SubscriptionParams) values(method string) (url.Values, error) {
	v := url.Values{}
	if !p.ActivationStart.IsZero() && !p.ActivationEnd.IsZero() && !p.UntilCanceled &&
		p.ActivationStart.After(p.ActivationEnd) {
		return nil, &ValidationError{Method: method, Field: "subscription_activation_start", Err: ErrBadActivationDates}
	}
	if !p.ActivationStart.IsZero() {
		v.Set("subscription_activation_start", wallClockStamp(p.ActivationStart))
	}
	if !p.ActivationEnd.IsZero() && !p.UntilCanceled {
		v.Set("subscription_activation_end", wallClockStamp(p.ActivationEnd))
	}
	if p.UntilCanceled {
		v.Set("subscription_until_canceled", "1")
	}
	if p.Memo != "" {
		v.Set("subscription_memo", p.Memo)
	}
	if p.NoExpiration != nil {
		v.Set("subscription_no_expiration_at_the_end_of_a_month", map[bool]string{true: "1", false: "0"}[*p.NoExpiration])
	}
	return v, nil
}

// Create subscribes a user to a service. MOR: subscription_create (moves
// money; hash: user_id, service_id). A prepaid user is charged at once for
// the rest of the current period (ErrInsufficientBalance when the balance
// does not cover it); postpaid users are charged later by MOR's billing.
// The reply carries no id.
//
// UserID or ServiceID ≤ 0 and a start after the end fail locally. Server
// refusals include ErrServiceNotFound, ErrUserNotFound, ErrAccessDenied,
// ErrNotAuthorized, ErrBadActivationDates and other ErrInvalidParams texts.
//
// Never retried, not even with WithRetries: a repeat after an unseen
// success subscribes the user a second time and charges a prepaid user
// again. When InDoubt(err) is true the error says what to check: call
// Find(ctx, UserID, ServiceID, Memo); if it finds the subscription, the
// create landed.
func (s *SubscriptionsService) Create(ctx context.Context, p SubscriptionParams) error {
	const method = "subscription_create"
	var missing []string
	if p.UserID <= 0 {
		missing = append(missing, "user_id")
	}
	if p.ServiceID <= 0 {
		missing = append(missing, "service_id")
	}
	if len(missing) > 0 {
		return &ValidationError{Method: method, Field: strings.Join(missing, ", "), Err: ErrInvalidParams}
	}
	v, err := p.values(method)
	if err != nil {
		return err
	}
	v.Set("user_id", strconv.FormatInt(p.UserID, 10))
	v.Set("service_id", strconv.FormatInt(p.ServiceID, 10))
	err = s.c.do(ctx, method, v, func(r io.Reader) error { return decodeSuccess(method, r) })
	check := "a prepaid user may have been charged; check with Subscriptions.Find(user " +
		strconv.FormatInt(p.UserID, 10) + ", service " + strconv.FormatInt(p.ServiceID, 10) + ", memo " +
		strconv.Quote(strings.TrimSpace(p.Memo)) + ") before sending it again"
	if strings.TrimSpace(p.Memo) == "" {
		check = "a prepaid user may have been charged, and no memo was sent, so it cannot be " +
			"told apart from others: list the user's subscriptions (Subscriptions.List) before sending it again"
	}
	return moneyErr(method, err, check)
}

// Update changes a subscription's dates, memo or no-expiration flag (only
// the fields set; UserID and ServiceID are ignored). MOR:
// subscription_update (write; hash: subscription_id). No money moves.
//
// Server refusals: ErrSubscriptionNotFound (also for every accountant, and
// for subscriptions of users the caller does not own directly),
// ErrAccessDenied, ErrBadActivationDates and other ErrInvalidParams texts.
//
// Never retried by the SDK; a repeat reaches the same end state, so after
// an in-doubt failure it is safe to send again.
func (s *SubscriptionsService) Update(ctx context.Context, id int64, p SubscriptionParams) error {
	const method = "subscription_update"
	if id <= 0 {
		return &ValidationError{Method: method, Field: "subscription_id", Err: ErrInvalidParams}
	}
	v, err := p.values(method)
	if err != nil {
		return err
	}
	v.Set("subscription_id", strconv.FormatInt(id, 10))
	return s.c.do(ctx, method, v, func(r io.Reader) error { return decodeSuccess(method, r) })
}

// SubscriptionDeleteAction is what subscription_delete does.
type SubscriptionDeleteAction int

// The three delete actions.
const (
	// SubscriptionDelete deletes the subscription; no money moves.
	SubscriptionDelete SubscriptionDeleteAction = 1
	// SubscriptionRefundRest refunds the rest of the month to a prepaid user
	// (a one-time fee: the whole price) and deletes; for a postpaid user of
	// a periodic service it only disables (ends it now) and keeps the row.
	SubscriptionRefundRest SubscriptionDeleteAction = 2
	// SubscriptionRefundAll refunds everything charged from the start up to
	// now and deletes (not for one-time fees).
	SubscriptionRefundAll SubscriptionDeleteAction = 3
)

// SubscriptionDeleteResult says what subscription_delete did.
type SubscriptionDeleteResult string

// The three outcomes, the server's texts.
const (
	SubscriptionDeleted       SubscriptionDeleteResult = "Subscription deleted"
	SubscriptionDisabled      SubscriptionDeleteResult = "Subscription disabled"
	SubscriptionMoneyReturned SubscriptionDeleteResult = "Subscription deleted and money returned"
)

// Delete deletes, disables or refunds a subscription. MOR:
// subscription_delete (moves money; hash: subscription_id,
// subscription_delete_action). It returns what the server says it did
// ("… money returned" is said even when the refund was 0).
//
// Server refusals: ErrSubscriptionNotFound, ErrServiceNotFound (the
// subscription's service is gone), an action the service type does not
// accept (ErrNotFound), ErrAccessDenied, ErrNotAuthorized.
//
// Never retried, not even with WithRetries (a refund moves money). A repeat
// after an unseen success answers ErrSubscriptionNotFound for the actions
// that delete, which then means it is gone; disabling a postpaid
// subscription again only moves its end to the new now. When InDoubt(err)
// is true, List with the subscription's user shows whether it is still
// there.
func (s *SubscriptionsService) Delete(ctx context.Context, id int64, action SubscriptionDeleteAction) (SubscriptionDeleteResult, error) {
	const method = "subscription_delete"
	if id <= 0 {
		return "", &ValidationError{Method: method, Field: "subscription_id", Err: ErrInvalidParams}
	}
	if action < SubscriptionDelete || action > SubscriptionRefundAll {
		return "", &ValidationError{Method: method, Field: "subscription_delete_action", Err: ErrInvalidParams}
	}
	var text string
	err := s.c.do(ctx, method, url.Values{
		"subscription_id":            {strconv.FormatInt(id, 10)},
		"subscription_delete_action": {strconv.Itoa(int(action))},
	}, func(r io.Reader) error {
		return decodeFields(method, r, []field{req("status/success", trimmed(&text))}, true)
	})
	if err != nil {
		return "", moneyErr(method, err, "it may have been refunded: list it with Subscriptions.List "+
			"before sending the delete again")
	}
	return SubscriptionDeleteResult(text), nil
}
