package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

func (a *app) callCommand() *cobra.Command {
	var (
		output string
		list   bool
		show   bool
	)
	c := &cobra.Command{
		Use:   "call METHOD [key=value…]",
		Short: "Call any MOR API method and print the reply",
		Long: `Call any MOR API method, signed with the server's hash rule for it, and print
the reply: the XML as decoded (gzip, zip and HTML wrappers removed), or JSON
with --output json.

For every method the SDK types, --output json prints the SDK's typed
result, decoded from the reply received (nothing is sent twice):
  - lists are arrays of records with typed fields, exactly as the group
    command's -o json prints them (users_get as 'mor user list -o json',
    devices_get as 'mor device list', dids_get as 'mor did list', …);
    money is an exact decimal string beside its currency
  - writes print {"success":true} plus the fields the call returns
    (e.g. did_create's id, device_create's id, username and password)
  - device passwords and PINs and card PINs are masked unless
    --show-secrets is given, as in the group commands
  - an alias route prints as its action
Two typed methods are converted generically instead: tariff_rates_get (a
streamed export: use 'mor rate export' for typed records) and
tariff_retail_import (its typed call takes a whole import document, not
key=value parameters).

Any other reply is converted generically, in document order:
  - an element without child elements is its text; <x/> (MOR's NULL) is null
  - an element whose child names are all different, or repeat only side by
    side, is an object; a name repeated side by side is an array
    (<users><user>…</user><user>…</user></users> → {"users":{"user":[…]}})
  - an element whose first child's name comes back after other names (a flat
    list such as a,b,c,a,b,c) is an array of records, a new record starting
    at each child named like the first
  - any other element whose names come back after other names is an array
    of one-key objects, one per child, in order
  - attributes become "@name" keys and text beside child elements "#text";
    an element with either whose children form an array puts the array
    under "#children"
Replies nested deeper than 256 levels are refused.

u, p and hash are added by mor; do not pass them. Send only documented
parameters: any extra one the server hashes changes the hash.

--list prints every method of the 2018 MOR server and its alias routes, with
their group, whether they read, write or move money, and how they are signed.
A METHOD not in that list is still sent (newer servers have more), with a
warning.`,
		Example: `  mor call cli_info_get cli=123456
  mor call device_clis_get devices_id=2 --output json
  mor call users_get -o json
  mor call device_details_get device_id=4 -o json --show-secrets
  mor call --list`,
		Args: func(cmd *cobra.Command, args []string) error {
			if list {
				return nil
			}
			return minArgs(1, "METHOD")(cmd, args)
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, m := range mor.Methods() {
				if strings.HasPrefix(m.Name, toComplete) {
					names = append(names, m.Name+"\t"+methodSummary(m))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if list {
				return writeMethodList(a.stdout)
			}
			if _, known := mor.LookupMethod(args[0]); !known {
				fmt.Fprintf(a.stderr, "mor: warning: %s is not a method of the 2018 MOR server (see mor call --list); sending it anyway\n", escapeText(args[0]))
			}
			if output != "xml" && output != "json" {
				return usagef("--output must be xml or json, not %q", output)
			}
			params, err := parseKeyValues(args[1:])
			if err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				var raw []byte
				if err := client.Call(ctx, args[0], params, &raw); err != nil {
					return withCall(err, args[0], params)
				}
				if output == "json" {
					action := args[0]
					if m, known := mor.LookupMethod(action); known {
						action = m.Action // an alias route answers as its action
					}
					if typed, ok := typedJSON[action]; ok {
						if err := typed(ctx, replayClient(raw), callArgs{params: params, show: show}, a.stdout); err != nil {
							return withCall(err, args[0], params)
						}
						return nil
					}
					v, err := xmlToJSON(raw)
					if err != nil {
						return err
					}
					return writeJSON(a.stdout, v)
				}
				raw = bytes.TrimRight(raw, "\r\n")
				_, err = fmt.Fprintf(a.stdout, "%s\n", raw)
				return err
			})
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "xml", "output format: xml or json")
	c.Flags().BoolVar(&show, "show-secrets", false, "with --output json, print device passwords and PINs and card PINs instead of masking them")
	c.Flags().BoolVar(&list, "list", false, "list every MOR method and alias route and exit")
	return c
}

// methodSummary is one registry entry in a few words, for --list and shell
// completion: "users, write, hash global" or "alias of user_login, …".
func methodSummary(m mor.MethodInfo) string {
	s := m.Group + ", " + m.Kind.String() + ", hash " + m.Hash.String()
	if m.Name != m.Action {
		s = "alias of " + m.Action + "; " + s
	}
	if m.Legacy {
		s += ", legacy"
	}
	return s
}

// writeMethodList prints the SDK's method registry as a table.
func writeMethodList(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tACTION\tGROUP\tKIND\tHASH\tLEGACY")
	for _, m := range mor.Methods() {
		legacy := ""
		if m.Legacy {
			legacy = "legacy"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", m.Name, m.Action, m.Group, m.Kind, m.Hash, legacy)
	}
	return tw.Flush()
}

// parseKeyValues reads key=value arguments; a value may hold '=' and may be
// empty. A repeated key keeps every value (the server uses the last).
func parseKeyValues(args []string) (url.Values, error) {
	params := url.Values{}
	for _, kv := range args {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usagef("argument %q is not key=value", kv)
		}
		params.Add(k, v)
	}
	return params, nil
}

// jsonObject is a JSON object that keeps its keys in document order.
type jsonObject []jsonField

type jsonField struct {
	key   string
	value any
}

// MarshalJSON writes the fields in order.
func (o jsonObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // server text like "a & b" stays readable
		if err := enc.Encode(f.key); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
		b.WriteByte(':')
		if err := enc.Encode(f.value); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// cliInfoRecord is cli_info_get's result as printed by mor call -o json
// (the shape of mor cli info -o json).
type cliInfoRecord struct {
	CLI      string `json:"cli"`
	DeviceID int64  `json:"device_id"`
	UserID   int64  `json:"user_id"`
}

// successRecord is a write's result: the SDK confirmed the success reply.
type successRecord struct {
	Success bool `json:"success"`
}

// typedJSON prints, for each method the SDK types, its typed result as
// JSON records. The reply is decoded by the SDK's own decoder, through a
// client that replays the reply already received (see replayClient); the
// SDK's local checks need valid arguments, which the replayed call never
// sends anywhere.
var typedJSON = map[string]typedPrinter{
	"cli_add": func(ctx context.Context, c *mor.Client, _ callArgs, w io.Writer) error {
		if err := c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 1, CLINumber: "1"}); err != nil {
			return err
		}
		return writeJSON(w, successRecord{Success: true})
	},
	"cli_delete": func(ctx context.Context, c *mor.Client, _ callArgs, w io.Writer) error {
		if err := c.CLIs.Delete(ctx, "1"); err != nil {
			return err
		}
		return writeJSON(w, successRecord{Success: true})
	},
	"cli_info_get": func(ctx context.Context, c *mor.Client, a callArgs, w io.Writer) error {
		info, err := c.CLIs.Info(ctx, "1")
		if err != nil {
			return err
		}
		return writeJSON(w, cliInfoRecord{CLI: a.params.Get("cli"), DeviceID: info.DeviceID, UserID: info.UserID})
	},
	"device_clis_get": func(ctx context.Context, c *mor.Client, _ callArgs, w io.Writer) error {
		clis, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{})
		if err != nil {
			return err
		}
		return writeCLIs(w, "json", clis)
	},
}

