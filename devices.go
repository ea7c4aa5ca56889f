package mor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
)

// The devices group: devices_get, device_details_get, device_create,
// device_update, device_delete, device_callflow_get, device_callflow_update
// and morphone_details_get.

// DevicesService lists, reads, creates, updates and deletes devices and their
// call flows. Reach it as Client.Devices; it holds no state of its own.
//
// The legacy action user_devices is deliberately not typed: it lists the
// caller's own devices with their passwords in clear after checking nothing
// but the username (no hash, no password), and marks the caller as logged
// in as a side effect. Devices.List and Devices.Details cover the same data
// behind the API's normal checks; call user_devices through Client.Call if
// an old integration needs it.
type DevicesService service

// DeviceSecret is a device credential (a device's SIP/IAX2 password, its
// PIN, a softphone password). It never prints: String, GoString, Format,
// LogValue and MarshalJSON all give "[redacted]", so a DeviceSecret in a
// struct is safe in fmt, log/slog and encoding/json output. Reveal returns
// the value.
type DeviceSecret struct{ v string }

// NewDeviceSecret wraps a credential to send (a PIN for Create, a password
// for Update).
func NewDeviceSecret(v string) DeviceSecret { return DeviceSecret{v} }

// Reveal returns the credential in clear.
func (s DeviceSecret) Reveal() string { return s.v }

// IsZero reports whether the credential is empty (not set, or empty on the
// server).
func (s DeviceSecret) IsZero() bool { return s.v == "" }

const deviceSecretMask = "[redacted]"

// String returns "[redacted]".
func (s DeviceSecret) String() string { return deviceSecretMask }

// GoString returns "[redacted]".
func (s DeviceSecret) GoString() string { return deviceSecretMask }

// Format prints "[redacted]" for every verb.
func (s DeviceSecret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, deviceSecretMask) }

// LogValue makes log/slog print "[redacted]".
func (s DeviceSecret) LogValue() slog.Value { return slog.StringValue(deviceSecretMask) }

// MarshalJSON encodes "[redacted]".
func (s DeviceSecret) MarshalJSON() ([]byte, error) { return []byte(`"` + deviceSecretMask + `"`), nil }

// deviceSecretSetter stores a credential.
func deviceSecretSetter(dst *DeviceSecret) setter {
	return func(t string) error { *dst = DeviceSecret{t}; return nil }
}

// deviceBlockText undoes MOR's block-form tags (device_details_get): the value
// follows a newline and is followed by the closing tag's indentation
// (depth levels of two spaces). A plain leaf passes unchanged.
func deviceBlockText(t string, depth int) string {
	if rest, ok := strings.CutPrefix(t, "\n"); ok {
		return strings.TrimSuffix(rest, strings.Repeat("  ", depth))
	}
	return t
}

func deviceBlockStr(dst *string) setter {
	return func(t string) error { *dst = deviceBlockText(t, 1); return nil }
}

func deviceBlockI64(dst *int64) setter {
	set := i64(dst)
	return func(t string) error { return set(deviceBlockText(t, 1)) }
}

func deviceBlockFlag(dst *bool) setter {
	set := flag(dst)
	return func(t string) error { return set(deviceBlockText(t, 1)) }
}

func deviceBlockSecret(dst *DeviceSecret) setter {
	return func(t string) error { *dst = DeviceSecret{deviceBlockText(t, 1)}; return nil }
}

// deviceBlockList stores a ", "-joined list (codec names); empty is nil.
func deviceBlockList(dst *[]string) setter {
	return func(t string) error {
		t = strings.TrimSpace(deviceBlockText(t, 2))
		*dst = nil
		if t != "" {
			*dst = strings.Split(t, ", ")
		}
		return nil
	}
}

// DeviceSummary is one device of a user's device list.
type DeviceSummary struct {
	ID   int64  // device_id
	Type string // device_type: SIP, IAX2, FAX, H323, dahdi, Virtual
}

func (d *DeviceSummary) fields() []field {
	return []field{req("device_id", i64(&d.ID)), opt("device_type", str(&d.Type))}
}

var deviceSummaries = recordSpec[DeviceSummary]{
	record: "devices/device",
	fields: (*DeviceSummary).fields,
	empty:  []error{ErrDeviceNotFound},
}

// List returns a user's devices (id and type) in id order; userID 0 is the
// admin. Devices with accountcode 0 and MOR's own server devices are left
// out. MOR: devices_get, alias device_list (read; hash: user_id).
//
// A user without devices is an empty list and a nil error. The admin and
// accountants (with the device_manage right) reach the admin's users and
// the admin itself, resellers their own users; simple users are always
// refused (ErrAccessDenied). A user that does not exist is ErrUserNotFound;
// one the caller does not own is ErrAccessDenied.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *DevicesService) List(ctx context.Context, userID int64) ([]DeviceSummary, error) {
	const method = "devices_get"
	if userID < 0 {
		return nil, &ValidationError{Method: method, Field: "user_id", Err: ErrInvalidParams}
	}
	params := url.Values{"user_id": {strconv.FormatInt(userID, 10)}}
	return collect(streamRecords(ctx, s.c, method, params, deviceSummaries))
}

