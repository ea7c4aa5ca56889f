package mor

import (
	"errors"
	"strings"
)

// The server's error texts as data: each exact text (or a prefix, where the
// server appends a name or an address) maps to its own sentinel and to the
// family it belongs to. APIError.Is matches both, so callers branch as
// finely as they need:
//
//	errors.Is(err, mor.ErrDIDNotFound) // exactly "DID was not found"
//	errors.Is(err, mor.ErrNotFound)    // any "… was not found", "No … found"
//
// A text the table does not know is still an *APIError; it matches a family
// when it reads like one (familyFor's rules), and no sentinel.

// Family sentinels: every text of a family matches them as well as its own.
var (
	// ErrNotFound is the family of every "… was not found", "… not found",
	// "… were not found" and "No … found" reply (a missing user, device,
	// DID, tariff, record, or an empty list).
	ErrNotFound = errors.New("mor: not found")
	// ErrInvalidParams is the family of the server's validation refusals:
	// "… cannot be empty", "… must be …", "Please enter …", "… invalid".
	// The client's own checks before any I/O return *ValidationError with
	// a specific sentinel instead.
	ErrInvalidParams = errors.New("mor: invalid parameters")
	// ErrAlreadyExists is the family of uniqueness refusals: "… already
	// exists", "… is already taken", "… must be unique", "… is already used".
	ErrAlreadyExists = errors.New("mor: already exists")
)

