package mortest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// The spec world holds Kolmisoft's test database row for row: the counts
// of every table and the key columns of its rows.
func TestSpecWorldTables(t *testing.T) {
	srv := mortest.New(mortest.WithSpecWorld(), mortest.WithLocation(zone))

	assert.Len(t, srv.Users(), 7) // five of the dump + the CLI tests' reseller2 and user_reseller2
	assert.Len(t, srv.Addresses(), 4)
	assert.Len(t, srv.Directions(), 2)
	assert.Len(t, srv.Devices(), 8) // seven of the dump + the CLI tests' SIP/1001
	assert.Len(t, srv.DeviceGroups(), 3)
	assert.Len(t, srv.DIDs(), 2)
	assert.Len(t, srv.Providers(), 1)
	assert.Len(t, srv.Tariffs(), 5)
	assert.Len(t, srv.LCRs(), 2) // + Test_LCR of the card world
	assert.Len(t, srv.Locations(), 1)
	assert.Len(t, srv.Currencies(), 2) // + EUR of the card world
	assert.Len(t, srv.CLIs(), 3)
	assert.Len(t, srv.IVRs(), 1)
	for name, n := range map[string]int{
		"phonebooks": len(srv.Phonebooks()), "quickforwarddids": len(srv.QuickforwardDIDs()),
		"quickforwards_rules": len(srv.QuickforwardsRules()), "dialplans": len(srv.Dialplans()),
		"acc_groups": len(srv.AccGroups()), "callflows": len(srv.Callflows()),
	} {
		assert.Zero(t, n, "%s must be empty", name)
	}

	type urow struct {
		name, password string
		typ            mortest.UserType
		owner          int64
		first, last    string
		tariff         int64
		vat            mortest.Decimal
		uniquehash     string
		tax            int64
	}
	want := map[int64]urow{
		0: {"admin", "admin1", mortest.Admin, 0, "System", "Admin", 2, "18", "hfttv7bcqt", 0},
		2: {"user_admin", "user_admin1", mortest.SimpleUser, 0, "Test User", "#1", 2, "18", "", 0},
		3: {"reseller", "reseller1", mortest.Reseller, 0, "Test", "Reseller", 4, "19", "qg2audn8qa", 1},
		4: {"accountant", "accountant1", mortest.Accountant, 0, "Test", "Accountant", 2, "0", "", 2},
		5: {"user_reseller", "user_reseller1", mortest.SimpleUser, 3, "User", "Resellers", 3, "19", "", 3},
	}
	for id, w := range want {
		u, ok := srv.User(id)
		require.True(t, ok, "user %d", id)
		got := urow{u.Username, "", u.Type, u.OwnerID, u.FirstName, u.LastName, u.TariffID, u.VATPercent, "", u.TaxID}
		if u.Uniquehash != nil {
			got.uniquehash = *u.Uniquehash
		}
		got.password = w.password
		assert.Equal(t, w, got, "user %d", id)
		assert.Equal(t, mortest.PasswordHash(w.password), u.PasswordHash, "user %d password", id)
		assert.Equal(t, mortest.Decimal("0"), u.Balance)
		assert.Equal(t, mortest.Decimal("-1"), u.Credit)
		assert.True(t, u.Postpaid)
		assert.False(t, u.Blocked)
		assert.Equal(t, int64(1), u.LCRID)
		assert.Zero(t, u.AccGroupID)
		assert.Equal(t, "Vilnius", u.TimeZone)
		assert.Equal(t, id == 0, u.Logged)
	}
	u2, _ := srv.User(2)
	assert.Nil(t, u2.AddressID)
	assert.Nil(t, u2.ClientID)
	assert.True(t, u2.AgreementDate.IsZero())
	admin, _ := srv.User(0)
	assert.Equal(t, time.Date(2007, 3, 26, 0, 0, 0, 0, zone), admin.AgreementDate)
	require.NotNil(t, admin.AddressID)
	assert.Equal(t, int64(1), *admin.AddressID)
	u7, _ := srv.User(7)
	assert.Equal(t, "user_reseller2", u7.Username)
	assert.Equal(t, int64(6), u7.OwnerID)

	a2, _ := srv.Address(2)
	require.NotNil(t, a2.Email)
	assert.Equal(t, "test_reseller@email.test", *a2.Email)
	assert.Equal(t, int64(123), a2.DirectionID)
	lt, _ := srv.Direction(123)
	assert.Equal(t, mortest.Direction{ID: 123, Name: "Lithuania", Code: "LTU"}, lt)

	d2, _ := srv.Device(2)
	assert.Equal(t, "vauvszef", d2.Secret)
	require.NotNil(t, d2.CallerID)
	assert.Equal(t, `"101" <101>`, *d2.CallerID)
	assert.Equal(t, "Test Device #1", d2.Description)
	assert.Equal(t, "500", d2.Qualify)
	assert.Equal(t, int64(1175892667), d2.Regseconds)
	d4, _ := srv.Device(4)
	assert.Nil(t, d4.CallerID)
	require.NotNil(t, d4.PIN)
	assert.Equal(t, "211194", *d4.PIN)
	assert.Equal(t, "alaw;g729", d4.Allow)
	d1, _ := srv.Device(1)
	assert.Equal(t, int64(-1), d1.UserID)
	assert.Equal(t, "mor", d1.Context)
	assert.Equal(t, int64(4569), d1.Port)
	for _, id := range []int64{5, 6} {
		d, _ := srv.Device(id)
		assert.Len(t, d.Name, 16)
		assert.Equal(t, int64(2), d.Accountcode)
	}

	g3, _ := srv.DeviceGroup(3)
	assert.Equal(t, mortest.DeviceGroup{ID: 3, UserID: 5, AddressID: 4, Name: "primary",
		Added: time.Date(2009, 3, 31, 11, 53, 7, 0, zone), Primary: true}, g3)

	did2, _ := srv.DID(2)
	assert.Equal(t, "37093042422", did2.DID)
	assert.Equal(t, "reserved", did2.Status)
	assert.Equal(t, int64(2), did2.UserID)
	assert.Equal(t, int64(-2), did2.DeviceID)
	assert.Equal(t, time.Date(2010, 6, 23, 0, 0, 0, 0, zone), did2.ClosedTill)
	did1, _ := srv.DID(1)
	assert.Equal(t, int64(5), did1.CallCount)
	assert.Equal(t, "free", did1.Status)

	tr5, _ := srv.Tariff(5)
	assert.Equal(t, mortest.Tariff{ID: 5, Name: "Test Tariff bad currency", Purpose: "provider", Currency: "AAA"}, tr5)
	lcr, _ := srv.LCR(1)
	assert.Equal(t, []int64{1}, lcr.ProviderIDs)
	usd, _ := srv.Currency(1)
	assert.Equal(t, "USD", usd.Name)

	assert.Equal(t, mortest.Settings{AllowAPI: true, Secret: mortest.SpecSecret}, srv.Settings(0))
	assert.Equal(t, mortest.Settings{AllowAPI: true, Secret: mortest.SpecSecret}, srv.Settings(3))
	assert.Equal(t, mortest.Settings{}, srv.Settings(6))
	ip, ok := srv.Confline(0, "Asterisk_Server_IP")
	require.True(t, ok)
	assert.Equal(t, "192.168.1.8", ip.Value)

	c3, _ := srv.CLI("654121")
	assert.Equal(t, int64(3), c3.ID)
	assert.Equal(t, int64(8), c3.DeviceID)
}

