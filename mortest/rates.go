package mortest

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// rateActions are the tariffs and rates endpoints: check_user, every one
// hash-checked (tariff_retail_import with the secret alone: xml is not a
// hashed name).
var rateActions = endpoints{
	"tariff_rates_get":        {run: (*Server).tariffRatesGet, caller: byU, hash: true},
	"rate_get":                {run: (*Server).rateGet, caller: byU, hash: true},
	"tariff_wholesale_update": {run: (*Server).tariffWholesaleUpdate, caller: byU, hash: true},
	"tariff_retail_import":    {run: (*Server).tariffRetailImport, caller: byU, hash: true},
}

func sp(n int) string { return strings.Repeat(" ", n) }

// tariffRatesGet is tariff_rates_get: the document is concatenated as the
// server's string building does (whitespace exact), then zipped unless
// test=1.
func (s *Server) tariffRatesGet(c *call) []byte {
	st := s.st
	var b bytes.Buffer
	b.WriteString(xmlDecl + sp(17) + "<page>")
	if c.caller == nil {
		b.WriteString("<status><error>Bad login</error></status>")
	} else if !s.writeTariff(&b, c) {
		return nil
	}
	b.WriteString("</page>")
	doc := b.Bytes()
	if rubyToI(c.p["test"]) == 1 {
		return doc
	}
	stamp := s.now().Unix()
	name := fmt.Sprintf("get_tariff_%d.xml", stamp)
	c.download = "/tmp/" + name + ".zip"
	_ = st
	return infoZip(name, doc, s.now())
}

// writeTariff writes the custom block and the tariff block; false is the
// server's crash (a custom rate whose destination group is missing).
func (s *Server) writeTariff(b *bytes.Buffer, c *call) bool {
	st := s.st
	caller := c.caller
	x := caller
	uid, userGiven := c.p["user_id"], false
	if c.p.has("user_id") && (uid == "" || allDigits(uid)) {
		userGiven = true
		x = st.users[parseDigits(uid)]
	}
	tid := c.p["tariff_id"]
	tariffGiven := c.p.has("tariff_id") && allDigits(tid)

	var t *Tariff
	switch {
	case userGiven:
		if x != nil {
			t = st.tariffs[x.TariffID]
		}
	case tariffGiven && caller.Type != SimpleUser && caller.Type != Accountant:
		cand := st.tariffs[parseDigits(tid)]
		switch {
		case cand == nil:
		case isAdmin(caller):
			t = cand
		case caller.Type == Reseller && st.confline(0, "Allow_Resellers_to_use_Admin_Tariffs") == "1":
			if cand.Purpose != "provider" {
				t = cand
			}
		case cand.OwnerID == caller.ID:
			t = cand
		}
	default:
		t = st.tariffs[caller.TariffID]
	}

	shown := map[string]bool{}
	if x != nil && (userGiven || !tariffGiven) {
		crs := sortedRows(st.customRates, func(r *CustomRate) bool { return r.UserID == x.ID })
		if len(crs) > 0 {
			cur := ""
			if cu := st.currencies[x.CurrencyID]; cu != nil {
				cur = cu.Name
			}
			b.WriteString("\n" + sp(18) + "<pagename>Tariff</pagename>\n" + sp(18) + "<tariff_name>Custom Rates</tariff_name>\n" +
				sp(18) + "<purpose>user</purpose>\n" + sp(18) + "<currency>" + cur + "</currency>\n\t" + sp(10) + "<rates>")
			for _, cr := range crs {
				g := st.destGroups[cr.DestinationGroupID]
				if g == nil {
					return false
				}
				shown[g.Name] = true
				b.WriteString(" <destination> <destination_group_name>" + cgiEscape(g.Name) + "</destination_group_name>")
				for _, d := range sortedRows(st.custDetails, func(d *custDetail) bool { return d.RateID == cr.ID }) {
					writeRetailTier(b, &d.ARateDetail, "", sp(20))
				}
				b.WriteString("</destination>")
			}
			b.WriteString("</rates>")
		}
	}
	switch {
	case t == nil:
		b.WriteString("<status><error>No tariff found</error></status>")
	case t.Purpose == "user":
		s.writeRetail(b, t, shown)
	default:
		s.writeWholesale(b, t)
	}
	return true
}

