package mortest

import (
	"cmp"
	"slices"
	"time"
)

// CLI is one row of the callerids table.
type CLI struct {
	ID     int64  // primary key (id)
	Number string // the "cli" column, stored exactly as sent
	// Domain is newer MOR's cli_domain; empty when not set.
	Domain   string
	DeviceID int64 // 0: the CLI has no device (device_id NULL)
	// Description is nil for SQL NULL (what cli_add stores for a blank
	// description) and renders as <cli_description/>; "" renders as
	// <cli_description></cli_description>.
	Description *string
	Comment     string // comment (comment)
	Banned      int64  // banned (banned)
	// IVRID is nil for SQL NULL (cli_add without ivr_id; listed as an empty
	// <cli_ivr/>), 0 for "no IVR" (no <cli_ivr> element at all), else the IVR.
	IVRID         *int64
	EmailCallback int64     // email_callback
	AddedAt       time.Time // zero: set to the server clock by AddCLI
	UpdatedAt     time.Time // zero: AddedAt
}

// Settings are one owner's API settings (conflines Allow_API,
// API_Secret_Key and API_Disable_hash_checking). The owner is the admin (0)
// or a reseller; the settings of every other user are never read.
type Settings struct {
	AllowAPI         bool   // the Allow_API confline
	Secret           string // the API secret (API_Secret_Key confline)
	DisableHashCheck bool   // the API_Disable_hash_checking confline
}

// state is the fake's database. Every field is guarded by Server.mu; the
// tables are made once in newState and never reassigned.
type state struct {
	users        table[User]
	devices      table[Device]
	addresses    table[Address]
	taxes        table[Tax]
	accGroups    table[AccGroup]
	directions   table[Direction]
	currencies   table[Currency]
	actions      table[Action]
	deviceGroups table[DeviceGroup]
	codecs       table[Codec]
	deviceCodecs table[DeviceCodec]
	callflows    table[Callflow]
	locations    table[Location]
	pdfFaxEmails table[PDFFaxEmail]
	ivrs         table[IVR]
	dids         table[DID]
	providers    table[Provider]
	dialplans    table[Dialplan]
	qfRules      table[QuickforwardsRule]
	qfDIDs       table[QuickforwardDID]
	tariffs      table[Tariff]
	lcrs         table[LCR]
	pbxPools     table[PBXPool]
	phonebooks   table[Phonebook]
	// money: invoices, credit notes, payments, services, subscriptions
	invoices      table[Invoice]
	creditNotes   table[CreditNote]
	payments      table[Payment]
	services      table[Service]
	subscriptions table[Subscription]
	vouchers      table[Voucher]
	seq           map[string]int64 // AUTO_INCREMENT: highest id ever stored, per table name
	rateTables                     // the calls, rates and system group's tables (model_rates.go)

	clis     map[int64]*CLI
	byNumber map[string][]int64 // mysqlKey(number) → CLI ids, ascending
	byDevice map[int64]map[int64]*CLI
	lastCLI  int64

	conflines map[confKey]Confline
	cards     *cardTables // calling cards and SMS (model_cards.go), made on first use

	calls *callsState // the calls group's tables (model_calls.go), made on first use

	wire     Wire
	requests map[string]int
}

