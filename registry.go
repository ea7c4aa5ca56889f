package mor

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The method registry: every action of the 2018 MOR server, every alias
// route, and what the SDK needs to know about each one (its group, whether it
// reads, writes or moves money, how it is signed, and which reply texts mean
// success). Retries, InDoubt, Hash and Call all read it, so that there is one
// source of truth.

// MethodKind says what a method does to the server's state. It decides
// whether a call may be retried and whether a failed call may have taken
// effect (InDoubt).
type MethodKind int

const (
	// KindRead only reads. Repeating it changes nothing that matters, so it
	// may be retried. This includes the legacy readers (login_form,
	// main_page, user_devices, …), which also set the caller's "logged in"
	// flag: setting it again is harmless.
	KindRead MethodKind = iota + 1
	// KindWrite changes state (creates, updates, deletes, logs in or out,
	// sends e-mail). It is never retried once it may have reached the server.
	KindWrite
	// KindMoney is a write that moves money: a balance, a payment, a card's
	// value or a billed call. It is never retried.
	KindMoney
)

// String returns "read", "write" or "money".
func (k MethodKind) String() string {
	switch k {
	case KindRead:
		return "read"
	case KindWrite:
		return "write"
	case KindMoney:
		return "money"
	}
	return "MethodKind(" + strconv.Itoa(int(k)) + ")"
}

// HashMode names how the server checks a method's hash.
type HashMode int

const (
	// HashGlobal: the values of every sent parameter that is in the server's
	// global key order, in that order (a method with no such parameter is
	// signed with the secret alone).
	HashGlobal HashMode = iota + 1
	// HashFixed: exactly the method's own short key list
	// (MethodInfo.FixedKeys), raw values, in that order.
	HashFixed
	// HashNone: the server does not check a hash for this method. The Client
	// still sends one (computed as for HashGlobal); it is ignored.
	HashNone
)

// String returns "global", "fixed" or "none".
func (m HashMode) String() string {
	switch m {
	case HashGlobal:
		return "global"
	case HashFixed:
		return "fixed"
	case HashNone:
		return "none"
	}
	return "HashMode(" + strconv.Itoa(int(m)) + ")"
}

// The groups of MethodInfo.Group.
const (
	GroupUsers      = "users"      // users, login and logout, reseller groups
	GroupDevices    = "devices"    // devices and their call flows
	GroupCLIs       = "clis"       // caller numbers attached to devices
	GroupDIDs       = "dids"       // DIDs and quick-forward DIDs
	GroupTariffs    = "tariffs"    // tariffs and rates
	GroupMoney      = "money"      // balances, payments, vouchers, invoices, credit notes
	GroupCalls      = "calls"      // call records, statistics, recordings
	GroupCallback   = "callback"   // callback call origination
	GroupPhonebooks = "phonebooks" // speed-dial phonebooks
	GroupCards      = "cards"      // calling cards and card groups
	GroupSMS        = "sms"        // SMS sending and subscriptions
	GroupServices   = "services"   // services and subscriptions
	GroupSystem     = "system"     // version, e-mail, settings, PBX pools
)

// MethodInfo describes one MOR API method or alias route.
type MethodInfo struct {
	// Name is the route name, as in /api/<Name>.
	Name string
	// Action is the action the server runs: Name itself, or for an alias
	// route the action it reaches (login → user_login). The server hashes
	// and checks an alias exactly as its action.
	Action string
	// Group is one of the Group* constants.
	Group string
	// Kind says whether the method reads, writes or moves money.
	Kind MethodKind
	// Hash says how the server checks the method's hash.
	Hash HashMode
	// FixedKeys is the key list of a HashFixed method, in hash order; empty
	// when such a method is signed with the secret alone. Nil for the other
	// modes.
	FixedKeys []string
	// Success lists the exact texts (compared after trimming white space)
	// of the method's success reply: in <status><success>TEXT</success></status>,
	// or in a <status>TEXT</status> that is a child of the reply's root (or
	// of another <status>, a nested <page> or a <response>), the reply's
	// root being <page> unless the method answers otherwise (<action> for
	// user_login and user_logout, <Status> for callback_init). Call refuses
	// a reply to such a method that carries none of them. Nil for a method
	// that answers with data instead.
	Success []string
	// SuccessPrefixes are starts of success texts whose end varies
	// ("Cards created: " + "5/5"); a text that starts with one, and goes on,
	// is success too.
	SuccessPrefixes []string
	// Legacy marks the old actions kept for MOR's own pages (not
	// hash-checked, each marks the caller as logged in).
	Legacy bool
	// Large marks a method whose reply can be very large: it has no paging
	// and grows with the account (a list, a tariff, call records).
	Large bool
	// Calls names the SDK's typed calls for the action, as Service.Method
	// ("CLIs.Add"; a large list has its streaming All beside List). Empty
	// when the action is reachable only through Client.Call.
	Calls []string
}

