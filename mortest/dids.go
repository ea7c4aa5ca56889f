package mortest

// didActions are the DIDs group's endpoints (dids_get …
// quickforwards_did_delete). Each entry already declares the action's
// before-filters; an entry whose run is nil answers "There is no such API"
// until its handler is written.
var didActions = endpoints{
	"dids_get":                 {caller: byU, hash: true},
	"did_create":               {caller: byU, hash: true},
	"did_device_assign":        {caller: byU, hash: true},
	"did_device_unassign":      {caller: byU, hash: true},
	"did_details_update":       {caller: byU, hash: true},
	"did_subscription_stop":    {caller: byU, hash: true},
	"quickforwards_dids_get":   {caller: byU, hash: true},
	"quickforwards_did_update": {caller: byU, hash: true},
	"quickforwards_did_delete": {caller: byU, hash: true},
}
