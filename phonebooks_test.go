package mor_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// pbMock returns a Client whose every request is answered with body, and a
// record of the forms it sent.
func pbMock(t *testing.T, body string, opts ...mor.Option) (*mor.Client, *[]url.Values) {
	t.Helper()
	var sent []url.Values
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		form, err := url.ParseQuery(string(b))
		if err != nil {
			return nil, err
		}
		form.Set("_path", req.URL.Path)
		sent = append(sent, form)
		return httpmock.NewStringResponse(200, body), nil
	})
	opts = append([]mor.Option{mor.WithHTTPClient(&http.Client{Transport: mt})}, opts...)
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", "s3cr3t", opts...)
	require.NoError(t, err)
	return c, &sent
}

func pbReply(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "replies", name+".xml"))
	require.NoError(t, err)
	return string(b)
}

func i64p(v int64) *int64 { return &v }

func pbSHA1(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

var (
	pbListCall = func(ctx context.Context, c *mor.Client) (any, error) {
		return c.Phonebooks.List(ctx, mor.ListPhonebooksParams{UserID: i64p(2)})
	}
	pbEditCall = func(ctx context.Context, c *mor.Client) (any, error) {
		return nil, c.Phonebooks.Edit(ctx, mor.EditPhonebookRecordParams{ID: 1, Name: "Bobby"})
	}
	pbCreateCall = func(ctx context.Context, c *mor.Client) (any, error) {
		return nil, c.Phonebooks.Create(ctx, mor.CreatePhonebookRecordParams{UserID: 2, Name: "Bob", Number: "5432", SpeedDial: "32"})
	}
	pbDeleteCall = func(ctx context.Context, c *mor.Client) (any, error) {
		return nil, c.Phonebooks.Delete(ctx, 1)
	}
)

// Every recorded phonebook reply decodes to its result or to its typed
// error with the server's text.
func TestPhonebookRecordedReplies(t *testing.T) {
	tests := []struct {
		reply    string
		call     func(ctx context.Context, c *mor.Client) (any, error)
		want     any
		sentinel error // its own sentinel
		family   error // and its family, when it has one
		messages []string
	}{
		{reply: "phonebooks_get_success", call: pbListCall,
			want: []mor.PhonebookRecord{{ID: 1, Name: "Bob", Number: "5432", SpeedDial: "32"}}},
		{reply: "phonebooks_get_several", call: pbListCall, want: []mor.PhonebookRecord{
			{ID: 3, Name: `alice & "Bob" <home>`, Number: "37060000001", SpeedDial: "11"},
			{ID: 1, Name: "Bob", Number: "5432", SpeedDial: "32"},
			{ID: 2, Name: "Reception", Number: "100", SpeedDial: "10"},
		}},
		{reply: "phonebooks_get_none", call: pbListCall, want: []mor.PhonebookRecord{}},
		{reply: "phonebooks_get_bad_login", call: pbListCall, sentinel: mor.ErrBadLogin, messages: []string{"Bad login"}},
		{reply: "phonebooks_get_user_not_found", call: pbListCall, sentinel: mor.ErrUserNotFound, family: mor.ErrNotFound,
			messages: []string{"User was not found"}},

		{reply: "phonebook_edit_success", call: pbEditCall},
		{reply: "phonebook_edit_bad_login", call: pbEditCall, sentinel: mor.ErrBadLogin, messages: []string{"Bad login"}},
		{reply: "phonebook_edit_not_found", call: pbEditCall, sentinel: mor.ErrPhonebookRecordNotFound,
			family: mor.ErrNotFound, messages: []string{"Record was not found"}},
		{reply: "phonebook_edit_access_denied", call: pbEditCall, sentinel: mor.ErrAccessDenied,
			messages: []string{"Access Denied"}},
		{reply: "phonebook_edit_not_saved", call: pbEditCall, sentinel: mor.ErrPhonebookNotSaved, family: mor.ErrInvalidParams,
			messages: []string{"Phonebook was not saved", "Speed Dial name must be provided"}},
		{reply: "phonebook_edit_not_saved_many", call: pbEditCall, sentinel: mor.ErrSpeedDialInvalid,
			family: mor.ErrInvalidParams, messages: []string{"Phonebook was not saved",
				"Speed Dial should have at least two digits", "Speed Dial must be numeric", "Record number must be numeric"}},

		{reply: "phonebook_record_create_success", call: pbCreateCall},
		{reply: "phonebook_record_create_access_denied", call: pbCreateCall, sentinel: mor.ErrAccessDenied,
			messages: []string{"Access Denied"}},
		{reply: "phonebook_record_create_user_not_found", call: pbCreateCall, sentinel: mor.ErrUserNotFound,
			family: mor.ErrNotFound, messages: []string{"User was not found"}},
		{reply: "phonebook_record_create_name_missing", call: pbCreateCall, sentinel: mor.ErrPhonebookNameEmpty,
			family: mor.ErrInvalidParams, messages: []string{"Speed Dial name must be provided"}},
		{reply: "phonebook_record_create_not_unique", call: pbCreateCall, sentinel: mor.ErrSpeedDialTaken,
			family: mor.ErrAlreadyExists, messages: []string{"Speed dial must be unique"}},

		{reply: "phonebook_record_delete_success", call: pbDeleteCall},
		{reply: "phonebook_record_delete_access_denied", call: pbDeleteCall, sentinel: mor.ErrAccessDenied,
			messages: []string{"Access Denied"}},
		{reply: "phonebook_record_delete_not_found", call: pbDeleteCall, sentinel: mor.ErrPhonebookRecordNotFound,
			family: mor.ErrNotFound, messages: []string{"Phonebook record was not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.reply, func(t *testing.T) {
			c, sent := pbMock(t, pbReply(t, tt.reply))
			got, err := tt.call(context.Background(), c)
			require.Len(t, *sent, 1)
			if tt.sentinel == nil {
				require.NoError(t, err)
				if tt.want != nil {
					assert.Equal(t, tt.want, got)
				}
				return
			}
			var apiErr *mor.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.ErrorIs(t, err, tt.sentinel)
			if tt.family != nil {
				assert.ErrorIs(t, err, tt.family)
			}
			assert.Equal(t, tt.messages, apiErr.Messages)
			assert.Equal(t, strings.Join(tt.messages, "; "), apiErr.Message)
			assert.False(t, mor.InDoubt(err), "the server answered")
			if got != nil {
				assert.Nil(t, got, "no half result")
			}
		})
	}
}

// Each call sends exactly its parameters, signed over them in the
// server's order.
func TestPhonebookRequests(t *testing.T) {
	tests := []struct {
		name  string
		reply string
		call  func(ctx context.Context, c *mor.Client) error
		path  string
		want  url.Values // without u and hash
		pre   string     // the hashed values, without the secret
	}{
		{name: "list own", reply: "phonebooks_get_none", path: "/billing/api/phonebooks_get",
			call: func(ctx context.Context, c *mor.Client) error {
				_, err := c.Phonebooks.List(ctx, mor.ListPhonebooksParams{})
				return err
			}, want: url.Values{}, pre: ""},
		{name: "list user 0", reply: "phonebooks_get_none", path: "/billing/api/phonebooks_get",
			call: func(ctx context.Context, c *mor.Client) error {
				_, err := c.Phonebooks.List(ctx, mor.ListPhonebooksParams{UserID: i64p(0)})
				return err
			}, want: url.Values{"user_id": {"0"}}, pre: "0"},
		{name: "create", reply: "phonebook_record_create_success", path: "/billing/api/phonebook_record_create",
			call: func(ctx context.Context, c *mor.Client) error {
				return c.Phonebooks.Create(ctx, mor.CreatePhonebookRecordParams{UserID: 2, Name: "Bob", Number: "5432", SpeedDial: "32"})
			}, want: url.Values{"user_id": {"2"}, "name": {"Bob"}, "number": {"5432"}, "speeddial": {"32"}}, pre: "25432Bob32"},
		{name: "create for the admin", reply: "phonebook_record_create_success", path: "/billing/api/phonebook_record_create",
			call: func(ctx context.Context, c *mor.Client) error {
				return c.Phonebooks.Create(ctx, mor.CreatePhonebookRecordParams{Name: "Bob", Number: "5432", SpeedDial: "32"})
			}, want: url.Values{"user_id": {"0"}, "name": {"Bob"}, "number": {"5432"}, "speeddial": {"32"}}, pre: "05432Bob32"},
		{name: "edit all", reply: "phonebook_edit_success", path: "/billing/api/phonebook_edit",
			call: func(ctx context.Context, c *mor.Client) error {
				return c.Phonebooks.Edit(ctx, mor.EditPhonebookRecordParams{ID: 1, Name: "Bob", Number: "5432", SpeedDial: "32"})
			}, want: url.Values{"phonebook_id": {"1"}, "name": {"Bob"}, "number": {"5432"}, "speeddial": {"32"}}, pre: "15432Bob32"},
		{name: "edit name only", reply: "phonebook_edit_success", path: "/billing/api/phonebook_edit",
			call: func(ctx context.Context, c *mor.Client) error {
				return c.Phonebooks.Edit(ctx, mor.EditPhonebookRecordParams{ID: 7, Name: "Desk"})
			}, want: url.Values{"phonebook_id": {"7"}, "name": {"Desk"}}, pre: "7Desk"},
		{name: "delete", reply: "phonebook_record_delete_success", path: "/billing/api/phonebook_record_delete",
			call: func(ctx context.Context, c *mor.Client) error { return c.Phonebooks.Delete(ctx, 12) },
			want: url.Values{"id": {"12"}}, pre: "12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, sent := pbMock(t, pbReply(t, tt.reply))
			require.NoError(t, tt.call(context.Background(), c))
			require.Len(t, *sent, 1)
			form := (*sent)[0]
			assert.Equal(t, tt.path, form.Get("_path"))
			assert.Equal(t, "admin", form.Get("u"))
			hash := form.Get("hash")
			for _, k := range []string{"_path", "u", "hash"} {
				form.Del(k)
			}
			assert.Equal(t, tt.want, form)
			assert.Equal(t, pbSHA1(tt.pre+"s3cr3t"), hash, "hash over %q", tt.pre)
		})
	}
}

