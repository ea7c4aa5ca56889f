package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

func (a *app) hashCommand() *cobra.Command {
	var explain bool
	c := &cobra.Command{
		Use:   "hash METHOD [key=value…] [--explain]",
		Short: "Print the hash MOR expects for a call; --explain shows how it is built",
		Long: `Print the hash the MOR server expects for METHOD called with these
parameters, signed with the secret (--secret, --secret-file or MOR_SECRET).
No request is sent. u (from --username or MOR_USER) and p (from --password or
MOR_PASSWORD) are added as mor would send them, unless given as arguments.

--explain lists the keys hashed, in order, with their values; the keys sent
but not hashed and why (not in the server's list, a filter, a server quirk);
the string that is SHA-1 hashed, with the secret shown as <secret>; and the
rule applied. Compare it with what your own code hashes when the server says
"Incorrect hash".`,
		Example: `  mor hash cli_add device_id=2 cli_number=1234
  mor hash --explain cli_add device_id=2 cli_number=1234 comment=hi`,
		Args: minArgs(1, "METHOD"),
		RunE: func(cmd *cobra.Command, args []string) error {
			method := args[0]
			params, err := parseKeyValues(args[1:])
			if err != nil {
				return err
			}
			s, err := a.resolve(cmd)
			if err != nil {
				return err
			}
			if _, ok := params["u"]; !ok && s.user != "" {
				params.Set("u", s.user)
			}
			passwordSent := false
			if _, ok := params["p"]; !ok && s.hasPassword {
				params.Set("p", s.password)
				passwordSent = true
			}
			if !s.hasSecret && !explain {
				return usagef("no secret: set --secret, --secret-file or MOR_SECRET")
			}
			if !explain {
				fmt.Fprintln(a.stdout, mor.Hash(method, params, s.secret))
				return nil
			}
			a.explainHash(method, params, s, passwordSent)
			return nil
		},
	}
	c.Flags().BoolVar(&explain, "explain", false, "show the keys hashed in order, the keys dropped and why, the pre-image and the rule")
	return c
}

// explainHash prints mor.ExplainHash for one call. The configured password,
// like the secret, is shown only as a placeholder.
func (a *app) explainHash(method string, params map[string][]string, s settings, passwordSent bool) {
	e := mor.ExplainHash(method, params)
	show := func(p mor.HashPart, v string) string {
		if p.Key == "p" && passwordSent {
			return "<password>"
		}
		return strconv.Quote(v)
	}
	w := a.stdout
	fmt.Fprintf(w, "method:    %s\n", e.Method)
	if e.Method != method {
		fmt.Fprintf(w, "           (%s is an alias route of %s)\n", method, e.Method)
	}
	switch e.Rule {
	case mor.HashRuleFixed:
		fmt.Fprintf(w, "rule:      fixed: %s hashes a fixed key list, raw values in that order, then the secret\n", e.Method)
	default:
		fmt.Fprintln(w, "rule:      global: each key of the server's 209-name canonical order that is sent and passes")
		fmt.Fprintln(w, "           its filter contributes its value, in that order; then the secret")
	}
	fmt.Fprintln(w, "hashed, in order:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if len(e.Hashed) == 0 {
		fmt.Fprintln(tw, "  (none: the hash is SHA-1 of the secret alone)")
	}
	for i, p := range e.Hashed {
		line := fmt.Sprintf("  %d.\t%s\t%s", i+1, p.Key, show(p, p.Value))
		if p.Value != p.Sent {
			line += fmt.Sprintf("\t(sent %s, normalised to an integer)", show(p, p.Sent))
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	if len(e.Dropped) > 0 {
		fmt.Fprintln(w, "sent but not hashed:")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, p := range e.Dropped {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", p.Key, show(p, p.Sent), p.Reason)
		}
		tw.Flush()
	}
	var pre strings.Builder
	for _, p := range e.Hashed {
		if p.Key == "p" && passwordSent {
			pre.WriteString("<password>")
		} else {
			pre.WriteString(p.Value)
		}
	}
	pre.WriteString("<secret>")
	fmt.Fprintf(w, "pre-image: %s\n", pre.String())
	fmt.Fprintln(w, "           (SHA-1 of this string, with <secret> replaced by the secret, as lowercase hex)")
	if s.hasSecret {
		fmt.Fprintf(w, "hash:      %s\n", mor.Hash(method, params, s.secret))
	} else {
		fmt.Fprintln(w, "hash:      (no secret configured: set --secret, --secret-file or MOR_SECRET)")
	}
}
