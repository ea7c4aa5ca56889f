package mortest

import (
	"strings"

	mor "github.com/morbilling/mor-go"
)

// cliActions are the CLI family's endpoints: check_user, every one
// hash-checked.
var cliActions = endpoints{
	"cli_add":         {run: simple((*Server).cliAdd), caller: byU, hash: true},
	"cli_delete":      {run: simple((*Server).cliDelete), caller: byU, hash: true},
	"cli_info_get":    {run: simple((*Server).cliInfoGet), caller: byU, hash: true},
	"device_clis_get": {run: simple((*Server).deviceCLIsGet), caller: byU, hash: true},
}

// The four CLI actions. Each runs with s.mu held and the
// caller resolved by the gates (nil when u matched nobody). A nil result is
// the real server's empty-body crash.

// ownerRef is the owner_id a non-admin caller's targets must have: the
// caller's own id, or 0 for an accountant (admin staff).
func ownerRef(c *User) int64 {
	if c.Type == Accountant {
		return 0
	}
	return c.ID
}

// niceName is the user's display name: "first last", or the username when
// that is only spaces.
func niceName(u *User) string {
	n := u.FirstName + " " + u.LastName
	if strings.Trim(n, " ") == "" {
		return u.Username
	}
	return n
}

// cliAdd is cli_add: every request check is evaluated and the first message
// wins; then the model validations, each its own <error>.
func (s *Server) cliAdd(c *User, p params) []byte {
	st := s.st
	var errs []string
	add := func(msg string) { errs = append(errs, msg) }

	number, domain := p["cli_number"], p["cli_domain"]
	// Newer MOR: a CLI may have a number, a domain, or both. A
	// request with a non-blank cli_domain may leave cli_number blank; the
	// number checks below are then skipped.
	domainOnly := rubyBlank(number) && !rubyBlank(domain)

	if c == nil {
		add("Access Denied")
	}
	if c != nil && c.Type == Accountant && s.st.right(c, "device_manage") != RightEdit {
		add("You are not authorized to view this page")
	}
	if c != nil && c.Type == Accountant && p.has("ivr_id") && s.st.right(c, "cli_ivr") != RightEdit {
		add("You do not have rights to edit this")
	}
	if rubyBlank(number) && !domainOnly {
		add("CLI Number cannot be empty")
	}
	if rubyBlank(p["device_id"]) {
		add("Device ID cannot be empty")
	}
	deviceID := rubyToI(p["device_id"])
	dev := st.devices[deviceID]
	if c != nil {
		switch {
		case dev == nil:
			add("Device was not found")
		case isAdmin(c):
			du := st.users[dev.UserID]
			if du == nil {
				return nil // the server reads the missing user's type and raises
			}
			if du.Type == Reseller {
				add("Device was not found")
			}
		default:
			du := st.users[dev.UserID]
			if du == nil || du.OwnerID != ownerRef(c) {
				add("Device was not found")
			}
		}
	}
	var ivrID int64
	if p.has("ivr_id") {
		ivrID = rubyToI(p["ivr_id"])
		iv := st.ivrs[ivrID]
		if c == nil || iv == nil || iv.UserID != c.ID {
			add("IVR was not found")
		}
	}
	if len(errs) > 0 {
		return shapeB(errs[0])
	}

	// Model validations, uniqueness first.
	if !domainOnly {
		n := removeWhitespace(number)
		// Orphans first: stored CLIs equal to n whose device is gone.
		for _, old := range st.clisByNumber(n) {
			if st.devices[old.DeviceID] == nil {
				st.deleteCLI(old.ID)
			}
		}
		if dups := st.clisByNumber(n); len(dups) > 0 {
			add(duplicateMessage(st, c, dups[0]))
		}
		// Ruby's strict Float() and the model's 0x test: the same rule the
		// SDK checks before sending.
		if !mor.IsNumericCLI(number) {
			add("CLI must be numeric")
		}
	}
	if len(errs) > 0 {
		return shapeB(errs...)
	}

	now := s.now()
	rec := &CLI{
		ID:        st.lastCLI + 1,
		Number:    number,
		Domain:    domain,
		DeviceID:  deviceID,
		Comment:   p["comment"],
		Banned:    rubyToI(p["banned"]),
		AddedAt:   now,
		UpdatedAt: now,
	}
	if d := p["cli_description"]; !rubyBlank(d) {
		rec.Description = &d
	}
	if p.has("ivr_id") {
		rec.IVRID = &ivrID
	}
	st.insertCLI(rec)
	return success("CLI successfully created")
}