// writeRetailTier writes one retail or custom <rate>; a nil tier is a rate
// without details (every field empty). first is the space before the
// first two fields, nl the indentation of the following lines.
func writeRetailTier(b *bytes.Buffer, d *ARateDetail, first, nl string) {
	var dur, typ, round, price, start, end, day, from string
	if d != nil {
		dur = strconv.FormatInt(d.Duration, 10)
		if d.Duration == -1 {
			dur = "Infinity"
		}
		typ, round, price = d.ArType, strconv.FormatInt(d.Round, 10), rubyFloat(d.Price)
		start, end, day, from = d.StartTime, d.EndTime, d.DayType, strconv.FormatInt(d.From, 10)
	}
	b.WriteString("<rate>" + first + "<duration>" + dur + "</duration>" + first + "<type>" + typ + "</type>\n" +
		nl + "<round_by>" + round + "</round_by>\n" + nl + "<tariff_rate>" + price + "</tariff_rate>\n" +
		nl + "<start_time>" + start + "</start_time>\n" + nl + "<end_time>" + end + "</end_time>\n" +
		nl + "<daytype>" + day + "</daytype>\n" + nl + "<from>" + from + "</from>\n" + nl + "</rate>")
}

func (s *Server) writeRetail(b *bytes.Buffer, t *Tariff, shown map[string]bool) {
	st := s.st
	b.WriteString("\n" + sp(28) + "<pagename>Tariff</pagename>\n" + sp(28) + "<tariff_name>" + cgiEscape(t.Name) + "</tariff_name>\n" +
		sp(28) + "<purpose>user</purpose>\n" + sp(28) + "<currency>" + t.Currency + "</currency>\n" + sp(28) + "<rates>")
	if deck, ok := st.decks[t.ID]; ok {
		for i := range deck.N {
			r := DeckRateAt(deck.Seed, i)
			if shown[r.GroupName] {
				continue
			}
			b.WriteString(" <destination> <destination_group_name>" + cgiEscape(r.GroupName) + "</destination_group_name>")
			writeRetailTier(b, &ARateDetail{From: r.From, Duration: r.Duration, ArType: r.ArType, Round: r.Round,
				Price: r.Rate, StartTime: r.StartTime, EndTime: r.EndTime, DayType: r.DayType}, " ", sp(18))
			b.WriteString(" </destination>")
		}
		b.WriteString("</rates>")
		return
	}
	type row struct {
		group string
		d     *ARateDetail
		rate  int64
	}
	var rows []row
	for _, r := range sortedRows(st.rates, func(r *Rate) bool { return r.TariffID == t.ID }) {
		name := ""
		if g := st.destGroups[r.DestinationGroupID]; g != nil {
			name = g.Name
		}
		ds := sortedRows(st.aRateDetails, func(d *ARateDetail) bool { return d.RateID == r.ID })
		if len(ds) == 0 {
			rows = append(rows, row{name, nil, r.ID})
		}
		for _, d := range ds {
			rows = append(rows, row{name, d, r.ID})
		}
	}
	key := func(r row) (int64, string, string, bool) {
		if r.d == nil {
			return 0, "", "", false
		}
		return r.d.From, r.d.DayType, r.d.StartTime, true
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		if c := cmp.Compare(mysqlKey(a.group), mysqlKey(b.group)); c != 0 {
			return c
		}
		af, ad, as, aok := key(a)
		bf, bd, bs, bok := key(b)
		if aok != bok { // NULL first
			if !aok {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(af, bf), cmp.Compare(ad, bd), cmp.Compare(as, bs), cmp.Compare(a.rate, b.rate))
	})
	var order []string
	byName := map[string][]row{}
	for _, r := range rows {
		if _, ok := byName[r.group]; !ok {
			order = append(order, r.group)
		}
		byName[r.group] = append(byName[r.group], r)
	}
	for _, name := range order {
		if shown[name] {
			continue
		}
		b.WriteString(" <destination> <destination_group_name>" + cgiEscape(name) + "</destination_group_name>")
		for _, r := range byName[name] {
			writeRetailTier(b, r.d, " ", sp(18))
		}
		b.WriteString(" </destination>")
	}
	b.WriteString("</rates>")
}

