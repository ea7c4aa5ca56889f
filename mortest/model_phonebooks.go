package mortest

import "time"

// Phonebook is one row of the phonebooks table: a speed-dial record. User 0
// is the admin's (global) phonebook; records of calling cards (CardID ≠ 0)
// are left out of every list.
type Phonebook struct {
	ID        int64     // primary key (id)
	UserID    int64     // owner (user_id); 0 the admin's global phonebook
	Number    string    // phone number (number)
	Name      string    // name (name)
	Speeddial string    // speed-dial code (speeddial)
	Added     time.Time // when it was added (added)
	CardID    int64     // calling card (card_id); 0 none
}

func (p *Phonebook) key() *int64      { return &p.ID }
func (*Phonebook) tableName() string  { return "phonebooks" }
func (p *Phonebook) clone() Phonebook { return *p }
