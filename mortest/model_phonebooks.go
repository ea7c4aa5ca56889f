package mortest

import "time"

// Phonebook is one row of the phonebooks table: a speed-dial record. User 0
// is the admin's (global) phonebook; records of calling cards (CardID ≠ 0)
// are left out of every list.
type Phonebook struct {
	ID        int64
	UserID    int64
	Number    string
	Name      string
	Speeddial string
	Added     time.Time
	CardID    int64
}

func (p *Phonebook) key() *int64      { return &p.ID }
func (*Phonebook) tableName() string  { return "phonebooks" }
func (p *Phonebook) clone() Phonebook { return *p }