func newState() *state {
	return &state{
		users: table[User]{}, devices: table[Device]{}, addresses: table[Address]{}, taxes: table[Tax]{},
		accGroups: table[AccGroup]{}, directions: table[Direction]{}, currencies: table[Currency]{},
		actions: table[Action]{}, deviceGroups: table[DeviceGroup]{}, codecs: table[Codec]{},
		deviceCodecs: table[DeviceCodec]{}, callflows: table[Callflow]{}, locations: table[Location]{},
		pdfFaxEmails: table[PDFFaxEmail]{}, ivrs: table[IVR]{}, dids: table[DID]{}, providers: table[Provider]{},
		dialplans: table[Dialplan]{}, qfRules: table[QuickforwardsRule]{}, qfDIDs: table[QuickforwardDID]{},
		tariffs: table[Tariff]{}, lcrs: table[LCR]{}, pbxPools: table[PBXPool]{}, phonebooks: table[Phonebook]{},
		invoices: table[Invoice]{}, creditNotes: table[CreditNote]{}, payments: table[Payment]{},
		services: table[Service]{}, subscriptions: table[Subscription]{}, vouchers: table[Voucher]{},
		rateTables: newRateTables(), seq: map[string]int64{},
		clis:      map[int64]*CLI{},
		byNumber:  map[string][]int64{},
		byDevice:  map[int64]map[int64]*CLI{},
		conflines: map[confKey]Confline{},
		requests:  map[string]int{},
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
	return sortedRows(st.devices, keep)
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

// AddUser adds u, replacing any user with the same ID (ID 0 is the
// admin; it is never renumbered).
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	put(s.st, s.st.users, u, false)
}

// User returns the user with the given ID.
func (s *Server) User(id int64) (User, bool) { return getRow(s, s.st.users, id) }

// UpdateUser applies fn to a copy of the user with the given ID and stores
// the result (the ID cannot change). It reports whether the user exists.
func (s *Server) UpdateUser(id int64, fn func(*User)) bool { return updateRow(s, s.st.users, id, fn) }

// RemoveUser deletes a user (its devices stay, now with "no user"). It
// reports whether the user existed.
func (s *Server) RemoveUser(id int64) bool { return removeRow(s, s.st.users, id) }

// AddDevice adds d, replacing any device with the same ID, and returns its
// ID; an ID of 0 is assigned the next free one.
func (s *Server) AddDevice(d Device) int64 { return addRow(s, s.st.devices, d) }

// Device returns the device with the given ID.
func (s *Server) Device(id int64) (Device, bool) { return getRow(s, s.st.devices, id) }

// UpdateDevice applies fn to a copy of the device with the given ID and
// stores the result (the ID cannot change). It reports whether the device
// exists.
func (s *Server) UpdateDevice(id int64, fn func(*Device)) bool {
	return updateRow(s, s.st.devices, id, fn)
}

// RemoveDevice deletes a device and keeps its CLIs, which then point to a
// device that is gone (as after a device deletion on the real server,
// which cli_add's uniqueness check cleans up). It reports whether the
// device existed.
func (s *Server) RemoveDevice(id int64) bool { return removeRow(s, s.st.devices, id) }

// SetDeviceControlCID selects cliID as the device's "control CallerID by
// CIDs" CLI (0 clears it). It reports whether the device exists.
func (s *Server) SetDeviceControlCID(deviceID, cliID int64) bool {
	return s.UpdateDevice(deviceID, func(d *Device) { d.ControlCallerIDByCIDs = cliID })
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
func (s *Server) Users() []User { return listRows(s, s.st.users) }

// Devices returns a snapshot of every device, in id order.
func (s *Server) Devices() []Device { return listRows(s, s.st.devices) }

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
// reseller's user ID): its conflines Allow_API, API_Secret_Key and
// API_Disable_hash_checking.
func (s *Server) SetSettings(ownerID int64, set Settings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	st.setConf(ownerID, confAllowAPI, boolConf(set.AllowAPI))
	st.setConf(ownerID, confSecret, set.Secret)
	st.setConf(ownerID, confNoHashCheck, boolConf(set.DisableHashCheck))
}

// Settings returns the API settings of ownerID, read from its conflines.
func (s *Server) Settings(ownerID int64) Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.settings(ownerID)
}

// settings reads owner's API conflines. s.mu is held.
func (st *state) settings(owner int64) Settings {
	return Settings{
		AllowAPI:         st.confline(owner, confAllowAPI) == "1",
		Secret:           st.confline(owner, confSecret),
		DisableHashCheck: st.confline(owner, confNoHashCheck) == "1",
	}
}

func boolConf(on bool) string {
	if on {
		return "1"
	}
	return "0"
}

// setConf sets a confline's value, keeping its value2. s.mu is held.
func (st *state) setConf(owner int64, name, value string) {
	k := confKey{owner, name}
	c := st.conflines[k]
	c.Value = value
	st.conflines[k] = c
}

// SetConfline stores the confline name of owner (0 the admin, else a
// reseller's id). The gates read Allow_API, API_Secret_Key,
// API_Disable_hash_checking, and the admin's Allow_GET_API and
// XML_API_Extension, from these rows.
func (s *Server) SetConfline(owner int64, name string, c Confline) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.conflines[confKey{owner, name}] = c
}

// Confline returns the confline name of owner, and false when there is no
// such row (the server then reads "").
func (s *Server) Confline(owner int64, name string) (Confline, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.st.conflines[confKey{owner, name}]
	return c, ok
}

// RemoveConfline deletes the confline name of owner. It reports whether
// the row existed.
func (s *Server) RemoveConfline(owner int64, name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := confKey{owner, name}
	_, ok := s.st.conflines[k]
	delete(s.st.conflines, k)
	return ok
}

// Conflines returns a snapshot of owner's conflines by name.
func (s *Server) Conflines(owner int64) map[string]Confline {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]Confline{}
	for k, c := range s.st.conflines {
		if k.owner == owner {
			out[k.name] = c
		}
	}
	return out
}

// SetAllowGET sets the admin's Allow_GET_API confline: when false (the
// default), GET requests of known users get "GET Requests are disabled".
func (s *Server) SetAllowGET(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.setConf(0, confAllowGET, boolConf(on))
}

// SetXMLExtension sets the admin's XML_API_Extension confline, which
// switches replies to text/xml and mor_api_response.xml.
func (s *Server) SetXMLExtension(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.setConf(0, confXMLExtension, boolConf(on))
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
