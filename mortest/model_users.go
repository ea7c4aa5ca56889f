package mortest

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"time"
)

// The users group of the data model: users, addresses, taxes, accountant
// and reseller groups with their rights, countries (directions),
// currencies, the audit log (actions) and conflines.

// UserType is a MOR users.usertype value.
type UserType string

// The user types the server knows.
const (
	Admin      UserType = "admin"      // the system owner; only the user with ID 0 counts as admin
	Reseller   UserType = "reseller"   // owns users (their OwnerID is the reseller's ID); own API settings
	Accountant UserType = "accountant" // admin staff with per-right access; API owner is the admin
	SimpleUser UserType = "user"       // an end user, owned by the admin (0) or a reseller
	Partner    UserType = "partner"    // in the schema, undocumented
)

// Right is an accountant's or reseller's level for one group right (0 none,
// 1 read, 2 edit).
type Right int

// The three levels of a right.
const (
	RightNone Right = 0
	RightRead Right = 1
	RightEdit Right = 2
)

// User is one row of the users table. Nullable columns are pointers (nil is
// SQL NULL); zero times are NULL dates. Seed with NewUser to start from the
// schema defaults (a bare User{} has credit 0 and postpaid off, unlike a
// fresh MOR user).
type User struct {
	ID        int64    // 0 is the admin
	Username  string   // login name (username), unique
	Type      UserType // user type (usertype)
	OwnerID   int64    // 0 for the admin's users, else the reseller's ID
	FirstName string   // first name (first_name)
	LastName  string   // last name (last_name)
	// PasswordHash is the password column: lowercase hex SHA-1 of the
	// password, as the server stores it (see PasswordHash).
	PasswordHash string

	// DeviceManage and CLIIVR are the accountant rights device_manage and
	// cli_ivr granted to this user directly; when not RightNone they win over
	// the user's group (AccGroupID). Other user types ignore them.
	DeviceManage Right
	CLIIVR       Right // accountant right cli_ivr granted directly (RightNone: the group's)

	Balance  Decimal // in the system currency (currency 1)
	Credit   Decimal // credit limit; -1 is unlimited
	Postpaid bool    // postpaid (postpaid)
	Blocked  bool    // blocked (blocked)
	Hidden   bool    // hidden (hidden)
	Logged   bool    // logged in (logged)

	LCRID      int64  // LCR id (lcr_id)
	TariffID   int64  // tariff id (tariff_id)
	CurrencyID int64  // currency id (currency_id)
	AccGroupID int64  // accountant or reseller group (0: none, every right 0)
	AddressID  *int64 // address row (address_id); nil is NULL
	TaxID      int64  // tax row (tax_id)

	TaxationCountry  *int64    // directions.id
	VATNumber        *string   // VAT number (vat_number); nil is NULL
	VATPercent       Decimal   // VAT percent (vat_percent)
	ClientID         *string   // client id (clientid); nil is NULL
	AgreementNumber  *string   // agreement number (agreement_number); nil is NULL
	AgreementDate    time.Time // date; zero is NULL
	AccountingNumber string    // accounting number (accounting_number)
	BlockAt          time.Time // date; zero is NULL
	CallLimit        int64     // concurrent call limit (call_limit; 0 none)

	// Uniquehash is the user's registration key (user_register's id);
	// nil is NULL.
	Uniquehash *string

	PrimaryDeviceID         int64 // primary device id (primary_device_id; 0 none)
	QuickforwardsRuleID     int64 // quick forwards rule id (quickforwards_rule_id)
	PBXPoolID               int64 // PBX pool id (pbx_pool_id)
	OwnProviders            bool  // may own providers (own_providers)
	ResponsibleAccountantID int64 // responsible accountant's id (responsible_accountant_id; -1 none)

	SendInvoiceTypes           int64   // invoice forms as bits (send_invoice_types)
	GenerateInvoice            bool    // generate invoices (generate_invoice)
	InvoiceZeroCalls           bool    // show zero-price calls on invoices (invoice_zero_calls)
	WarningEmailActive         bool    // low-balance e-mail on (warning_email_active)
	WarningEmailBalance        Decimal // the user's low-balance threshold (warning_email_balance)
	WarningEmailBalanceAdmin   Decimal // the admin's threshold (warning_email_balance_admin)
	WarningEmailBalanceManager Decimal // the responsible accountant's threshold (warning_email_balance_manager)
	WarningEmailHour           int64   // hour of day the warning is sent, -1 any time (warning_email_hour)
	WarningEmailSent           bool    // the warning was already sent (warning_email_sent)
	HideNonAnsweredCalls       bool    // hide_non_answered_calls
	HideDestinationEnd         int64   // mask the end of call destinations (hide_destination_end; 1 on)
	AllowLoginReceiveEmail     bool    // allow_login_receive_email
	BillingPeriod              string  // "weekly", "bi-weekly" or "monthly" (billing_period)
	Comment                    string  // comment (comment)
	Language                   string  // interface language (language)
	TimeZone                   string  // time zone name, e.g. "Vilnius" (time_zone)
	RecordingHDDQuota          int64   // recordings disk quota (recording_hdd_quota)
	RecordingsEmail            string  // e-mail for recordings (recordings_email)
	SMSServiceActive           bool    // the SMS service is on for the user (sms_service_active)

	// Columns user_details_update writes that no other action reads.
	SpyDeviceID               int64 // spy device id (spy_device_id)
	WarningBalanceCall        bool  // low-balance warning call (warning_balance_call)
	WarningBalanceSoundFileID int64 // sound file of the warning call (warning_balance_sound_file_id)
	CyberplatActive           bool  // cyberplat_active
	BlockAtConditional        int64 // block_at_conditional
	AllowLossCalls            int64 // allow_loss_calls
	AllowChangeCallerID       int64 // allow_change_callerid
	BlockConditionalUse       int64 // block_conditional_use
	RecordingEnabled          bool  // recording_enabled
	RecordingForcedEnabled    bool  // recording_forced_enabled
	InvoiceGracePeriod        int64 // invoice_grace_period
	SimpleUserGroupID         int64 // simple_user_group_id
	RoutingThreshold          int64 // routing_threshold (zeroed by non-reseller updates)
	RoutingThreshold2         int64 // routing_threshold2 (zeroed by non-reseller updates)
	RoutingThreshold3         int64 // routing_threshold3 (zeroed by non-reseller updates)
}

