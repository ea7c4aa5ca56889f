package mortest

// The seeding and inspection API of every table besides users, devices and
// CLIs (state.go). For each row type X: AddX stores a copy (ID 0 takes the
// next AUTO_INCREMENT id) and returns the ID, X returns a copy of one row,
// Xs a copy of every row in id order, RemoveX deletes a row directly
// (no cascade, no checks), UpdateX edits a copy of a row in place.

// AddAddress stores an address, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddAddress(v Address) int64 { return addRow(s, s.st.addresses, v) }

// Address returns the address with the given ID.
func (s *Server) Address(id int64) (Address, bool) { return getRow(s, s.st.addresses, id) }

// Addresses returns a snapshot of every address, in id order.
func (s *Server) Addresses() []Address { return listRows(s, s.st.addresses) }

// RemoveAddress deletes the address with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveAddress(id int64) bool { return removeRow(s, s.st.addresses, id) }

// UpdateAddress applies fn to a copy of the address with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateAddress(id int64, fn func(*Address)) bool {
	return updateRow(s, s.st.addresses, id, fn)
}

// AddTax stores a tax row, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddTax(v Tax) int64 { return addRow(s, s.st.taxes, v) }

// Tax returns the tax row with the given ID.
func (s *Server) Tax(id int64) (Tax, bool) { return getRow(s, s.st.taxes, id) }

// Taxes returns a snapshot of every tax row, in id order.
func (s *Server) Taxes() []Tax { return listRows(s, s.st.taxes) }

// RemoveTax deletes the tax row with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveTax(id int64) bool { return removeRow(s, s.st.taxes, id) }

// UpdateTax applies fn to a copy of the tax row with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateTax(id int64, fn func(*Tax)) bool { return updateRow(s, s.st.taxes, id, fn) }

// AddAccGroup stores an accountant or reseller group, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddAccGroup(v AccGroup) int64 { return addRow(s, s.st.accGroups, v) }

// AccGroup returns the accountant or reseller group with the given ID.
func (s *Server) AccGroup(id int64) (AccGroup, bool) { return getRow(s, s.st.accGroups, id) }

// AccGroups returns a snapshot of every accountant or reseller group, in id order.
func (s *Server) AccGroups() []AccGroup { return listRows(s, s.st.accGroups) }

// RemoveAccGroup deletes the accountant or reseller group with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveAccGroup(id int64) bool { return removeRow(s, s.st.accGroups, id) }

// UpdateAccGroup applies fn to a copy of the accountant or reseller group with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateAccGroup(id int64, fn func(*AccGroup)) bool {
	return updateRow(s, s.st.accGroups, id, fn)
}

// AddDirection stores a direction (country), replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddDirection(v Direction) int64 { return addRow(s, s.st.directions, v) }

// Direction returns the direction (country) with the given ID.
func (s *Server) Direction(id int64) (Direction, bool) { return getRow(s, s.st.directions, id) }

// Directions returns a snapshot of every direction (country), in id order.
func (s *Server) Directions() []Direction { return listRows(s, s.st.directions) }

// RemoveDirection deletes the direction (country) with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveDirection(id int64) bool { return removeRow(s, s.st.directions, id) }

// UpdateDirection applies fn to a copy of the direction (country) with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateDirection(id int64, fn func(*Direction)) bool {
	return updateRow(s, s.st.directions, id, fn)
}

// AddCurrency stores a currency, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddCurrency(v Currency) int64 { return addRow(s, s.st.currencies, v) }

// Currency returns the currency with the given ID.
func (s *Server) Currency(id int64) (Currency, bool) { return getRow(s, s.st.currencies, id) }

// Currencies returns a snapshot of every currency, in id order.
func (s *Server) Currencies() []Currency { return listRows(s, s.st.currencies) }

// RemoveCurrency deletes the currency with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveCurrency(id int64) bool { return removeRow(s, s.st.currencies, id) }

// UpdateCurrency applies fn to a copy of the currency with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateCurrency(id int64, fn func(*Currency)) bool {
	return updateRow(s, s.st.currencies, id, fn)
}

// AddAction stores an audit-log action, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddAction(v Action) int64 { return addRow(s, s.st.actions, v) }

// Action returns the audit-log action with the given ID.
func (s *Server) Action(id int64) (Action, bool) { return getRow(s, s.st.actions, id) }

// Actions returns a snapshot of every audit-log action, in id order.
func (s *Server) Actions() []Action { return listRows(s, s.st.actions) }