// methodEntry is one action of the registry table.
type methodEntry struct {
	name    string
	group   string
	kind    MethodKind
	hash    HashMode
	keys    []string // HashFixed only; empty means "secret only"
	aliases []string
	legacy  bool
	large   bool
	// root is the success reply's root element; "" means page.
	root    string
	success []string
	// prefixes are starts of success texts that carry a variable part
	// ("Cards created: 5/5").
	prefixes []string
}

// actionTable is every action of the 2018 server (91, plus the dead
// monitoring_addon_activate route) with its alias routes.
var actionTable = [...]methodEntry{
	// users
	{name: "user_login", group: GroupUsers, kind: KindWrite, hash: HashNone, aliases: []string{"login"}, root: "action", success: []string{"ok"}},
	{name: "user_logout", group: GroupUsers, kind: KindWrite, hash: HashGlobal, aliases: []string{"logout"}, root: "action", success: []string{"ok"}},
	{name: "user_details_get", group: GroupUsers, kind: KindRead, hash: HashGlobal, aliases: []string{"user_details"}},
	{name: "user_details_update", group: GroupUsers, kind: KindWrite, hash: HashGlobal, aliases: []string{"user_update_api"}, success: []string{"User was updated"}},
	{name: "user_register", group: GroupUsers, kind: KindWrite, hash: HashGlobal, success: []string{"Registration successful"}},
	{name: "users_get", group: GroupUsers, kind: KindRead, hash: HashFixed, keys: []string{"u", "p"}, large: true},
	{name: "reseller_group_create", group: GroupUsers, kind: KindWrite, hash: HashGlobal, success: []string{"Reseller Group successfully created"}},
	{name: "login_form", group: GroupUsers, kind: KindRead, hash: HashNone, legacy: true},
	// devices
	{name: "devices_get", group: GroupDevices, kind: KindRead, hash: HashGlobal, aliases: []string{"device_list"}},
	{name: "device_details_get", group: GroupDevices, kind: KindRead, hash: HashGlobal},
	// The callshop addon appends " <br> " and a notice to "Device created".
	{name: "device_create", group: GroupDevices, kind: KindWrite, hash: HashGlobal, success: []string{"Device created"}, prefixes: []string{"Device created <br> "}},
	{name: "device_update", group: GroupDevices, kind: KindWrite, hash: HashFixed, keys: []string{"device", "authentication", "username", "host", "port"}, success: []string{"Device successfully updated"}},
	{name: "device_delete", group: GroupDevices, kind: KindWrite, hash: HashGlobal, aliases: []string{"device_destroy"}, success: []string{"Device was deleted"}},
	{name: "device_callflow_get", group: GroupDevices, kind: KindRead, hash: HashGlobal},
	{name: "device_callflow_update", group: GroupDevices, kind: KindWrite, hash: HashGlobal, success: []string{"Callflow was successfully updated"}},
	{name: "morphone_details_get", group: GroupDevices, kind: KindRead, hash: HashNone},
	{name: "user_devices", group: GroupDevices, kind: KindRead, hash: HashNone, legacy: true},
	// CLIs
	{name: "cli_add", group: GroupCLIs, kind: KindWrite, hash: HashGlobal, success: []string{"CLI successfully created"}},
	{name: "cli_delete", group: GroupCLIs, kind: KindWrite, hash: HashGlobal, success: []string{"CLI successfully deleted"}},
	{name: "cli_info_get", group: GroupCLIs, kind: KindRead, hash: HashGlobal, aliases: []string{"cli_get_info"}},
	{name: "device_clis_get", group: GroupCLIs, kind: KindRead, hash: HashGlobal, large: true},
	// DIDs
	{name: "dids_get", group: GroupDIDs, kind: KindRead, hash: HashGlobal, large: true},
	{name: "did_create", group: GroupDIDs, kind: KindWrite, hash: HashGlobal, success: []string{"DID created"}},
	{name: "did_device_assign", group: GroupDIDs, kind: KindWrite, hash: HashGlobal, aliases: []string{"did_assign_device"}, success: []string{"Device assigned to DID"}},
	{name: "did_device_unassign", group: GroupDIDs, kind: KindWrite, hash: HashGlobal, aliases: []string{"did_unassign_device"}, success: []string{"Device was unassigned from DID"}},
	{name: "did_details_update", group: GroupDIDs, kind: KindWrite, hash: HashGlobal, success: []string{"DID details successfully updated"}},
	{name: "did_subscription_stop", group: GroupDIDs, kind: KindWrite, hash: HashFixed, keys: []string{"dids_id"}, success: []string{"DID was successfully closed"}},
	{name: "quickforwards_dids_get", group: GroupDIDs, kind: KindRead, hash: HashGlobal},
	{name: "quickforwards_did_update", group: GroupDIDs, kind: KindWrite, hash: HashGlobal},
	{name: "quickforwards_did_delete", group: GroupDIDs, kind: KindWrite, hash: HashGlobal, success: []string{"Quickforward successfully deleted"}},
	// tariffs and rates
	{name: "tariff_rates_get", group: GroupTariffs, kind: KindRead, hash: HashGlobal, aliases: []string{"get_tariff"}, large: true},
	{name: "rate_get", group: GroupTariffs, kind: KindRead, hash: HashGlobal, aliases: []string{"rate"}},
	{name: "tariff_retail_import", group: GroupTariffs, kind: KindWrite, hash: HashGlobal, aliases: []string{"import_tariff_retail"}},
	{name: "tariff_wholesale_update", group: GroupTariffs, kind: KindWrite, hash: HashGlobal, aliases: []string{"wholesale_tariff"}, success: []string{"ok"}},
	{name: "user_rates", group: GroupTariffs, kind: KindRead, hash: HashNone, legacy: true, large: true},
	{name: "dg_list_user_destinations", group: GroupTariffs, kind: KindRead, hash: HashNone, legacy: true},
	// balances, payments, invoices
	{name: "user_balance_get", group: GroupMoney, kind: KindRead, hash: HashGlobal, aliases: []string{"balance"}},
	{name: "user_simple_balance_get", group: GroupMoney, kind: KindRead, hash: HashNone, aliases: []string{"simple_balance"}},
	{name: "user_balance_get_by_psw", group: GroupMoney, kind: KindRead, hash: HashNone},
	{name: "user_balance_get_by_username", group: GroupMoney, kind: KindRead, hash: HashNone},
	{name: "user_balance_update", group: GroupMoney, kind: KindMoney, hash: HashGlobal, aliases: []string{"user_balance_change"}, success: []string{"User balance updated"}},
	{name: "payment_create", group: GroupMoney, kind: KindMoney, hash: HashGlobal, aliases: []string{"create_payment"}, success: []string{"ok"}},
	{name: "payments_get", group: GroupMoney, kind: KindRead, hash: HashGlobal, aliases: []string{"payments_list"}, large: true},
	{name: "invoices_get", group: GroupMoney, kind: KindRead, hash: HashGlobal, aliases: []string{"invoices"}, large: true},
	{name: "invoice_xlsx_generate", group: GroupMoney, kind: KindWrite, hash: HashNone, success: []string{"XLSX file successfully created"}},
	{name: "credit_notes_get", group: GroupMoney, kind: KindRead, hash: HashGlobal, aliases: []string{"credit_notes"}},
	{name: "credit_note_create", group: GroupMoney, kind: KindWrite, hash: HashGlobal, success: []string{"Credit note was created"}},
	{name: "credit_note_update", group: GroupMoney, kind: KindMoney, hash: HashGlobal, success: []string{"Credit note was updated"}},
	{name: "credit_note_delete", group: GroupMoney, kind: KindWrite, hash: HashGlobal, success: []string{"Credit note was deleted"}},
	{name: "financial_statements_get", group: GroupMoney, kind: KindRead, hash: HashGlobal, aliases: []string{"financial_statements"}},
	{name: "voucher_use", group: GroupMoney, kind: KindMoney, hash: HashFixed, keys: []string{"voucher_number"}, success: []string{"Voucher used to update balance"}},
	{name: "personal_payments", group: GroupMoney, kind: KindRead, hash: HashNone, legacy: true},
	{name: "user_invoices", group: GroupMoney, kind: KindRead, hash: HashNone, legacy: true},
	// calls, statistics, recordings
	{name: "user_calls_get", group: GroupCalls, kind: KindRead, hash: HashGlobal, aliases: []string{"user_calls"}, large: true},
	{name: "quickstats_get", group: GroupCalls, kind: KindRead, hash: HashFixed, keys: []string{"u"}},
	{name: "recordings_get", group: GroupCalls, kind: KindRead, hash: HashFixed, keys: []string{}, large: true},
	{name: "main_page", group: GroupCalls, kind: KindRead, hash: HashNone, legacy: true},
	{name: "new_calls_list", group: GroupCalls, kind: KindRead, hash: HashNone, legacy: true},
	// callback
	{name: "callback_init", group: GroupCallback, kind: KindMoney, hash: HashGlobal, aliases: []string{"callback"}, root: "Status", success: []string{"Ok"}},
	// phonebooks
	{name: "phonebooks_get", group: GroupPhonebooks, kind: KindRead, hash: HashGlobal, aliases: []string{"phonebooks"}},
	{name: "phonebook_edit", group: GroupPhonebooks, kind: KindWrite, hash: HashGlobal, success: []string{"Phonebook saved"}},
	{name: "phonebook_record_create", group: GroupPhonebooks, kind: KindWrite, hash: HashGlobal, success: []string{"Record successfully added"}},
	{name: "phonebook_record_delete", group: GroupPhonebooks, kind: KindWrite, hash: HashGlobal, success: []string{"Phonebook record successfully deleted"}},
	// calling cards
	{name: "card_by_cli_update", group: GroupCards, kind: KindMoney, hash: HashGlobal, aliases: []string{"cc_by_cli"}, success: []string{"ok"}},
	{name: "cc_by_cli_old", group: GroupCards, kind: KindMoney, hash: HashGlobal, success: []string{"ok"}},
	{name: "card_group_get", group: GroupCards, kind: KindRead, hash: HashGlobal, aliases: []string{"show_calling_card_group"}},
	{name: "card_from_group_sell", group: GroupCards, kind: KindMoney, hash: HashGlobal, aliases: []string{"buy_card_from_callingroup"}},
	{name: "card_balance_get", group: GroupCards, kind: KindRead, hash: HashGlobal},
	{name: "card_payment_add", group: GroupCards, kind: KindMoney, hash: HashGlobal, success: []string{"Calling Card balance successfully updated"}},
	{name: "calling_cards_get", group: GroupCards, kind: KindRead, hash: HashFixed, keys: []string{}, large: true},
	{name: "calling_cards_create", group: GroupCards, kind: KindWrite, hash: HashFixed, keys: []string{"card_group_id", "cards_from", "cards_till"}, prefixes: []string{"Cards created: "}},
	{name: "calling_card_update", group: GroupCards, kind: KindWrite, hash: HashFixed, keys: []string{"card_id"}, success: []string{"Calling Card successfully updated"}},
	{name: "cc_groups_get", group: GroupCards, kind: KindRead, hash: HashFixed, keys: []string{}},
	{name: "cc_group_create", group: GroupCards, kind: KindWrite, hash: HashFixed, keys: []string{"name"}, success: []string{"Card Group was successfully created"}},
	{name: "cc_group_update", group: GroupCards, kind: KindWrite, hash: HashFixed, keys: []string{"cc_group_id"}, success: []string{"Card Group was successfully updated"}},
	// SMS
	{name: "sms_send", group: GroupSMS, kind: KindMoney, hash: HashGlobal, aliases: []string{"send_sms"}, success: []string{"ok"}},
	{name: "user_sms_get", group: GroupSMS, kind: KindRead, hash: HashFixed, keys: []string{}, large: true},
	{name: "user_sms_service_subscribe", group: GroupSMS, kind: KindWrite, hash: HashFixed, keys: []string{"user_id", "sms_tariff_id"}, success: []string{"User successfully subscribed to SMS service"}},
	// services and subscriptions
	{name: "services_get", group: GroupServices, kind: KindRead, hash: HashGlobal},
	{name: "service_create", group: GroupServices, kind: KindWrite, hash: HashGlobal, success: []string{"Service successfully created"}},
	{name: "service_update", group: GroupServices, kind: KindWrite, hash: HashGlobal, success: []string{"Service successfully updated"}},
	{name: "service_delete", group: GroupServices, kind: KindWrite, hash: HashGlobal, success: []string{"Service was successfully deleted"}},
	{name: "subscriptions_get", group: GroupServices, kind: KindRead, hash: HashFixed, keys: []string{}, large: true},
	{name: "subscription_create", group: GroupServices, kind: KindMoney, hash: HashGlobal, success: []string{"Subscription was successfully created"}},
	{name: "subscription_update", group: GroupServices, kind: KindWrite, hash: HashFixed, keys: []string{"subscription_id"}, success: []string{"Subscription was successfully updated"}},
	{name: "subscription_delete", group: GroupServices, kind: KindMoney, hash: HashFixed, keys: []string{"subscription_id", "subscription_delete_action"},
		success: []string{"Subscription deleted", "Subscription disabled", "Subscription deleted and money returned"}},
	{name: "user_subscriptions", group: GroupServices, kind: KindRead, hash: HashNone, legacy: true},
	// system
	{name: "system_version_get", group: GroupSystem, kind: KindRead, hash: HashGlobal, aliases: []string{"get_version"}},
	{name: "email_send", group: GroupSystem, kind: KindWrite, hash: HashGlobal, aliases: []string{"send_email"}},
	{name: "conflines_update", group: GroupSystem, kind: KindWrite, hash: HashGlobal, success: []string{"Conflines successfully updated"}},
	{name: "pbx_pool_create", group: GroupSystem, kind: KindWrite, hash: HashFixed, keys: []string{"name"}, success: []string{"PBX Pool was succesfully created"}}, // sic
	// A route with no action in 2018 ("There is no such API"); newer servers
	// activate the monitoring addon with it, so it counts as a write.
	{name: "monitoring_addon_activate", group: GroupSystem, kind: KindWrite, hash: HashNone, aliases: []string{"ma_activate"}},
}

