package mortest

import (
	"strconv"
	"time"
)

// The devices group of the data model: devices, device groups, codecs,
// call flows, locations, fax e-mails and IVRs (CLIs are in state.go).

// Device is one row of the devices table. The first block is what the CLI
// methods and most handlers read; the rest are the content columns
// device_details_get prints, in the order it prints them (see
// deviceContent). Columns whose type the server's schema does not pin down
// are strings, printed as stored. Seed with NewDevice to start from the
// defaults device_create applies.
type Device struct {
	ID     int64
	Type   string // device_type, e.g. "IAX2", "SIP", "FAX", "H323", "dahdi", "Virtual"
	Name   string // e.g. "101"
	UserID int64  // owning user (-1: a provider's device); a missing user is "no user"
	// ZeroAccountcode marks a device whose accountcode is 0; such devices are
	// left out of a user's device list. Accountcode holds the value
	// otherwise (0 there means "same as ID").
	ZeroAccountcode bool
	// ControlCallerIDByCIDs is the id of the CLI selected as the device's
	// "control CallerID by CIDs" (0: none). cli_delete refuses to delete it.
	ControlCallerIDByCIDs int64

	Username    string
	Secret      string
	Extension   string
	Host        string // "dynamic" unless IP-authenticated
	IPAddr      string
	Port        int64
	Context     string // "mor_local" (provider devices "mor")
	CallerID    *string
	PIN         *string
	Description string

	DeviceGroupID *int64 // NULL in the test world
	LocationID    int64
	Accountcode   int64 // 0: the device's ID (see ZeroAccountcode)
	Timeout       int64
	Allow         string // codec names joined with ";" or "all"
	Disallow      string
	CallLimit     int64
	MaxTimeout    int64
	FromUser      *string
	FromDomain    *string
	IsTrunk       int64
	ANI           int64
	PrimaryDIDID  int64
	ServerID      int64
	Qualify       string
	NAT           string
	CanReinvite   string
	DTMFMode      string
	Regseconds    int64
	Language      string
	Insecure      string
	DeviceKind    string // the Asterisk "type" column (friend, peer, …)
	UseANIForCLI  bool

	// The remaining Asterisk columns device_details_get prints, as strings.
	VoicemailActive, WorksNotLogged, ForwardTo, Record, Transfer, Deny, Permit            string
	FullContact, CallGroup, PickupGroup, TrustRPID, SendRPID, ProgressInband              string
	VideoSupport, CIDFromDIDs, TellBalance, TellTime, TellRTimeWhenLeft, RepeatRTimeEvery string
	T38PTUDPTL, RegServer, PromiscRedir, ProcessSIPChanInfo, TemporaryID                  string
	AllowDuplicateCalls, FastStart, H245Tunneling, Latency, GraceTime                     string
	RecordingToEmail, RecordingKeep, RecordingEmail, LastMS, RecordForced, FakeRing       string
	SaveCallLog, EnableMWI, RequireCallToken, ChangeFailedCodeTo                          string
	AntiResaleAutoAnswer, QFTellBalance, QFTellTime, TimeLimitPerDay                      string
	CallerIDAdvancedControl, Transport, Encryption, BlockCallerID, TellRate, Trunk        string
	ProxyPort, CPSCallLimit, CPSPeriod, TimerB, OP, OPActive, OPRoutingAlgorithm          string
	OPCapacity, TP, TPActive, TPCapacity, DefaultUser, Auth                               string

	// Refs counts rows of tables the fake does not model that point at the
	// device; device_delete refuses a device any of them uses.
	Refs DeviceRefs
}

// DeviceRefs counts what refers to a device in tables the fake does not
// model (calls, dial plans, location rules, queues, alerts). A non-zero
// count makes device_delete refuse the device with that table's message.
type DeviceRefs struct {
	Calls, DialPlans, LocationRules, Queues, QueueAgents, Alerts int
}

// NewDevice returns a device with the defaults device_create stores when
// no confline says otherwise: host "dynamic", context "mor_local",
// location 1, timeout 60, language "en", insecure "no", allow "all",
// name = username = extension.
func NewDevice(id int64, typ, extension string, userID int64) Device {
	return Device{
		ID: id, Type: typ, Name: extension, Username: extension, Extension: extension, UserID: userID,
		Host: "dynamic", Context: "mor_local", LocationID: 1, Timeout: 60, Language: "en",
		Insecure: "no", Allow: "all", Disallow: "all", NAT: "yes", Qualify: "500", DeviceKind: "friend",
	}
}

