package mortest

import (
	"cmp"
	"slices"
	"time"
)

// UserType is a MOR users.usertype value (spec §3.1).
type UserType string

// The user types the server knows.
const (
	Admin      UserType = "admin"      // the system owner; only the user with ID 0 counts as admin
	Reseller   UserType = "reseller"   // owns users (their OwnerID is the reseller's ID); own API settings
	Accountant UserType = "accountant" // admin staff with per-right access; API owner is the admin
	SimpleUser UserType = "user"       // an end user, owned by the admin (0) or a reseller
	Partner    UserType = "partner"    // in the schema, undocumented
)

// Right is an accountant's level for one group right (0 none, 1 read, 2 edit).
type Right int

// The three levels of an accountant right.
const (
	RightNone Right = 0
	RightRead Right = 1
	RightEdit Right = 2
)

// User is one row of the users table, as far as the CLI methods look at it.
type User struct {
	ID        int64 // 0 is the admin
	Username  string
	Type      UserType
	OwnerID   int64 // 0 for the admin's users, else the reseller's ID
	FirstName string
	LastName  string
	// DeviceManage and CLIIVR are the accountant rights device_manage and
	// cli_ivr; they are ignored for other user types.
	DeviceManage Right
	CLIIVR       Right
}

// Device is one row of the devices table.
type Device struct {
	ID     int64
	Type   string // e.g. "IAX2", "SIP", "FAX"
	Name   string // e.g. "101"
	UserID int64  // owning user; a device whose user does not exist has "no user"
	// ZeroAccountcode marks a device whose accountcode is 0; such devices are
	// left out of a user's device list (device_clis_get with users_id).
	ZeroAccountcode bool
	// ControlCallerIDByCIDs is the id of the CLI selected as the device's
	// "control CallerID by CIDs" (0: none). cli_delete refuses to delete it.
	ControlCallerIDByCIDs int64
}

// IVR is one row of the ivrs table.
type IVR struct {
	ID     int64
	Name   string
	UserID int64 // owner; cli_add accepts only the caller's own IVRs
}

// CLI is one row of the callerids table.
type CLI struct {
	ID     int64
	Number string // the "cli" column, stored exactly as sent
	// Domain is newer MOR's cli_domain (spec §10); empty when not set.
	Domain   string
	DeviceID int64 // 0: the CLI has no device (device_id NULL)
	// Description is nil for SQL NULL (what cli_add stores for a blank
	// description) and renders as <cli_description/>; "" renders as
	// <cli_description></cli_description>.
	Description *string
	Comment     string
	Banned      int64
	// IVRID is nil for SQL NULL (cli_add without ivr_id; listed as an empty
	// <cli_ivr/>), 0 for "no IVR" (no <cli_ivr> element at all), else the IVR.
	IVRID         *int64
	EmailCallback int64
	AddedAt       time.Time // zero: set to the server clock by AddCLI
	UpdatedAt     time.Time // zero: AddedAt
}

// Settings are one owner's API settings (conflines Allow_API,
// API_Secret_Key and API_Disable_hash_checking). The owner is the admin (0)
// or a reseller; the settings of every other user are never read.
type Settings struct {
	AllowAPI         bool
	Secret           string
	DisableHashCheck bool
}

// state is the fake's database. Every field is guarded by Server.mu.
type state struct {
	users    map[int64]*User
	devices  map[int64]*Device
	ivrs     map[int64]*IVR
	clis     map[int64]*CLI
	byNumber map[string][]int64 // mysqlKey(number) → CLI ids, ascending
	byDevice map[int64]map[int64]*CLI
	settings map[int64]Settings
	lastCLI  int64
	lastDev  int64
	lastIVR  int64

	allowGET     bool
	xmlExtension bool
	wire         Wire
	requests     map[string]int
}