// Replies that are not a phonebook list, or hold a bad value, are errors.
func TestPhonebookListDecoding(t *testing.T) {
	const decl = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	tests := []struct {
		name  string
		body  string
		want  []mor.PhonebookRecord
		check func(t *testing.T, err error)
	}{
		{name: "empty list element", body: decl + "<page>\n  <phonebooks>\n  </phonebooks>\n</page>\n",
			want: []mor.PhonebookRecord{}},
		{name: "NULL and empty fields", body: decl + "<page><phonebooks><phonebook><id>4</id><name/><number></number>" +
			"<speeddial/><added>2018-01-01</added></phonebook></phonebooks></page>",
			want: []mor.PhonebookRecord{{ID: 4}}},
		{name: "no list and no error", body: decl + "<page>\n</page>\n", check: func(t *testing.T, err error) {
			assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
		}},
		{name: "a success text is not a list", body: pbReply(t, "phonebook_edit_success"), check: func(t *testing.T, err error) {
			assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
		}},
		{name: "record without id", body: decl + "<page><phonebooks><phonebook><name>x</name></phonebook></phonebooks></page>",
			check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
				assert.Contains(t, err.Error(), "<id>")
			}},
		{name: "bad id", body: decl + "<page><phonebooks><phonebook><id>x1</id></phonebook></phonebooks></page>",
			check: func(t *testing.T, err error) {
				var pe *mor.ParseError
				require.ErrorAs(t, err, &pe)
				assert.Contains(t, err.Error(), "<id>")
			}},
		{name: "two errors", body: decl + "<page><error>No Phonebooks</error><error>Bad login</error></page>",
			check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, mor.ErrBadLogin)
				assert.ErrorIs(t, err, mor.ErrPhonebooksNotFound)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := pbMock(t, tt.body)
			got, err := c.Phonebooks.List(context.Background(), mor.ListPhonebooksParams{})
			if tt.check != nil {
				require.Error(t, err)
				assert.Nil(t, got)
				tt.check(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// A write's success must be its own text: anything else is not success.
func TestPhonebookWritesNeedTheirSuccessText(t *testing.T) {
	for name, call := range map[string]func(ctx context.Context, c *mor.Client) (any, error){
		"edit": pbEditCall, "create": pbCreateCall, "delete": pbDeleteCall,
	} {
		for _, other := range []string{"phonebooks_get_success", "phonebook_edit_success", "phonebook_record_create_success",
			"phonebook_record_delete_success"} {
			if strings.HasPrefix(other, map[string]string{"edit": "phonebook_edit", "create": "phonebook_record_create",
				"delete": "phonebook_record_delete"}[name]) {
				continue
			}
			t.Run(name+" answered "+other, func(t *testing.T) {
				c, _ := pbMock(t, pbReply(t, other))
				_, err := call(context.Background(), c)
				assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
				assert.True(t, mor.InDoubt(err), "a write with an unknown reply may have happened")
			})
		}
	}
}

// Bad input fails locally with a typed error and sends nothing.
func TestPhonebookLocalValidation(t *testing.T) {
	create := func(p mor.CreatePhonebookRecordParams) func(ctx context.Context, c *mor.Client) error {
		return func(ctx context.Context, c *mor.Client) error { return c.Phonebooks.Create(ctx, p) }
	}
	edit := func(p mor.EditPhonebookRecordParams) func(ctx context.Context, c *mor.Client) error {
		return func(ctx context.Context, c *mor.Client) error { return c.Phonebooks.Edit(ctx, p) }
	}
	good := mor.CreatePhonebookRecordParams{UserID: 2, Name: "Bob", Number: "5432", SpeedDial: "32"}
	with := func(f func(*mor.CreatePhonebookRecordParams)) mor.CreatePhonebookRecordParams {
		p := good
		f(&p)
		return p
	}
	tests := []struct {
		name     string
		call     func(ctx context.Context, c *mor.Client) error
		field    string
		sentinel error
	}{
		{"create nothing", create(mor.CreatePhonebookRecordParams{}), "name, number, speeddial", mor.ErrPhonebookNameEmpty},
		{"create blank name", create(with(func(p *mor.CreatePhonebookRecordParams) { p.Name = " \t" })), "name", mor.ErrPhonebookNameEmpty},
		{"create no number", create(with(func(p *mor.CreatePhonebookRecordParams) { p.Number = "" })), "number", mor.ErrPhonebookNumberInvalid},
		{"create number with plus", create(with(func(p *mor.CreatePhonebookRecordParams) { p.Number = "+370" })), "number",
			mor.ErrPhonebookNumberInvalid},
		{"create number with space", create(with(func(p *mor.CreatePhonebookRecordParams) { p.Number = "54 32" })), "number",
			mor.ErrPhonebookNumberInvalid},
		{"create one-digit speed dial", create(with(func(p *mor.CreatePhonebookRecordParams) { p.SpeedDial = "3" })), "speeddial",
			mor.ErrSpeedDialInvalid},
		{"create letter in speed dial", create(with(func(p *mor.CreatePhonebookRecordParams) { p.SpeedDial = "3a" })), "speeddial",
			mor.ErrSpeedDialInvalid},
		{"create negative user", create(with(func(p *mor.CreatePhonebookRecordParams) { p.UserID = -1 })), "user_id",
			mor.ErrUserNotFound},
		{"create bad number and speed dial", create(with(func(p *mor.CreatePhonebookRecordParams) { p.Number, p.SpeedDial = "x", "" })),
			"number, speeddial", mor.ErrPhonebookNumberInvalid},
		{"edit no id", edit(mor.EditPhonebookRecordParams{Name: "x"}), "phonebook_id", mor.ErrPhonebookRecordNotFound},
		{"edit negative id", edit(mor.EditPhonebookRecordParams{ID: -3}), "phonebook_id", mor.ErrPhonebookRecordNotFound},
		{"edit blank name", edit(mor.EditPhonebookRecordParams{ID: 1, Name: "  "}), "name", mor.ErrPhonebookNameEmpty},
		{"edit bad number", edit(mor.EditPhonebookRecordParams{ID: 1, Number: "12-3"}), "number", mor.ErrPhonebookNumberInvalid},
		{"edit short speed dial", edit(mor.EditPhonebookRecordParams{ID: 1, SpeedDial: "9"}), "speeddial", mor.ErrSpeedDialInvalid},
		{"delete 0", func(ctx context.Context, c *mor.Client) error { return c.Phonebooks.Delete(ctx, 0) }, "id",
			mor.ErrPhonebookRecordNotFound},
		{"list negative user", func(ctx context.Context, c *mor.Client) error {
			_, err := c.Phonebooks.List(ctx, mor.ListPhonebooksParams{UserID: i64p(-2)})
			return err
		}, "user_id", mor.ErrUserNotFound},
		{"find short speed dial", func(ctx context.Context, c *mor.Client) error {
			_, err := c.Phonebooks.FindBySpeedDial(ctx, "1")
			return err
		}, "speeddial", mor.ErrSpeedDialInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, sent := pbMock(t, "must not be sent")
			err := tt.call(context.Background(), c)
			var ve *mor.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.ErrorIs(t, err, tt.sentinel)
			assert.False(t, errors.As(err, new(*mor.APIError)))
			assert.False(t, mor.InDoubt(err))
			assert.Empty(t, *sent)
		})
	}
}

func TestPhonebookFailurePaths(t *testing.T) {
	calls := map[string]func(ctx context.Context, c *mor.Client) error{
		"List": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Phonebooks.List(ctx, mor.ListPhonebooksParams{})
			return err
		},
		"All": func(ctx context.Context, c *mor.Client) error {
			return rangeErr(t, c.Phonebooks.All(ctx, mor.ListPhonebooksParams{UserID: i64p(2)}))
		},
		"Create": func(ctx context.Context, c *mor.Client) error { _, err := pbCreateCall(ctx, c); return err },
		"Edit":   func(ctx context.Context, c *mor.Client) error { _, err := pbEditCall(ctx, c); return err },
		"Delete": func(ctx context.Context, c *mor.Client) error { _, err := pbDeleteCall(ctx, c); return err },
		"FindBySpeedDial": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Phonebooks.FindBySpeedDial(ctx, "32")
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { testFailurePaths(t, call) })
	}
}