// DeviceDetails is one device's full configuration as device_details_get
// dumps it: every content column of the devices table. Columns a server
// does not send stay zero. Secret and PIN are DeviceSecret and never print.
type DeviceDetails struct {
	Name        string       // name: the SIP/IAX2 peer name (ipauth… for IP-authenticated devices)
	Host        string       // "dynamic", or the IP address of an IP-authenticated device
	Secret      DeviceSecret // the device's password (<secret>)
	Context     string       // Asterisk dial-plan context (<context>)
	IPAddr      string       // the device's IP address (<ipaddr>)
	Port        int64        // the device's port (<port>)
	Regseconds  int64        // last registration, Unix seconds
	Accountcode int64        // account code (<accountcode>)
	CallerID    string       // e.g. `"101" <101>`
	Extension   string       // extension number (<extension>)
	Username    string       // the device's login name (<username>)
	DeviceType  string       // device_type: SIP, IAX2, FAX, H323, dahdi, Virtual
	PIN         DeviceSecret // the device's PIN (<pin>)
	Description string       // description (<description>)
	Disallow    string       // disabled codecs (<disallow>)
	Allow       string       // enabled codecs joined with ";", or "all"
	NAT         string       // NAT setting (<nat>)
	Qualify     string       // qualify setting (<qualify>)
	CanReinvite string       // canreinvite setting (<canreinvite>)
	DTMFMode    string       // DTMF mode (<dtmfmode>)
	FromUser    string       // SIP From user (<fromuser>)
	FromDomain  string       // SIP From domain (<fromdomain>)
	Insecure    string       // insecure setting (<insecure>)
	IsTrunk     int64        // trunk flag (<istrunk>)
	ANI         int64        // ANI setting (<ani>)
	Timeout     int64        // timeout setting (<timeout>)
	CallLimit   int64        // concurrent call limit (<call_limit>)
	MaxTimeout  int64        // max_timeout setting (<max_timeout>)
	Language    string       // language (<language>)
	Kind        string       // the Asterisk "type" column: friend, peer, user
	// ControlCallerIDByCIDs is the id of the CLI that controls the
	// device's CallerID (0: none).
	ControlCallerIDByCIDs int64
	UseANIForCLI          bool // use ANI as the CLI (<use_ani_for_cli>)

	VoicemailActive         string // voicemail on (<voicemail_active>), as sent
	WorksNotLogged          string // works when not logged in (<works_not_logged>), as sent
	ForwardTo               string // forward_to setting (<forward_to>), as sent
	Record                  string // record setting (<record>), as sent
	Transfer                string // transfer setting (<transfer>), as sent
	Deny                    string // IP addresses denied (<deny>), as sent
	Permit                  string // IP addresses permitted (<permit>), as sent
	FullContact             string // the registered contact URI (<fullcontact>), as sent
	CallGroup               string // Asterisk call group (<callgroup>), as sent
	PickupGroup             string // Asterisk pickup group (<pickupgroup>), as sent
	TrustRPID               string // trust Remote-Party-ID (<trustrpid>), as sent
	SendRPID                string // send Remote-Party-ID (<sendrpid>), as sent
	ProgressInband          string // in-band progress (<progressinband>), as sent
	VideoSupport            string // video support (<videosupport>), as sent
	CIDFromDIDs             string // caller ID from DIDs (<cid_from_dids>), as sent
	TellBalance             string // tell balance (<tell_balance>), as sent
	TellTime                string // tell time (<tell_time>), as sent
	TellRTimeWhenLeft       string // tell remaining time when left (<tell_rtime_when_left>), as sent
	RepeatRTimeEvery        string // repeat remaining time every (<repeat_rtime_every>), as sent
	T38PTUDPTL              string // T.38 pass-through (<t38pt_udptl>), as sent
	RegServer               string // registration server (<regserver>), as sent
	PromiscRedir            string // promiscuous redirects (<promiscredir>), as sent
	ProcessSIPChanInfo      string // process SIP channel info (<process_sipchaninfo>), as sent
	AllowDuplicateCalls     string // allow duplicate calls (<allow_duplicate_calls>), as sent
	FastStart               string // H.323 fast start (<faststart>), as sent
	H245Tunneling           string // H.245 tunneling (<h245tunneling>), as sent
	Latency                 string // latency (<latency>), as sent
	GraceTime               string // grace time (<grace_time>), as sent
	RecordingToEmail        string // send recordings by e-mail (<recording_to_email>), as sent
	RecordingKeep           string // keep recordings (<recording_keep>), as sent
	RecordingEmail          string // e-mail for recordings (<recording_email>), as sent
	LastMS                  string // last qualify round-trip, ms (<lastms>), as sent
	RecordForced            string // forced recording (<record_forced>), as sent
	FakeRing                string // fake ring (<fake_ring>), as sent
	SaveCallLog             string // save call log (<save_call_log>), as sent
	EnableMWI               string // message waiting indicator (<enable_mwi>), as sent
	RequireCallToken        string // IAX2 call token (<requirecalltoken>), as sent
	ChangeFailedCodeTo      string // change failed code to (<change_failed_code_to>), as sent
	AntiResaleAutoAnswer    string // anti-resale auto answer (<anti_resale_auto_answer>), as sent
	QFTellBalance           string // quick forward: tell balance (<qf_tell_balance>), as sent
	QFTellTime              string // quick forward: tell time (<qf_tell_time>), as sent
	TimeLimitPerDay         string // time limit per day (<time_limit_per_day>), as sent
	CallerIDAdvancedControl string // caller ID advanced control (<callerid_advanced_control>), as sent
	Transport               string // SIP transport (<transport>), as sent
	Encryption              string // encryption (<encryption>), as sent
	BlockCallerID           string // block caller ID (<block_callerid>), as sent
	TellRate                string // tell rate (<tell_rate>), as sent
	Trunk                   string // trunk (<trunk>), as sent
	ProxyPort               string // proxy port (<proxy_port>), as sent
	CPSCallLimit            string // calls-per-second limit (<cps_call_limit>), as sent
	CPSPeriod               string // calls-per-second period (<cps_period>), as sent
	TimerB                  string // SIP timer B (<timerb>), as sent
	OP                      string // origination point (<op>), as sent
	OPActive                string // origination point active (<op_active>), as sent
	OPRoutingAlgorithm      string // origination point routing algorithm (<op_routing_algorithm>), as sent
	OPCapacity              string // origination point capacity (<op_capacity>), as sent
	TP                      string // termination point (<tp>), as sent
	TPActive                string // termination point active (<tp_active>), as sent
	TPCapacity              string // termination point capacity (<tp_capacity>), as sent
	DefaultUser             string // Asterisk defaultuser (<defaultuser>), as sent
	Auth                    string // auth (<auth>), as sent

	AudioCodecs []string // enabled audio codecs by priority, e.g. alaw, ulaw, g729
	VideoCodecs []string // enabled video codecs by priority
}