func newState() *state {
	return &state{
		users:    map[int64]*User{},
		devices:  map[int64]*Device{},
		ivrs:     map[int64]*IVR{},
		clis:     map[int64]*CLI{},
		byNumber: map[string][]int64{},
		byDevice: map[int64]map[int64]*CLI{},
		settings: map[int64]Settings{},
		requests: map[string]int{},
	}
}

func (st *state) insertCLI(c *CLI) {
	if old, ok := st.clis[c.ID]; ok {
		st.deleteCLI(old.ID)
	}
	st.clis[c.ID] = c
	st.lastCLI = max(st.lastCLI, c.ID)
	k := mysqlKey(c.Number)
	ids := st.byNumber[k]
	i, _ := slices.BinarySearch(ids, c.ID)
	st.byNumber[k] = slices.Insert(ids, i, c.ID)
	m := st.byDevice[c.DeviceID]
	if m == nil {
		m = map[int64]*CLI{}
		st.byDevice[c.DeviceID] = m
	}
	m[c.ID] = c
}

func (st *state) deleteCLI(id int64) bool {
	c, ok := st.clis[id]
	if !ok {
		return false
	}
	delete(st.clis, id)
	k := mysqlKey(c.Number)
	ids := st.byNumber[k]
	if i, found := slices.BinarySearch(ids, id); found {
		ids = slices.Delete(ids, i, i+1)
	}
	if len(ids) == 0 {
		delete(st.byNumber, k)
	} else {
		st.byNumber[k] = ids
	}
	if m := st.byDevice[c.DeviceID]; m != nil {
		delete(m, id)
		if len(m) == 0 {
			delete(st.byDevice, c.DeviceID)
		}
	}
	return true
}

// clisByNumber returns the CLIs whose number equals number under MySQL's
// comparison, in id (database) order.
func (st *state) clisByNumber(number string) []*CLI {
	ids := st.byNumber[mysqlKey(number)]
	out := make([]*CLI, len(ids))
	for i, id := range ids {
		out[i] = st.clis[id]
	}
	return out
}

// deviceCLIs returns a device's CLIs in id order.
func (st *state) deviceCLIs(deviceID int64) []*CLI {
	m := st.byDevice[deviceID]
	out := make([]*CLI, 0, len(m))
	for _, c := range m {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *CLI) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// sortedDevices returns the devices that keep reports true, in id order.
func (st *state) sortedDevices(keep func(*Device) bool) []*Device {
	var out []*Device
	for _, d := range st.devices {
		if keep(d) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b *Device) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func cloneCLI(c *CLI) CLI {
	out := *c
	if c.Description != nil {
		out.Description = new(*c.Description)
	}
	if c.IVRID != nil {
		out.IVRID = new(*c.IVRID)
	}
	return out
}

// AddUser adds u, replacing any user with the same ID.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.users[u.ID] = &u
}

// User returns the user with the given ID.
func (s *Server) User(id int64) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.st.users[id]
	if !ok {
		return User{}, false
	}
	return *u, true
}

// RemoveUser deletes a user (its devices stay, now with "no user"). It
// reports whether the user existed.
func (s *Server) RemoveUser(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.st.users[id]
	delete(s.st.users, id)
	return ok
}

// AddDevice adds d, replacing any device with the same ID, and returns its
// ID; an ID of 0 is assigned the next free one.
func (s *Server) AddDevice(d Device) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d.ID == 0 {
		d.ID = s.st.lastDev + 1
	}
	s.st.lastDev = max(s.st.lastDev, d.ID)
	s.st.devices[d.ID] = &d
	return d.ID
}

// Device returns the device with the given ID.
func (s *Server) Device(id int64) (Device, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.st.devices[id]
	if !ok {
		return Device{}, false
	}
	return *d, true
}

// RemoveDevice deletes a device and keeps its CLIs, which then point to a
// device that is gone (as after a device deletion on the real server,
// which cli_add's uniqueness check cleans up). It reports whether the
// device existed.
func (s *Server) RemoveDevice(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.st.devices[id]
	delete(s.st.devices, id)
	return ok
}