// Writes are sent once even with retries on, and a cut-off reply leaves
// them in doubt; a read is retried.
func TestPhonebookWritesNeverRetried(t *testing.T) {
	for name, call := range map[string]func(ctx context.Context, c *mor.Client) (any, error){
		"edit": pbEditCall, "create": pbCreateCall, "delete": pbDeleteCall,
	} {
		t.Run(name, func(t *testing.T) {
			c, sent := pbMock(t, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<page>\n  <sta",
				mor.WithRetries(3, time.Millisecond))
			_, err := call(context.Background(), c)
			require.Error(t, err)
			assert.Len(t, *sent, 1)
			assert.True(t, mor.InDoubt(err))
		})
	}
	t.Run("list is retried", func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		n := 0
		mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
			n++
			if n == 1 {
				return httpmock.NewStringResponse(503, "busy"), nil
			}
			return httpmock.NewStringResponse(200, pbReply(t, "phonebooks_get_success")), nil
		})
		c, err := mor.NewClient("https://mor.example.test/billing", "admin", "s3cr3t",
			mor.WithHTTPClient(&http.Client{Transport: mt}), mor.WithRetries(2, time.Millisecond))
		require.NoError(t, err)
		got, err := c.Phonebooks.List(context.Background(), mor.ListPhonebooksParams{})
		require.NoError(t, err)
		assert.Len(t, got, 1)
		assert.Equal(t, 2, n)
	})
}