// Derived views of actionTable, built once.
var (
	// registry maps every action and alias name to its entry.
	registry = map[string]*methodEntry{}
	// methodAliases maps each alias route to its action.
	methodAliases = map[string]string{}
	// fixedHashKeys maps each HashFixed action to its key list; an empty,
	// non-nil list means "secret only".
	fixedHashKeys = map[string][]string{}
	// methodList is Methods' result, sorted by name.
	methodList []MethodInfo
)

func init() {
	for i := range actionTable {
		e := &actionTable[i]
		registry[e.name] = e
		if e.hash == HashFixed {
			fixedHashKeys[e.name] = e.keys
		}
		for _, a := range e.aliases {
			registry[a] = e
			methodAliases[a] = e.name
		}
	}
	for name, e := range registry {
		methodList = append(methodList, e.info(name))
	}
	slices.SortFunc(methodList, func(a, b MethodInfo) int { return strings.Compare(a.Name, b.Name) })
}

// info returns the public description of e reached as name.
func (e *methodEntry) info(name string) MethodInfo {
	mi := MethodInfo{Name: name, Action: e.name, Group: e.group, Kind: e.kind, Hash: e.hash,
		Success: slices.Clone(e.success), SuccessPrefixes: slices.Clone(e.prefixes), Legacy: e.legacy, Large: e.large,
		Calls: slices.Clone(typedCalls[e.name])}
	if e.hash == HashFixed {
		mi.FixedKeys = append([]string{}, e.keys...)
	}
	return mi
}