func (d *Device) key() *int64     { return &d.ID }
func (*Device) tableName() string { return "devices" }
func (d *Device) clone() Device {
	out := *d
	out.CallerID, out.PIN = clonePtr(d.CallerID), clonePtr(d.PIN)
	out.DeviceGroupID = clonePtr(d.DeviceGroupID)
	out.FromUser, out.FromDomain = clonePtr(d.FromUser), clonePtr(d.FromDomain)
	return out
}

// accountcode is the stored accountcode column.
func (d *Device) accountcode() int64 {
	switch {
	case d.ZeroAccountcode:
		return 0
	case d.Accountcode != 0:
		return d.Accountcode
	}
	return d.ID
}

// column is one content column of a row: its name and its value as the
// server's to_s prints it in a block-form tag (NULL prints empty).
type column struct {
	name, value string
}

// deviceContent returns the content columns of d the way device_details_get
// lists them: every column except id and those ending in _id or _count (so
// temporary_id is stored but not listed), in table order. The server's exact column order is not known; this order
// (identity, network, dial settings, then the Asterisk tail) is the fake's.
func deviceContent(d *Device) []column {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	return []column{
		{"name", d.Name}, {"host", d.Host}, {"secret", d.Secret}, {"context", d.Context},
		{"ipaddr", d.IPAddr}, {"port", i(d.Port)}, {"regseconds", i(d.Regseconds)},
		{"accountcode", i(d.accountcode())}, {"callerid", str(d.CallerID)}, {"extension", d.Extension},
		{"voicemail_active", d.VoicemailActive}, {"username", d.Username}, {"device_type", d.Type},
		{"pin", str(d.PIN)}, {"works_not_logged", d.WorksNotLogged}, {"forward_to", d.ForwardTo},
		{"record", d.Record}, {"transfer", d.Transfer}, {"disallow", d.Disallow}, {"allow", d.Allow},
		{"deny", d.Deny}, {"permit", d.Permit}, {"nat", d.NAT}, {"qualify", d.Qualify},
		{"fullcontact", d.FullContact}, {"canreinvite", d.CanReinvite}, {"dtmfmode", d.DTMFMode},
		{"callgroup", d.CallGroup}, {"pickupgroup", d.PickupGroup}, {"fromuser", str(d.FromUser)},
		{"fromdomain", str(d.FromDomain)}, {"trustrpid", d.TrustRPID}, {"sendrpid", d.SendRPID},
		{"insecure", d.Insecure}, {"progressinband", d.ProgressInband}, {"videosupport", d.VideoSupport},
		{"description", d.Description}, {"istrunk", i(d.IsTrunk)}, {"cid_from_dids", d.CIDFromDIDs},
		{"type", d.DeviceKind}, {"tell_balance", d.TellBalance}, {"tell_time", d.TellTime},
		{"tell_rtime_when_left", d.TellRTimeWhenLeft}, {"repeat_rtime_every", d.RepeatRTimeEvery},
		{"t38pt_udptl", d.T38PTUDPTL}, {"regserver", d.RegServer}, {"ani", i(d.ANI)},
		{"promiscredir", d.PromiscRedir}, {"timeout", i(d.Timeout)},
		{"process_sipchaninfo", d.ProcessSIPChanInfo},
		{"allow_duplicate_calls", d.AllowDuplicateCalls}, {"call_limit", i(d.CallLimit)},
		{"faststart", d.FastStart}, {"h245tunneling", d.H245Tunneling}, {"latency", d.Latency},
		{"grace_time", d.GraceTime}, {"recording_to_email", d.RecordingToEmail},
		{"recording_keep", d.RecordingKeep}, {"recording_email", d.RecordingEmail},
		{"lastms", d.LastMS}, {"record_forced", d.RecordForced}, {"fake_ring", d.FakeRing},
		{"save_call_log", d.SaveCallLog}, {"language", d.Language}, {"enable_mwi", d.EnableMWI},
		{"requirecalltoken", d.RequireCallToken}, {"use_ani_for_cli", strconv.FormatBool(d.UseANIForCLI)},
		{"change_failed_code_to", d.ChangeFailedCodeTo}, {"max_timeout", i(d.MaxTimeout)},
		{"anti_resale_auto_answer", d.AntiResaleAutoAnswer}, {"qf_tell_balance", d.QFTellBalance},
		{"qf_tell_time", d.QFTellTime}, {"time_limit_per_day", d.TimeLimitPerDay},
		{"control_callerid_by_cids", i(d.ControlCallerIDByCIDs)},
		{"callerid_advanced_control", d.CallerIDAdvancedControl}, {"transport", d.Transport},
		{"encryption", d.Encryption}, {"block_callerid", d.BlockCallerID}, {"tell_rate", d.TellRate},
		{"trunk", d.Trunk}, {"proxy_port", d.ProxyPort}, {"cps_call_limit", d.CPSCallLimit},
		{"cps_period", d.CPSPeriod}, {"timerb", d.TimerB}, {"op", d.OP}, {"op_active", d.OPActive},
		{"op_routing_algorithm", d.OPRoutingAlgorithm}, {"op_capacity", d.OPCapacity}, {"tp", d.TP},
		{"tp_active", d.TPActive}, {"tp_capacity", d.TPCapacity}, {"defaultuser", d.DefaultUser},
		{"auth", d.Auth},
	}
}

