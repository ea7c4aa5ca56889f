package mor

import (
	"crypto/sha1"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
)

// The MOR hash rule, kept as data so that a reader can check it
// line by line against the server:
//
//	hash = lowercase hex SHA-1(v1 + v2 + … + vN + secret)
//
// Which values go in, and in which order, comes from one of two sources:
//
//  1. fixedHashKeys: a short per-method list, derived from the
//     method registry (registry.go). Exactly those keys, raw values, a missing
//     key contributes nothing.
//  2. globalHashOrder: for every other method (all four CLI methods among
//     them), each key of the server's 209-name list that is present in the
//     request and passes its filter contributes its value, in list
//     order. Keys outside the list (u, p, test, hash, cli, comment, …) are
//     never hashed.

// globalHashOrder is the server's canonical key order (SRC-MODEL
// check_params_with_all_keys), all 209 names exactly as the server lists them,
// typos included. Three of them are never collected (neverCollected) and so
// never contribute.
var globalHashOrder = [...]string{
	"user_id", "period_start", "period_end", "direction", "calltype", "device", "balance", "users", "block", "email", "mtype",
	"tariff_id", "u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9",
	"u10", "u11", "u12", "u13", "u14", "u15", "u16", "u17", "u18", "u19", "u20",
	"u21", "u22", "u23", "u24", "u25", "u26", "u27", "u28", "ay", "am", "ad",
	"by", "bm", "bd", "pswd", "user_warning_email_hour", "pgui", "pcsv", "ppdf", "recording_forced_enabled", "i4", "tax4_enabled",
	"tax2_enabled", "accountant_type_invalid", "block_at_conditional", "tax3_enabled", "accountant_type", "tax1_value", "show_zero_calls", "warning_email_active", "compound_tax", "tax4_name", "allow_loss_calls",
	"tax3_name", "tax2_name", "credit", "tax1_name", "total_tax_name", "tax2_value", "tax4_value", "i1", "tax3_value", "cyberplat_active", "i2",
	"i3", "recording_enabled", "email_warning_sent_test", "own_providers", "a0", "a1", "a2", "a3", "a4", "a5", "a6",
	"a7", "a8", "a9", "s_user", "s_call_type", "s_device", "s_provider", "s_hgc", "s_did", "s_destination", "order_by",
	"order_desc", "only_did", "description", "pin", "type", "devicegroup_id", "phonebook_id", "number", "name", "speeddial", "s_user_id",
	"s_from", "provider_id", "s_till", "s_transaction", "s_completed", "s_username", "s_first_name", "s_last_name", "s_paymenttype", "s_amount_max", "s_currency",
	"s_number", "s_pin", "p_currency", "paymenttype", "tax_in_amount", "amount", "transaction", "payer_email", "fee", "id", "quantity",
	"callerid", "cardgroup_id", "status", "date_from", "date_till", "s_reseller_did", "s_did_pattern", "lcr_id", "dst", "src", "message",
	"server_ip", "device_type", "device_username", "device_password", "login_url", "login_username", "username", "first_name", "last_name", "full_name", "nice_balance",
	"warning_email_balance", "nice_warning_email_balance", "currency", "user_email", "company_email", "company", "primary_device_pin", "login_password", "user_ip", "date", "auth_code",
	"transaction_id", "customer_name", "company_name", "url", "trans_id", "cc_purchase_details", "payment_amount", "payment_payer_first_name", "payment_payer_last_name", "payment_payer_email", "payment_seller_email",
	"payment_receiver_email", "payment_date", "payment_free", "payment_currency", "payment_type", "payment_fee", "call_list", "email_name", "email_to_user_id", "caller_id", "device_id",
	"calldate", "source", "destination", "billsec", "calls_string", "did", "forward_to", "callflow_action", "state", "forward_to_device", "external_number",
	"did_id", "device_calerid", "src_callerid", "custom", "fax_device", "device_location_id", "location_id", "cli_number", "new_service_name", "new_service_type", "service_id",
}

// neverCollected are names in globalHashOrder that the server's collector
// never fills, with the reason shown by ExplainHash.
var neverCollected = map[string]string{
	"user_warning_email_hour": "the server collects it under the fused name user_warning_email_hourpgui (missing comma), so it is never hashed",
	"pgui":                    "the server collects it under the fused name user_warning_email_hourpgui (missing comma), so it is never hashed",
	"device_calerid":          "the order lists this misspelling while the server collects device_callerid, so it is never hashed",
}

// collectedNotOrdered are names the server collects that the order list does
// not contain; ExplainHash names the quirk.
var collectedNotOrdered = map[string]string{
	"user_warning_email_hourpgui": "collected by the server (fused name quirk) but absent from the global order, so never hashed",
	"device_callerid":             "collected by the server but the order lists the misspelling device_calerid, so never hashed",
	"shipped_at":                  "collected by the server but absent from the global order, so never hashed",
}