// Methods returns every method the 2018 MOR server routes, actions and
// alias routes alike, sorted by Name. The result is a copy.
func Methods() []MethodInfo {
	out := make([]MethodInfo, len(methodList))
	for i, mi := range methodList {
		mi.FixedKeys = slices.Clone(mi.FixedKeys)
		mi.Success = slices.Clone(mi.Success)
		mi.SuccessPrefixes = slices.Clone(mi.SuccessPrefixes)
		mi.Calls = slices.Clone(mi.Calls)
		out[i] = mi
	}
	return out
}

// LookupMethod returns what the registry knows about name, an action or an
// alias route (for an alias, Action is the action it reaches). ok is false
// for a name the 2018 server does not route, for example a method of a newer
// MOR release.
func LookupMethod(name string) (MethodInfo, bool) {
	e, ok := registry[name]
	if !ok {
		return MethodInfo{}, false
	}
	return e.info(name), true
}

// methodKind returns the kind of a known method, or 0 for an unknown one.
func methodKind(name string) MethodKind {
	if e, ok := registry[name]; ok {
		return e.kind
	}
	return 0
}

// successSpec returns the success texts of a method that declares them.
func successSpec(method string) (*methodEntry, bool) {
	e, ok := registry[method]
	if !ok || len(e.success) == 0 && len(e.prefixes) == 0 {
		return nil, false
	}
	return e, true
}

