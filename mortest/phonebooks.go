package mortest

import (
	"cmp"
	"slices"
)

// phonebookActions are the phonebooks group's endpoints: check_user, every
// one hash-checked.
var phonebookActions = endpoints{
	"phonebooks_get":          {run: (*Server).phonebooksGet, caller: byU, hash: true},
	"phonebook_edit":          {run: (*Server).phonebookEdit, caller: byU, hash: true},
	"phonebook_record_create": {run: (*Server).phonebookRecordCreate, caller: byU, hash: true},
	"phonebook_record_delete": {run: (*Server).phonebookRecordDelete, caller: byU, hash: true},
}

// The speed-dial records of phonebook.rb. The admin's records (user_id 0)
// are global: everyone's list shows them, and an admin record's speed dial
// must differ from every other record's. Records of calling cards
// (card_id ≠ 0) are never listed.

// phonebooksGet lists the records a user sees: the target's own and the
// admin's global ones, ordered by name. A simple user always sees its own
// list; others name a user they own with user_id (only a digits-only
// user_id counts, as the server reads it from the hashed values).
func (s *Server) phonebooksGet(c *call) []byte {
	st, caller := s.st, c.caller
	if caller == nil {
		return shapeC("Bad login")
	}
	target := caller
	if caller.Type != SimpleUser {
		if v, ok := c.p["user_id"]; ok && allDigits(v) {
			if id := parseDigits(v); id != caller.ID {
				target = st.users[id]
				if target != nil && target.OwnerID != ownerRef(caller) {
					target = nil
				}
			}
		}
	}
	if target == nil {
		return shapeC("User was not found")
	}
	rows := sortedRows(st.phonebooks, func(p *Phonebook) bool {
		return p.CardID == 0 && (p.UserID == 0 || p.UserID == target.ID)
	})
	if len(rows) == 0 {
		return shapeC("No Phonebooks")
	}
	// ORDER BY name under the column's case-insensitive collation; equal
	// names keep id order (the order MySQL reads them in).
	slices.SortStableFunc(rows, func(a, b *Phonebook) int { return cmp.Compare(mysqlKey(a.Name), mysqlKey(b.Name)) })
	list := make([]node, len(rows))
	for i, r := range rows {
		list[i] = el("phonebook", leafInt("id", r.ID), leaf("name", r.Name), leaf("number", r.Number),
			leaf("speeddial", r.Speeddial))
	}
	return render(el("page", el("phonebooks", list...)))
}

// phonebookEdit changes the fields sent (number, name, speeddial) of a
// record the caller owns (the admin: any record). A failed validation
// answers every message; a speed dial already in use makes the save fail
// silently, and the reply is still "Phonebook saved".
func (s *Server) phonebookEdit(c *call) []byte {
	st, caller := s.st, c.caller
	if caller == nil {
		return shapeC("Bad login")
	}
	rec := st.phonebooks[rubyToI(c.p["phonebook_id"])]
	if rec == nil {
		return shapeC("Record was not found")
	}
	if rec.UserID != caller.ID && !isAdmin(caller) {
		return shapeC("Access Denied")
	}
	edited := *rec
	if v, ok := c.p["number"]; ok {
		edited.Number = v
	}
	if v, ok := c.p["name"]; ok {
		edited.Name = v
	}
	if v, ok := c.p["speeddial"]; ok {
		edited.Speeddial = v
	}
	if errs := phonebookErrors(edited.Name, edited.Number, edited.Speeddial); len(errs) > 0 {
		kids := []node{leaf("error", "Phonebook was not saved")}
		for _, e := range groupByField(errs) {
			kids = append(kids, leaf("message", e.msg))
		}
		return render(el("page", kids...))
	}
	if !speeddialTaken(st, edited.UserID, edited.ID, edited.Speeddial) {
		*rec = edited
	}
	return render(el("page", leaf("status", "Phonebook saved")))
}

