package mortest

import "time"

// SpecSecret is the API secret of every owner in the spec world.
const SpecSecret = "secret"

// loadSpecWorld seeds the test database of spec §9 (Kolmisoft's Selenium
// API tests).
//
// Rows the spec names:
//
//	users:   0 admin (admin), 2 user_admin "Test User" "#1" (user, owner 0),
//	         3 reseller (reseller, owner 0), 4 accountant (device_manage edit,
//	         cli_ivr none), 5 user_reseller (user, owner 3)
//	devices: 2 IAX2/101 of user 2, 7 IAX2/105 of user 5
//	IVRs:    2 of the admin
//	CLIs:    1 "123456" on device 2, 2 "987654" on device 7
//	API:     Allow_API on for the admin (0) and the reseller (3), every
//	         secret "secret", hash checking on, GET and XML extension off
//
// Rows the spec implies, with the values chosen here:
//
//   - §9 has device_clis_get for the admin with no filter return "all three
//     CLIs", while users_id=2 gives only CLI 1 and users_id=5 only CLI 2, so
//     the third CLI belongs to neither user 2 nor user 5. §9 also has the
//     reseller get "CLIs were not found" (not "Device was not found") for
//     devices_id=8, so device 8 exists and its user is outside the
//     reseller's users. Both fit one row: device 8 (IAX2/108) is the
//     reseller's own device and holds CLI 3 "555666". This also gives the
//     admin a reseller's own device to be refused on (spec §5.2 rule 6).
//   - First and last names other than user_admin's are not in the spec:
//     admin "System" "Admin", reseller "Test" "Reseller", accountant "Test"
//     "Accountant", user_reseller "Test User" "#2". IVR 2 is named "IVR 2".
//   - The seeded CLIs have an empty (not NULL) description and comment,
//     ivr_id 0 (no <cli_ivr>) and email_callback 0, as §9's XML-extension
//     row and the spec's §8.4 example show, and were added at 2018-02-01
//     10:00:00 in the server's zone.
func (s *Server) loadSpecWorld() {
	users := []User{
		{ID: 0, Username: "admin", Type: Admin, OwnerID: 0, FirstName: "System", LastName: "Admin"},
		{ID: 2, Username: "user_admin", Type: SimpleUser, OwnerID: 0, FirstName: "Test User", LastName: "#1"},
		{ID: 3, Username: "reseller", Type: Reseller, OwnerID: 0, FirstName: "Test", LastName: "Reseller"},
		{ID: 4, Username: "accountant", Type: Accountant, OwnerID: 0, FirstName: "Test", LastName: "Accountant",
			DeviceManage: RightEdit, CLIIVR: RightNone},
		{ID: 5, Username: "user_reseller", Type: SimpleUser, OwnerID: 3, FirstName: "Test User", LastName: "#2"},
	}
	for _, u := range users {
		s.AddUser(u)
	}
	s.AddDevice(Device{ID: 2, Type: "IAX2", Name: "101", UserID: 2})
	s.AddDevice(Device{ID: 7, Type: "IAX2", Name: "105", UserID: 5})
	s.AddDevice(Device{ID: 8, Type: "IAX2", Name: "108", UserID: 3})
	s.AddIVR(IVR{ID: 2, Name: "IVR 2", UserID: 0})

	at := time.Date(2018, 2, 1, 10, 0, 0, 0, s.loc)
	for _, c := range []struct {
		id     int64
		number string
		dev    int64
	}{{1, "123456", 2}, {2, "987654", 7}, {3, "555666", 8}} {
		s.AddCLI(CLI{ID: c.id, Number: c.number, DeviceID: c.dev, Description: new(""), IVRID: new(int64(0)),
			AddedAt: at, UpdatedAt: at})
	}
	s.SetSettings(0, Settings{AllowAPI: true, Secret: SpecSecret})
	s.SetSettings(3, Settings{AllowAPI: true, Secret: SpecSecret})
}
