package mor

// The phonebooks group: phonebooks_get, phonebook_edit,
// phonebook_record_create and phonebook_record_delete.

// PhonebooksService reads phonebooks and edits their records. Reach it as
// Client.Phonebooks; it holds no state of its own.
type PhonebooksService service
