package mortest

import "time"

// The DIDs group of the data model: DIDs, providers, dial plans,
// quick-forward rules and DIDs, tariffs, LCRs and PBX pools.

// DID is one row of the dids table.
type DID struct {
	ID     int64  // primary key (id)
	DID    string // the number (digits), unique
	Status string // "free", "reserved", "active", "closed", "terminated"
	UserID int64  // the user it is assigned to (user_id); 0 none
	// DeviceID is the assigned device (0 none, -2 an external server).
	DeviceID        int64
	ResellerID      int64     // reseller (reseller_id); 0 none
	DialplanID      int64     // dial plan (dialplan_id); 0 none
	ProviderID      int64     // provider (provider_id)
	SubscriptionID  int64     // subscription (subscription_id); 0 none
	ClosedTill      time.Time // closed_till
	Language        string    // language (language)
	Comment         *string   // comment (comment); nil is NULL
	ResellerComment *string   // the reseller's comment (reseller_comment); nil is NULL
	CallLimit       int64     // 0 unlimited
	CallCount       int64     // call_count
	Tonezone        *string   // tonezone; nil is NULL
	CCTariffID      int64     // calling-card tariff (cc_tariff_id)
}

// NewDID returns a free DID with the defaults of did_create: closed_till
// 2006-01-01 00:00:00 in loc, language "en".
func NewDID(id int64, number string, providerID int64, loc *time.Location) DID {
	return DID{ID: id, DID: number, Status: "free", ProviderID: providerID, Language: "en",
		ClosedTill: time.Date(2006, 1, 1, 0, 0, 0, 0, loc)}
}

func (d *DID) key() *int64     { return &d.ID }
func (*DID) tableName() string { return "dids" }
func (d *DID) clone() DID {
	out := *d
	out.Comment, out.ResellerComment, out.Tonezone = clonePtr(d.Comment), clonePtr(d.ResellerComment), clonePtr(d.Tonezone)
	return out
}

// Provider is one row of the providers table (a termination provider).
type Provider struct {
	ID       int64  // primary key (id)
	Name     string // name (name)
	Tech     string // e.g. "IAX2", "SIP"
	UserID   int64  // owner, 0 the admin
	DeviceID int64  // its devices row (user -1)
	TariffID int64  // tariff (tariff_id)
	Hidden   bool   // hidden (hidden)
	ServerIP string // server_ip
	Port     int64  // port
	Login    string // login
	Password string // password
}

func (p *Provider) key() *int64     { return &p.ID }
func (*Provider) tableName() string { return "providers" }
func (p *Provider) clone() Provider { return *p }

// Dialplan is one row of the dialplans table.
type Dialplan struct {
	ID     int64             // primary key (id)
	Name   *string           // NULL makes dids_get crash
	DPType *string           // "quickforwarddids", "callingcard", "pbxfunction", …
	UserID int64             // owner (user_id)
	Data   map[string]string // data1…data<n> as needed
}

func (d *Dialplan) key() *int64     { return &d.ID }
func (*Dialplan) tableName() string { return "dialplans" }
func (d *Dialplan) clone() Dialplan {
	out := *d
	out.Name, out.DPType, out.Data = clonePtr(d.Name), clonePtr(d.DPType), cloneMap(d.Data)
	return out
}

// QuickforwardsRule is one row of quickforwards_rules: which DIDs a user
// may quick-forward (RuleRegexp: digits, "[", "]", "%", "|" and ",").
type QuickforwardsRule struct {
	ID         int64   // primary key (id)
	Name       string  // name (name)
	RuleRegexp *string // NULL makes quickforwards_did_update crash
	UserID     int64   // 0 the admin
}

func (r *QuickforwardsRule) key() *int64     { return &r.ID }
func (*QuickforwardsRule) tableName() string { return "quickforwards_rules" }
func (r *QuickforwardsRule) clone() QuickforwardsRule {
	out := *r
	out.RuleRegexp = clonePtr(r.RuleRegexp)
	return out
}

// QuickforwardDID is one row of quickforwarddids: a user's forward of a DID
// to a number.
type QuickforwardDID struct {
	ID          int64  // primary key (id)
	DIDID       int64  // the DID (did_id)
	UserID      int64  // the user (user_id)
	Number      string // forward_to
	Description string // description (description)
}

func (q *QuickforwardDID) key() *int64            { return &q.ID }
func (*QuickforwardDID) tableName() string        { return "quickforwarddids" }
func (q *QuickforwardDID) clone() QuickforwardDID { return *q }

// Tariff is one row of the tariffs table.
type Tariff struct {
	ID       int64  // primary key (id)
	Name     string // name (name)
	Purpose  string // "provider", "user", "user_wholesale"
	OwnerID  int64  // owner (owner_id); 0 the admin
	Currency string // ISO code, e.g. "USD"
}

func (t *Tariff) key() *int64     { return &t.ID }
func (*Tariff) tableName() string { return "tariffs" }
func (t *Tariff) clone() Tariff   { return *t }

// LCR is one row of the lcrs table, with the ids of its providers
// (lcrproviders).
type LCR struct {
	ID          int64   // primary key (id)
	Name        string  // name (name)
	Order       string  // "price"
	UserID      int64   // owner (user_id)
	ProviderIDs []int64 // its providers' ids (lcrproviders)
}

func (l *LCR) key() *int64     { return &l.ID }
func (*LCR) tableName() string { return "lcrs" }
func (l *LCR) clone() LCR {
	out := *l
	out.ProviderIDs = append([]int64(nil), l.ProviderIDs...)
	return out
}

// PBXPool is one row of the pbx_pools table.
type PBXPool struct {
	ID      int64  // primary key (id)
	Name    string // name (name)
	Comment string // comment (comment)
	OwnerID int64  // owner (owner_id)
}

func (p *PBXPool) key() *int64     { return &p.ID }
func (*PBXPool) tableName() string { return "pbx_pools" }
func (p *PBXPool) clone() PBXPool  { return *p }
