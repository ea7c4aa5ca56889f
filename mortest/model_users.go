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
	ID        int64 // 0 is the admin
	Username  string
	Type      UserType
	OwnerID   int64 // 0 for the admin's users, else the reseller's ID
	FirstName string
	LastName  string
	// PasswordHash is the password column: lowercase hex SHA-1 of the
	// password, as the server stores it (see PasswordHash).
	PasswordHash string

	// DeviceManage and CLIIVR are the accountant rights device_manage and
	// cli_ivr granted to this user directly; when not RightNone they win over
	// the user's group (AccGroupID). Other user types ignore them.
	DeviceManage Right
	CLIIVR       Right

	Balance  Decimal // in the system currency (currency 1)
	Credit   Decimal // credit limit; -1 is unlimited
	Postpaid bool
	Blocked  bool
	Hidden   bool
	Logged   bool

	LCRID      int64
	TariffID   int64
	CurrencyID int64
	AccGroupID int64 // accountant or reseller group (0: none, every right 0)
	AddressID  *int64
	TaxID      int64

	TaxationCountry  *int64 // directions.id
	VATNumber        *string
	VATPercent       Decimal
	ClientID         *string
	AgreementNumber  *string
	AgreementDate    time.Time // date; zero is NULL
	AccountingNumber string
	BlockAt          time.Time // date; zero is NULL
	CallLimit        int64

	// Uniquehash is the user's registration key (user_register's id);
	// nil is NULL.
	Uniquehash *string

	PrimaryDeviceID         int64
	QuickforwardsRuleID     int64
	PBXPoolID               int64
	OwnProviders            bool
	ResponsibleAccountantID int64

	SendInvoiceTypes           int64
	GenerateInvoice            bool
	InvoiceZeroCalls           bool
	WarningEmailActive         bool
	WarningEmailBalance        Decimal
	WarningEmailBalanceAdmin   Decimal
	WarningEmailBalanceManager Decimal
	WarningEmailHour           int64
	WarningEmailSent           bool
	HideNonAnsweredCalls       bool
	HideDestinationEnd         int64
	AllowLoginReceiveEmail     bool
	BillingPeriod              string
	Comment                    string
	Language                   string
	TimeZone                   string
	RecordingHDDQuota          int64
	RecordingsEmail            string
	SMSServiceActive           bool

	// Columns user_details_update writes that no other action reads.
	SpyDeviceID               int64
	WarningBalanceCall        bool
	WarningBalanceSoundFileID int64
	CyberplatActive           bool
	BlockAtConditional        int64
	AllowLossCalls            int64
	AllowChangeCallerID       int64
	BlockConditionalUse       int64
	RecordingEnabled          bool
	RecordingForcedEnabled    bool
	InvoiceGracePeriod        int64
	SimpleUserGroupID         int64
	RoutingThreshold          int64
	RoutingThreshold2         int64
	RoutingThreshold3         int64
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
	ID          int64
	DirectionID int64 // country (directions.id)
	State       string
	County      string
	City        string
	Postcode    string
	Address     string
	Phone       string
	MobPhone    string
	Fax         string
	Email       *string
}

func (a *Address) key() *int64     { return &a.ID }
func (*Address) tableName() string { return "addresses" }
func (a *Address) clone() Address  { out := *a; out.Email = clonePtr(a.Email); return out }

// Tax is one row of the taxes table: up to four named taxes and how they
// combine.
type Tax struct {
	ID                                                 int64
	Tax1Enabled, Tax2Enabled, Tax3Enabled, Tax4Enabled bool
	Tax1Name, Tax2Name, Tax3Name, Tax4Name             string
	TotalTaxName                                       string
	Tax1Value, Tax2Value, Tax3Value, Tax4Value         Decimal
	CompoundTax                                        bool
}

func (t *Tax) key() *int64     { return &t.ID }
func (*Tax) tableName() string { return "taxes" }
func (t *Tax) clone() Tax      { return *t }

// AccGroup is one row of acc_groups with its acc_group_rights: an
// accountant or reseller group. Rights maps a right name (lower case, e.g.
// "device_manage", "calling_cards") to its level; a missing name is 0.
type AccGroup struct {
	ID          int64
	Name        string // unique, compared case-insensitively
	GroupType   string // "accountant" or "reseller"
	Description string
	OnlyView    bool
	Rights      map[string]Right
}

func (g *AccGroup) key() *int64     { return &g.ID }
func (*AccGroup) tableName() string { return "acc_groups" }
func (g *AccGroup) clone() AccGroup { out := *g; out.Rights = cloneMap(g.Rights); return out }

// Direction is one row of the directions table (a country).
type Direction struct {
	ID   int64
	Name string // e.g. "Lithuania"
	Code string // e.g. "LTU"
}

func (d *Direction) key() *int64      { return &d.ID }
func (*Direction) tableName() string  { return "directions" }
func (d *Direction) clone() Direction { return *d }

// Currency is one row of the currencies table. Currency 1 is the system
// currency, the one balances are stored in.
type Currency struct {
	ID           int64
	Name         string  // ISO code, e.g. "USD"
	ExchangeRate Decimal // units of this currency per system currency unit
}

func (c *Currency) key() *int64     { return &c.ID }
func (*Currency) tableName() string { return "currencies" }
func (c *Currency) clone() Currency { return *c }

// Action is one row of the actions table, the server's audit log (e.g.
// "login" and "bad_login" rows written by user_login).
type Action struct {
	ID                        int64
	UserID                    int64
	Date                      time.Time
	Action                    string
	Data, Data2, Data3, Data4 string
	TargetType                string
	TargetID                  int64
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
	Value  string
	Value2 string
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