func (d *DeviceDetails) fields() []field {
	s := func(name string, dst *string) field { return opt(name, deviceBlockStr(dst)) }
	n := func(name string, dst *int64) field { return opt(name, deviceBlockI64(dst)) }
	return []field{
		req("name", deviceBlockStr(&d.Name)), s("host", &d.Host), opt("secret", deviceBlockSecret(&d.Secret)),
		s("context", &d.Context), s("ipaddr", &d.IPAddr), n("port", &d.Port), n("regseconds", &d.Regseconds),
		n("accountcode", &d.Accountcode), s("callerid", &d.CallerID), s("extension", &d.Extension),
		s("voicemail_active", &d.VoicemailActive), s("username", &d.Username), req("device_type", deviceBlockStr(&d.DeviceType)),
		opt("pin", deviceBlockSecret(&d.PIN)), s("works_not_logged", &d.WorksNotLogged), s("forward_to", &d.ForwardTo),
		s("record", &d.Record), s("transfer", &d.Transfer), s("disallow", &d.Disallow), s("allow", &d.Allow),
		s("deny", &d.Deny), s("permit", &d.Permit), s("nat", &d.NAT), s("qualify", &d.Qualify),
		s("fullcontact", &d.FullContact), s("canreinvite", &d.CanReinvite), s("dtmfmode", &d.DTMFMode),
		s("callgroup", &d.CallGroup), s("pickupgroup", &d.PickupGroup), s("fromuser", &d.FromUser),
		s("fromdomain", &d.FromDomain), s("trustrpid", &d.TrustRPID), s("sendrpid", &d.SendRPID),
		s("insecure", &d.Insecure), s("progressinband", &d.ProgressInband), s("videosupport", &d.VideoSupport),
		s("description", &d.Description), n("istrunk", &d.IsTrunk), s("cid_from_dids", &d.CIDFromDIDs),
		s("type", &d.Kind), s("tell_balance", &d.TellBalance), s("tell_time", &d.TellTime),
		s("tell_rtime_when_left", &d.TellRTimeWhenLeft), s("repeat_rtime_every", &d.RepeatRTimeEvery),
		s("t38pt_udptl", &d.T38PTUDPTL), s("regserver", &d.RegServer), n("ani", &d.ANI),
		s("promiscredir", &d.PromiscRedir), n("timeout", &d.Timeout), s("process_sipchaninfo", &d.ProcessSIPChanInfo),
		s("allow_duplicate_calls", &d.AllowDuplicateCalls), n("call_limit", &d.CallLimit),
		s("faststart", &d.FastStart), s("h245tunneling", &d.H245Tunneling), s("latency", &d.Latency),
		s("grace_time", &d.GraceTime), s("recording_to_email", &d.RecordingToEmail),
		s("recording_keep", &d.RecordingKeep), s("recording_email", &d.RecordingEmail), s("lastms", &d.LastMS),
		s("record_forced", &d.RecordForced), s("fake_ring", &d.FakeRing), s("save_call_log", &d.SaveCallLog),
		s("language", &d.Language), s("enable_mwi", &d.EnableMWI), s("requirecalltoken", &d.RequireCallToken),
		opt("use_ani_for_cli", deviceBlockFlag(&d.UseANIForCLI)), s("change_failed_code_to", &d.ChangeFailedCodeTo),
		n("max_timeout", &d.MaxTimeout), s("anti_resale_auto_answer", &d.AntiResaleAutoAnswer),
		s("qf_tell_balance", &d.QFTellBalance), s("qf_tell_time", &d.QFTellTime),
		s("time_limit_per_day", &d.TimeLimitPerDay), n("control_callerid_by_cids", &d.ControlCallerIDByCIDs),
		s("callerid_advanced_control", &d.CallerIDAdvancedControl), s("transport", &d.Transport),
		s("encryption", &d.Encryption), s("block_callerid", &d.BlockCallerID), s("tell_rate", &d.TellRate),
		s("trunk", &d.Trunk), s("proxy_port", &d.ProxyPort), s("cps_call_limit", &d.CPSCallLimit),
		s("cps_period", &d.CPSPeriod), s("timerb", &d.TimerB), s("op", &d.OP), s("op_active", &d.OPActive),
		s("op_routing_algorithm", &d.OPRoutingAlgorithm), s("op_capacity", &d.OPCapacity), s("tp", &d.TP),
		s("tp_active", &d.TPActive), s("tp_capacity", &d.TPCapacity), s("defaultuser", &d.DefaultUser),
		s("auth", &d.Auth),
		opt("codecs/audio_codecs", deviceBlockList(&d.AudioCodecs)), opt("codecs/video_codecs", deviceBlockList(&d.VideoCodecs)),
	}
}