// duplicateMessage names who holds an existing CLI, relative to the
// caller.
func duplicateMessage(st *state, c *User, dup *CLI) string {
	const generic = "CLI already exists"
	dev := st.devices[dup.DeviceID]
	if dev == nil {
		return generic
	}
	u := st.users[dev.UserID]
	if u == nil {
		return generic
	}
	if u.OwnerID == c.ID {
		return "CLI already exists. It is assigned to " + niceName(u) + " device"
	}
	if o := st.users[u.OwnerID]; o != nil && o.OwnerID == c.ID {
		return "CLI already exists. It is assigned to " + niceName(o) + " device"
	}
	return generic
}

// cliDelete is cli_delete: an if/else chain, one message.
func (s *Server) cliDelete(c *User, p params) []byte {
	st := s.st
	if c == nil || c.Type == SimpleUser {
		return shapeB("Access Denied")
	}
	if c.Type == Accountant && s.st.right(c, "device_manage") != RightEdit {
		return shapeB("You are not authorized to use this functionality")
	}
	number := p["cli_number"]
	// A blank number never matches, not even a domain-only CLI (stored "").
	if mysqlKey(number) == "" {
		return shapeB("CLI was not found")
	}
	found := st.clisByNumber(number)
	if len(found) == 0 {
		return shapeB("CLI was not found")
	}
	cli := found[0]
	dev := st.devices[cli.DeviceID]
	if !isAdmin(c) {
		var du *User
		if dev != nil {
			du = st.users[dev.UserID]
		}
		if du == nil {
			if c.Type == Accountant {
				return nil // the accountant branch reads the missing device/user and raises
			}
			return shapeB("CLI was not found")
		}
		allowed := du.OwnerID == ownerRef(c)
		if c.Type == Accountant && isAdmin(du) {
			allowed = false
		}
		if !allowed {
			return shapeB("CLI was not found")
		}
	}
	if dev != nil && dev.ControlCallerIDByCIDs == cli.ID {
		return shapeB("Device CID is assigned to Device")
	}
	st.deleteCLI(cli.ID)
	return success("CLI successfully deleted")
}

// cliInfoGet is cli_info_get: one message, shape C.
func (s *Server) cliInfoGet(c *User, p params) []byte {
	st := s.st
	if c == nil {
		return shapeC("Bad login")
	}
	if c.Type == Accountant && s.st.right(c, "device_manage") < RightRead {
		return shapeC("You are not authorized to view this page")
	}
	if c.Type != Admin && c.Type != Reseller && c.Type != Accountant {
		return shapeC("Access Denied")
	}
	number := rubyStrip(p["cli"])
	if number == "" {
		return shapeC("CLI is empty")
	}
	found := st.clisByNumber(number)
	if len(found) == 0 {
		return shapeC("CLI not found")
	}
	cli := found[0]
	dev := st.devices[cli.DeviceID]
	if dev == nil {
		return shapeC("Device not found")
	}
	du := st.users[dev.UserID]
	if du == nil {
		return shapeC("Device user not found")
	}
	want := c.ID
	if isAdmin(c) || c.Type == Accountant {
		want = 0
	}
	if du.OwnerID != want {
		return shapeC("CLI not found")
	}
	return render(el("page", el("cli", el("device",
		leafInt("user_id", du.ID),
		leafInt("device_id", dev.ID),
	))))
}