// Sentinels of the accounts texts (users, devices, DIDs, phonebooks), where a
// caller would branch on them; the other texts match only their family.
var (
	// ErrServerConfig is a MOR installation missing a setting the call
	// needs: "Configuration error. Please contact System Administrator",
	// "Default user is not present", "Default user does not have and LCR set".
	ErrServerConfig = errors.New("mor: server configuration error")
	// ErrLoginFailed is user_login's "Login failed".
	ErrLoginFailed = errors.New("mor: login failed")
	// ErrLoginThrottled is "Please wait 10 seconds before trying to login again".
	ErrLoginThrottled = errors.New("mor: login throttled")
	// ErrUsersNotFound is users_get's "No Users found": nothing to list.
	ErrUsersNotFound = errors.New("mor: no users found")
	// ErrUsernameTaken is "Such username is already taken" and "Username has
	// already been taken".
	ErrUsernameTaken = errors.New("mor: username taken")
	// ErrEmailTaken is "Email ADDRESS is already used".
	ErrEmailTaken = errors.New("mor: email already used")
	// ErrRegistrationDisabled is "Registration over API is disabled".
	ErrRegistrationDisabled = errors.New("mor: registration over API is disabled")
	// ErrUserLimit is "This is a limited version. You can have only N Users.".
	ErrUserLimit = errors.New("mor: user limit reached")
	// ErrTariffNotFound is "Tariff was not found" (and "… cannot create").
	ErrTariffNotFound = errors.New("mor: tariff not found")
	// ErrExtensionTaken is "Extension already exists in User's PBX Pool".
	ErrExtensionTaken = errors.New("mor: extension taken")
	// ErrPINTaken is "PIN is already used".
	ErrPINTaken = errors.New("mor: PIN already used")
	// ErrDeviceNotCreated is device_create's "Device was not created"; the
	// model's reasons follow as further messages in APIError.Messages.
	ErrDeviceNotCreated = errors.New("mor: device not created")
	// ErrDeviceInUse is a device that cannot be deleted because something
	// uses it (forwarded calls, dial plans, a queue agent, location rules).
	ErrDeviceInUse = errors.New("mor: device in use")
	// ErrDIDNotFound is "DID was not found".
	ErrDIDNotFound = errors.New("mor: DID not found")
	// ErrDIDsNotFound is dids_get's "No DIDs found": nothing to list.
	ErrDIDsNotFound = errors.New("mor: no DIDs found")
	// ErrDIDExists is "DID already exists".
	ErrDIDExists = errors.New("mor: DID already exists")
	// ErrDIDNotFree is "DID is not free".
	ErrDIDNotFree = errors.New("mor: DID is not free")
	// ErrDIDAlreadyFree is "DID is already free".
	ErrDIDAlreadyFree = errors.New("mor: DID is already free")
	// ErrDIDAlreadyAssigned is "DID is already assigned".
	ErrDIDAlreadyAssigned = errors.New("mor: DID is already assigned")
	// ErrDIDTerminated is "DID is terminated".
	ErrDIDTerminated = errors.New("mor: DID is terminated")
	// ErrDIDNotCreated is "DID creation failed".
	ErrDIDNotCreated = errors.New("mor: DID not created")
	// ErrDIDNotAssigned is did_device_assign's "Device was not assigned".
	ErrDIDNotAssigned = errors.New("mor: DID not assigned")
	// ErrDIDNotUnassigned is "Failed to unassign DID".
	ErrDIDNotUnassigned = errors.New("mor: DID not unassigned")
	// ErrQuickForwardsNotFound is "Quickforwards list is empty".
	ErrQuickForwardsNotFound = errors.New("mor: no quick-forward DIDs")
	// ErrInvalidDID is "Invalid DID specified": a DID number that is blank
	// or not a number. The client's own check (digits only) uses it too.
	ErrInvalidDID = errors.New("mor: invalid DID number")
	// ErrProviderNotFound is "Provider was not found".
	ErrProviderNotFound = errors.New("mor: provider not found")
	// ErrCallLimitInvalid is "Call limit is incorrect format".
	ErrCallLimitInvalid = errors.New("mor: call limit is not a whole number")
	// ErrDIDNotActive is did_subscription_stop's "DID is not assigned to
	// Device": only an active (or already closed) DID can be closed.
	ErrDIDNotActive = errors.New("mor: DID is not active")
	// ErrDIDOnDialPlan is "DID is assigned to dialplan".
	ErrDIDOnDialPlan = errors.New("mor: DID is on a dial plan")
	// ErrDIDNotSaved is did_subscription_stop's "DID was not saved".
	ErrDIDNotSaved = errors.New("mor: DID not saved")
	// ErrQuickForwardInvalid is "Invalid Quickforward number".
	ErrQuickForwardInvalid = errors.New("mor: invalid quick-forward number")
	// ErrQuickForwardNotFound is "No Quickforward is assigned to specified
	// DID": the user has no forward on that DID.
	ErrQuickForwardNotFound = errors.New("mor: no quick-forward on that DID")
	// ErrPhonebookRecordNotFound is "Phonebook record was not found" and
	// "Record was not found".
	ErrPhonebookRecordNotFound = errors.New("mor: phonebook record not found")
	// ErrPhonebooksNotFound is phonebooks_get's "No Phonebooks".
	ErrPhonebooksNotFound = errors.New("mor: no phonebooks")
	// ErrSpeedDialTaken is "Speed dial must be unique".
	ErrSpeedDialTaken = errors.New("mor: speed dial taken")
)

// Sentinels of the calls texts.
var (
	// ErrRecordingsNotFound is recordings_get's "No Recordings found":
	// nothing to list (Calls.Recordings returns an empty list).
	ErrRecordingsNotFound = errors.New("mor: no recordings found")
	// ErrStatsUnavailable is quickstats_get's "Cannot connect to
	// Elasticsearch": the server's statistics store is down.
	ErrStatsUnavailable = errors.New("mor: call statistics unavailable")
)

// errorText is one server text. When err is a family sentinel the text has
// no sentinel of its own.
type errorText struct {
	text   string // exact text, or its start when prefix is set
	err    error  // its own sentinel
	family error  // ErrNotFound, ErrNotAuthorized, ErrInvalidParams, ErrAlreadyExists, or nil
	prefix bool   // the server appends details after text
}

var (
	nf  = ErrNotFound
	inv = ErrInvalidParams
	ae  = ErrAlreadyExists
	na  = ErrNotAuthorized
)

