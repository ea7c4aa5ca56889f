package mortest

import (
	"cmp"
	"math/big"
	"slices"
)

// This file holds what every table of the fake shares: the exact decimal
// type for money and doubles, and the generic table behind the seeding API
// (Add/Get/List/Remove/Update for each row type).

// Decimal is an exact decimal number written in plain notation, e.g. "0",
// "-1", "18", "12.5", "0.0001". Money (balances, credit limits, prices) and
// the server's double columns are stored as Decimal so that no value ever
// passes through float64; handlers format it the way the server prints the
// column (Ruby Float#to_s, nice_number, …). The empty Decimal reads as 0.
type Decimal string

// Rat returns d as an exact rational, and false when d is not a decimal
// number ("" is 0).
func (d Decimal) Rat() (*big.Rat, bool) {
	if d == "" {
		return new(big.Rat), true
	}
	for _, c := range []byte(d) { // big.Rat also takes fractions and exponents; a Decimal does not
		if c == '/' || c == 'e' || c == 'E' || c == 'x' || c == 'X' || c == '_' || c == 'p' || c == 'P' {
			return nil, false
		}
	}
	r, ok := new(big.Rat).SetString(string(d))
	return r, ok
}

// Valid reports whether d is a decimal number ("" counts as 0).
func (d Decimal) Valid() bool { _, ok := d.Rat(); return ok }

// DecimalOf returns r rounded half away from zero to scale fractional
// digits (scale 0: an integer).
func DecimalOf(r *big.Rat, scale int) Decimal { return Decimal(r.FloatString(scale)) }

// table is one database table: rows by primary key. Tables are created in
// newState and never reassigned, so a handler may index them directly
// (s.st.users[id]) while holding s.mu.
type table[T any] map[int64]*T

// row is what the generic table helpers need of a row type: its primary
// key, its table's name (for the AUTO_INCREMENT counter) and a deep copy.
type row[T any] interface {
	*T
	key() *int64
	tableName() string
	clone() T
}

// put stores a deep copy of v and returns its id. With auto, an id of 0 is
// assigned the table's next AUTO_INCREMENT value (users keep 0: the admin).
func put[T any, P row[T]](st *state, t table[T], v T, auto bool) int64 {
	v = P(&v).clone()
	id := P(&v).key()
	name := P(&v).tableName()
	if *id == 0 && auto {
		*id = st.seq[name] + 1
	}
	st.seq[name] = max(st.seq[name], *id)
	t[*id] = &v
	return *id
}

// sortedRows returns the rows that keep accepts (all when keep is nil), in
// id order. The pointers are the stored rows: handlers only.
func sortedRows[T any, P row[T]](t table[T], keep func(*T) bool) []*T {
	out := make([]*T, 0, len(t))
	for _, r := range t {
		if keep == nil || keep(r) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *T) int { return cmp.Compare(*P(a).key(), *P(b).key()) })
	return out
}

// The locked helpers behind the exported seeding methods. Each returns
// copies, so callers never share memory with the state.

func addRow[T any, P row[T]](s *Server, t table[T], v T) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return put[T, P](s.st, t, v, true)
}

func getRow[T any, P row[T]](s *Server, t table[T], id int64) (T, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := t[id]
	if !ok {
		var zero T
		return zero, false
	}
	return P(r).clone(), true
}

func listRows[T any, P row[T]](s *Server, t table[T]) []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := sortedRows[T, P](t, nil)
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = P(r).clone()
	}
	return out
}

func removeRow[T any](s *Server, t table[T], id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := t[id]
	delete(t, id)
	return ok
}

func updateRow[T any, P row[T]](s *Server, t table[T], id int64, fn func(*T)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := t[id]
	if !ok {
		return false
	}
	cp := P(r).clone()
	fn(&cp)
	*P(&cp).key() = id
	put[T, P](s.st, t, cp, false)
	return true
}

// cloneMap copies a map (nil stays nil).
func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// clonePtr copies the value behind p (nil stays nil).
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