// RemoveAction deletes the audit-log action with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveAction(id int64) bool { return removeRow(s, s.st.actions, id) }

// UpdateAction applies fn to a copy of the audit-log action with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateAction(id int64, fn func(*Action)) bool {
	return updateRow(s, s.st.actions, id, fn)
}

// AddDeviceGroup stores a device group, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddDeviceGroup(v DeviceGroup) int64 { return addRow(s, s.st.deviceGroups, v) }

// DeviceGroup returns the device group with the given ID.
func (s *Server) DeviceGroup(id int64) (DeviceGroup, bool) { return getRow(s, s.st.deviceGroups, id) }

// DeviceGroups returns a snapshot of every device group, in id order.
func (s *Server) DeviceGroups() []DeviceGroup { return listRows(s, s.st.deviceGroups) }

// RemoveDeviceGroup deletes the device group with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveDeviceGroup(id int64) bool { return removeRow(s, s.st.deviceGroups, id) }

// UpdateDeviceGroup applies fn to a copy of the device group with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateDeviceGroup(id int64, fn func(*DeviceGroup)) bool {
	return updateRow(s, s.st.deviceGroups, id, fn)
}

// AddCodec stores a codec, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddCodec(v Codec) int64 { return addRow(s, s.st.codecs, v) }

// Codec returns the codec with the given ID.
func (s *Server) Codec(id int64) (Codec, bool) { return getRow(s, s.st.codecs, id) }

// Codecs returns a snapshot of every codec, in id order.
func (s *Server) Codecs() []Codec { return listRows(s, s.st.codecs) }

// RemoveCodec deletes the codec with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveCodec(id int64) bool { return removeRow(s, s.st.codecs, id) }

// UpdateCodec applies fn to a copy of the codec with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateCodec(id int64, fn func(*Codec)) bool {
	return updateRow(s, s.st.codecs, id, fn)
}

// AddDeviceCodec stores a device codec, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddDeviceCodec(v DeviceCodec) int64 { return addRow(s, s.st.deviceCodecs, v) }

// DeviceCodec returns the device codec with the given ID.
func (s *Server) DeviceCodec(id int64) (DeviceCodec, bool) { return getRow(s, s.st.deviceCodecs, id) }

// DeviceCodecs returns a snapshot of every device codec, in id order.
func (s *Server) DeviceCodecs() []DeviceCodec { return listRows(s, s.st.deviceCodecs) }

// RemoveDeviceCodec deletes the device codec with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveDeviceCodec(id int64) bool { return removeRow(s, s.st.deviceCodecs, id) }

// UpdateDeviceCodec applies fn to a copy of the device codec with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateDeviceCodec(id int64, fn func(*DeviceCodec)) bool {
	return updateRow(s, s.st.deviceCodecs, id, fn)
}

// AddCallflow stores a call flow, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddCallflow(v Callflow) int64 { return addRow(s, s.st.callflows, v) }

// Callflow returns the call flow with the given ID.
func (s *Server) Callflow(id int64) (Callflow, bool) { return getRow(s, s.st.callflows, id) }

// Callflows returns a snapshot of every call flow, in id order.
func (s *Server) Callflows() []Callflow { return listRows(s, s.st.callflows) }

// RemoveCallflow deletes the call flow with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveCallflow(id int64) bool { return removeRow(s, s.st.callflows, id) }

// UpdateCallflow applies fn to a copy of the call flow with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateCallflow(id int64, fn func(*Callflow)) bool {
	return updateRow(s, s.st.callflows, id, fn)
}

// AddLocation stores a location, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddLocation(v Location) int64 { return addRow(s, s.st.locations, v) }

// Location returns the location with the given ID.
func (s *Server) Location(id int64) (Location, bool) { return getRow(s, s.st.locations, id) }

// Locations returns a snapshot of every location, in id order.
func (s *Server) Locations() []Location { return listRows(s, s.st.locations) }

// RemoveLocation deletes the location with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveLocation(id int64) bool { return removeRow(s, s.st.locations, id) }

// UpdateLocation applies fn to a copy of the location with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateLocation(id int64, fn func(*Location)) bool {
	return updateRow(s, s.st.locations, id, fn)
}

// AddPDFFaxEmail stores a fax e-mail address, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddPDFFaxEmail(v PDFFaxEmail) int64 { return addRow(s, s.st.pdfFaxEmails, v) }

// PDFFaxEmail returns the fax e-mail address with the given ID.
func (s *Server) PDFFaxEmail(id int64) (PDFFaxEmail, bool) { return getRow(s, s.st.pdfFaxEmails, id) }