// errorGroups holds every error text the SDK knows, by domain.
var errorGroups = []struct {
	domain string
	texts  []errorText
}{
	{"gates", []errorText{
		{text: "Incorrect hash", err: ErrIncorrectHash},
		{text: "API must have Secret Key", err: ErrNoSecretKey},
		{text: "API Requests are disabled", err: ErrAPIDisabled},
		{text: "GET Requests are disabled", err: ErrGETDisabled},
		{text: "There is no such API", err: ErrNoSuchAPI},
		{text: "Bad login", err: ErrBadLogin},
		{text: "Access Denied", err: ErrAccessDenied},
		{text: "Configuration error. Please contact System Administrator", err: ErrServerConfig},
	}},
	{"rights", []errorText{
		{text: "You are not authorized", err: na, family: na, prefix: true},
		{text: "You are not authorised", err: na, family: na, prefix: true},
		{text: "Your are not authorized", err: na, family: na, prefix: true},
		{text: "You do not have rights", err: na, family: na, prefix: true},
	}},
	{"CLIs", []errorText{
		{text: "CLI must be numeric", err: ErrCLINotNumeric, family: inv},
		{text: "CLI is not a number", err: ErrCLINotNumeric, family: inv},
		{text: "CLI already exists", err: ErrCLIExists, family: ae},
		{text: cliExistsPrefix, err: ErrCLIExists, family: ae, prefix: true},
		{text: "CLI Number cannot be empty", err: ErrCLIEmpty, family: inv},
		{text: "CLI is empty", err: ErrCLIEmpty, family: inv},
		{text: "CLI must be provided", err: ErrCLIEmpty, family: inv},
		{text: "Device ID cannot be empty", err: ErrDeviceIDEmpty, family: inv},
		{text: "User device must be provided", err: ErrDeviceIDEmpty, family: inv},
		{text: "Device user not found", err: ErrDeviceUserNotFound, family: nf},
		{text: "IVR was not found", err: ErrIVRNotFound, family: nf},
		{text: "CLI was not found", err: ErrCLINotFound, family: nf},
		{text: "CLI not found", err: ErrCLINotFound, family: nf},
		{text: "CLIs were not found", err: ErrCLIsNotFound, family: nf},
		{text: "Device CID is assigned to Device", err: ErrCLIIsDeviceCID},
	}},
	{"users", []errorText{
		{text: "User was not found", err: ErrUserNotFound, family: nf},
		{text: "User not found", err: ErrUserNotFound, family: nf},
		{text: "No Users found", err: ErrUsersNotFound, family: nf},
		{text: "Login failed", err: ErrLoginFailed},
		{text: "Please wait 10 seconds before trying to login again", err: ErrLoginThrottled},
		{text: "Such username is already taken", err: ErrUsernameTaken, family: ae},
		{text: "Username has already been taken", err: ErrUsernameTaken, family: ae},
		{text: "Email ", err: ErrEmailTaken, family: ae, prefix: true}, // "Email x@y is already used"
		{text: "User with such phone number already exists", err: ae, family: ae},
		{text: "User with such fax number already exists", err: ae, family: ae},
		{text: "Group name must be unique", err: ae, family: ae},
		{text: "Registration over API is disabled", err: ErrRegistrationDisabled},
		{text: "This is a limited version.", err: ErrUserLimit, prefix: true},
		{text: "Default user is not present", err: ErrServerConfig},
		{text: "Default user does not have and LCR set", err: ErrServerConfig},
		{text: "Tariff was not found", err: ErrTariffNotFound, family: nf},
		{text: "Tariff was not found cannot create", err: ErrTariffNotFound, family: nf},
		{text: "LCR was not found", err: nf, family: nf},
		{text: "Location was not found", err: nf, family: nf},
		{text: "Permission Group was not Found", err: nf, family: nf},
		{text: "Permission Group was not selected", err: inv, family: inv},
		{text: "Responsible accountant is not valid", err: inv, family: inv},
		{text: "TAX Registration Number is not valid", err: inv, family: inv},
		{text: "Please fill field TAX Registration Number", err: inv, family: inv},
		{text: "Please enter username", err: inv, family: inv},
		{text: "Please enter password", err: inv, family: inv},
		{text: "Please enter password not equal to username", err: inv, family: inv},
		{text: "Please enter first name", err: inv, family: inv},
		{text: "Please enter last name", err: inv, family: inv},
		{text: "Please enter correct email", err: inv, family: inv},
		{text: "Please enter correct recordings email", err: inv, family: inv},
		{text: "Please select country", err: inv, family: inv},
		{text: "Passwords do not match", err: inv, family: inv},
		{text: "Password must contain at least one numeric value, capital and lowercase symbol", err: inv, family: inv},
		{text: "Password must be longer than ", err: inv, family: inv, prefix: true},
		{text: "Username must be longer than ", err: inv, family: inv, prefix: true},
	}},
	{"devices", []errorText{
		{text: "Device was not found", err: ErrDeviceNotFound, family: nf},
		{text: "Device not found", err: ErrDeviceNotFound, family: nf},
		{text: "Device was not created", err: ErrDeviceNotCreated},
		{text: "Extension already exists in User's PBX Pool", err: ErrExtensionTaken, family: ae},
		{text: "PIN is already used", err: ErrPINTaken, family: ae},
		{text: "Authentication details should be unique", err: ae, family: ae, prefix: true},
		{text: "Device has forwarded calls - we cannot delete it", err: ErrDeviceInUse},
		{text: "Device has Dial Plans - we cannot delete it", err: ErrDeviceInUse},
		{text: "Cannot delete device - it is assigned to Queue Agent", err: ErrDeviceInUse},
		{text: "One or more Location rules are using this Device", err: ErrDeviceInUse},
		{text: "Unable to delete this device - it is used in Call Flow for Fax Detect", err: ErrDeviceInUse},
		{text: "Cannot delete device - it has calls.", err: ErrDeviceInUse, prefix: true},
		{text: "Cannot delete device - it is assigned to Queue", err: ErrDeviceInUse},
		{text: "Cannot delete Device - it is assigned to Alerts", err: ErrDeviceInUse},
		{text: "user_id is empty", err: inv, family: inv},
		{text: "Password is too short", err: inv, family: inv},
		{text: "Local device was not found", err: nf, family: nf},
		{text: "FAX device was not found", err: nf, family: nf},
		{text: "External number was not found", err: nf, family: nf},
		{text: "Callflow state was not found", err: nf, family: nf},
		{text: "Callflow action was not found", err: nf, family: nf},
		{text: "PBX Pool was not found", err: nf, family: nf},
		{text: "PIN must be numeric", err: inv, family: inv},
		{text: "CallerID must be numeric", err: inv, family: inv},
		{text: "External number must be numeric", err: inv, family: inv},
		{text: "Device group invalid", err: inv, family: inv},
		{text: "Device type invalid", err: inv, family: inv},
		{text: "Enter device type", err: inv, family: inv},
		{text: "Device Call Timeout must be greater than or equal to 0", err: inv, family: inv},
		{text: "Missing forward parameters", err: inv, family: inv},
		{text: "Device must have name", err: inv, family: inv},
		{text: "Name and password cannot be equal", err: inv, family: inv},
	}},
	{"DIDs", []errorText{
		{text: "DID was not found", err: ErrDIDNotFound, family: nf},
		{text: "No DIDs found", err: ErrDIDsNotFound, family: nf},
		{text: "DID already exists", err: ErrDIDExists, family: ae},
		{text: "DID is not free", err: ErrDIDNotFree},
		{text: "DID is already free", err: ErrDIDAlreadyFree},
		{text: "DID is already assigned", err: ErrDIDAlreadyAssigned},
		{text: "DID is terminated", err: ErrDIDTerminated},
		{text: "DID creation failed", err: ErrDIDNotCreated},
		{text: "Device was not assigned", err: ErrDIDNotAssigned},
		{text: "Failed to unassign DID", err: ErrDIDNotUnassigned},
		{text: "Quickforwards list is empty", err: ErrQuickForwardsNotFound, family: nf},
		{text: "Provider was not found", err: ErrProviderNotFound, family: nf},
		{text: "Quickforward Rule was not found", err: nf, family: nf},
		{text: "Invalid DID specified", err: ErrInvalidDID, family: inv},
		{text: "Call limit is incorrect format", err: ErrCallLimitInvalid, family: inv},
		{text: "DID is not assigned to Device", err: ErrDIDNotActive},
		{text: "DID is assigned to dialplan", err: ErrDIDOnDialPlan},
		{text: didNotSaved, err: ErrDIDNotSaved},
		{text: "Invalid Quickforward number", err: ErrQuickForwardInvalid, family: inv},
		{text: "No Quickforward is assigned to specified DID", err: ErrQuickForwardNotFound, family: nf},
	}},
	{"phonebooks", []errorText{
		{text: "Phonebook record was not found", err: ErrPhonebookRecordNotFound, family: nf},
		{text: "Record was not found", err: ErrPhonebookRecordNotFound, family: nf},
		{text: "No Phonebooks", err: ErrPhonebooksNotFound, family: nf},
		{text: "Speed dial must be unique", err: ErrSpeedDialTaken, family: ae},
		{text: "Speed Dial should have at least two digits", err: inv, family: inv},
		{text: "Speed Dial name must be provided", err: inv, family: inv},
		{text: "Speed Dial must be numeric", err: inv, family: inv},
		{text: "Record number should have at least one digit", err: inv, family: inv},
		{text: "Record number must be numeric", err: inv, family: inv},
	}},
	{"calls", []errorText{
		{text: "No Recordings found", err: ErrRecordingsNotFound, family: nf},
		{text: "Date from is incorrect format", err: inv, family: inv},
		{text: "Date till is incorrect format", err: inv, family: inv},
		{text: "Date from is greater than date till", err: inv, family: inv},
		{text: "Cannot connect to Elasticsearch", err: ErrStatsUnavailable},
	}},
}

