package mortest_test

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// 64 goroutines add and delete distinct CLIs at once; run with -race. The
// final state must be exactly the CLIs that were added and not deleted.
func TestConcurrentAddDelete(t *testing.T) {
	const workers, perWorker = 64, 12
	srv := newSpecServer(t)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer hc.CloseIdleConnections()

	send := func(method string, kv ...string) (string, error) {
		resp, err := hc.PostForm(srv.URL+"/billing/api/"+method, sign(method, vals(kv...), mortest.SpecSecret))
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*2)
	for w := range workers {
		wg.Go(func() {
			// Workers alternate between the admin (device 2) and the
			// reseller (device 7) so both ownership paths run.
			user, device := "admin", "2"
			if w%2 == 1 {
				user, device = "reseller", "7"
			}
			for i := range perWorker {
				number := fmt.Sprintf("9%03d%03d", w, i)
				body, err := send("cli_add", "u", user, "device_id", device, "cli_number", number)
				if err != nil || body != okReply("CLI successfully created") {
					errs <- fmt.Errorf("add %s: %v %q", number, err, body)
					continue
				}
				if i%3 == 0 { // delete every third one again
					body, err := send("cli_delete", "u", user, "cli_number", number)
					if err != nil || body != okReply("CLI successfully deleted") {
						errs <- fmt.Errorf("delete %s: %v %q", number, err, body)
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	want := map[string]int64{"123456": 2, "987654": 7, "654121": 8}
	for w := range workers {
		device := int64(2)
		if w%2 == 1 {
			device = 7
		}
		for i := range perWorker {
			if i%3 != 0 {
				want[fmt.Sprintf("9%03d%03d", w, i)] = device
			}
		}
	}
	got := map[string]int64{}
	ids := map[int64]bool{}
	for _, c := range srv.CLIs() {
		got[c.Number] = c.DeviceID
		require.False(t, ids[c.ID], "duplicate id %d", c.ID)
		ids[c.ID] = true
	}
	assert.Equal(t, want, got)
	assert.Equal(t, workers*perWorker, srv.Requests("cli_add"))
	assert.Equal(t, workers*((perWorker+2)/3), srv.Requests("cli_delete"))
}

// The seeding API is safe next to requests: tables are read and written
// from many goroutines while CLI requests run (meaningful under -race).
func TestConcurrentSeeding(t *testing.T) {
	srv := newSpecServer(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				id := srv.AddDID(mortest.DID{DID: fmt.Sprintf("370%02d%05d", g, i), Status: "free", ProviderID: 1})
				srv.UpdateDID(id, func(d *mortest.DID) { d.CallLimit = int64(i) })
				_ = srv.DIDs()
				srv.UpdateUser(2, func(u *mortest.User) { u.Balance = mortest.Decimal(fmt.Sprint(i)) })
				_, _ = srv.User(2)
				srv.AddPhonebook(mortest.Phonebook{UserID: 2, Number: fmt.Sprint(i), Name: "x", Speeddial: "10"})
				resp, err := http.PostForm(srv.URL+"/billing/api/cli_info_get",
					sign("cli_info_get", vals("u", "admin", "cli", "123456"), mortest.SpecSecret))
				if err != nil {
					t.Error(err) // not require: this is not the test goroutine
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, srv.DIDs(), 2+4*50)
	assert.Len(t, srv.Phonebooks(), 4*50)
}
