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
	ID     int64  // primary key (id)
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

	Username    string  // the device's login name (username)
	Secret      string  // the device's password (secret)
	Extension   string  // extension number (extension)
	Host        string  // "dynamic" unless IP-authenticated
	IPAddr      string  // IP address (ipaddr)
	Port        int64   // port (port)
	Context     string  // "mor_local" (provider devices "mor")
	CallerID    *string // caller ID (callerid); nil: NULL
	PIN         *string // PIN (pin); nil: NULL
	Description string  // description (description)

	DeviceGroupID *int64  // NULL in the test world
	LocationID    int64   // location id (location_id)
	Accountcode   int64   // 0: the device's ID (see ZeroAccountcode)
	Timeout       int64   // timeout setting (timeout)
	Allow         string  // codec names joined with ";" or "all"
	Disallow      string  // disabled codecs (disallow)
	CallLimit     int64   // concurrent call limit (call_limit)
	MaxTimeout    int64   // max_timeout setting (max_timeout)
	FromUser      *string // SIP From user (fromuser); nil: NULL
	FromDomain    *string // SIP From domain (fromdomain); nil: NULL
	IsTrunk       int64   // trunk flag (istrunk)
	ANI           int64   // ANI setting (ani)
	PrimaryDIDID  int64   // the device's primary DID id (primary_did_id); 0: none
	ServerID      int64   // server id (server_id)
	Qualify       string  // qualify setting (qualify)
	NAT           string  // NAT setting (nat)
	CanReinvite   string  // canreinvite setting (canreinvite)
	DTMFMode      string  // DTMF mode (dtmfmode)
	Regseconds    int64   // last registration, Unix seconds (regseconds)
	Language      string  // language (language)
	Insecure      string  // insecure setting (insecure)
	DeviceKind    string  // the Asterisk "type" column (friend, peer, …)
	UseANIForCLI  bool    // use ANI as the CLI (use_ani_for_cli)

	// The remaining Asterisk columns device_details_get prints, as strings.
	VoicemailActive         string // the voicemail_active column, as device_details_get prints it
	WorksNotLogged          string // the works_not_logged column, as device_details_get prints it
	ForwardTo               string // the forward_to column, as device_details_get prints it
	Record                  string // the record column, as device_details_get prints it
	Transfer                string // the transfer column, as device_details_get prints it
	Deny                    string // the deny column, as device_details_get prints it
	Permit                  string // the permit column, as device_details_get prints it
	FullContact             string // the fullcontact column, as device_details_get prints it
	CallGroup               string // the callgroup column, as device_details_get prints it
	PickupGroup             string // the pickupgroup column, as device_details_get prints it
	TrustRPID               string // the trustrpid column, as device_details_get prints it
	SendRPID                string // the sendrpid column, as device_details_get prints it
	ProgressInband          string // the progressinband column, as device_details_get prints it
	VideoSupport            string // the videosupport column, as device_details_get prints it
	CIDFromDIDs             string // the cid_from_dids column, as device_details_get prints it
	TellBalance             string // the tell_balance column, as device_details_get prints it
	TellTime                string // the tell_time column, as device_details_get prints it
	TellRTimeWhenLeft       string // the tell_rtime_when_left column, as device_details_get prints it
	RepeatRTimeEvery        string // the repeat_rtime_every column, as device_details_get prints it
	T38PTUDPTL              string // the t38pt_udptl column, as device_details_get prints it
	RegServer               string // the regserver column, as device_details_get prints it
	PromiscRedir            string // the promiscredir column, as device_details_get prints it
	ProcessSIPChanInfo      string // the process_sipchaninfo column, as device_details_get prints it
	TemporaryID             string // the temporary_id column (stored, not listed by device_details_get)
	AllowDuplicateCalls     string // the allow_duplicate_calls column, as device_details_get prints it
	FastStart               string // the faststart column, as device_details_get prints it
	H245Tunneling           string // the h245tunneling column, as device_details_get prints it
	Latency                 string // the latency column, as device_details_get prints it
	GraceTime               string // the grace_time column, as device_details_get prints it
	RecordingToEmail        string // the recording_to_email column, as device_details_get prints it
	RecordingKeep           string // the recording_keep column, as device_details_get prints it
	RecordingEmail          string // the recording_email column, as device_details_get prints it
	LastMS                  string // the lastms column, as device_details_get prints it
	RecordForced            string // the record_forced column, as device_details_get prints it
	FakeRing                string // the fake_ring column, as device_details_get prints it
	SaveCallLog             string // the save_call_log column, as device_details_get prints it
	EnableMWI               string // the enable_mwi column, as device_details_get prints it
	RequireCallToken        string // the requirecalltoken column, as device_details_get prints it
	ChangeFailedCodeTo      string // the change_failed_code_to column, as device_details_get prints it
	AntiResaleAutoAnswer    string // the anti_resale_auto_answer column, as device_details_get prints it
	QFTellBalance           string // the qf_tell_balance column, as device_details_get prints it
	QFTellTime              string // the qf_tell_time column, as device_details_get prints it
	TimeLimitPerDay         string // the time_limit_per_day column, as device_details_get prints it
	CallerIDAdvancedControl string // the callerid_advanced_control column, as device_details_get prints it
	Transport               string // the transport column, as device_details_get prints it
	Encryption              string // the encryption column, as device_details_get prints it
	BlockCallerID           string // the block_callerid column, as device_details_get prints it
	TellRate                string // the tell_rate column, as device_details_get prints it
	Trunk                   string // the trunk column, as device_details_get prints it
	ProxyPort               string // the proxy_port column, as device_details_get prints it
	CPSCallLimit            string // the cps_call_limit column, as device_details_get prints it
	CPSPeriod               string // the cps_period column, as device_details_get prints it
	TimerB                  string // the timerb column, as device_details_get prints it
	OP                      string // the op column, as device_details_get prints it
	OPActive                string // the op_active column, as device_details_get prints it
	OPRoutingAlgorithm      string // the op_routing_algorithm column, as device_details_get prints it
	OPCapacity              string // the op_capacity column, as device_details_get prints it
	TP                      string // the tp column, as device_details_get prints it
	TPActive                string // the tp_active column, as device_details_get prints it
	TPCapacity              string // the tp_capacity column, as device_details_get prints it
	DefaultUser             string // the defaultuser column, as device_details_get prints it
	Auth                    string // the auth column, as device_details_get prints it

	// Refs counts rows of tables the fake does not model that point at the
	// device; device_delete refuses a device any of them uses.
	Refs DeviceRefs
}