// NewUser returns a user with the schema defaults of a fresh MOR row:
// balance 0, credit -1 (unlimited), postpaid, not blocked, currency 1, LCR
// 1, PBX pool 1, responsible accountant -1, warning e-mail hour -1, invoice
// generation on, language "en", time zone "Vilnius", recording quota 100.
func NewUser(id int64, username string, typ UserType, ownerID int64) User {
	return User{
		ID: id, Username: username, Type: typ, OwnerID: ownerID,
		Balance: "0", Credit: "-1", Postpaid: true, LCRID: 1, CurrencyID: 1, PBXPoolID: 1,
		ResponsibleAccountantID: -1, WarningEmailHour: -1, VATPercent: "0",
		WarningEmailBalance: "0", WarningEmailBalanceAdmin: "0", WarningEmailBalanceManager: "0",
		GenerateInvoice: true, InvoiceZeroCalls: true, Language: "en", TimeZone: "Vilnius",
		RecordingHDDQuota: 100,
	}
}

// PasswordHash returns what the server stores for password: lowercase hex
// SHA-1.
func PasswordHash(password string) string {
	sum := sha1.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}

func (u *User) key() *int64     { return &u.ID }
func (*User) tableName() string { return "users" }
func (u *User) clone() User {
	out := *u
	out.AddressID, out.TaxationCountry = clonePtr(u.AddressID), clonePtr(u.TaxationCountry)
	out.VATNumber, out.ClientID = clonePtr(u.VATNumber), clonePtr(u.ClientID)
	out.AgreementNumber, out.Uniquehash = clonePtr(u.AgreementNumber), clonePtr(u.Uniquehash)
	return out
}

// Address is one row of the addresses table (a user's contact details).
// Email is nil for NULL (the server stores NULL for a blank e-mail).
type Address struct {
	ID          int64   // primary key (id)
	DirectionID int64   // country (directions.id)
	State       string  // state (state)
	County      string  // county (county)
	City        string  // city (city)
	Postcode    string  // postcode (postcode)
	Address     string  // street address (address)
	Phone       string  // phone (phone)
	MobPhone    string  // mobile phone (mob_phone)
	Fax         string  // fax (fax)
	Email       *string // e-mail (email); nil is NULL
}

func (a *Address) key() *int64     { return &a.ID }
func (*Address) tableName() string { return "addresses" }
func (a *Address) clone() Address  { out := *a; out.Email = clonePtr(a.Email); return out }