// SetDeviceControlCID selects cliID as the device's "control CallerID by
// CIDs" CLI (0 clears it). It reports whether the device exists.
func (s *Server) SetDeviceControlCID(deviceID, cliID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.st.devices[deviceID]
	if ok {
		d.ControlCallerIDByCIDs = cliID
	}
	return ok
}

// AddIVR adds v, replacing any IVR with the same ID, and returns its ID; an
// ID of 0 is assigned the next free one.
func (s *Server) AddIVR(v IVR) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v.ID == 0 {
		v.ID = s.st.lastIVR + 1
	}
	s.st.lastIVR = max(s.st.lastIVR, v.ID)
	s.st.ivrs[v.ID] = &v
	return v.ID
}

// AddCLI stores c, replacing any CLI with the same ID, and returns its ID.
// An ID of 0 is assigned the next free one (as AUTO_INCREMENT would), a zero
// AddedAt is the server clock, a zero UpdatedAt is AddedAt. AddCLI checks
// nothing: seed duplicates or orphans on purpose to reach those branches.
func (s *Server) AddCLI(c CLI) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c = cloneCLI(&c)
	if c.ID == 0 {
		c.ID = s.st.lastCLI + 1
	}
	if c.AddedAt.IsZero() {
		c.AddedAt = s.now()
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.AddedAt
	}
	s.st.insertCLI(&c)
	return c.ID
}

// UpdateCLI applies fn to a copy of the CLI with the given ID and stores
// the result (fn must not change the ID). It reports whether the CLI exists.
// Use it, e.g., to set DeviceID to 0 (device_id NULL).
func (s *Server) UpdateCLI(id int64, fn func(*CLI)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.st.clis[id]
	if !ok {
		return false
	}
	cp := cloneCLI(c)
	fn(&cp)
	cp.ID = id
	s.st.insertCLI(&cp)
	return true
}

// RemoveCLI deletes a CLI directly, bypassing cli_delete's checks. It
// reports whether the CLI existed.
func (s *Server) RemoveCLI(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.deleteCLI(id)
}

// Users returns a snapshot of every user, in id order.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.st.users))
	for _, u := range s.st.users {
		out = append(out, *u)
	}
	slices.SortFunc(out, func(a, b User) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Devices returns a snapshot of every device, in id order.
func (s *Server) Devices() []Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Device, 0, len(s.st.devices))
	for _, d := range s.st.devices {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b Device) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// CLIs returns a snapshot of every stored CLI in id (database) order.
func (s *Server) CLIs() []CLI {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CLI, 0, len(s.st.clis))
	for _, c := range s.st.clis {
		out = append(out, cloneCLI(c))
	}
	slices.SortFunc(out, func(a, b CLI) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// CLI returns the first CLI (lowest id) whose number equals number as the
// server compares it (MySQL: case-insensitive, trailing spaces ignored).
func (s *Server) CLI(number string) (CLI, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.st.clisByNumber(number) {
		return cloneCLI(c), true
	}
	return CLI{}, false
}

// SetSettings sets the API settings of ownerID (0 for the admin, else a
// reseller's user ID).
func (s *Server) SetSettings(ownerID int64, set Settings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.settings[ownerID] = set
}

// SetAllowGET sets the admin's Allow_GET_API confline: when false (the
// default), GET requests of known users get "GET Requests are disabled".
func (s *Server) SetAllowGET(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.allowGET = on
}

// SetXMLExtension sets the admin's XML_API_Extension confline, which
// switches replies to text/xml and mor_api_response.xml (spec §1.2).
func (s *Server) SetXMLExtension(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.xmlExtension = on
}

// SetWire selects how reply bodies are encoded from now on.
func (s *Server) SetWire(w Wire) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.wire = w
}

// Requests returns how many requests reached method (an alias counts for
// the action it routes to: cli_get_info counts as cli_info_get), whatever
// their outcome. Unknown method names are counted under the name sent.
func (s *Server) Requests(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := aliases[method]; ok {
		method = m
	}
	return s.st.requests[method]
}
