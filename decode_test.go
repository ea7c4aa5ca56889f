package mor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testUser is a reply type as a group helper writes one.
type testUser struct {
	ID       int64
	Username string
	Blocked  bool
	Balance  Money
	Credit   Money
	Created  time.Time
	Birthday time.Time
	Note     *string
	LCR      *int64
	Agreed   *bool
	Seen     *time.Time
	Limit    *Decimal
}

func (u *testUser) fields() []field {
	return []field{
		req("details/main_detail/id", i64(&u.ID)),
		opt("details/main_detail/username", str(&u.Username)),
		opt("details/main_detail/blocked", flag(&u.Blocked)),
		opt("details/main_detail/balance", money(&u.Balance)),
		opt("details/main_detail/credit", money(&u.Credit)),
		opt("details/main_detail/currency", currency(&u.Balance, &u.Credit)),
		opt("details/main_detail/created_at", datetime(&u.Created)),
		opt("details/main_detail/birthday", date(&u.Birthday)),
		opt("details/main_detail/note", ptrStr(&u.Note)),
		opt("details/main_detail/lcr_id", ptrI64(&u.LCR)),
		opt("details/main_detail/agreed", ptrFlag(&u.Agreed)),
		opt("details/main_detail/seen_at", ptrDatetime(&u.Seen)),
		opt("details/main_detail/limit", ptrDecimal(&u.Limit)),
	}
}

func decodeUser(doc string) (testUser, error) {
	var u testUser
	err := decodeFields("user_details_get", strings.NewReader(doc), u.fields(), false)
	return u, err
}

func TestDecodeFieldsTypedValues(t *testing.T) {
	u, err := decodeUser(`<?xml version="1.0" encoding="UTF-8"?>
<page><details><main_detail>
  <id>2</id><username> user </username><blocked>true</blocked>
  <balance>1.0e-05</balance><credit>-1.0</credit><currency>EUR</currency>
  <created_at>2018-02-01 10:00:00 +0200</created_at><birthday>1990-05-06</birthday>
  <note></note><lcr_id/><agreed>0</agreed>
  <new_field_from_2030>ignored</new_field_from_2030>
</main_detail></details></page>`)
	require.NoError(t, err)
	assert.Equal(t, int64(2), u.ID)
	assert.Equal(t, " user ", u.Username, "leaf text is kept as sent")
	assert.True(t, u.Blocked)
	assert.Equal(t, "0.000010 EUR", u.Balance.String())
	assert.Equal(t, "-1.00 EUR", u.Credit.String())
	_, off := u.Created.Zone()
	assert.Equal(t, 2*3600, off, "the zone is kept")
	assert.Equal(t, "2018-02-01T10:00:00+02:00", u.Created.Format(time.RFC3339))
	assert.Equal(t, "1990-05-06", u.Birthday.Format(time.DateOnly))
	require.NotNil(t, u.Note, "present but empty string: pointer to empty")
	assert.Equal(t, "", *u.Note)
	assert.Nil(t, u.LCR, "empty integer (MOR's NULL) stays nil")
	require.NotNil(t, u.Agreed)
	assert.False(t, *u.Agreed)
	assert.Nil(t, u.Seen, "absent stays nil")
	assert.Nil(t, u.Limit)
}

func TestDecodeFieldsFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		doc     string
		want    error
		element string
	}{
		"required missing":  {doc: `<page><details><main_detail><username>x</username></main_detail></details></page>`, want: ErrUnexpectedResponse, element: "details/main_detail/id"},
		"other root":        {doc: `<status>ok</status>`, want: ErrUnexpectedResponse, element: "details/main_detail/id"},
		"wrong place":       {doc: `<page><main_detail><id>2</id></main_detail></page>`, want: ErrUnexpectedResponse, element: "details/main_detail/id"},
		"bad integer":       {doc: `<page><details><main_detail><id>2x</id></main_detail></details></page>`, element: "details/main_detail/id"},
		"bad flag":          {doc: `<page><details><main_detail><id>2</id><blocked>yes</blocked></main_detail></details></page>`, element: "details/main_detail/blocked"},
		"bad money":         {doc: `<page><details><main_detail><id>2</id><balance>12,5</balance></main_detail></details></page>`, want: ErrBadDecimal, element: "details/main_detail/balance"},
		"bad datetime":      {doc: `<page><details><main_detail><id>2</id><created_at>yesterday</created_at></main_detail></details></page>`, element: "details/main_detail/created_at"},
		"bad date":          {doc: `<page><details><main_detail><id>2</id><birthday>1990-13-01</birthday></main_detail></details></page>`, element: "details/main_detail/birthday"},
		"bad pointer value": {doc: `<page><details><main_detail><id>2</id><lcr_id>one</lcr_id></main_detail></details></page>`, element: "details/main_detail/lcr_id"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := decodeUser(tc.doc)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, pe.Error(), "<"+tc.element+">")
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}
}

