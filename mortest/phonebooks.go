package mortest

// phonebookActions are the phonebooks group's endpoints. Each entry
// already declares the action's before-filters; an entry whose run is nil
// answers "There is no such API" until its handler is written.
var phonebookActions = endpoints{
	"phonebooks_get":          {caller: byU, hash: true},
	"phonebook_edit":          {caller: byU, hash: true},
	"phonebook_record_create": {caller: byU, hash: true},
	"phonebook_record_delete": {caller: byU, hash: true},
}