// replayClient returns a Client whose every call is answered, without any
// network, by raw: a reply mor call already received and checked. Decoding
// it again through a typed method gives exactly the SDK's typed result for
// the request the user sent, whatever parameters it had.
func replayClient(raw []byte) *mor.Client {
	hc := &http.Client{Transport: replayTransport(raw)}
	c, err := mor.NewClient("http://replay.invalid/billing", "replay", "replay",
		mor.WithHTTPClient(hc), mor.WithMaxResponseBytes(int64(len(raw))+1),
		mor.WithPassword("replay")) // users_get signs a password; nothing is sent
	if err != nil {
		panic(err) // constant arguments: cannot fail
	}
	return c
}

type replayTransport []byte

// RoundTrip answers any request with the recorded reply.
func (t replayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"text/xml"}}, Body: io.NopCloser(bytes.NewReader(t)),
		ContentLength: int64(len(t)), Request: req,
	}, nil
}

type xmlNode struct {
	name     string
	attrs    []xml.Attr
	text     strings.Builder
	children []*xmlNode
	empty    bool // written as <x/>: MOR's nil
}

// xmlToJSON converts an XML document generically, by the rules in mor call's
// help. It refuses a document nested deeper than mor.MaxElementDepth, so
// that the conversion, recursive over the tree, stays shallow.
func xmlToJSON(raw []byte) (any, error) {
	d := xml.NewDecoder(bytes.NewReader(raw))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) { return r, nil }
	var stack []*xmlNode
	var root *xmlNode
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("converting the reply to JSON: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= mor.MaxElementDepth {
				return nil, fmt.Errorf("converting the reply to JSON: elements nested deeper than %d levels", mor.MaxElementDepth)
			}
			n := &xmlNode{name: t.Name.Local, attrs: t.Attr}
			end := d.InputOffset()
			n.empty = end-off >= 2 && string(raw[end-2:end]) == "/>"
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if root == nil {
		return nil, errors.New("converting the reply to JSON: no XML element")
	}
	return jsonObject{{root.name, root.value()}}, nil
}

