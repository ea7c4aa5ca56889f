package mortest

// deviceActions are the devices group's endpoints (devices_get …
// user_devices). Each entry already declares the action's before-filters;
// an entry whose run is nil answers "There is no such API" until its
// handler is written.
var deviceActions = endpoints{
	"devices_get":            {caller: byU, hash: true},
	"device_details_get":     {caller: byU, hash: true},
	"device_create":          {caller: byU, hash: true},
	"device_update":          {caller: byU, hash: true},
	"device_delete":          {caller: byU, hash: true},
	"device_callflow_get":    {caller: byU, hash: true},
	"device_callflow_update": {caller: byU, hash: true},
	"morphone_details_get":   {caller: byLogin},
	"user_devices":           {caller: byUBadLogin},
}