// seedPhonebooks stores records in the spec world: a global one of the
// admin, two of user 2, one of user 5 and one of a calling card.
func seedPhonebooks(srv *mortest.Server) {
	for _, r := range []mortest.Phonebook{
		{ID: 1, UserID: 0, Name: "Bob", Number: "5432", Speeddial: "32"},
		{ID: 2, UserID: 2, Name: "Reception", Number: "100", Speeddial: "10"},
		{ID: 3, UserID: 2, Name: "alice", Number: "37060000001", Speeddial: "11"},
		{ID: 4, UserID: 5, Name: "Carol", Number: "200", Speeddial: "20"},
		{ID: 5, UserID: 0, Name: "Card", Number: "300", Speeddial: "30", CardID: 7},
	} {
		srv.AddPhonebook(r)
	}
}

func names(recs []mor.PhonebookRecord) []string {
	out := []string{}
	for _, r := range recs {
		out = append(out, r.Name)
	}
	return out
}

// phonebooks_get end to end, in every role.
func TestPhonebooksListRoles(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		role   string
		rights bool // grant the accountant every right it could have
		user   *int64
		want   []string
		err    error
	}{
		{role: roleAdmin, want: []string{"Bob"}},
		{role: roleAdmin, user: i64p(2), want: []string{"alice", "Bob", "Reception"}},
		{role: roleAdmin, user: i64p(5), err: mor.ErrUserNotFound},
		{role: roleReseller, want: []string{"Bob"}},
		{role: roleReseller, user: i64p(5), want: []string{"Bob", "Carol"}},
		{role: roleReseller, user: i64p(2), err: mor.ErrUserNotFound},
		{role: roleAccountant, want: []string{"Bob"}},
		{role: roleAccountant, user: i64p(2), want: []string{"alice", "Bob", "Reception"}},
		{role: roleAccountant, rights: true, user: i64p(2), want: []string{"alice", "Bob", "Reception"}},
		{role: roleAccountant, user: i64p(5), err: mor.ErrUserNotFound},
		{role: roleUser, want: []string{"alice", "Bob", "Reception"}},
		{role: roleUser, user: i64p(5), want: []string{"alice", "Bob", "Reception"}}, // ignored for a simple user
	}
	for _, tt := range tests {
		name := tt.role
		if tt.user != nil {
			name += " user " + string(rune('0'+*tt.user))
		}
		if tt.rights {
			name += " with rights"
		}
		t.Run(name, func(t *testing.T) {
			c, srv := setup(t, tt.role)
			seedPhonebooks(srv)
			if tt.rights {
				srv.UpdateUser(4, func(u *mortest.User) { u.DeviceManage, u.CLIIVR = mortest.RightEdit, mortest.RightEdit })
			}
			got, err := c.Phonebooks.List(ctx, mor.ListPhonebooksParams{UserID: tt.user})
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, names(got))
		})
	}
	t.Run("empty", func(t *testing.T) {
		c, _ := setup(t, roleAdmin)
		got, err := c.Phonebooks.List(ctx, mor.ListPhonebooksParams{})
		require.NoError(t, err)
		assert.Equal(t, []mor.PhonebookRecord{}, got)
	})
	t.Run("break stops", func(t *testing.T) {
		c, srv := setup(t, roleUser)
		seedPhonebooks(srv)
		var got []string
		for r, err := range c.Phonebooks.All(ctx, mor.ListPhonebooksParams{}) {
			require.NoError(t, err)
			got = append(got, r.Name)
			break
		}
		assert.Equal(t, []string{"alice"}, got)
	})
}