// Details returns one device's full configuration, credentials included.
// MOR: device_details_get (read; hash: device_id).
//
// The admin and accountants holding both device_manage and user_manage
// (read) reach devices of the admin's users and the admin's own; resellers
// their users' devices (not their own); simple users are refused
// (ErrNotAuthorized). A device the caller may not see is ErrDeviceNotFound.
// The server answers errors here with a bare <error> document; they come
// back as *APIError like any other.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *DevicesService) Details(ctx context.Context, deviceID int64) (*DeviceDetails, error) {
	const method = "device_details_get"
	if deviceID <= 0 {
		return nil, &ValidationError{Method: method, Field: "device_id", Err: ErrDeviceIDEmpty}
	}
	var out DeviceDetails
	err := s.c.do(ctx, method, url.Values{"device_id": {strconv.FormatInt(deviceID, 10)}}, func(r io.Reader) error {
		return decodeFields(method, r, out.fields(), false)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateDeviceParams are device_create's parameters; zero values are not
// sent.
type CreateDeviceParams struct {
	// UserID is the user that gets the device (user_id, hashed); 0 is the
	// admin. Required.
	UserID int64
	// Type is SIP, IAX2, FAX, H323, dahdi or Virtual (type, hashed;
	// case-sensitive). Empty: the caller's default device type, else SIP.
	Type string
	// Description is stored stripped (description, hashed).
	Description string
	// DeviceGroupID is one of the user's device groups (devicegroup_id,
	// hashed); nil is not sent (stored as 0).
	DeviceGroupID *int64
	// PIN is the device's PIN, digits only and unique (pin, hashed). Empty:
	// the server picks a random unique one.
	PIN DeviceSecret
	// Extension must not be any device's extension (extension). Empty: the
	// lowest free one of the server's range. Sending it makes a retry safe:
	// a second create answers ErrExtensionTaken instead of adding a device.
	Extension string
	// CallerID is a numeric CallerID number (caller_id, hashed), stored as
	// <number>.
	CallerID string
	// FromUser is stored as the SIP fromuser (fromuser).
	FromUser string
	// CallTimeout is the device's maximum call time in seconds
	// (call_timeout); nil is not sent.
	CallTimeout *int64
}

func (p *CreateDeviceParams) values() (url.Values, error) {
	const method = "device_create"
	bad := func(field string) error { return &ValidationError{Method: method, Field: field, Err: ErrInvalidParams} }
	switch {
	case p.UserID < 0:
		return nil, bad("user_id")
	case p.PIN.v != "" && strings.Trim(p.PIN.v, "0123456789 ") != "":
		return nil, bad("pin")
	case strings.TrimSpace(p.CallerID) != "" && !IsNumericCLI(p.CallerID):
		return nil, bad("caller_id")
	case p.CallTimeout != nil && *p.CallTimeout < 0:
		return nil, bad("call_timeout")
	case p.DeviceGroupID != nil && *p.DeviceGroupID < 0:
		return nil, bad("devicegroup_id")
	}
	v := url.Values{"user_id": {strconv.FormatInt(p.UserID, 10)}}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("type", p.Type)
	set("description", p.Description)
	set("pin", p.PIN.v)
	set("extension", p.Extension)
	set("caller_id", p.CallerID)
	set("fromuser", p.FromUser)
	if p.DeviceGroupID != nil {
		v.Set("devicegroup_id", strconv.FormatInt(*p.DeviceGroupID, 10))
	}
	if p.CallTimeout != nil {
		v.Set("call_timeout", strconv.FormatInt(*p.CallTimeout, 10))
	}
	return v, nil
}

// CreatedDevice is what device_create answers: the new device's id and
// credentials.
type CreatedDevice struct {
	ID       int64        // the new device's id
	Username string       // its username (= extension; virtual_ID for Virtual, empty for H323)
	Password DeviceSecret // its secret: 12 random characters
	// Notice is the callshop warning the server appends to "Device created"
	// when the user is in a callshop; usually empty.
	Notice string
}

// Create adds a device to a user and returns its id, username and
// password. MOR: device_create (write; hash: user_id, description, pin,
// type, devicegroup_id, caller_id, in that order, each only when sent).
//
// Local checks before any I/O (*ValidationError): a negative UserID, a
// non-numeric PIN or CallerID, a negative CallTimeout. Server refusals
// include ErrAccessDenied (not the caller's user; an accountant without the
// device_create right), ErrUserNotFound, ErrExtensionTaken, ErrPINTaken,
// ErrInvalidParams ("Device type invalid", "Device group invalid"…) and
// ErrDeviceNotCreated, whose reasons are in APIError.Messages.
//
// Never retried. A blind resend creates a second device unless Extension
// was set (then it answers ErrExtensionTaken). When InDoubt(err) is true,
// list the user's devices (List(ctx, p.UserID)) and look for the new one
// before creating again, or send an Extension so a resend is refused.
func (s *DevicesService) Create(ctx context.Context, p CreateDeviceParams) (*CreatedDevice, error) {
	const method = "device_create"
	params, err := p.values()
	if err != nil {
		return nil, err
	}
	var (
		out    CreatedDevice
		status string
	)
	fields := []field{req("id", i64(&out.ID)), opt("username", str(&out.Username)),
		req("password", deviceSecretSetter(&out.Password)), opt("status", str(&status))}
	err = s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeCreate(method, r, fields)
	})
	if err != nil {
		return nil, err
	}
	if rest, ok := strings.CutPrefix(strings.TrimSpace(status), "Device created"); ok {
		out.Notice = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "<br>"))
	}
	return &out, nil
}