// Any <error> wins over bad or missing fields.
func TestDecodeFieldsErrorWins(t *testing.T) {
	_, err := decodeUser(`<page><details><main_detail><id>x</id></main_detail></details><error>User was not found</error></page>`)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, ErrUserNotFound)
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = decodeUser(`<error>User was not found</error>`)
	assert.ErrorIs(t, err, ErrUserNotFound)
}

func TestDecodeFieldsSuccessHook(t *testing.T) {
	var id int64
	fields := []field{opt("id", i64(&id))}
	for doc, ok := range map[string]bool{
		`<page><status><success>Device successfully updated</success></status><id>4</id></page>`: true,
		`<page><status>Device successfully updated</status></page>`:                              true,
		`<page><status>Done</status></page>`:                                                     false,
		`<page><id>4</id></page>`:                                                                false,
	} {
		err := decodeFields("device_update", strings.NewReader(doc), fields, true)
		if ok {
			assert.NoError(t, err, doc)
		} else {
			assert.ErrorIs(t, err, ErrUnexpectedResponse, doc)
		}
	}
}

type testRec struct {
	ID   int64
	Name string
}

func (r *testRec) fields() []field {
	return []field{req("id", i64(&r.ID)), opt("name", str(&r.Name))}
}

var testRecs = recordSpec[testRec]{record: "users/user", fields: (*testRec).fields, empty: []error{ErrUsersNotFound}}

func decodeAll(doc string) ([]testRec, error) {
	var out []testRec
	err := decodeRecords("users_get", strings.NewReader(doc), testRecs, func(r testRec) bool { out = append(out, r); return true })
	return out, err
}

func TestDecodeRecordsWrapped(t *testing.T) {
	got, err := decodeAll(`<page><users><user><id>1</id><name>a</name><extra/></user><user><id>2</id></user></users><other><user><id>9</id></user></other></page>`)
	require.NoError(t, err)
	assert.Equal(t, []testRec{{1, "a"}, {2, ""}}, got, "fields reset between records; other paths ignored")

	got, err = decodeAll(`<page><status><error>No Users found</error></status></page>`)
	require.NoError(t, err, "the empty-list text is an empty list")
	assert.Empty(t, got)

	_, err = decodeAll(`<page><users><user><name>a</name></user></users></page>`)
	assert.ErrorIs(t, err, ErrUnexpectedResponse, "a record without its required id")
	assert.Contains(t, err.Error(), "record 1")

	_, err = decodeAll(`<page><users><user><id>z</id></user></users></page>`)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Error(), "<id>")

	_, err = decodeAll(`<page><status><error>Access Denied</error></status></page>`)
	assert.ErrorIs(t, err, ErrAccessDenied)

	got, err = decodeAll(`<page><users>
	</users></page>`)
	require.NoError(t, err, "an empty container is an empty list")
	assert.Empty(t, got)
	for _, doc := range []string{`<page><status>ok</status></page>`, `<page><user><id>1</id></user></page>`, `<users><user><id>1</id></user></users>`} {
		_, err = decodeAll(doc)
		assert.ErrorIs(t, err, ErrUnexpectedResponse, "neither records nor an error is not an empty list: %s", doc)
	}
}

// newStreamClient serves body for every request and counts requests.
func newStreamClient(t *testing.T, body func() io.Reader, opts ...Option) (*Client, *atomic.Int32) {
	c, mt := newMockClient(t, opts...)
	var n atomic.Int32
	mt.RegisterResponder(http.MethodPost, testBase+"/api/users_get", func(*http.Request) (*http.Response, error) {
		n.Add(1)
		return &http.Response{StatusCode: 200, Status: "200 OK", Body: io.NopCloser(body()), Header: http.Header{}}, nil
	})
	return c, &n
}