// phonebook_record_create end to end, in every role: the record is always
// the caller's.
func TestPhonebooksCreateRoles(t *testing.T) {
	ctx := context.Background()
	p := mor.CreatePhonebookRecordParams{Name: "Dave", Number: "600", SpeedDial: "60"}
	tests := []struct {
		role   string
		rights bool
		user   int64
		owner  int64 // the stored record's user_id
		err    error
	}{
		{role: roleAdmin, user: 0, owner: 0},
		{role: roleAdmin, user: 2, owner: 0}, // saved under the admin: global
		{role: roleAdmin, user: 3, err: mor.ErrAccessDenied},
		{role: roleAdmin, user: 99, err: mor.ErrUserNotFound},
		{role: roleUser, user: 2, owner: 2},
		{role: roleUser, user: 5, err: mor.ErrAccessDenied},
		{role: roleReseller, user: 5, err: mor.ErrAccessDenied},
		{role: roleAccountant, user: 2, err: mor.ErrAccessDenied},
		{role: roleAccountant, rights: true, user: 2, err: mor.ErrAccessDenied},
	}
	for _, tt := range tests {
		name := tt.role + " for " + string(rune('0'+tt.user%10))
		if tt.rights {
			name += " with rights"
		}
		t.Run(name, func(t *testing.T) {
			c, srv := setup(t, tt.role)
			if tt.rights {
				srv.UpdateUser(4, func(u *mortest.User) { u.DeviceManage, u.CLIIVR = mortest.RightEdit, mortest.RightEdit })
			}
			q := p
			q.UserID = tt.user
			err := c.Phonebooks.Create(ctx, q)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.False(t, mor.InDoubt(err))
				assert.Empty(t, srv.Phonebooks())
				return
			}
			require.NoError(t, err)
			recs := srv.Phonebooks()
			require.Len(t, recs, 1)
			assert.Equal(t, tt.owner, recs[0].UserID)
			assert.Equal(t, "Dave", recs[0].Name)
			assert.Equal(t, "600", recs[0].Number)
			assert.Equal(t, "60", recs[0].Speeddial)
			assert.Zero(t, recs[0].CardID)
			// The reply has no id; the caller's own phonebook has the record.
			r, err := c.Phonebooks.FindBySpeedDial(ctx, "60")
			require.NoError(t, err)
			assert.Equal(t, mor.PhonebookRecord{ID: recs[0].ID, Name: "Dave", Number: "600", SpeedDial: "60"}, *r)
			// A retry is refused.
			err = c.Phonebooks.Create(ctx, q)
			assert.ErrorIs(t, err, mor.ErrSpeedDialTaken)
			assert.ErrorIs(t, err, mor.ErrAlreadyExists)
		})
	}
}

