package mor

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// shapeBomb is a reply under the size cap whose shape (depth, attributes,
// text) is hostile, and the limit its *ParseError must name.
type shapeBomb struct {
	name  string
	body  []byte
	limit string
}

// unclosedBomb is n unclosed <a> elements, gzipped: 10M of them are 30 MB
// decoded (under the default 32 MiB cap) in a 29 KB body.
func unclosedBomb(n int) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	chunk := bytes.Repeat([]byte("<a>"), 64<<10)
	for ; n > 0; n -= 64 << 10 {
		_, _ = zw.Write(chunk[:3*min(n, 64<<10)])
	}
	_ = zw.Close()
	return buf.Bytes()
}

// shapeBombs returns the bombs the decoder must refuse by shape rather than
// by size. big selects the full-size unclosed bomb.
func shapeBombs(big bool) []shapeBomb {
	n := 10_000_000
	if !big {
		n = 100_000
	}
	attrs := func(count int) []byte {
		var b bytes.Buffer
		b.WriteString("<page")
		for i := 0; i < count; i++ {
			b.WriteString(" a" + strconv.Itoa(i) + `=""`)
		}
		b.WriteString("><status>CLI successfully created</status></page>")
		return b.Bytes()
	}
	depth := fmt.Sprintf("limit of %d levels (MaxElementDepth)", MaxElementDepth)
	size := fmt.Sprintf("limit of %d bytes (MaxElementBytes)", MaxElementBytes)
	return []shapeBomb{
		{"unclosed <a> gzip bomb", unclosedBomb(n), depth},
		{"deep closed nesting", []byte("<page>" + strings.Repeat("<a>", 100_000) + strings.Repeat("</a>", 100_000) +
			"<status>CLI successfully created</status></page>"), depth},
		{"one level too deep", []byte(strings.Repeat("<a>", MaxElementDepth+1) + strings.Repeat("</a>", MaxElementDepth+1)), depth},
		{"65 attributes", attrs(MaxElementAttrs + 1), fmt.Sprintf("65 attributes, more than the limit of %d (MaxElementAttrs)", MaxElementAttrs)},
		{"attribute bomb", gzipOf(attrs(2_000_000)), size},
		{"huge attribute value", []byte(`<page a="` + strings.Repeat("x", 4<<20) + `"><status>CLI successfully created</status></page>`), size},
		{"one huge text node", gzipOf([]byte("<page><status>" + strings.Repeat("x", 30<<20) + "</status></page>")), size},
		{"text split by comments", []byte("<page><status>" + strings.Repeat(strings.Repeat("x", 1<<10)+"<!---->", 1<<10+1) + "</status></page>"), "<status> holds more text than the " + size},
		{"huge comment", []byte("<page><!--" + strings.Repeat("x", 4<<20) + "--><status>CLI successfully created</status></page>"), size},
	}
}

// TestShapeBombs: every bomb ends in a *ParseError naming its limit, for a
// write, a typed read and Call into each kind of out. (Before the limits,
// the unclosed bomb cost ~1 GB and said only "document ends inside <a>",
// and the closed ones decoded, or failed without naming any limit.)
func TestShapeBombs(t *testing.T) {
	type doc struct {
		Status string `xml:"status"`
	}
	calls := map[string]func(context.Context, *Client) error{
		"AddCLI": func(ctx context.Context, c *Client) error {
			return c.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "37060000001"})
		},
		"DeviceCLIs": func(ctx context.Context, c *Client) error {
			_, err := c.CLIs.List(ctx, DeviceCLIsParams{})
			return err
		},
		"Call bytes": func(ctx context.Context, c *Client) error {
			var raw []byte
			err := c.Call(ctx, "users_get", nil, &raw)
			if raw != nil {
				t.Errorf("Call filled *[]byte despite %v", err)
			}
			return err
		},
		"Call struct": func(ctx context.Context, c *Client) error {
			var d doc
			return c.Call(ctx, "users_get", nil, &d)
		},
		"Call nil": func(ctx context.Context, c *Client) error {
			return c.Call(ctx, "users_get", nil, nil)
		},
	}
	for _, bomb := range shapeBombs(!testing.Short()) {
		t.Run(bomb.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterNoResponder(responder(200, bomb.body, nil))
			for name, call := range calls {
				err := call(context.Background(), c)
				var pe *ParseError
				require.Truef(t, errors.As(err, &pe), "%s: got %T %v, want *ParseError", name, err, err)
				require.Containsf(t, pe.Error(), bomb.limit, "%s", name)
			}
		})
	}
}

// TestShapeLimitsAdmitTheirBounds: a reply exactly at each limit decodes.
func TestShapeLimitsAdmitTheirBounds(t *testing.T) {
	var attrs strings.Builder
	for i := 0; i < MaxElementAttrs; i++ {
		attrs.WriteString(" a" + strconv.Itoa(i) + `="v"`)
	}
	text := strings.Repeat("x", MaxElementBytes)
	for name, body := range map[string]string{
		"depth":       strings.Repeat("<a>", MaxElementDepth) + strings.Repeat("</a>", MaxElementDepth),
		"attributes":  "<page" + attrs.String() + "><status>ok</status></page>",
		"text":        "<page><status>" + text + "</status></page>",
		"text beside": "<page><status>" + text[:MaxElementBytes/2] + "<!-- c -->" + text[:MaxElementBytes/2] + "</status></page>",
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder(http.MethodPost, testBase+"/api/users_get", responder(200, []byte(body), nil))
			var raw []byte
			require.NoError(t, c.Call(context.Background(), "users_get", nil, &raw))
			require.Equal(t, body, string(raw))
			var d struct {
				Status string `xml:"status"`
			}
			require.NoError(t, c.Call(context.Background(), "users_get", nil, &d))
			if name == "text" {
				require.Equal(t, text, d.Status)
			}
		})
	}
}

// TestLongIndentedListUnderTextLimit: a long list's indentation between
// children (here 2 MiB of it) is not its parent's text and does not count
// towards MaxElementBytes; text beside children is still trimmed as before.
func TestLongIndentedListUnderTextLimit(t *testing.T) {
	const n = 60_000
	var b strings.Builder
	b.WriteString("<page>\n  <status>\n")
	for i := 1; i <= n; i++ {
		id := strconv.Itoa(i)
		b.WriteString("                    <cli_id>" + id + "</cli_id>\n                    <cli_cli>" + id + "</cli_cli>\n")
	}
	b.WriteString("  </status>\n</page>\n")
	require.Greater(t, strings.Count(b.String(), " "), 2*MaxElementBytes)
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(responder(200, []byte(b.String()), nil))
	clis, err := c.CLIs.List(context.Background(), DeviceCLIsParams{})
	require.NoError(t, err)
	require.Len(t, clis, n)
	require.Equal(t, strconv.Itoa(n), clis[n-1].Number)

	var texts []string
	w := walker{method: "m", end: func(_, name, text string) error {
		texts = append(texts, name+"="+text)
		return nil
	}}
	require.NoError(t, w.run(strings.NewReader("<r>\n  <a>x</a>\n  mid  <b/>  end \n</r>")))
	require.Equal(t, []string{"a=x", "b=", "r=mid    end"}, texts)
}