// isSuccess reports whether text (trimmed) is one of e's success texts.
func (e *methodEntry) isSuccess(text string) bool {
	text = strings.TrimSpace(text)
	if slices.Contains(e.success, text) {
		return true
	}
	for _, p := range e.prefixes {
		if strings.HasPrefix(text, p) && len(text) > len(p) {
			return true
		}
	}
	return false
}

// successRoot is the root element of e's success reply.
func (e *methodEntry) successRoot() string {
	if e.root == "" {
		return "page"
	}
	return e.root
}

// decodeSuccessGeneric is Call's decoder for a method with success texts:
// the reply must pass decodeSuccess, then out is filled as by decodeGeneric.
func decodeSuccessGeneric(method string, r io.Reader, out any) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return readErr(method, "reading body", err)
	}
	if err := decodeSuccess(method, bytes.NewReader(raw)); err != nil {
		return err
	}
	return decodeGeneric(method, bytes.NewReader(raw), out)
}

// typedCalls maps each typed action to the SDK calls that implement it
// (MethodInfo.Calls). TestTypedCallsMatchServices keeps it equal to the
// services' exported methods, both ways.
var typedCalls = map[string][]string{
	"cli_add":         {"CLIs.Add"},
	"cli_delete":      {"CLIs.Delete"},
	"cli_info_get":    {"CLIs.Info"},
	"device_clis_get": {"CLIs.List", "CLIs.All"},
	// money: invoices, credit notes, statements, services, subscriptions
	"invoices_get":             {"Invoices.List", "Invoices.All"},
	"credit_notes_get":         {"CreditNotes.List", "CreditNotes.FindByNumber"},
	"credit_note_create":       {"CreditNotes.Create"},
	"credit_note_update":       {"CreditNotes.Update"},
	"credit_note_delete":       {"CreditNotes.Delete"},
	"financial_statements_get": {"Statements.Get"},
	"services_get":             {"Services.List"},
	"service_create":           {"Services.Create"},
	"service_update":           {"Services.Update"},
	"service_delete":           {"Services.Delete"},
	"subscriptions_get":        {"Subscriptions.List", "Subscriptions.All", "Subscriptions.Find"},
	"subscription_create":      {"Subscriptions.Create"},
	"subscription_update":      {"Subscriptions.Update"},
	"subscription_delete":      {"Subscriptions.Delete"},
	// users
	"user_login":            {"Users.Login"},
	"user_logout":           {"Users.Logout"},
	"user_details_get":      {"Users.Details"},
	"user_details_update":   {"Users.Update"},
	"user_register":         {"Users.Register"},
	"users_get":             {"Users.List", "Users.All"},
	"reseller_group_create": {"Users.CreateResellerGroup"},
	// calling cards and SMS
	"card_by_cli_update":         {"Cards.TopUpByCLI"},
	"card_group_get":             {"Cards.Group"},
	"card_from_group_sell":       {"Cards.Sell", "Cards.SellCard"},
	"card_balance_get":           {"Cards.Balance"},
	"card_payment_add":           {"Cards.AddPayment"},
	"calling_cards_get":          {"Cards.List", "Cards.All"},
	"calling_cards_create":       {"Cards.Create"},
	"calling_card_update":        {"Cards.Update"},
	"cc_groups_get":              {"Cards.Groups"},
	"cc_group_create":            {"Cards.CreateGroup"},
	"cc_group_update":            {"Cards.UpdateGroup"},
	"sms_send":                   {"SMS.Send"},
	"user_sms_get":               {"SMS.List", "SMS.All"},
	"user_sms_service_subscribe": {"SMS.Subscribe"},

	"devices_get":            {"Devices.List"},
	"device_details_get":     {"Devices.Details"},
	"device_create":          {"Devices.Create"},
	"device_update":          {"Devices.Update"},
	"device_delete":          {"Devices.Delete"},
	"device_callflow_get":    {"Devices.Callflows"},
	"device_callflow_update": {"Devices.UpdateCallflow"},
	"morphone_details_get":   {"Devices.Morphone"},
	// DIDs
	"dids_get":                 {"DIDs.List", "DIDs.All", "DIDs.Get"},
	"did_create":               {"DIDs.Create"},
	"did_device_assign":        {"DIDs.Assign"},
	"did_device_unassign":      {"DIDs.Unassign"},
	"did_details_update":       {"DIDs.Update"},
	"did_subscription_stop":    {"DIDs.StopSubscription"},
	"quickforwards_dids_get":   {"DIDs.QuickForwards"},
	"quickforwards_did_update": {"DIDs.UpdateQuickForward"},
	"quickforwards_did_delete": {"DIDs.DeleteQuickForward"},
	// calls
	"user_calls_get": {"Calls.List", "Calls.All"},
	"recordings_get": {"Calls.Recordings", "Calls.AllRecordings"},
	"quickstats_get": {"Calls.QuickStats"},
	// balances, payments, vouchers
	"user_balance_get":             {"Balances.Get"},
	"user_simple_balance_get":      {"Balances.GetSimple"},
	"user_balance_get_by_username": {"Balances.GetByDeviceUsername"},
	"user_balance_update":          {"Balances.Update"},
	"payment_create":               {"Payments.Create"},
	"payments_get":                 {"Payments.List", "Payments.All", "Payments.FindByTransaction", "Vouchers.Redemptions"},
	"voucher_use":                  {"Vouchers.Use"},
	// phonebooks
	"phonebooks_get":          {"Phonebooks.List", "Phonebooks.All", "Phonebooks.FindBySpeedDial"},
	"phonebook_edit":          {"Phonebooks.Edit"},
	"phonebook_record_create": {"Phonebooks.Create"},
	"phonebook_record_delete": {"Phonebooks.Delete"},
	"tariff_rates_get":        {"Rates.Export", "Rates.ExportAll"},
	"rate_get":                {"Rates.Get", "Rates.Active"},
	"tariff_retail_import":    {"Rates.ImportRetail"},
	"tariff_wholesale_update": {"Rates.UpdateWholesale"},
	"system_version_get":      {"System.Version"},
	"callback_init":           {"System.Callback"},
	"email_send":              {"System.SendEmail", "System.RenderEmail"},
	"conflines_update":        {"System.UpdateConflines"},
	"pbx_pool_create":         {"System.CreatePBXPool"},
}