func TestPhonebooksFindBySpeedDial(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t, roleUser)
	seedPhonebooks(srv)
	r, err := c.Phonebooks.FindBySpeedDial(ctx, "10")
	require.NoError(t, err)
	assert.Equal(t, int64(2), r.ID)

	_, err = c.Phonebooks.FindBySpeedDial(ctx, "99")
	assert.ErrorIs(t, err, mor.ErrPhonebookRecordNotFound)
	assert.False(t, errors.As(err, new(*mor.APIError)))

	// The user's own speed dial 32 is allowed next to the global one, and
	// then the list cannot tell which is which.
	require.NoError(t, c.Phonebooks.Create(ctx, mor.CreatePhonebookRecordParams{UserID: 2, Name: "Bob2", Number: "1", SpeedDial: "32"}))
	_, err = c.Phonebooks.FindBySpeedDial(ctx, "32")
	assert.ErrorIs(t, err, mor.ErrSpeedDialAmbiguous)
	assert.Contains(t, err.Error(), "records 1, 6")

	// The admin's records are the global ones: never ambiguous.
	admin, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	require.NoError(t, err)
	r, err = admin.Phonebooks.FindBySpeedDial(ctx, "32")
	require.NoError(t, err)
	assert.Equal(t, int64(1), r.ID)
	// A card's record is never listed.
	_, err = admin.Phonebooks.FindBySpeedDial(ctx, "30")
	assert.ErrorIs(t, err, mor.ErrPhonebookRecordNotFound)
}