// exactTexts and prefixTexts index errorGroups.
var exactTexts, prefixTexts = indexErrorTexts()

func indexErrorTexts() (map[string]*errorText, []*errorText) {
	exact := map[string]*errorText{}
	var prefixes []*errorText
	for g := range errorGroups {
		for i := range errorGroups[g].texts {
			e := &errorGroups[g].texts[i]
			if e.prefix {
				prefixes = append(prefixes, e)
			} else {
				exact[e.text] = e
			}
		}
	}
	return exact, prefixes
}

// lookupText returns the table row of one server message, or nil.
func lookupText(msg string) *errorText {
	msg = strings.TrimSpace(msg)
	if e, ok := exactTexts[msg]; ok {
		return e
	}
	for _, e := range prefixTexts {
		if strings.HasPrefix(msg, e.text) && len(msg) > len(e.text) && e.matchesRest(msg[len(e.text):]) {
			return e
		}
	}
	return nil
}

// matchesRest checks what follows a prefix where the text also has a fixed end.
func (e *errorText) matchesRest(rest string) bool {
	switch e.err {
	case ErrEmailTaken:
		return strings.HasSuffix(rest, " is already used")
	}
	return true
}

// familyFor returns the family of one server message: the table's, else the
// family its wording shows (so a text a newer server adds still matches
// ErrNotFound and the like), else nil.
func familyFor(msg string) error {
	if e := lookupText(msg); e != nil {
		return e.family
	}
	return wordingFamily(msg)
}

// wordingFamily is the family a text's wording shows, or nil.
func wordingFamily(msg string) error {
	m := strings.ToLower(strings.TrimSpace(msg))
	switch {
	case strings.HasSuffix(m, " not found"), strings.HasPrefix(m, "no ") && strings.HasSuffix(m, " found"):
		return ErrNotFound
	case strings.HasPrefix(m, "you are not authori"), strings.HasPrefix(m, "your are not authori"),
		strings.HasPrefix(m, "you do not have rights"):
		return ErrNotAuthorized
	case strings.Contains(m, " already exists"), strings.Contains(m, " is already taken"),
		strings.Contains(m, " has already been taken"), strings.HasSuffix(m, " must be unique"),
		strings.HasSuffix(m, " is already used"):
		return ErrAlreadyExists
	case strings.HasSuffix(m, " cannot be empty"), strings.Contains(m, " must be "), strings.HasPrefix(m, "please enter "),
		strings.HasSuffix(m, " invalid"), strings.HasSuffix(m, " is not valid"):
		return ErrInvalidParams
	}
	return nil
}