// DeviceGroup is one row of the devicegroups table (a user's device group;
// each user's first is "primary").
type DeviceGroup struct {
	ID        int64
	UserID    int64
	AddressID int64
	Name      string
	Added     time.Time
	Primary   bool
}

func (g *DeviceGroup) key() *int64        { return &g.ID }
func (*DeviceGroup) tableName() string    { return "devicegroups" }
func (g *DeviceGroup) clone() DeviceGroup { return *g }

// Codec is one row of the codecs table.
type Codec struct {
	ID        int64
	Name      string // e.g. "alaw"
	LongName  string // e.g. "G.711 A-law"
	CodecType string // "audio" or "video"
}

func (c *Codec) key() *int64     { return &c.ID }
func (*Codec) tableName() string { return "codecs" }
func (c *Codec) clone() Codec    { return *c }

// DeviceCodec is one row of the devicecodecs table: a codec enabled on a
// device, with its priority (lower first).
type DeviceCodec struct {
	ID       int64
	DeviceID int64
	CodecID  int64
	Priority int64
}

func (c *DeviceCodec) key() *int64        { return &c.ID }
func (*DeviceCodec) tableName() string    { return "devicecodecs" }
func (c *DeviceCodec) clone() DeviceCodec { return *c }

// Callflow is one row of the callflows table: what a device does in one
// state (CFType "before_call", "no_answer", "busy", "failed").
type Callflow struct {
	ID                        int64
	DeviceID                  int64
	CFType                    string
	Priority                  int64  // 1
	Action                    string // "empty", "forward", "voicemail", "fax_detect"
	Data, Data2, Data3, Data4 string
}

func (c *Callflow) key() *int64     { return &c.ID }
func (*Callflow) tableName() string { return "callflows" }
func (c *Callflow) clone() Callflow { return *c }

// Location is one row of the locations table (location 1 is the global
// default).
type Location struct {
	ID     int64
	Name   string
	UserID int64 // owner, 0 the admin
}

func (l *Location) key() *int64     { return &l.ID }
func (*Location) tableName() string { return "locations" }
func (l *Location) clone() Location { return *l }

// PDFFaxEmail is one row of the pdffaxemails table: an address a FAX
// device mails received faxes to.
type PDFFaxEmail struct {
	ID       int64
	DeviceID int64
	Email    string
}

func (e *PDFFaxEmail) key() *int64        { return &e.ID }
func (*PDFFaxEmail) tableName() string    { return "pdffaxemails" }
func (e *PDFFaxEmail) clone() PDFFaxEmail { return *e }

// IVR is one row of the ivrs table.
type IVR struct {
	ID     int64
	Name   string
	UserID int64 // owner; cli_add accepts only the caller's own IVRs
}

func (v *IVR) key() *int64     { return &v.ID }
func (*IVR) tableName() string { return "ivrs" }
func (v *IVR) clone() IVR      { return *v }