// phonebook_edit end to end, in every role, with the silent failure.
func TestPhonebooksEditRoles(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		role   string
		rights bool
		p      mor.EditPhonebookRecordParams
		err    error
		want   *mortest.Phonebook // the record afterwards (nil: unchanged)
	}{
		{name: "admin edits a user's record", role: roleAdmin, p: mor.EditPhonebookRecordParams{ID: 2, Name: "Front", Number: "101"},
			want: &mortest.Phonebook{ID: 2, UserID: 2, Name: "Front", Number: "101", Speeddial: "10"}},
		{name: "admin edits a global record", role: roleAdmin, p: mor.EditPhonebookRecordParams{ID: 1, SpeedDial: "33"},
			want: &mortest.Phonebook{ID: 1, UserID: 0, Name: "Bob", Number: "5432", Speeddial: "33"}},
		{name: "user edits own", role: roleUser, p: mor.EditPhonebookRecordParams{ID: 3, Name: "Alice"},
			want: &mortest.Phonebook{ID: 3, UserID: 2, Name: "Alice", Number: "37060000001", Speeddial: "11"}},
		{name: "user edits a global record", role: roleUser, p: mor.EditPhonebookRecordParams{ID: 1, Name: "X"}, err: mor.ErrAccessDenied},
		{name: "user edits another user's", role: roleUser, p: mor.EditPhonebookRecordParams{ID: 4, Name: "X"}, err: mor.ErrAccessDenied},
		{name: "reseller edits its user's", role: roleReseller, p: mor.EditPhonebookRecordParams{ID: 4, Name: "X"}, err: mor.ErrAccessDenied},
		{name: "accountant edits a user's", role: roleAccountant, p: mor.EditPhonebookRecordParams{ID: 2, Name: "X"}, err: mor.ErrAccessDenied},
		{name: "accountant with rights edits a user's", role: roleAccountant, rights: true,
			p: mor.EditPhonebookRecordParams{ID: 2, Name: "X"}, err: mor.ErrAccessDenied},
		{name: "no such record", role: roleAdmin, p: mor.EditPhonebookRecordParams{ID: 99, Name: "X"}, err: mor.ErrPhonebookRecordNotFound},
		// The speed dial is taken: "Phonebook saved", nothing stored.
		{name: "silent failure", role: roleUser, p: mor.EditPhonebookRecordParams{ID: 2, Name: "Front", SpeedDial: "11"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, srv := setup(t, tt.role)
			seedPhonebooks(srv)
			if tt.rights {
				srv.UpdateUser(4, func(u *mortest.User) { u.DeviceManage, u.CLIIVR = mortest.RightEdit, mortest.RightEdit })
			}
			before, _ := srv.Phonebook(tt.p.ID)
			err := c.Phonebooks.Edit(ctx, tt.p)
			after, _ := srv.Phonebook(tt.p.ID)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Equal(t, before, after)
				return
			}
			require.NoError(t, err)
			if tt.want == nil {
				assert.Equal(t, before, after, "the save failed silently")
				return
			}
			after.Added = time.Time{}
			assert.Equal(t, *tt.want, after)
		})
	}
	t.Run("not saved carries its reasons", func(t *testing.T) {
		c, srv := setup(t, roleAdmin)
		seedPhonebooks(srv)
		// Bypass the client's own checks: send a value only the server refuses.
		var raw []byte
		err := c.Call(ctx, "phonebook_edit", url.Values{"phonebook_id": {"2"}, "number": {"12a"}, "speeddial": {"x"}}, &raw)
		assert.ErrorIs(t, err, mor.ErrPhonebookNotSaved)
		err = c.Phonebooks.Edit(ctx, mor.EditPhonebookRecordParams{ID: 2, Number: "12a"})
		var ve *mor.ValidationError
		assert.ErrorAs(t, err, &ve, "the client refuses it first")
	})
}

