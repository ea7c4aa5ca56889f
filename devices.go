package mor

// The devices group: devices_get, device_details_get, device_create,
// device_update, device_delete, device_callflow_get, device_callflow_update
// and morphone_details_get.

// DevicesService lists, reads, creates, updates and deletes devices and their
// call flows. Reach it as Client.Devices; it holds no state of its own.
type DevicesService service