// decodeCreate is decodeFields for device_create, whose refusal "Device was
// not created" is followed by one <message> per reason: they join the
// error's Messages.
func decodeCreate(method string, r io.Reader, fields []field) error {
	var messages []string
	t := newTable(fields)
	var statuses []string
	var firstBad error
	var buf []byte
	w := walker{method: method}
	w.end = func(parent, name, text string) error {
		if len(w.path) != 2 {
			return nil
		}
		switch name {
		case "message":
			messages = append(messages, strings.TrimSpace(text))
		case "status":
			statuses = append(statuses, text)
		}
		buf = relPath(buf, w.path, 1)
		if err := t.set(method, string(buf), text); err != nil && firstBad == nil {
			firstBad = err
		}
		return nil
	}
	if err := w.run(r); err != nil {
		return err
	}
	if len(w.errors) > 0 {
		return newAPIError(method, append(w.errors, messages...))
	}
	if firstBad != nil {
		return firstBad
	}
	if err := checkSuccessText(method, w.root, statuses); err != nil {
		return err
	}
	return t.missing(method, w.root, "")
}

// DeviceAuth selects how a device authenticates (device_update's
// authentication).
type DeviceAuth string

// The two authentication modes; the zero DeviceAuth is not sent.
const (
	DeviceAuthIP      DeviceAuth = "1" // IP authentication: Host (and Port) identify the device
	DeviceAuthDynamic DeviceAuth = "0" // username and password (host "dynamic")
)

// DeviceTrunk is device_update's trunk mode.
type DeviceTrunk int

// The trunk modes.
const (
	TrunkOff     DeviceTrunk = 0 // not a trunk
	TrunkOn      DeviceTrunk = 1 // a trunk without ANI
	TrunkWithANI DeviceTrunk = 2 // a trunk with ANI
)

// UpdateDeviceParams are device_update's parameters. Only DeviceID is
// required; zero values (nil pointers, empty strings) are not sent.
type UpdateDeviceParams struct {
	DeviceID       int64      // device (hashed). Required.
	Authentication DeviceAuth // authentication (hashed)
	// Host is the IP address for IP authentication: a.b.c.d, a.b.c.d/NN
	// (NN 24–32) or a.b.c.d-NNN (host, hashed). An invalid address is
	// ignored by the server without a message.
	Host string
	Port *int64 // port for IP authentication (hashed); 0 means the type's default
	// Username is the new device name and username (username, hashed).
	// Invalid names (anonymous, unknown, the current password, a taken
	// name when duplicates are off) are ignored without a message.
	Username string
	// DeviceName is the same as Username but not hashed (device_name); it
	// wins when both are set.
	DeviceName string
	// Password is the new secret (password, not hashed): at least 8
	// characters unless the server allows short ones, different from the
	// name. An invalid one is ignored without a message.
	Password      DeviceSecret
	NewLocationID *int64       // new_location_id
	CallLimit     *int64       // call_limit; negative is stored as 0
	FromUser      *string      // fromuser
	Trunk         *DeviceTrunk // trunk
	CallTimeout   *int64       // call_timeout, seconds
	// CallerIDName and CallerIDNumber replace the parts of the CallerID
	// (callerid_name, callerid_number); a part not sent is kept.
	CallerIDName   *string // the CallerID's name part (callerid_name); nil: kept
	CallerIDNumber *string // the CallerID's number part (callerid_number); nil: kept
	// FaxEmailAdd and FaxEmailDelete add or delete an address receiving
	// faxes (FAX devices only).
	FaxEmailAdd    string // address to add (fax_email_add); empty: not sent
	FaxEmailDelete string // address to delete (fax_email_delete); empty: not sent
}

func (p *UpdateDeviceParams) values() (url.Values, error) {
	const method = "device_update"
	switch {
	case p.DeviceID <= 0:
		return nil, &ValidationError{Method: method, Field: "device", Err: ErrDeviceIDEmpty}
	case p.Authentication != "" && p.Authentication != DeviceAuthIP && p.Authentication != DeviceAuthDynamic:
		return nil, &ValidationError{Method: method, Field: "authentication", Err: ErrInvalidParams}
	case p.Trunk != nil && (*p.Trunk < TrunkOff || *p.Trunk > TrunkWithANI):
		return nil, &ValidationError{Method: method, Field: "trunk", Err: ErrInvalidParams}
	case p.CallTimeout != nil && *p.CallTimeout < 0:
		return nil, &ValidationError{Method: method, Field: "call_timeout", Err: ErrInvalidParams}
	}
	v := url.Values{"device": {strconv.FormatInt(p.DeviceID, 10)}}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	num := func(k string, n *int64) {
		if n != nil {
			v.Set(k, strconv.FormatInt(*n, 10))
		}
	}
	text := func(k string, s *string) {
		if s != nil {
			v.Set(k, *s)
		}
	}
	set("authentication", string(p.Authentication))
	set("host", p.Host)
	num("port", p.Port)
	set("username", p.Username)
	set("device_name", p.DeviceName)
	set("password", p.Password.v)
	num("new_location_id", p.NewLocationID)
	num("call_limit", p.CallLimit)
	text("fromuser", p.FromUser)
	if p.Trunk != nil {
		v.Set("trunk", strconv.Itoa(int(*p.Trunk)))
	}
	num("call_timeout", p.CallTimeout)
	text("callerid_name", p.CallerIDName)
	text("callerid_number", p.CallerIDNumber)
	set("fax_email_add", p.FaxEmailAdd)
	set("fax_email_delete", p.FaxEmailDelete)
	return v, nil
}