// deviceCLIsGet is device_clis_get.
func (s *Server) deviceCLIsGet(c *User, p params) []byte {
	st := s.st
	if c == nil {
		return nil // reads the nil caller's type before its own "Bad login" branch
	}
	switch {
	case c.Type == SimpleUser:
		return shapeB("Access Denied")
	case c.Type == Partner:
		return shapeB("You are not authorized to use this functionality")
	case c.Type == Accountant && s.st.right(c, "device_manage") < RightRead:
		return shapeB("You are not authorized to use this functionality")
	}
	// visible is the set of users whose CLIs the caller may list.
	visible := func(u *User) bool {
		switch {
		case u == nil:
			return false
		case c.Type == Accountant:
			return u.OwnerID == 0 && u.Type == SimpleUser
		case c.Type == Reseller:
			return u.OwnerID == c.ID && u.ID != c.ID
		}
		return true // admin
	}
	// listed: a user's device list skips accountcode 0 and server devices.
	listed := func(d *Device) bool {
		return !d.ZeroAccountcode && !strings.HasPrefix(d.Name, "mor_server_")
	}

	usersID, hasUser := p["users_id"]
	devicesID, hasDevice := p["devices_id"]
	var user *User
	if hasUser {
		if allDigits(usersID) {
			user = st.users[parseDigits(usersID)]
		}
		if !visible(user) {
			return shapeB("User was not found")
		}
	}
	var device *Device
	if hasDevice {
		if allDigits(devicesID) {
			device = st.devices[parseDigits(devicesID)]
		}
		if device == nil {
			return shapeB("Device was not found")
		}
	}

	var devs []*Device
	switch {
	case hasUser && hasDevice:
		devs = st.sortedDevices(func(d *Device) bool { return d.UserID == user.ID && listed(d) && d.ID == device.ID })
	case hasUser:
		devs = st.sortedDevices(func(d *Device) bool { return d.UserID == user.ID && listed(d) })
	case hasDevice:
		if isAdmin(c) || visible(st.users[device.UserID]) {
			devs = []*Device{device}
		}
	default:
		devs = st.sortedDevices(func(d *Device) bool { return isAdmin(c) || visible(st.users[d.UserID]) })
	}

	var recs []node
	for _, d := range devs {
		for _, cli := range st.deviceCLIs(d.ID) {
			recs = append(recs, s.cliRecord(cli, d)...)
		}
	}
	if len(recs) == 0 {
		return shapeB("CLIs were not found")
	}
	return render(el("page", el("status", recs...)))
}

// cliRecord is one CLI of device_clis_get, flat.
func (s *Server) cliRecord(cli *CLI, d *Device) []node {
	out := make([]node, 0, 11)
	out = append(out, leafInt("cli_id", cli.ID), leaf("cli_cli", cli.Number))
	if cli.Domain != "" {
		out = append(out, leaf("cli_domain", cli.Domain))
	}
	if d == nil {
		out = append(out, leafPtr("cli_device", nil))
	} else {
		out = append(out, leaf("cli_device", deviceName(d)))
	}
	out = append(out,
		leafPtr("cli_description", cli.Description),
		leaf("cli_added_at", formatTime(cli.AddedAt, s.loc)),
		leaf("cli_updated_at", formatTime(cli.UpdatedAt, s.loc)),
	)
	switch {
	case cli.IVRID == nil:
		out = append(out, leafPtr("cli_ivr", nil))
	case *cli.IVRID == 0:
		// no element
	default:
		if iv := s.st.ivrs[*cli.IVRID]; iv != nil {
			out = append(out, leaf("cli_ivr", iv.Name))
		} else {
			out = append(out, leafPtr("cli_ivr", nil))
		}
	}
	return append(out,
		leaf("cli_comment", cli.Comment),
		leafInt("cli_email_callback", cli.EmailCallback),
		leafInt("cli_banned", cli.Banned),
	)
}

// deviceName is the cli_device text: type/name, or the type alone when
// the name is empty or already part of the type.
func deviceName(d *Device) string {
	if d.Name == "" || strings.Contains(d.Type, d.Name) {
		return d.Type
	}
	return d.Type + "/" + d.Name
}