// filterKind says how the server screens one key's value before hashing it.
type filterKind uint8

const (
	filterAny         filterKind = iota // present → as sent
	filterInt                           // digits only → integer normalised
	filterDigits                        // digits only → as sent
	filterDigitsOrAll                   // digits only, or "all" → as sent
	filterDirection                     // outgoing | incoming
	filterCalltype                      // one of calltypes
	filterBalance                       // only 0-9 . + -
	filterUsers                         // postpaid | prepaid | all | digits and commas
	filterBlock                         // contains true or false
	filterNumber                        // any, except for card_from_group_sell
	filterNeverHashed                   // listed but never collected
)

var keyFilters = map[string]filterKind{
	"user_id":      filterInt,
	"period_start": filterInt,
	"period_end":   filterInt,
	"tariff_id":    filterInt,
	"only_did":     filterInt,
	"direction":    filterDirection,
	"calltype":     filterCalltype,
	"device":       filterDigitsOrAll,
	"s_device":     filterDigitsOrAll,
	"s_provider":   filterDigitsOrAll,
	"s_hgc":        filterDigitsOrAll,
	"s_did":        filterDigitsOrAll,
	"balance":      filterBalance,
	"users":        filterUsers,
	"block":        filterBlock,
	"mtype":        filterDigits,
	"s_user":       filterDigits,
	"s_user_id":    filterDigits,
	"s_from":       filterDigits,
	"s_till":       filterDigits,
	"number":       filterNumber,
	// lcr_id has a digits-only filter in the source, but a later unconditional
	// copy overrides it: any value is hashed.
	"lcr_id":                  filterAny,
	"user_warning_email_hour": filterNeverHashed,
	"pgui":                    filterNeverHashed,
	"device_calerid":          filterNeverHashed,
}

var calltypes = map[string]bool{
	"all": true, "answered": true, "busy": true, "no_answer": true, "failed": true,
	"missed": true, "missed_inc": true, "missed_inc_all": true, "missed_not_processed_inc": true,
}

// orderEntry is one globalHashOrder name with its position and filter,
// precomputed so that Hash does one map lookup per request parameter.
type orderEntry struct {
	pos    uint16
	filter filterKind
}

var globalIndex = func() map[string]orderEntry {
	m := make(map[string]orderEntry, len(globalHashOrder))
	for i, k := range globalHashOrder {
		m[k] = orderEntry{pos: uint16(i), filter: keyFilters[k]}
	}
	return m
}()

// canonicalMethod resolves alias routes to the action name the server uses.
func canonicalMethod(method string) string {
	if m, ok := methodAliases[method]; ok {
		return m
	}
	return method
}