// trackedBody is a long reply that records how much was read and whether it
// was closed.
type trackedBody struct {
	r      io.Reader
	read   atomic.Int64
	closed atomic.Bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read.Add(int64(n))
	return n, err
}
func (b *trackedBody) Close() error { b.closed.Store(true); return nil }

func manyUsers(n int) string {
	var sb strings.Builder
	sb.WriteString("<page><users>")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "<user><id>%d</id><name>user %d</name></user>", i, i)
	}
	sb.WriteString("</users></page>")
	return sb.String()
}

func TestStreamRecordsBreakStopsReading(t *testing.T) {
	doc := manyUsers(100000) // ~5 MB
	body := &trackedBody{r: strings.NewReader(doc)}
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/users_get", func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Status: "200 OK", Body: body, Header: http.Header{}}, nil
	})
	var got []int64
	for r, err := range streamRecords(context.Background(), c, "users_get", nil, testRecs) {
		require.NoError(t, err)
		got = append(got, r.ID)
		if len(got) == 3 {
			break
		}
	}
	assert.Equal(t, []int64{1, 2, 3}, got)
	assert.True(t, body.closed.Load(), "break closes the body")
	assert.Less(t, body.read.Load(), int64(len(doc)/10), "break stops reading: read %d of %d bytes", body.read.Load(), len(doc))
}

func TestStreamRecordsErrorIsLastPair(t *testing.T) {
	// A reply cut off after two records: two records, then the error.
	c, _ := newStreamClient(t, func() io.Reader {
		return strings.NewReader(`<page><users><user><id>1</id></user><user><id>2</id></user><user><id>3`)
	}, WithRetries(3, time.Millisecond))
	var ids []int64
	var last error
	pairs := 0
	for r, err := range streamRecords(context.Background(), c, "users_get", nil, testRecs) {
		pairs++
		if err != nil {
			last = err
			continue
		}
		require.NoError(t, last, "no record after the error")
		ids = append(ids, r.ID)
	}
	assert.Equal(t, []int64{1, 2}, ids)
	var pe *ParseError
	assert.ErrorAs(t, last, &pe)
	assert.Equal(t, 3, pairs)

	_, err := collect(streamRecords(context.Background(), c, "users_get", nil, testRecs))
	assert.ErrorAs(t, err, &pe, "collect returns the error and no half result")
}

// errAfter fails with a transport-level error after its content.
type errAfter struct {
	r   io.Reader
	err error
}

func (e *errAfter) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

// A read is retried before the first record, never after: no record is
// yielded twice.
func TestStreamRecordsRetriesOnlyBeforeFirstRecord(t *testing.T) {
	reset := errors.New("connection reset")
	c, n := newStreamClient(t, func() io.Reader {
		return &errAfter{r: strings.NewReader(`<page><users><user><id>1</id></user><user><id>2`), err: reset}
	}, WithRetries(3, time.Millisecond))
	var ids []int64
	var last error
	for r, err := range streamRecords(context.Background(), c, "users_get", nil, testRecs) {
		if err != nil {
			last = err
			break
		}
		ids = append(ids, r.ID)
	}
	assert.Equal(t, []int64{1}, ids)
	var te *TransportError
	assert.ErrorAs(t, last, &te)
	assert.Equal(t, int32(1), n.Load(), "not retried once a record was yielded")

	c, n = newStreamClient(t, func() io.Reader {
		return &errAfter{r: strings.NewReader(`<page><users>`), err: reset}
	}, WithRetries(2, time.Millisecond))
	_, err := collect(streamRecords(context.Background(), c, "users_get", nil, testRecs))
	assert.ErrorAs(t, err, &te)
	assert.Equal(t, int32(3), n.Load(), "retried while nothing was yielded")
}

func TestStreamRecordsLazyAndEmpty(t *testing.T) {
	c, n := newStreamClient(t, func() io.Reader {
		return strings.NewReader(`<page><status><error>No Users found</error></status></page>`)
	})
	seq := streamRecords(context.Background(), c, "users_get", nil, testRecs)
	assert.Equal(t, int32(0), n.Load(), "nothing is sent before ranging")
	got, err := collect(seq)
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Empty(t, got)
	assert.Equal(t, int32(1), n.Load())
}