func (s *Server) writeWholesale(b *bytes.Buffer, t *Tariff) {
	st := s.st
	b.WriteString(sp(11) + "<pagename>Tariff</pagename>\n" + sp(37) + "<tariff_name>" + cgiEscape(t.Name) + "</tariff_name>\n" +
		sp(37) + "<purpose>" + t.Purpose + "</purpose>\n" + sp(37) + "<currency>" + t.Currency + "</currency>\n" + sp(36) + "<rates>")
	write := func(vals [11]string) {
		b.WriteString("<rate>")
		for i, name := range [11]string{"direction", "destination", "prefix", "code", "tariff_rate", "con_fee",
			"increment", "min_time", "start_time", "end_time", "daytype"} {
			b.WriteString("\n" + sp(39) + "<" + name + ">" + vals[i] + "</" + name + ">")
		}
		b.WriteString("\n" + sp(39) + "</rate>")
	}
	if deck, ok := st.decks[t.ID]; ok {
		for i := range deck.N {
			r := DeckRateAt(deck.Seed, i)
			write([11]string{cgiEscape(r.Direction), cgiEscape(r.Destination), r.Prefix, r.Code, st.niceNumber(r.Rate),
				st.niceNumber(r.ConnectionFee), strconv.FormatInt(r.Increment, 10), strconv.FormatInt(r.MinTime, 10),
				r.StartTime, r.EndTime, r.DayType})
		}
		b.WriteString("</rates>")
		return
	}
	type row struct {
		dir    *string
		dest   *Destination
		dirRow *Direction
		rate   *Rate
		d      *RateDetail
	}
	var rows []row
	for _, r := range sortedRows(st.rates, func(r *Rate) bool { return r.TariffID == t.ID }) {
		dest := st.destinations[r.DestinationID]
		var dir *Direction
		if dest != nil {
			for _, d := range sortedRows(st.directions, func(d *Direction) bool { return d.Code == dest.DirectionCode }) {
				dir = d
				break
			}
		}
		var dn *string
		if dir != nil {
			dn = &dir.Name
		}
		ds := sortedRows(st.rateDetails, func(d *RateDetail) bool { return d.RateID == r.ID })
		if len(ds) == 0 {
			rows = append(rows, row{dn, dest, dir, r, nil})
		}
		for _, d := range ds {
			rows = append(rows, row{dn, dest, dir, r, d})
		}
	}
	prefix := func(r row) string {
		if r.dest == nil {
			return ""
		}
		return r.dest.Prefix
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		if (a.dir == nil) != (b.dir == nil) {
			if a.dir == nil {
				return -1
			}
			return 1
		}
		if a.dir != nil {
			if c := cmp.Compare(mysqlKey(*a.dir), mysqlKey(*b.dir)); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(prefix(a), prefix(b)), cmp.Compare(a.rate.ID, b.rate.ID))
	})
	for _, r := range rows {
		var v [11]string
		if r.dirRow != nil {
			v[0], v[3] = cgiEscape(r.dirRow.Name), r.dirRow.Code
		}
		if r.dest != nil {
			v[1], v[2] = cgiEscape(r.dest.Name), r.dest.Prefix
		}
		if d := r.d; d != nil {
			v[4], v[5] = st.niceNumber(d.Rate), st.niceNumber(d.ConnectionFee)
			v[6], v[7] = strconv.FormatInt(d.IncrementS, 10), strconv.FormatInt(d.MinTime, 10)
			v[8], v[9], v[10] = d.StartTime, d.EndTime, d.DayType
		}
		write(v)
	}
	b.WriteString("</rates>")
}

// infoZip archives doc as Info-ZIP 3.0 does by default: one member,
// deflated at level 6 (stored when deflate would not shrink it), no data
// descriptor, Unix "version made by", extended-timestamp (UT) and Unix
// uid/gid (ux) extra fields.
func infoZip(name string, doc []byte, mtime time.Time) []byte {
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, 6)
	_, _ = fw.Write(doc)
	_ = fw.Close()
	method, data := zip.Deflate, comp.Bytes()
	if len(data) >= len(doc) {
		method, data = zip.Store, doc
	}
	extra := make([]byte, 9+15)
	binary.LittleEndian.PutUint16(extra[0:], 0x5455) // UT: flags (mtime), mtime
	binary.LittleEndian.PutUint16(extra[2:], 5)
	extra[4] = 1
	binary.LittleEndian.PutUint32(extra[5:], uint32(mtime.Unix()))
	ux := extra[9:]
	binary.LittleEndian.PutUint16(ux[0:], 0x7875) // ux: version 1, 4-byte uid 0, 4-byte gid 0
	binary.LittleEndian.PutUint16(ux[2:], 11)
	ux[4], ux[5], ux[10] = 1, 4, 4
	fh := &zip.FileHeader{
		Name: name, Method: method, Modified: mtime, CreatorVersion: 3<<8 | 30, ReaderVersion: 20,
		CRC32: crc32.ChecksumIEEE(doc), CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(doc)),
		Extra: extra,
	}
	fh.SetMode(0o644)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, _ := zw.CreateRaw(fh)
	_, _ = w.Write(data)
	_ = zw.Close()
	return out.Bytes()
}

