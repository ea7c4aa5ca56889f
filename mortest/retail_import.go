package mortest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strconv"
)

// tariff_retail_import: Rails' Hash.from_xml of the document, then the
// server's checks, collision quirks and tier inserts, reproduced in order.

// xnode is an element of the import document as Hash.from_xml sees it: a
// leaf's text (nil when empty), or its children.
type xnode struct {
	name string
	text *string
	kids []*xnode
}

func (n *xnode) child(name string) *xnode {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

func (n *xnode) all(name string) []*xnode {
	var out []*xnode
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// val is a leaf's value: nil when absent or empty.
func (n *xnode) val(name string) *string {
	if k := n.child(name); k != nil && len(k.kids) == 0 {
		return k.text
	}
	return nil
}

func parseImportXML(doc string) (*xnode, error) {
	d := xml.NewDecoder(bytes.NewReader([]byte(doc)))
	var stack []*xnode
	var root *xnode
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if len(stack) > 0 || root == nil {
				return nil, errors.New("unexpected end")
			}
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: t.Name.Local}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.CharData:
			if len(stack) > 0 {
				n := stack[len(stack)-1]
				s := ""
				if n.text != nil {
					s = *n.text
				}
				s += string(t)
				n.text = &s
			}
		case xml.EndElement:
			n := stack[len(stack)-1]
			if len(n.kids) > 0 || n.text != nil && *n.text == "" {
				n.text = nil
			}
			stack = stack[:len(stack)-1]
		}
	}
}

// tier is one <rates> element of an import: every field nil when absent or
// empty. group is set once the tier is reported with its destination.
type tier struct {
	price, round, typ, start, end, duration, dayType *string
	group                                            *string
}

func (t tier) equal(o tier) bool {
	eq := func(a, b *string) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	return eq(t.price, o.price) && eq(t.round, o.round) && eq(t.typ, o.typ) && eq(t.start, o.start) &&
		eq(t.end, o.end) && eq(t.duration, o.duration) && eq(t.dayType, o.dayType) && eq(t.group, o.group)
}