// DeviceUpdate is a successful device_update's outcome.
type DeviceUpdate struct {
	// Warnings are messages the server gave next to its success, e.g.
	// "Password is too short" for device types the password rule does
	// not apply to (H323, Virtual).
	Warnings []string
}

// ErrDeviceNotUpdated is device_update answering an empty status: the
// server refused to save the device without saying why (a name equal to
// the password, a password that is too short, a taken IP and port, …).
var ErrDeviceNotUpdated = errors.New("mor: device not updated (refused without a message)")

// Update changes a device's authentication, credentials, limits and
// CallerID. MOR: device_update (write; hash: device, authentication,
// username, host, port — a fixed list, in that order, each only when sent).
//
// The server ignores invalid credentials and IP settings without a
// message, so read the device back (Details) when the outcome matters. A
// reply without the success text is an error even when it holds no
// message: "Password is too short" alone (the save was refused) is an
// *APIError, an empty status is a *ParseError wrapping ErrDeviceNotUpdated.
// Other refusals: ErrDeviceNotFound (also for devices the caller may not
// change), ErrNotAuthorized, ErrNotFound ("Location was not found"),
// ErrInvalidParams (the call timeout).
//
// Never retried. It sets absolute values, so resending after an unseen
// success leaves the device as it was (the server re-runs its side effects:
// a realtime prune, an e-mail to the owner): when InDoubt(err) is true,
// sending it again is safe.
func (s *DevicesService) Update(ctx context.Context, p UpdateDeviceParams) (*DeviceUpdate, error) {
	const method = "device_update"
	params, err := p.values()
	if err != nil {
		return nil, err
	}
	var out DeviceUpdate
	err = s.c.do(ctx, method, params, func(r io.Reader) error {
		var err error
		out.Warnings, err = decodeUpdate(method, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// decodeUpdate reads <page><status>[<error>…]*[<success>…]</status></page>:
// success when the success text is there (errors before it are warnings).
func decodeUpdate(method string, r io.Reader) ([]string, error) {
	var successes []string
	sawStatus := false
	w := walker{method: method}
	w.end = func(parent, name, text string) error {
		switch {
		case name == "success" && parent == "status":
			successes = append(successes, text)
		case name == "status" && len(w.path) == 2:
			sawStatus = true
		}
		return nil
	}
	if err := w.run(r); err != nil {
		return nil, err
	}
	if len(successes) > 0 {
		if err := checkSuccessText(method, w.root, successes); err != nil {
			return nil, err
		}
		return w.errors, nil
	}
	if err := w.apiError(); err != nil {
		return nil, err
	}
	if sawStatus && w.root == "page" {
		return nil, &ParseError{Method: method, Reason: "empty <status>: the save was refused", Err: ErrDeviceNotUpdated}
	}
	return nil, unexpected(method, w.root, "no success status")
}

// Delete deletes a device with its CLIs, codecs, fax addresses and
// voicemail box; DIDs pointing to it are left without a device. MOR:
// device_delete, alias device_destroy (write; hash: device).
//
// Refusals: ErrDeviceNotFound, ErrAccessDenied (not the caller's),
// ErrNotAuthorized (accountants may delete only with device_manage at
// read level, as the server is written), ErrDeviceInUse and other texts for
// a device used by call flows, calls, dial plans, location rules, queues or
// alerts.
//
// Never retried. A resend after an unseen success answers
// ErrDeviceNotFound: when InDoubt(err) is true, that answer (or List) tells
// that the device is gone.
func (s *DevicesService) Delete(ctx context.Context, deviceID int64) error {
	const method = "device_delete"
	if deviceID <= 0 {
		return &ValidationError{Method: method, Field: "device", Err: ErrDeviceIDEmpty}
	}
	return s.c.do(ctx, method, url.Values{"device": {strconv.FormatInt(deviceID, 10)}}, func(r io.Reader) error {
		return decodeFields(method, r, nil, true)
	})
}

// CallflowStage is one stage of a device's call flow.
type CallflowStage struct {
	State    string // "Before call", "Call", "Answered", "No answer", "Busy", "Failed"
	Priority int64  // the stage's priority (<priority>)
	// Action is "Dial", "Hangup", "Forward", "Voicemail", "Fax detect", or
	// empty (nothing; device_callflow_update says "Empty").
	Action string
	// Data is the action's target: TYPE/NAME|TIMEOUT for Dial, TYPE/NAME of
	// a local device or the number of an external forward, TYPE/EXTENSION
	// of a fax device.
	Data string
	// CallerIDType and CallerIDData are set by device_callflow_update for
	// forwards: "From Device", "Unchanged", "DID" or "Custom", and the
	// CallerID it uses.
	CallerIDType string // the forward's CallerID kind (<callerid_type>)
	CallerIDData string // the CallerID it uses (<callerid_data>)
}

func (c *CallflowStage) fields() []field {
	return []field{req("state", str(&c.State)), opt("priority", i64(&c.Priority)), opt("action", str(&c.Action)),
		opt("data", str(&c.Data)), opt("callerid_type", str(&c.CallerIDType)), opt("callerid_data", str(&c.CallerIDData))}
}

// DeviceCallflows is a device's call flow: six stages in the order Before
// call, Call, Answered, No answer, Busy, Failed.
type DeviceCallflows struct {
	User   string          // the device owner's name
	Device string          // the device, TYPE/NAME
	Stages []CallflowStage // the stages, in order (<callflow>)
}

// Callflows returns the six stages of a device's call flow. MOR:
// device_callflow_get (read; hash: device_id).
//
// The admin reaches devices of its users (and its own), resellers with the
// pbx_functions right their users', simple users their own; accountants are
// refused (ErrNotAuthorized). Other refusals: ErrDeviceNotFound,
// ErrUserNotFound (an unknown caller).
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *DevicesService) Callflows(ctx context.Context, deviceID int64) (*DeviceCallflows, error) {
	const method = "device_callflow_get"
	if deviceID <= 0 {
		return nil, &ValidationError{Method: method, Field: "device_id", Err: ErrDeviceIDEmpty}
	}
	var out DeviceCallflows
	err := s.c.do(ctx, method, url.Values{"device_id": {strconv.FormatInt(deviceID, 10)}}, func(r io.Reader) error {
		var err error
		out, err = decodeCallflows(method, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func decodeCallflows(method string, r io.Reader) (DeviceCallflows, error) {
	var (
		out      DeviceCallflows
		cur      CallflowStage
		t        = newTable(cur.fields())
		firstBad error
		haveUser bool
	)
	w := walker{method: method}
	w.end = func(parent, name, text string) error {
		switch {
		case len(w.path) == 2 && name == "user":
			out.User, haveUser = text, true
		case len(w.path) == 2 && name == "device":
			out.Device = text
		case len(w.path) == 2 && name == "callflow":
			if err := t.missing(method, w.root, " in callflow "+strconv.Itoa(len(out.Stages)+1)); err != nil && firstBad == nil {
				firstBad = err
			}
			out.Stages = append(out.Stages, cur)
			cur = CallflowStage{}
			t.reset()
		case len(w.path) == 3 && parent == "callflow":
			if err := t.set(method, name, text); err != nil && firstBad == nil {
				firstBad = err
			}
		}
		return nil
	}
	if err := w.run(r); err != nil {
		return out, err
	}
	if err := w.apiError(); err != nil {
		return out, err
	}
	if firstBad != nil {
		return out, firstBad
	}
	if w.root != "page" || !haveUser || len(out.Stages) == 0 {
		return out, unexpected(method, w.root, "no <user> and <callflow> stages")
	}
	return out, nil
}

// CallflowState is a call-flow stage that can be set.
type CallflowState string

// The stages device_callflow_update accepts.
const (
	CallflowBeforeCall CallflowState = "before_call"
	CallflowNoAnswer   CallflowState = "no_answer"
	CallflowBusy       CallflowState = "busy"
	CallflowFailed     CallflowState = "failed"
)

// CallflowAction is what a stage does.
type CallflowAction string

// The actions device_callflow_update accepts.
const (
	CallflowForward   CallflowAction = "forward"
	CallflowVoicemail CallflowAction = "voicemail"
	CallflowEmpty     CallflowAction = "empty"
	// CallflowFaxDetect is allowed only for CallflowBeforeCall.
	CallflowFaxDetect CallflowAction = "fax_detect"
)

// UpdateCallflowParams set one stage of a device's call flow.
type UpdateCallflowParams struct {
	DeviceID int64          // device_id (hashed). Required.
	State    CallflowState  // state (hashed). Required.
	Action   CallflowAction // callflow_action (hashed). Required.
	// A forward needs exactly one target: ForwardToDevice, another device
	// of the same user (forward_to_device, hashed), or ExternalNumber, a
	// numeric number (external_number, hashed).
	ForwardToDevice int64
	ExternalNumber  string // external number to forward to (external_number, hashed); empty: not sent
	// The CallerID of a forward: at most one of these; none means the
	// device's own CallerID. DeviceCallerID asks for it explicitly
	// (device_callerid, never hashed), KeepCallerID passes the caller's on
	// (src_callerid, hashed), DIDID uses a DID assigned to this device
	// (did_id, hashed), Custom sends a fixed CallerID (custom, hashed).
	DeviceCallerID bool
	KeepCallerID   bool   // pass the caller's CallerID on (src_callerid, hashed)
	DIDID          int64  // DID whose number is the CallerID (did_id, hashed); 0: not sent
	Custom         string // fixed CallerID (custom, hashed); empty: not sent
	// FaxDevice is the FAX device for CallflowFaxDetect (fax_device,
	// hashed).
	FaxDevice int64
}

func (p *UpdateCallflowParams) values() (url.Values, error) {
	const method = "device_callflow_update"
	bad := func(field string, err error) error { return &ValidationError{Method: method, Field: field, Err: err} }
	cids := 0
	for _, on := range []bool{p.DeviceCallerID, p.KeepCallerID, p.DIDID != 0, p.Custom != ""} {
		if on {
			cids++
		}
	}
	switch {
	case p.DeviceID <= 0:
		return nil, bad("device_id", ErrDeviceIDEmpty)
	case p.State != CallflowBeforeCall && p.State != CallflowNoAnswer && p.State != CallflowBusy && p.State != CallflowFailed:
		return nil, bad("state", ErrInvalidParams)
	case p.Action != CallflowForward && p.Action != CallflowVoicemail && p.Action != CallflowEmpty &&
		!(p.Action == CallflowFaxDetect && p.State == CallflowBeforeCall):
		return nil, bad("callflow_action", ErrInvalidParams)
	case p.Action == CallflowForward && (p.ForwardToDevice != 0) == (p.ExternalNumber != ""):
		return nil, bad("forward_to_device", ErrInvalidParams) // neither or both
	case p.Action == CallflowForward && p.ExternalNumber != "" && !IsNumericCLI(p.ExternalNumber):
		return nil, bad("external_number", ErrInvalidParams)
	case p.Action == CallflowForward && cids > 1:
		return nil, bad("callerid", ErrInvalidParams)
	case p.Action == CallflowFaxDetect && p.FaxDevice <= 0:
		return nil, bad("fax_device", ErrDeviceIDEmpty)
	}
	v := url.Values{"device_id": {strconv.FormatInt(p.DeviceID, 10)}, "state": {string(p.State)},
		"callflow_action": {string(p.Action)}}
	switch p.Action {
	case CallflowForward:
		if p.ForwardToDevice != 0 {
			v.Set("forward_to_device", strconv.FormatInt(p.ForwardToDevice, 10))
		} else {
			v.Set("external_number", p.ExternalNumber)
		}
		switch {
		case p.DeviceCallerID:
			v.Set("device_callerid", "1")
		case p.KeepCallerID:
			v.Set("src_callerid", "1")
		case p.DIDID != 0:
			v.Set("did_id", strconv.FormatInt(p.DIDID, 10))
		case p.Custom != "":
			v.Set("custom", p.Custom)
		}
	case CallflowFaxDetect:
		v.Set("fax_device", strconv.FormatInt(p.FaxDevice, 10))
	}
	return v, nil
}

// UpdatedCallflow is device_callflow_update's answer: the stage as stored.
type UpdatedCallflow struct {
	User   string        // the device owner's name
	Device string        // the device, TYPE/NAME
	Stage  CallflowStage // the stored stage (<callflow>)
}

// UpdateCallflow sets one stage of a device's call flow. MOR:
// device_callflow_update (write; hash: device_id, callflow_action, state,
// forward_to_device, external_number, did_id, src_callerid, custom,
// fax_device, each only when sent).
//
// Local checks (*ValidationError): the state and action, exactly one
// forward target, a numeric external number, at most one CallerID choice.
// Refusals: ErrNotAuthorized (accountants; resellers without pbx_functions
// edit), ErrDeviceNotFound, ErrNotFound ("Local device was not found",
// "DID was not found", "FAX device was not found").
//
// Never retried. It sets absolute values, so resending after an unseen
// success stores the same stage again (the dial plan is regenerated each
// time): when InDoubt(err) is true, sending it again is safe.
func (s *DevicesService) UpdateCallflow(ctx context.Context, p UpdateCallflowParams) (*UpdatedCallflow, error) {
	const method = "device_callflow_update"
	params, err := p.values()
	if err != nil {
		return nil, err
	}
	var out UpdatedCallflow
	fields := append([]field{req("user", str(&out.User)), opt("device", str(&out.Device))}, underPath("callflow/", out.Stage.fields())...)
	err = s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeFields(method, r, fields, true)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// prefixed moves fields below an element.
func underPath(prefix string, fs []field) []field {
	for i := range fs {
		fs[i].path = prefix + fs[i].path
	}
	return fs
}

// MorphoneDetails provision the MOR softphone for the caller's own SIP
// device.
type MorphoneDetails struct {
	Username      string       // the device's login name (<device><username>)
	Password      DeviceSecret // the device's password (<device><password>)
	EnabledCodecs []string     // codec names, e.g. alaw, ulaw
	ServerIP      string       // the server's IP address (<server_ip>)
	ServerPort    string       // the server's port (<server_port>)
	DIDNumber     string       // the DID number (<did_number>)
}

// Morphone returns the softphone settings of the caller's SIP device (its
// primary device when that is SIP, else its first SIP device). MOR:
// morphone_details_get (read; not hash-checked: the server authenticates
// with the username and the user's password instead).
//
// The Client must have been made with WithPassword (the user's login
// password); without it Morphone fails locally with a *ValidationError.
// Refusals: ErrBadLogin (wrong password or blocked user),
// ErrDeviceNotFound (no SIP device).
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *DevicesService) Morphone(ctx context.Context) (*MorphoneDetails, error) {
	const method = "morphone_details_get"
	if !s.c.hasPassword {
		return nil, &ValidationError{Method: method, Field: "p", Err: ErrInvalidParams}
	}
	var (
		out    MorphoneDetails
		codecs string
	)
	fields := []field{req("device/username", str(&out.Username)), req("device/password", deviceSecretSetter(&out.Password)),
		opt("device/enabled_codecs", str(&codecs)), opt("server_ip", str(&out.ServerIP)),
		opt("server_port", str(&out.ServerPort)), opt("did_number", str(&out.DIDNumber))}
	err := s.c.do(ctx, method, url.Values{}, func(r io.Reader) error {
		return decodeFields(method, r, fields, false)
	})
	if err != nil {
		return nil, err
	}
	if codecs = strings.TrimSpace(codecs); codecs != "" {
		out.EnabledCodecs = strings.Split(codecs, ",")
	}
	return &out, nil
}