// Tax is one row of the taxes table: up to four named taxes and how they
// combine.
type Tax struct {
	ID           int64   // primary key (id)
	Tax1Enabled  bool    // tax 1 on (tax1_enabled)
	Tax2Enabled  bool    // tax 2 on (tax2_enabled)
	Tax3Enabled  bool    // tax 3 on (tax3_enabled)
	Tax4Enabled  bool    // tax 4 on (tax4_enabled)
	Tax1Name     string  // tax 1 name (tax1_name)
	Tax2Name     string  // tax 2 name (tax2_name)
	Tax3Name     string  // tax 3 name (tax3_name)
	Tax4Name     string  // tax 4 name (tax4_name)
	TotalTaxName string  // name of the tax total (total_tax_name)
	Tax1Value    Decimal // tax 1 value (tax1_value)
	Tax2Value    Decimal // tax 2 value (tax2_value)
	Tax3Value    Decimal // tax 3 value (tax3_value)
	Tax4Value    Decimal // tax 4 value (tax4_value)
	CompoundTax  bool    // taxes compound (compound_tax)
}

func (t *Tax) key() *int64     { return &t.ID }
func (*Tax) tableName() string { return "taxes" }
func (t *Tax) clone() Tax      { return *t }

// AccGroup is one row of acc_groups with its acc_group_rights: an
// accountant or reseller group. Rights maps a right name (lower case, e.g.
// "device_manage", "calling_cards") to its level; a missing name is 0.
type AccGroup struct {
	ID          int64            // primary key (id)
	Name        string           // unique, compared case-insensitively
	GroupType   string           // "accountant" or "reseller"
	Description string           // description (description)
	OnlyView    bool             // view-only group (only_view)
	Rights      map[string]Right // right name → level (acc_group_rights)
}

func (g *AccGroup) key() *int64     { return &g.ID }
func (*AccGroup) tableName() string { return "acc_groups" }
func (g *AccGroup) clone() AccGroup { out := *g; out.Rights = cloneMap(g.Rights); return out }

// Direction is one row of the directions table (a country).
type Direction struct {
	ID   int64  // primary key (id)
	Name string // e.g. "Lithuania"
	Code string // e.g. "LTU"
}

func (d *Direction) key() *int64      { return &d.ID }
func (*Direction) tableName() string  { return "directions" }
func (d *Direction) clone() Direction { return *d }

// Currency is one row of the currencies table. Currency 1 is the system
// currency, the one balances are stored in.
type Currency struct {
	ID           int64   // primary key (id); 1 is the system currency
	Name         string  // ISO code, e.g. "USD"
	ExchangeRate Decimal // units of this currency per system currency unit
}

func (c *Currency) key() *int64     { return &c.ID }
func (*Currency) tableName() string { return "currencies" }
func (c *Currency) clone() Currency { return *c }

// Action is one row of the actions table, the server's audit log (e.g.
// "login" and "bad_login" rows written by user_login).
type Action struct {
	ID         int64     // primary key (id)
	UserID     int64     // the acting user (user_id)
	Date       time.Time // when it happened (date)
	Action     string    // what happened, e.g. "login" (action)
	Data       string    // data
	Data2      string    // data2
	Data3      string    // data3
	Data4      string    // data4
	TargetType string    // target_type
	TargetID   int64     // target_id
}

func (a *Action) key() *int64     { return &a.ID }
func (*Action) tableName() string { return "actions" }
func (a *Action) clone() Action   { return *a }

// confKey names one confline: its name and owner (0 the admin, else a
// reseller's id).
type confKey struct {
	owner int64
	name  string
}

// Confline is one row of the conflines table (a setting of the admin or of
// a reseller). A missing row reads as Value "" and Value2 "".
type Confline struct {
	Value  string // the setting's value (value)
	Value2 string // the setting's second value (value2)
}

// The confline names the fake's gates read.
const (
	confAllowAPI     = "Allow_API"
	confSecret       = "API_Secret_Key"
	confNoHashCheck  = "API_Disable_hash_checking"
	confAllowGET     = "Allow_GET_API"
	confXMLExtension = "XML_API_Extension"
)

// confline reads a confline of owner ("" when missing). s.mu is held.
func (st *state) confline(owner int64, name string) string {
	return st.conflines[confKey{owner, name}].Value
}

// right is the level of the named accountant or reseller right of u: the
// direct grant (DeviceManage, CLIIVR) when set, else the value in u's group
// (case-insensitive name); 0 without a group. s.mu is held.
func (st *state) right(u *User, name string) Right {
	name = strings.ToLower(name)
	switch {
	case name == "device_manage" && u.DeviceManage != RightNone:
		return u.DeviceManage
	case name == "cli_ivr" && u.CLIIVR != RightNone:
		return u.CLIIVR
	}
	g := st.accGroups[u.AccGroupID]
	if u.AccGroupID == 0 || g == nil {
		return RightNone
	}
	return g.Rights[name]
}
