package mortest

// userActions are the users group's endpoints (user_login … login_form).
// Each entry already declares the action's before-filters; an entry whose
// run is nil answers "There is no such API" until its handler is written.
var userActions = endpoints{
	"user_login":            {caller: byLogin},
	"user_logout":           {caller: byUBadLogin, hash: true},
	"user_details_get":      {caller: byU, hash: true},
	"user_details_update":   {caller: byU, hash: true},
	"user_register":         {caller: byUniquehash, hash: true},
	"users_get":             {caller: byU, hash: true},
	"reseller_group_create": {caller: byU, hash: true},
	"login_form":            {caller: byU},
}
