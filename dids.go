package mor

// The DIDs group: dids_get, did_create, did_device_assign,
// did_device_unassign, did_details_update, did_subscription_stop and the
// quick-forward DIDs (quickforwards_dids_get, quickforwards_did_update,
// quickforwards_did_delete).

// DIDsService lists, creates, assigns, frees and forwards DIDs (incoming
// numbers). Reach it as Client.DIDs; it holds no state of its own.
type DIDsService service
