package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/spf13/cobra"
)

func (a *app) callCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "call METHOD [key=value…]",
		Short: "Call any MOR API method and print the reply",
		Long: `Call any MOR API method, signed with the server's hash rule for it, and print
the reply: the XML as decoded (gzip, zip and HTML wrappers removed), or with
--output json a generic conversion (elements become keys, repeated elements
arrays, <x/> null, <x></x> "").

u, p and hash are added by mor; do not pass them. Send only documented
parameters: any extra one the server hashes changes the hash.`,
		Example: `  mor call cli_info_get cli=123456
  mor call device_clis_get devices_id=2 --output json`,
		Args: minArgs(1, "METHOD"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "xml" && output != "json" {
				return usagef("--output must be xml or json, not %q", output)
			}
			params, err := parseKeyValues(args[1:])
			if err != nil {
				return err
			}
			client, _, err := a.client(cmd, 1)
			if err != nil {
				return err
			}
			ctx, stop := a.commandContext()
			defer stop()
			var raw []byte
			if err := client.Call(ctx, args[0], params, &raw); err != nil {
				return withCall(err, args[0], params)
			}
			if output == "json" {
				v, err := xmlToJSON(raw)
				if err != nil {
					return err
				}
				return writeJSON(a.stdout, v)
			}
			raw = bytes.TrimRight(raw, "\r\n")
			_, err = fmt.Fprintf(a.stdout, "%s\n", raw)
			return err
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "xml", "output format: xml or json")
	return c
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

type xmlNode struct {
	name     string
	attrs    []xml.Attr
	text     strings.Builder
	children []*xmlNode
	empty    bool // written as <x/>: MOR's nil
}

// xmlToJSON converts an XML document generically: an element with no child
// elements becomes its text (null for a self-closing <x/>, which MOR writes
// for SQL NULL), an element with children an object keyed by child name in
// document order, a name repeated among siblings an array. Attributes (MOR
// sends none) become "@name" keys; text beside child elements "#text".
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
	index := map[string]int{}
	for _, c := range n.children {
		i, seen := index[c.name]
		if !seen {
			index[c.name] = len(obj)
			obj = append(obj, jsonField{c.name, c.value()})
			continue
		}
		// A child's value is never a []any, so any []any is an array of
		// repeats made here.
		if arr, ok := obj[i].value.([]any); ok {
			obj[i].value = append(arr, c.value())
		} else {
			obj[i].value = []any{obj[i].value, c.value()}
		}
	}
	if text != "" {
		obj = append(obj, jsonField{"#text", text})
	}
	return obj
}