func sv(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func onlyChars(p *string, set string) bool {
	if p == nil || *p == "" {
		return false
	}
	for _, c := range []byte(*p) {
		if !bytes.ContainsRune([]byte(set), rune(c)) {
			return false
		}
	}
	return true
}

// wellFormed: present, 8 characters, only 0-9 . :
func wellFormed(p *string) bool { return p != nil && len(*p) == 8 && onlyChars(p, "0123456789.:") }

// errImportCrash is the server's empty body; errFileMissing its "File does
// not exist" reply (a comparison with a missing value).
var (
	errImportCrash = errors.New("crash")
	errFileMissing = errors.New("file does not exist")
)

// removeTier deletes every element equal to t (Ruby Array#delete).
func removeTier(rl []tier, t tier) []tier {
	return slices.DeleteFunc(rl, func(x tier) bool { return x.equal(t) })
}

// inRange removes (delete_if) the tiers of day type dt whose start or end
// lies in [lo, hi]; a missing start, or a missing end with the start out of
// range, is the server's comparison error.
func inRange(rl []tier, dt func(tier) bool, lo, hi string) ([]tier, error) {
	out := rl[:0]
	for _, x := range rl {
		if !dt(x) {
			out = append(out, x)
			continue
		}
		if x.start == nil {
			return nil, errFileMissing
		}
		if lo <= *x.start && *x.start <= hi {
			continue
		}
		if x.end == nil {
			return nil, errFileMissing
		}
		if lo <= *x.end && *x.end <= hi {
			continue
		}
		out = append(out, x)
	}
	return out, nil
}

func (s *Server) tariffRetailImport(c *call) []byte {
	st := s.st
	fail := func(msg string) []byte { return render(el("response", leaf("error", msg))) }
	u := c.caller
	if u == nil {
		return fail("Bad login")
	}
	if !c.p.has("xml") {
		return fail("No XML")
	}
	doc := c.p["xml"]
	if doc == "" {
		return nil
	}
	root, err := parseImportXML(doc)
	if err != nil {
		return fail("Bad XML data")
	}
	if root.name != "tariff" {
		return nil
	}
	idText, name := root.val("id"), root.val("name")
	if idText == nil {
		return fail("No tariff id")
	}
	if name == nil {
		return fail("No tariff name")
	}
	replyID := *idText
	t := st.tariffs[rubyToI(*idText)]
	if t == nil {
		taken := rubyBlank(*name)
		for _, o := range st.tariffs {
			if o.OwnerID == u.ID && o.Name == *name {
				taken = true
			}
		}
		if taken {
			var first *Tariff
			for _, o := range sortedRows(st.tariffs, func(o *Tariff) bool { return mysqlKey(o.Name) == mysqlKey(*name) }) {
				first = o
				break
			}
			if first != nil && (first.OwnerID == u.ID || isAdmin(u)) {
				return fail("TARIFF with same name exists, ID:" + strconv.FormatInt(first.ID, 10) + "!!! CHANGE NAME OR ID")
			}
			return fail("TARIFF with same name exists, it belongs to other user! CHANGE NAME OR ID")
		}
		cur := ""
		if cu := st.currencies[u.CurrencyID]; cu != nil {
			cur = cu.Name
		}
		id := put(st, st.tariffs, Tariff{Name: *name, Purpose: "user", OwnerID: u.ID, Currency: cur}, true)
		t = st.tariffs[id]
		replyID = strconv.FormatInt(id, 10)
	} else if t.OwnerID != u.ID {
		return fail("Tariff belongs to other user!")
	} else if t.Name != *name {
		return fail("TARIFF NAME WITH THIS ID DO NOT MATCH !!!FOUND " + t.Name)
	}
	dests := root.child("destinations")
	if dests == nil || len(dests.kids) == 0 && dests.text == nil {
		return render(el("response", leaf("error", "No destinations!"), leaf("tariff_id", replyID), leaf("tariff_name", *name)))
	}
	if len(dests.kids) == 0 {
		return nil // whitespace: a string, not a hash
	}
	var (
		badDests, dayTypeColl []string
		badRates, badTime     []tier
		collXML, collDB       []string
	)
	for _, d := range dests.all("destination") {
		g := sv(d.val("destination_group_name"))
		tiersXML := d.all("rates")
		if len(tiersXML) < 2 {
			return nil
		}
		rl := make([]tier, len(tiersXML))
		for i, x := range tiersXML {
			rl[i] = tier{price: x.val("rate_price"), round: x.val("rate_round_by"), typ: x.val("rate_type"),
				start: x.val("rate_start_time"), end: x.val("rate_end_time"), duration: x.val("rate_duration"),
				dayType: x.val("day_type")}
		}
		var err error
		rl, badTime, collXML, err = xmlCollisions(rl, g)
		if err == errFileMissing {
			return fail("File does not exist")
		} else if err != nil {
			return nil
		}
		var group *DestinationGroup
		for _, dg := range sortedRows(st.destGroups, func(x *DestinationGroup) bool { return mysqlKey(x.Name) == mysqlKey(g) }) {
			has := false
			for _, dd := range st.destinations {
				if dd.DestinationGroupID == dg.ID {
					has = true
					break
				}
			}
			if has {
				group = dg
				break
			}
		}
		if group == nil {
			badDests = append(badDests, g)
			continue
		}
		var rate *Rate
		for _, r := range sortedRows(st.rates, func(r *Rate) bool { return r.TariffID == t.ID && r.DestinationGroupID == group.ID }) {
			rate = r
			break
		}
		var existing []*ARateDetail
		if rate != nil {
			existing = sortedRows(st.aRateDetails, func(a *ARateDetail) bool { return a.RateID == rate.ID })
			collDB = nil
			var dtc []string
			rl, dtc, collDB, err = dbCollisions(rl, existing, g)
			if err == errFileMissing {
				return fail("File does not exist")
			} else if err != nil {
				return nil
			}
			dayTypeColl = append(dayTypeColl, dtc...)
		} else {
			id := put(st, st.rates, Rate{TariffID: t.ID, DestinationGroupID: group.ID}, true)
			rate = st.rates[id]
		}
		badRates = s.insertTiers(rate.ID, rl, existing, g)
	}
	list := func(name string, items []node) node { return el(name, items...) }
	var bd, dt, br, cx, cd []node
	for _, g := range badDests {
		bd = append(bd, el("destination", leaf("destination_group_name", g)))
	}
	for _, g := range dayTypeColl {
		dt = append(dt, el("destination", leaf("destination_group_name", g)))
	}
	for _, r := range append(badRates, badTime...) {
		br = append(br, el("destination", leaf("destination_group_name", sv(r.group)), leaf("rate_price", sv(r.price)),
			leaf("rate_round_by", sv(r.round)), leaf("rate_duration", sv(r.duration)), leaf("rate_type", sv(r.typ)),
			leaf("rate_start_time", sv(r.start)), leaf("rate_end_time", sv(r.end)), leaf("day_type", sv(r.dayType))))
	}
	for _, m := range collXML {
		cx = append(cx, el("destination", leaf("collision_in_time_range", m)))
	}
	for _, m := range collDB {
		cd = append(cd, el("destination", leaf("collision_in_time_range", m)))
	}
	return render(el("response", leaf("tariff_id", replyID), leaf("tariff_name", *name),
		list("bad_destinations", bd), list("destination_with_day_type_collision", dt),
		list("destination_with_bad_rates", br), list("destination_with_time_collisions_in_xml", cx),
		list("destination_with_time_collisions_in_db", cd)))
}

// xmlCollisions is the XML collision check of one destination's tiers,
// with Ruby's each-while-deleting iteration.
func xmlCollisions(rl []tier, g string) (out, badTime []tier, coll []string, err error) {
	for i := 0; i < len(rl); i++ {
		f := rl[i]
		if !wellFormed(f.start) || !wellFormed(f.end) {
			if wellFormed(f.start) && f.end == nil {
				return nil, nil, nil, errImportCrash
			}
			f.group = &g
			badTime = append(badTime, f)
			rl = slices.Delete(rl, i, i+1) // only f carries g
			continue
		}
		for j := 0; j < len(rl); j++ {
			sx := rl[j]
			if !wellFormed(sx.start) || !wellFormed(sx.end) {
				if wellFormed(sx.start) && sx.end == nil {
					return nil, nil, nil, errImportCrash
				}
				badTime = append(badTime, sx)
				rl = removeTier(rl, sx)
				continue
			}
			if (*f.start != *sx.start || *f.end != *sx.end) && *f.start <= *sx.end && *sx.start <= *f.end && sx.dayType == nil {
				lo, hi := min(*f.start, *sx.start), max(*f.end, *sx.end)
				coll = append(coll, g+" COLLISION IN "+lo+" AND "+hi+" TIME RANGE ")
				rl, err = inRange(rl, func(x tier) bool { return x.dayType == nil }, lo, hi)
				if err != nil {
					return nil, nil, nil, err
				}
			}
		}
	}
	return rl, badTime, coll, nil
}

// dbCollisions is the check against a group's stored tiers.
func dbCollisions(rl []tier, existing []*ARateDetail, g string) (out []tier, dayType, coll []string, err error) {
	wdfd := func(s string) bool { return s == "WD" || s == "FD" }
	for _, d := range existing {
		for i := 0; i < len(rl); i++ {
			x := rl[i]
			xd := sv(x.dayType)
			if wdfd(d.DayType) && wdfd(xd) || d.DayType == "" && xd == "" {
				// Ruby evaluates left to right: differs, d.start <= x.end
				// (nil: "File does not exist"), x.start <= d.end (nil:
				// NoMethodError, an empty body), same day type.
				differs := x.start == nil || x.end == nil || d.StartTime != *x.start || d.EndTime != *x.end
				if differs {
					if x.end == nil {
						return nil, nil, nil, errFileMissing
					}
					if d.StartTime <= *x.end {
						if x.start == nil {
							return nil, nil, nil, errImportCrash
						}
						if *x.start <= d.EndTime && xd == d.DayType {
							lo, hi := min(d.StartTime, *x.start), max(d.EndTime, *x.end)
							coll = append(coll, g+" COLLISION WITH EXISTING RATES IN "+lo+" AND "+hi+" TIME RANGE")
							rl, err = inRange(rl, func(t tier) bool { return sv(t.dayType) == xd }, lo, hi)
							if err != nil {
								return nil, nil, nil, err
							}
						}
					}
				}
				continue
			}
			dayType = append(dayType, g)
			rl = removeTier(rl, x)
		}
	}
	return rl, dayType, coll, nil
}

// insertTiers is create_rates / create_rates_merge: the valid tiers get
// their from and are inserted; the rest are returned as bad rates.
func (s *Server) insertTiers(rateID int64, rl []tier, existing []*ARateDetail, g string) []tier {
	st := s.st
	valid := func(r tier) bool {
		dt := sv(r.dayType)
		return onlyChars(r.price, "0123456789.+-") && onlyChars(r.round, "0123456789") &&
			(sv(r.typ) == "minute" || sv(r.typ) == "event") && onlyChars(r.start, "0123456789.:") &&
			onlyChars(r.end, "0123456789.:") && (dt == "" || dt == "WD" || dt == "FD") && onlyChars(r.duration, "0123456789.-")
	}
	var (
		bad                   []tier
		news                  []ARateDetail
		nextFrom              int64 = 1
		infinite, roundTooBig bool
		bStarts, bEnds, bDays []string
	)
	block := func(start, end, day string) {
		bStarts, bEnds, bDays = append(bStarts, start), append(bEnds, end), append(bDays, day)
	}
	for _, r := range rl {
		r.group = &g
		if !valid(r) {
			bad = append(bad, r)
			continue
		}
		start, end, day := *r.start, *r.end, sv(r.dayType)
		dur := rubyToI(*r.duration)
		var from int64
		var p *ARateDetail
		if day != "" {
			for i := range news {
				n := &news[i]
				if n.StartTime == start && n.EndTime == end && n.DayType == day && (p == nil || n.From > p.From) {
					p = n
				}
			}
		}
		if p != nil {
			from = p.From + p.Duration
			if p.ArType == "event" {
				from = p.From
			}
		} else {
			from = nextFrom
			nextFrom += dur
		}
		var e *ARateDetail
		for _, x := range existing {
			// Ties on from: the last stored (chosen; the server's order is
			// MySQL's).
			if x.StartTime == start && x.EndTime == end && x.DayType == day && (e == nil || x.From >= e.From) {
				e = x
			}
		}
		if e != nil {
			if e.Duration == -1 {
				infinite = true
				block(e.StartTime, e.EndTime, e.DayType)
			} else if e.From+e.Duration >= from {
				from = e.From + e.Duration
				if e.ArType == "event" {
					from = e.From
				}
			}
		}
		if infinite && roundTooBig || slices.Contains(bStarts, start) && slices.Contains(bEnds, end) && slices.Contains(bDays, "") {
			continue
		}
		row := ARateDetail{RateID: rateID, From: from, Duration: dur, ArType: *r.typ, Round: rubyToI(*r.round),
			Price: Decimal(*r.price), StartTime: start, EndTime: end, DayType: day}
		if dur == -1 && *r.typ != "event" {
			infinite = true
			block(start, end, day)
		}
		if dur != -1 && *r.typ != "event" && from+dur < row.Round {
			roundTooBig = true
			block(start, end, day)
			bad = append(bad, r)
			continue
		}
		news = append(news, row)
	}
	for _, n := range news {
		put(st, st.aRateDetails, n, true)
	}
	return bad
}