// lastValue is the value the server sees for a repeated name: the last one.
func lastValue(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// normaliseInt mirrors Ruby's to_i on a digits-only string: leading zeros
// vanish and "" becomes "0". It returns a substring, so it never allocates.
func normaliseInt(s string) string {
	s = strings.TrimLeft(s, "0")
	if s == "" {
		return "0"
	}
	return s
}

// usersMatches mirrors the server's line-anchored Ruby regexp
// /^(postpaid|prepaid|all|[\d,]+)$/: any one line that matches is enough.
func usersMatches(v string) bool {
	for line := range strings.SplitSeq(v, "\n") {
		switch line {
		case "postpaid", "prepaid", "all":
			return true
		}
		if line != "" && strings.Trim(line, "0123456789,") == "" {
			return true
		}
	}
	return false
}

// applyFilter returns the value a key contributes and whether it contributes
// at all; why says, for a dropped value, which rule dropped it.
func applyFilter(method string, f filterKind, v string) (hashed string, ok bool, why string) {
	switch f {
	case filterAny:
		return v, true, ""
	case filterInt:
		if !isDigits(v) {
			return "", false, "value is not digits only"
		}
		return normaliseInt(v), true, ""
	case filterDigits:
		if !isDigits(v) {
			return "", false, "value is not digits only"
		}
		return v, true, ""
	case filterDigitsOrAll:
		if v != "all" && !isDigits(v) {
			return "", false, `value is neither digits only nor "all"`
		}
		return v, true, ""
	case filterDirection:
		if v != "outgoing" && v != "incoming" {
			return "", false, `value is neither "outgoing" nor "incoming"`
		}
		return v, true, ""
	case filterCalltype:
		if !calltypes[v] {
			return "", false, "value is not a known calltype"
		}
		return v, true, ""
	case filterBalance:
		if strings.Trim(v, "0123456789.+-") != "" {
			return "", false, "value has characters other than 0-9 . + -"
		}
		return v, true, ""
	case filterUsers:
		if !usersMatches(v) {
			return "", false, "value is not postpaid, prepaid, all, or digits and commas"
		}
		return v, true, ""
	case filterBlock:
		if !strings.Contains(v, "true") && !strings.Contains(v, "false") {
			return "", false, `value contains neither "true" nor "false"`
		}
		return v, true, ""
	case filterNumber:
		if method == "card_from_group_sell" {
			return "", false, "card_from_group_sell never hashes number"
		}
		return v, true, ""
	default: // filterNeverHashed
		return "", false, "listed in the order but never collected by the server"
	}
}

// fixedKeysFor returns the fixed key list for method, applying the admin
// exception, and whether the method uses a fixed list.
func fixedKeysFor(method string, params url.Values) ([]string, bool) {
	keys, ok := fixedHashKeys[method]
	if ok && adminException(method, params) {
		keys = nil
	}
	return keys, ok
}

// adminException reports whether the server empties a fixed key list: when
// u is literally "admin" and the call is quickstats_get, or any fixed-list
// call carries an api_path parameter whose value contains "quickstats_get"
// (the server tests the request's api_path for that name, not the action).
func adminException(method string, params url.Values) bool {
	if vs := params["u"]; len(vs) == 0 || lastValue(vs) != "admin" {
		return false
	}
	if method == "quickstats_get" {
		return true
	}
	vs := params["api_path"]
	return len(vs) > 0 && strings.Contains(lastValue(vs), "quickstats_get")
}

// sent reports whether url.Values.Encode sends name at all: a name with no
// values is left out of the body, so the server never sees it.
func sent(params url.Values, name string) ([]string, bool) {
	vs, ok := params[name]
	return vs, ok && len(vs) > 0
}

// maxStackParams bounds the parameters Hash sorts on the stack; a larger
// request falls back to the heap.
const maxStackParams = 48

// Hash returns the hash the MOR server expects for method called with params,
// signed with secret: lowercase hex SHA-1 of the hashed values in the
// server's order, then the secret. It implements the whole rule for
// every method: the fixed-key table, the global canonical order with its
// per-key filters and integer normalisation, the quirks, and the admin
// exception: when u is "admin", quickstats_get (or any fixed-list method
// called with an api_path parameter naming quickstats_get) hashes the secret
// alone. A parameter named hash in params is ignored.
//
// An alias route (login, balance, buy_card_from_callingroup, …) is hashed as
// the action it reaches. A name with no values (url.Values{"x": {}}) is not
// sent by url.Values.Encode, so it is not hashed either. Only the last value
// of a repeated name counts, as on the server. Hash does not modify params.
//
// A blank secret (empty or only white space) can never match: a server whose
// API owner has no key answers "API must have Secret Key" (ErrNoSecretKey)
// whatever hash is sent, and a blank key is not a usable secret. Hash still
// returns the SHA-1 of the values alone; it does not report the problem.
func Hash(method string, params url.Values, secret string) string {
	var stack [512]byte
	pre := appendHashInput(stack[:0], method, params)
	pre = append(pre, secret...)
	sum := sha1.Sum(pre)
	clear(pre) // the pre-image holds the secret: don't leave it in memory
	var out [sha1.Size * 2]byte
	hex.Encode(out[:], sum[:])
	return string(out[:])
}

// appendHashInput appends the hashed values (without the secret) to dst.
func appendHashInput(dst []byte, method string, params url.Values) []byte {
	method = canonicalMethod(method)
	if keys, fixed := fixedKeysFor(method, params); fixed {
		for _, k := range keys {
			if vs, ok := sent(params, k); ok {
				dst = append(dst, lastValue(vs)...)
			}
		}
		return dst
	}
	var stackPos [maxStackParams]uint16
	positions := stackPos[:0]
	for k, vs := range params {
		if e, ok := globalIndex[k]; ok && len(vs) > 0 {
			positions = append(positions, e.pos)
		}
	}
	// Insertion sort: requests carry a handful of hashed keys.
	for i := 1; i < len(positions); i++ {
		for j := i; j > 0 && positions[j] < positions[j-1]; j-- {
			positions[j], positions[j-1] = positions[j-1], positions[j]
		}
	}
	for _, p := range positions {
		k := globalHashOrder[p]
		if v, ok, _ := applyFilter(method, keyFilters[k], lastValue(params[k])); ok {
			dst = append(dst, v...)
		}
	}
	return dst
}

// HashKeys returns the names of the parameters whose values the server hashes
// for method called with params, in hash order. Keys whose value fails the
// server's filter, and keys outside the rule, are left out; use ExplainHash
// to see why.
func HashKeys(method string, params url.Values) []string {
	e := ExplainHash(method, params)
	keys := make([]string, len(e.Hashed))
	for i, s := range e.Hashed {
		keys[i] = s.Key
	}
	return keys
}

// HashRule names which of the server's two hash rules a method follows.
type HashRule string

const (
	// HashRuleFixed is a per-method fixed key list (MethodInfo.FixedKeys).
	HashRuleFixed HashRule = "fixed"
	// HashRuleGlobal is the server's 209-name global canonical key order.
	HashRuleGlobal HashRule = "global"
)

// HashPart is one parameter as the hash rule sees it.
type HashPart struct {
	Key   string // parameter name
	Sent  string // value as sent (the last one, for a repeated name)
	Value string // value contributed to the hash (after normalisation); empty when dropped
	// Reason says why a dropped parameter contributes nothing; empty when hashed.
	Reason string
}

// HashExplanation is the hash rule applied to one request, step by step. It
// never contains the secret.
type HashExplanation struct {
	Method  string     // the action the server runs (aliases resolved)
	Rule    HashRule   // which rule applies
	Hashed  []HashPart // the parameters hashed, in order
	Dropped []HashPart // the parameters sent but not hashed, sorted by name
}

// Preimage returns the string that is SHA-1 hashed, with the secret replaced
// by placeholder (for display, e.g. "<secret>").
func (e HashExplanation) Preimage(placeholder string) string {
	var b strings.Builder
	for _, p := range e.Hashed {
		b.WriteString(p.Value)
	}
	b.WriteString(placeholder)
	return b.String()
}

// ExplainHash applies the server's hash rule to method and params and says,
// for each parameter, whether it is hashed, with what value, and if not, why.
// It is the "why is my hash wrong" tool; Hash is its fast twin.
func ExplainHash(method string, params url.Values) HashExplanation {
	canon := canonicalMethod(method)
	e := HashExplanation{Method: canon}
	hashed := map[string]bool{}
	for _, k := range sortedKeys(params) {
		if len(params[k]) == 0 {
			e.Dropped = append(e.Dropped, HashPart{Key: k, Reason: "has no value, so it is not sent"})
			hashed[k] = true
		}
	}
	if keys, fixed := fixedKeysFor(canon, params); fixed {
		e.Rule = HashRuleFixed
		for _, k := range keys {
			if vs, ok := sent(params, k); ok {
				v := lastValue(vs)
				e.Hashed = append(e.Hashed, HashPart{Key: k, Sent: v, Value: v})
				hashed[k] = true
			}
		}
		for _, k := range sortedKeys(params) {
			if hashed[k] {
				continue
			}
			why := canon + " hashes only its fixed key list " + fmtList(fixedHashKeys[canon])
			if len(keys) == 0 && len(fixedHashKeys[canon]) > 0 {
				why = `the fixed key list is emptied when u is "admin" and the call is quickstats_get (or api_path names it): the hash is SHA-1 of the secret alone`
			}
			e.Dropped = append(e.Dropped, HashPart{Key: k, Sent: lastValue(params[k]), Reason: why})
		}
		slices.SortFunc(e.Dropped, func(a, b HashPart) int { return strings.Compare(a.Key, b.Key) })
		return e
	}
	e.Rule = HashRuleGlobal
	for _, k := range globalHashOrder {
		vs, ok := sent(params, k)
		if !ok {
			continue
		}
		sent := lastValue(vs)
		if v, ok, why := applyFilter(canon, keyFilters[k], sent); ok {
			e.Hashed = append(e.Hashed, HashPart{Key: k, Sent: sent, Value: v})
			hashed[k] = true
		} else {
			if r, quirk := neverCollected[k]; quirk {
				why = r
			} else {
				why = "filter dropped it: " + why
			}
			e.Dropped = append(e.Dropped, HashPart{Key: k, Sent: sent, Reason: why})
			hashed[k] = true // reported already
		}
	}
	for _, k := range sortedKeys(params) {
		if hashed[k] {
			continue
		}
		why := "not in the server's global hash order"
		switch {
		case k == "hash":
			why = "the hash itself is never hashed"
		case collectedNotOrdered[k] != "":
			why = collectedNotOrdered[k]
		}
		e.Dropped = append(e.Dropped, HashPart{Key: k, Sent: lastValue(params[k]), Reason: why})
	}
	slices.SortFunc(e.Dropped, func(a, b HashPart) int { return strings.Compare(a.Key, b.Key) })
	return e
}

func sortedKeys(params url.Values) []string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func fmtList(keys []string) string {
	if len(keys) == 0 {
		return "(empty: secret only)"
	}
	return "(" + strings.Join(keys, ", ") + ")"
}