func (n *xmlNode) value() any {
	text := strings.TrimSpace(n.text.String())
	if len(n.children) == 0 && len(n.attrs) == 0 {
		if n.empty {
			return nil
		}
		return text
	}
	var obj jsonObject
	for _, a := range n.attrs {
		obj = append(obj, jsonField{"@" + a.Name.Local, a.Value})
	}
	if len(n.children) > 0 {
		switch v := group(n.children).(type) {
		case jsonObject:
			obj = append(obj, v...)
		case []any:
			if len(obj) == 0 && text == "" {
				return v
			}
			obj = append(obj, jsonField{"#children", v})
		}
	}
	if text != "" {
		obj = append(obj, jsonField{"#text", text})
	}
	return obj
}

// group converts sibling elements: a jsonObject when no name comes back after
// another name (a side-by-side run of one name becomes an array), else an
// array of records (split before each sibling named like the first) or, when
// the first name does not come back, of one-key objects in order.
func group(children []*xmlNode) any {
	seen := map[string]bool{}
	interleaved, firstRecurs := false, false
	for i, c := range children {
		if i > 0 && children[i-1].name == c.name {
			continue
		}
		if seen[c.name] {
			interleaved = true
			firstRecurs = firstRecurs || c.name == children[0].name
		}
		seen[c.name] = true
	}
	switch {
	case !interleaved:
		var obj jsonObject
		for i := 0; i < len(children); {
			j := i + 1
			for j < len(children) && children[j].name == children[i].name {
				j++
			}
			if j-i == 1 {
				obj = append(obj, jsonField{children[i].name, children[i].value()})
			} else {
				arr := make([]any, 0, j-i)
				for _, c := range children[i:j] {
					arr = append(arr, c.value())
				}
				obj = append(obj, jsonField{children[i].name, arr})
			}
			i = j
		}
		return obj
	case firstRecurs:
		var records []any
		start := 0
		for i := 1; i <= len(children); i++ {
			if i == len(children) || children[i].name == children[0].name {
				records = append(records, group(children[start:i]))
				start = i
			}
		}
		return records
	default:
		list := make([]any, len(children))
		for i, c := range children {
			list[i] = jsonObject{{c.name, c.value()}}
		}
		return list
	}
}