// writeDownload sends a zip archive as tariff_rates_get does (Rails
// send_data of the archive's server path).
func writeDownload(w http.ResponseWriter, body []byte, filename string) {
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	h.Set("Content-Transfer-Encoding", "binary")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// rateGet is rate_get: shape C errors; the price of the longest matching
// destination in the tariff of the resolved account.
func (s *Server) rateGet(c *call) []byte {
	st := s.st
	if !c.p.has("u") {
		return shapeC("Access Denied")
	}
	if st.confline(0, "Devices_Check_Rate") != "1" {
		return shapeC("Feature disabled")
	}
	var digits strings.Builder
	for _, r := range []byte(c.p["prefix"]) {
		if isDigit(r) {
			digits.WriteByte(r)
		}
	}
	if digits.Len() == 0 {
		return shapeC("Empty prefix")
	}
	if c.caller == nil {
		return nil
	}
	a, msg := s.rateAccount(c.caller, c.p["username"], c.p["u"])
	switch {
	case msg == "\x00":
		return shapeA("There is no such API")
	case msg != "":
		return shapeC(msg)
	}
	num := digits.String()
	// destinations by prefix, for the candidates (leading substrings).
	byPrefix := map[string]*Destination{}
	for _, d := range sortedRows(st.destinations, nil) {
		if _, ok := byPrefix[d.Prefix]; !ok {
			byPrefix[d.Prefix] = d
		}
	}
	var cands []*Destination // longest first
	for n := len(num); n >= 1; n-- {
		if d := byPrefix[num[:n]]; d != nil {
			cands = append(cands, d)
		}
	}
	if rubyToI(c.p["by_full_dst"]) == 1 {
		return s.rateGetFull(a, cands)
	}
	if len(cands) == 0 {
		return shapeC("Prefix was not found")
	}
	dest := cands[0]
	var group *DestinationGroup
	for _, d := range cands {
		if g := st.destGroups[d.DestinationGroupID]; d.DestinationGroupID != 0 && g != nil {
			group = g
			break
		}
	}
	if group == nil {
		return shapeC("Destination Group was not found")
	}
	var rate *Rate
	for _, r := range sortedRows(st.rates, func(r *Rate) bool {
		return r.TariffID == a.TariffID && (r.DestinationID == dest.ID || r.DestinationGroupID == group.ID)
	}) {
		if rate == nil || len(r.Prefix) > len(rate.Prefix) {
			rate = r
		}
	}
	price, ok := Decimal(""), false
	if crs := sortedRows(st.customRates, func(r *CustomRate) bool {
		return r.UserID == a.ID && r.DestinationGroupID == group.ID
	}); len(crs) > 0 {
		ds := sortedRows(st.custDetails, func(d *custDetail) bool { return d.RateID == crs[0].ID })
		if len(ds) > 0 && !(rate != nil && a.Type == Reseller && st.confline(0, "Allow_Resellers_to_use_Admin_Tariffs") == "1") {
			price, ok = ds[0].Price, true
		}
	}
	if !ok && rate != nil {
		if ds := sortedRows(st.rateDetails, func(d *RateDetail) bool { return d.RateID == rate.ID }); len(ds) > 0 {
			slices.SortStableFunc(ds, func(x, y *RateDetail) int {
				return cmp.Or(-cmp.Compare(x.DayType, y.DayType), cmp.Compare(x.StartTime, y.StartTime))
			})
			price, ok = ds[0].Rate, true
		} else if ds := sortedRows(st.aRateDetails, func(d *ARateDetail) bool { return d.RateID == rate.ID }); len(ds) > 0 {
			price, ok = ds[0].Price, true
		}
	}
	if !ok {
		return shapeC("Rate was not found")
	}
	return render(el("page", leaf("rate", rubyFloat(price)+"#"+dest.Name+"#"+dest.Prefix)))
}

// rateGetFull is rate_get with by_full_dst=1: every rate of the candidate
// tariffs for the number (the fake stores no effective_from, so every row
// is active).
func (s *Server) rateGetFull(a *User, cands []*Destination) []byte {
	st := s.st
	tariffs := sortedRows(st.tariffs, func(t *Tariff) bool {
		if a.Type == SimpleUser {
			return t.ID == a.TariffID
		}
		owner := a.OwnerID
		if isAdmin(a) || a.Type == Reseller {
			owner = a.ID
		}
		return t.OwnerID == owner
	})
	candPrefix := map[string]bool{}
	for _, d := range cands {
		candPrefix[d.Prefix] = true
	}
	var out []node
	for _, t := range tariffs {
		if t.Purpose == "user" {
			continue
		}
		var best *Rate
		for _, r := range sortedRows(st.rates, func(r *Rate) bool { return r.TariffID == t.ID && candPrefix[r.Prefix] }) {
			if best == nil || len(r.Prefix) > len(best.Prefix) {
				best = r
			}
		}
		if best == nil {
			continue
		}
		dest := st.destinations[best.DestinationID]
		name := ""
		if dest != nil {
			name = dest.Name
		}
		for _, r := range sortedRows(st.rates, func(r *Rate) bool { return r.TariffID == t.ID && r.DestinationID == best.DestinationID }) {
			for _, d := range sortedRows(st.rateDetails, func(d *RateDetail) bool { return d.RateID == r.ID }) {
				out = append(out, leaf("rate", rubyFloat(d.Rate)+"#"+name+"#"+r.Prefix))
			}
		}
	}
	for _, t := range tariffs {
		if t.Purpose != "user" {
			continue
		}
		for _, r := range sortedRows(st.rates, func(r *Rate) bool { return r.TariffID == t.ID }) {
			var match *Destination
			for _, d := range cands {
				if d.DestinationGroupID == r.DestinationGroupID && r.DestinationGroupID != 0 {
					match = d
					break
				}
			}
			if match == nil {
				continue
			}
			for _, d := range sortedRows(st.aRateDetails, func(d *ARateDetail) bool { return d.RateID == r.ID }) {
				out = append(out, leaf("rate", rubyFloat(d.Price)+"#"+match.Name+"#"+match.Prefix))
			}
		}
	}
	if len(out) == 0 {
		return shapeC("Rate was not found")
	}
	return render(el("page", out...))
}

// rateAccount resolves rate_get's username to the account whose tariff is
// quoted; msg is the refusal ("\x00": the server's "There is no such API").
func (s *Server) rateAccount(caller *User, username, u string) (*User, string) {
	st := s.st
	target := s.findUser(username, true)
	if caller.Type == SimpleUser {
		if target == nil {
			return nil, "User was not found"
		}
		return caller, ""
	}
	if caller.Type == Reseller && username == u {
		return caller, ""
	}
	if target == nil {
		return nil, "User was not found"
	}
	if caller.Type == Reseller && target.OwnerID == 0 && st.confline(0, "Allow_Resellers_to_use_Admin_Tariffs") == "1" {
		return target, ""
	}
	if caller.Type == Accountant && (st.right(caller, "Tariff_manage") == RightNone || st.right(caller, "see_financial_data") == RightNone) {
		return nil, "You are not authorized to view this page"
	}
	if target.Type == Accountant || isAdmin(target) {
		return nil, "Rate was not found"
	}
	if isAdmin(caller) || caller.Type == Accountant {
		if target.OwnerID == 0 {
			return target, ""
		}
		if target.Type == SimpleUser {
			owner := st.users[target.OwnerID]
			if owner == nil {
				return nil, "\x00"
			}
			return nil, "User belongs to " + owner.Username
		}
		return nil, "User was not found"
	}
	if target.OwnerID == caller.ID {
		return target, ""
	}
	return nil, "User was not found"
}

// tariffWholesaleUpdate is tariff_wholesale_update: create (id 0) or
// rename / re-currency a wholesale tariff of the caller.
func (s *Server) tariffWholesaleUpdate(c *call) []byte {
	st := s.st
	u := c.caller
	if u == nil || !(isAdmin(u) || u.Type == Reseller || u.Type == Accountant && st.right(u, "Tariff_manage") == RightEdit) {
		return shapeC("Bad login")
	}
	id := rubyToI(c.p["id"])
	var t Tariff
	if id == 0 {
		t = Tariff{Purpose: "user_wholesale", OwnerID: u.ID, Name: c.p["name"], Currency: "USD"}
	} else {
		cur := st.tariffs[id]
		if cur == nil || cur.OwnerID != u.ID || cur.Purpose != "user_wholesale" {
			return shapeC("Tariff not found")
		}
		t = *cur
		if c.p.has("name") {
			t.Name = c.p["name"]
		}
	}
	if c.p.has("currency") {
		t.Currency = c.p["currency"]
	}
	var msgs []node
	for _, o := range st.tariffs {
		if o.ID != t.ID && o.OwnerID == t.OwnerID && o.Name == t.Name && (id != 0 || c.p.has("name")) {
			msgs = append(msgs, leaf("message", "Name must be unique"))
			break
		}
	}
	if rubyBlank(t.Name) {
		msgs = append(msgs, leaf("message", "Name cannot be blank"))
	}
	if len(msgs) > 0 {
		return render(el("page", el("error", msgs...)))
	}
	newID := put(st, st.tariffs, t, true)
	if id == 0 {
		return render(el("page", leaf("status", "ok"), leafInt("tariff_id", newID)))
	}
	return render(el("page", leaf("status", "ok")))
}