// DeviceRefs counts what refers to a device in tables the fake does not
// model (calls, dial plans, location rules, queues, alerts). A non-zero
// count makes device_delete refuse the device with that table's message.
type DeviceRefs struct {
	Calls         int // calls of the device
	DialPlans     int // dial plans using it
	LocationRules int // location rules using it
	Queues        int // queues it is assigned to
	QueueAgents   int // queue agents it is
	Alerts        int // alerts it is assigned to
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
	ID        int64     // primary key (id)
	UserID    int64     // owning user (user_id)
	AddressID int64     // the group's address id (address_id)
	Name      string    // group name (name)
	Added     time.Time // when it was added (added)
	Primary   bool      // the user's primary group (primary)
}

func (g *DeviceGroup) key() *int64        { return &g.ID }
func (*DeviceGroup) tableName() string    { return "devicegroups" }
func (g *DeviceGroup) clone() DeviceGroup { return *g }

// Codec is one row of the codecs table.
type Codec struct {
	ID        int64  // primary key (id)
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
	ID       int64 // primary key (id)
	DeviceID int64 // the device (device_id)
	CodecID  int64 // the codec (codec_id)
	Priority int64 // priority, lower first (priority)
}

func (c *DeviceCodec) key() *int64        { return &c.ID }
func (*DeviceCodec) tableName() string    { return "devicecodecs" }
func (c *DeviceCodec) clone() DeviceCodec { return *c }

// Callflow is one row of the callflows table: what a device does in one
// state (CFType "before_call", "no_answer", "busy", "failed").
type Callflow struct {
	ID       int64  // primary key (id)
	DeviceID int64  // the device (device_id)
	CFType   string // the state: "before_call", "no_answer", "busy", "failed" (cf_type)
	Priority int64  // 1
	Action   string // "empty", "forward", "voicemail", "fax_detect"
	Data     string // data: the target, a device id or an external number; "" for none
	Data2    string // data2: the target's kind, "local", "external" or "fax"
	Data3    string // data3: the CallerID choice: "1" from device, "2" unchanged, "3" a DID, "4" custom
	Data4    string // data4: the CallerID choice's data (a DID id or a custom number), else ""
}

func (c *Callflow) key() *int64     { return &c.ID }
func (*Callflow) tableName() string { return "callflows" }
func (c *Callflow) clone() Callflow { return *c }

// Location is one row of the locations table (location 1 is the global
// default).
type Location struct {
	ID     int64  // primary key (id)
	Name   string // location name (name)
	UserID int64  // owner, 0 the admin
}

func (l *Location) key() *int64     { return &l.ID }
func (*Location) tableName() string { return "locations" }
func (l *Location) clone() Location { return *l }

// PDFFaxEmail is one row of the pdffaxemails table: an address a FAX
// device mails received faxes to.
type PDFFaxEmail struct {
	ID       int64  // primary key (id)
	DeviceID int64  // the FAX device (device_id)
	Email    string // e-mail address (email)
}

func (e *PDFFaxEmail) key() *int64        { return &e.ID }
func (*PDFFaxEmail) tableName() string    { return "pdffaxemails" }
func (e *PDFFaxEmail) clone() PDFFaxEmail { return *e }

// IVR is one row of the ivrs table.
type IVR struct {
	ID     int64  // primary key (id)
	Name   string // IVR name (name)
	UserID int64  // owner; cli_add accepts only the caller's own IVRs
}

func (v *IVR) key() *int64     { return &v.ID }
func (*IVR) tableName() string { return "ivrs" }
func (v *IVR) clone() IVR      { return *v }