// PDFFaxEmails returns a snapshot of every fax e-mail address, in id order.
func (s *Server) PDFFaxEmails() []PDFFaxEmail { return listRows(s, s.st.pdfFaxEmails) }

// RemovePDFFaxEmail deletes the fax e-mail address with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemovePDFFaxEmail(id int64) bool { return removeRow(s, s.st.pdfFaxEmails, id) }

// UpdatePDFFaxEmail applies fn to a copy of the fax e-mail address with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdatePDFFaxEmail(id int64, fn func(*PDFFaxEmail)) bool {
	return updateRow(s, s.st.pdfFaxEmails, id, fn)
}

// AddIVR stores an IVR, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddIVR(v IVR) int64 { return addRow(s, s.st.ivrs, v) }

// IVR returns the IVR with the given ID.
func (s *Server) IVR(id int64) (IVR, bool) { return getRow(s, s.st.ivrs, id) }

// IVRs returns a snapshot of every IVR, in id order.
func (s *Server) IVRs() []IVR { return listRows(s, s.st.ivrs) }

// RemoveIVR deletes the IVR with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveIVR(id int64) bool { return removeRow(s, s.st.ivrs, id) }

// UpdateIVR applies fn to a copy of the IVR with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateIVR(id int64, fn func(*IVR)) bool { return updateRow(s, s.st.ivrs, id, fn) }

// AddDID stores a DID, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddDID(v DID) int64 { return addRow(s, s.st.dids, v) }

// DID returns the DID with the given ID.
func (s *Server) DID(id int64) (DID, bool) { return getRow(s, s.st.dids, id) }

// DIDs returns a snapshot of every DID, in id order.
func (s *Server) DIDs() []DID { return listRows(s, s.st.dids) }

// RemoveDID deletes the DID with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveDID(id int64) bool { return removeRow(s, s.st.dids, id) }

// UpdateDID applies fn to a copy of the DID with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateDID(id int64, fn func(*DID)) bool { return updateRow(s, s.st.dids, id, fn) }

// AddProvider stores a provider, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddProvider(v Provider) int64 { return addRow(s, s.st.providers, v) }

// Provider returns the provider with the given ID.
func (s *Server) Provider(id int64) (Provider, bool) { return getRow(s, s.st.providers, id) }

// Providers returns a snapshot of every provider, in id order.
func (s *Server) Providers() []Provider { return listRows(s, s.st.providers) }

// RemoveProvider deletes the provider with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveProvider(id int64) bool { return removeRow(s, s.st.providers, id) }

// UpdateProvider applies fn to a copy of the provider with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateProvider(id int64, fn func(*Provider)) bool {
	return updateRow(s, s.st.providers, id, fn)
}

// AddDialplan stores a dial plan, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddDialplan(v Dialplan) int64 { return addRow(s, s.st.dialplans, v) }

// Dialplan returns the dial plan with the given ID.
func (s *Server) Dialplan(id int64) (Dialplan, bool) { return getRow(s, s.st.dialplans, id) }

// Dialplans returns a snapshot of every dial plan, in id order.
func (s *Server) Dialplans() []Dialplan { return listRows(s, s.st.dialplans) }

// RemoveDialplan deletes the dial plan with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveDialplan(id int64) bool { return removeRow(s, s.st.dialplans, id) }

// UpdateDialplan applies fn to a copy of the dial plan with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateDialplan(id int64, fn func(*Dialplan)) bool {
	return updateRow(s, s.st.dialplans, id, fn)
}

// AddQuickforwardsRule stores a quick-forward rule, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddQuickforwardsRule(v QuickforwardsRule) int64 { return addRow(s, s.st.qfRules, v) }

// QuickforwardsRule returns the quick-forward rule with the given ID.
func (s *Server) QuickforwardsRule(id int64) (QuickforwardsRule, bool) {
	return getRow(s, s.st.qfRules, id)
}

// QuickforwardsRules returns a snapshot of every quick-forward rule, in id order.
func (s *Server) QuickforwardsRules() []QuickforwardsRule { return listRows(s, s.st.qfRules) }

// RemoveQuickforwardsRule deletes the quick-forward rule with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveQuickforwardsRule(id int64) bool { return removeRow(s, s.st.qfRules, id) }

// UpdateQuickforwardsRule applies fn to a copy of the quick-forward rule with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateQuickforwardsRule(id int64, fn func(*QuickforwardsRule)) bool {
	return updateRow(s, s.st.qfRules, id, fn)
}