// phonebook_record_delete end to end, in every role.
func TestPhonebooksDeleteRoles(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		role   string
		rights bool
		id     int64
		err    error
	}{
		{role: roleAdmin, id: 4},
		{role: roleAdmin, id: 1},
		{role: roleUser, id: 2},
		{role: roleUser, id: 1, err: mor.ErrPhonebookRecordNotFound},
		{role: roleUser, id: 4, err: mor.ErrPhonebookRecordNotFound},
		{role: roleReseller, id: 4, err: mor.ErrAccessDenied},
		{role: roleAccountant, id: 2, err: mor.ErrAccessDenied},
		{role: roleAccountant, rights: true, id: 2, err: mor.ErrAccessDenied},
		{role: roleAdmin, id: 99, err: mor.ErrPhonebookRecordNotFound},
	}
	for _, tt := range tests {
		name := tt.role + " deletes " + string(rune('0'+tt.id%10))
		if tt.rights {
			name += " with rights"
		}
		t.Run(name, func(t *testing.T) {
			c, srv := setup(t, tt.role)
			seedPhonebooks(srv)
			if tt.rights {
				srv.UpdateUser(4, func(u *mortest.User) { u.DeviceManage, u.CLIIVR = mortest.RightEdit, mortest.RightEdit })
			}
			err := c.Phonebooks.Delete(ctx, tt.id)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Len(t, srv.Phonebooks(), 5)
				return
			}
			require.NoError(t, err)
			_, ok := srv.Phonebook(tt.id)
			assert.False(t, ok)
			assert.Len(t, srv.Phonebooks(), 4)
			err = c.Phonebooks.Delete(ctx, tt.id)
			assert.ErrorIs(t, err, mor.ErrPhonebookRecordNotFound, "a retry is not found")
		})
	}
}

// A record is created under the caller and answers no id: find it by its
// speed dial. An edit answers "saved" even when a used speed dial made the
// server drop it, so read the record back.
func ExamplePhonebooksService_Create() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "user_admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	for _, p := range []mor.CreatePhonebookRecordParams{
		{UserID: 2, Name: "Reception", Number: "100", SpeedDial: "10"},
		{UserID: 2, Name: "Support", Number: "200", SpeedDial: "20"},
	} {
		if err := c.Phonebooks.Create(ctx, p); err != nil {
			panic(err)
		}
	}
	rec, err := c.Phonebooks.FindBySpeedDial(ctx, "20")
	if err != nil {
		panic(err)
	}
	fmt.Println("created:", rec.ID, rec.Name, rec.Number)

	// Speed dial 10 is taken: the server answers success but keeps the record.
	err = c.Phonebooks.Edit(ctx, mor.EditPhonebookRecordParams{ID: rec.ID, SpeedDial: "10"})
	fmt.Println("edit:", err)
	if again, err := c.Phonebooks.FindBySpeedDial(ctx, "20"); err == nil && again.ID == rec.ID {
		fmt.Println("still speed dial", again.SpeedDial)
	}

	err = c.Phonebooks.Delete(ctx, rec.ID)
	fmt.Println("delete:", err)
	err = c.Phonebooks.Delete(ctx, rec.ID)
	fmt.Println("again:", errors.Is(err, mor.ErrPhonebookRecordNotFound))
	// Output:
	// created: 2 Support 200
	// edit: <nil>
	// still speed dial 20
	// delete: <nil>
	// again: true
}

// BenchmarkPhonebooksAll streams a 10,000-record phonebook from mortest.
func BenchmarkPhonebooksAll(b *testing.B) {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	for i := range 10000 {
		srv.AddPhonebook(mortest.Phonebook{UserID: 2, Name: "Record " + strconv.Itoa(i), Number: "37060" + strconv.Itoa(100000+i),
			Speeddial: strconv.Itoa(10 + i)})
	}
	c, err := mor.NewClient(srv.URL, "user_admin", mortest.SpecSecret)
	require.NoError(b, err)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range c.Phonebooks.All(ctx, mor.ListPhonebooksParams{}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 10000 {
			b.Fatalf("%d records", n)
		}
	}
}