// Seeding returns and stores copies: changing a value after AddX or after
// X(id) changes nothing inside the server.
func TestSeedingCopies(t *testing.T) {
	srv := mortest.New()
	email := "a@b.lt"
	a := mortest.Address{Email: &email}
	id := srv.AddAddress(a)
	assert.Equal(t, int64(1), id)
	email = "changed"
	got, _ := srv.Address(id)
	assert.Equal(t, "a@b.lt", *got.Email)
	*got.Email = "changed again"
	again, _ := srv.Address(id)
	assert.Equal(t, "a@b.lt", *again.Email)

	g := mortest.AccGroup{Name: "G", Rights: map[string]mortest.Right{"device_manage": mortest.RightRead}}
	gid := srv.AddAccGroup(g)
	g.Rights["device_manage"] = mortest.RightEdit
	stored, _ := srv.AccGroup(gid)
	assert.Equal(t, mortest.RightRead, stored.Rights["device_manage"])

	// AUTO_INCREMENT: ids are never reused after a removal.
	require.True(t, srv.RemoveAddress(id))
	assert.False(t, srv.RemoveAddress(id))
	assert.Equal(t, int64(2), srv.AddAddress(mortest.Address{}))
	assert.Equal(t, int64(10), srv.AddAddress(mortest.Address{ID: 10}))
	assert.Equal(t, int64(11), srv.AddAddress(mortest.Address{}))

	// Update edits in place and cannot change the id.
	require.True(t, srv.UpdateAddress(10, func(a *mortest.Address) { a.City = "Vilnius"; a.ID = 99 }))
	a10, ok := srv.Address(10)
	require.True(t, ok)
	assert.Equal(t, "Vilnius", a10.City)
	_, ok = srv.Address(99)
	assert.False(t, ok)
	assert.False(t, srv.UpdateAddress(98, func(*mortest.Address) {}))
	assert.Len(t, srv.Addresses(), 3)
}

func TestDecimal(t *testing.T) {
	for _, d := range []mortest.Decimal{"", "0", "-1", "18.5", "0.0001", "60.0000"} {
		assert.True(t, d.Valid(), "%q", d)
	}
	for _, d := range []mortest.Decimal{"abc", "1/3", "1e5", "0x1A", "1_000"} {
		assert.False(t, d.Valid(), "%q", d)
	}
	r, _ := mortest.Decimal("0.1").Rat()
	r2, _ := mortest.Decimal("0.2").Rat()
	assert.Equal(t, mortest.Decimal("0.3000"), mortest.DecimalOf(r.Add(r, r2), 4)) // exact, unlike float64
}