// phonebookRecordCreate adds a record for the caller (an admin or a simple
// user). user_id names a user the caller may act for, but the record is
// stored under the caller whoever it names: an admin's record is global.
func (s *Server) phonebookRecordCreate(c *call) []byte {
	st, caller := s.st, c.caller
	if caller == nil || !isAdmin(caller) && caller.Type != SimpleUser {
		return shapeB("Access Denied")
	}
	var target *User
	if v, ok := c.p["user_id"]; ok {
		target = st.users[rubyToI(v)] // "" and "abc" are 0: the admin
	}
	if target == nil {
		return shapeB("User was not found")
	}
	if target.ID != caller.ID && !isAdmin(caller) || target.Type != Admin && target.Type != SimpleUser {
		return shapeB("Access Denied")
	}
	name, number, speeddial := c.p["name"], c.p["number"], c.p["speeddial"]
	if errs := phonebookErrors(name, number, speeddial); len(errs) > 0 {
		return shapeB(errs[0].msg)
	}
	if speeddialTaken(st, caller.ID, 0, speeddial) {
		return shapeB("Speed dial must be unique")
	}
	put(st, st.phonebooks, Phonebook{UserID: caller.ID, Name: name, Number: number, Speeddial: speeddial,
		Added: s.now()}, true)
	return success("Record successfully added")
}

// phonebookRecordDelete deletes a record the caller owns (the admin: any
// record); a user cannot delete the admin's global records.
func (s *Server) phonebookRecordDelete(c *call) []byte {
	st, caller := s.st, c.caller
	if caller == nil || !isAdmin(caller) && caller.Type != SimpleUser {
		return shapeB("Access Denied")
	}
	var rec *Phonebook
	if v, ok := c.p["id"]; ok {
		rec = st.phonebooks[rubyToI(v)]
	}
	if rec == nil || rec.UserID != caller.ID && !isAdmin(caller) {
		return shapeB("Phonebook record was not found")
	}
	delete(st.phonebooks, rec.ID)
	return success("Phonebook record successfully deleted")
}

// fieldError is one validation message and the column it belongs to.
type fieldError struct {
	field string
	msg   string
}

// phonebookErrors runs the record's validations in the model's order and
// returns every message that fails.
func phonebookErrors(name, number, speeddial string) []fieldError {
	var errs []fieldError
	if rubyBlank(name) {
		errs = append(errs, fieldError{"name", "Speed Dial name must be provided"})
	}
	if rubyBlank(number) {
		errs = append(errs, fieldError{"number", "Record number should have at least one digit"})
	}
	if len([]rune(speeddial)) < 2 {
		errs = append(errs, fieldError{"speeddial", "Speed Dial should have at least two digits"})
	}
	if number != "" && !allDigits(number) {
		errs = append(errs, fieldError{"number", "Record number must be numeric"})
	}
	if speeddial != "" && !allDigits(speeddial) {
		errs = append(errs, fieldError{"speeddial", "Speed Dial must be numeric"})
	}
	return errs
}

// groupByField orders messages as Rails' full_messages lists them: by
// field, in the order each field first failed, each field's messages in
// the order they were added.
func groupByField(errs []fieldError) []fieldError {
	var fields []string
	for _, e := range errs {
		if !slices.Contains(fields, e.field) {
			fields = append(fields, e.field)
		}
	}
	out := make([]fieldError, 0, len(errs))
	for _, f := range fields {
		for _, e := range errs {
			if e.field == f {
				out = append(out, e)
			}
		}
	}
	return out
}

// speeddialTaken reports whether a record of owner (other than the record
// self, 0 for a new one) already uses speeddial: for the admin's global
// records every record outside calling cards counts, for a user only the
// user's own records.
func speeddialTaken(st *state, owner, self int64, speeddial string) bool {
	k := mysqlKey(speeddial)
	for _, r := range st.phonebooks {
		if r.ID == self || mysqlKey(r.Speeddial) != k {
			continue
		}
		if owner == 0 && r.CardID == 0 || owner != 0 && r.UserID == owner {
			return true
		}
	}
	return false
}