// AddQuickforwardDID stores a quick-forward DID, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddQuickforwardDID(v QuickforwardDID) int64 { return addRow(s, s.st.qfDIDs, v) }

// QuickforwardDID returns the quick-forward DID with the given ID.
func (s *Server) QuickforwardDID(id int64) (QuickforwardDID, bool) { return getRow(s, s.st.qfDIDs, id) }

// QuickforwardDIDs returns a snapshot of every quick-forward DID, in id order.
func (s *Server) QuickforwardDIDs() []QuickforwardDID { return listRows(s, s.st.qfDIDs) }

// RemoveQuickforwardDID deletes the quick-forward DID with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveQuickforwardDID(id int64) bool { return removeRow(s, s.st.qfDIDs, id) }

// UpdateQuickforwardDID applies fn to a copy of the quick-forward DID with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateQuickforwardDID(id int64, fn func(*QuickforwardDID)) bool {
	return updateRow(s, s.st.qfDIDs, id, fn)
}

// AddTariff stores a tariff, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddTariff(v Tariff) int64 { return addRow(s, s.st.tariffs, v) }

// Tariff returns the tariff with the given ID.
func (s *Server) Tariff(id int64) (Tariff, bool) { return getRow(s, s.st.tariffs, id) }

// Tariffs returns a snapshot of every tariff, in id order.
func (s *Server) Tariffs() []Tariff { return listRows(s, s.st.tariffs) }

// RemoveTariff deletes the tariff with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveTariff(id int64) bool { return removeRow(s, s.st.tariffs, id) }

// UpdateTariff applies fn to a copy of the tariff with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateTariff(id int64, fn func(*Tariff)) bool {
	return updateRow(s, s.st.tariffs, id, fn)
}

// AddLCR stores a LCR, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddLCR(v LCR) int64 { return addRow(s, s.st.lcrs, v) }

// LCR returns the LCR with the given ID.
func (s *Server) LCR(id int64) (LCR, bool) { return getRow(s, s.st.lcrs, id) }

// LCRs returns a snapshot of every LCR, in id order.
func (s *Server) LCRs() []LCR { return listRows(s, s.st.lcrs) }

// RemoveLCR deletes the LCR with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemoveLCR(id int64) bool { return removeRow(s, s.st.lcrs, id) }

// UpdateLCR applies fn to a copy of the LCR with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdateLCR(id int64, fn func(*LCR)) bool { return updateRow(s, s.st.lcrs, id, fn) }

// AddPBXPool stores a PBX pool, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddPBXPool(v PBXPool) int64 { return addRow(s, s.st.pbxPools, v) }

// PBXPool returns the PBX pool with the given ID.
func (s *Server) PBXPool(id int64) (PBXPool, bool) { return getRow(s, s.st.pbxPools, id) }

// PBXPools returns a snapshot of every PBX pool, in id order.
func (s *Server) PBXPools() []PBXPool { return listRows(s, s.st.pbxPools) }

// RemovePBXPool deletes the PBX pool with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemovePBXPool(id int64) bool { return removeRow(s, s.st.pbxPools, id) }

// UpdatePBXPool applies fn to a copy of the PBX pool with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdatePBXPool(id int64, fn func(*PBXPool)) bool {
	return updateRow(s, s.st.pbxPools, id, fn)
}

// AddPhonebook stores a phonebook record, replacing any with the same ID, and returns its ID;
// an ID of 0 is assigned the next free one.
func (s *Server) AddPhonebook(v Phonebook) int64 { return addRow(s, s.st.phonebooks, v) }

// Phonebook returns the phonebook record with the given ID.
func (s *Server) Phonebook(id int64) (Phonebook, bool) { return getRow(s, s.st.phonebooks, id) }

// Phonebooks returns a snapshot of every phonebook record, in id order.
func (s *Server) Phonebooks() []Phonebook { return listRows(s, s.st.phonebooks) }

// RemovePhonebook deletes the phonebook record with the given ID, checking and cascading
// nothing. It reports whether it existed.
func (s *Server) RemovePhonebook(id int64) bool { return removeRow(s, s.st.phonebooks, id) }

// UpdatePhonebook applies fn to a copy of the phonebook record with the given ID and stores
// the result (the ID cannot change). It reports whether the row exists.
func (s *Server) UpdatePhonebook(id int64, fn func(*Phonebook)) bool {
	return updateRow(s, s.st.phonebooks, id, fn)
}
