package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

func (a *app) userCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "user",
		Short: "List, show, register and update users; log users in and out",
	}
	c.AddCommand(a.userListCommand(), a.userGetCommand(), a.userRegisterCommand(), a.userUpdateCommand(),
		a.userLoginCommand(), a.userLogoutCommand(), a.resellerGroupCreateCommand())
	return c
}

// userPassword is the password of the user a command acts on (not the API
// user's --password): --user-password, --user-password-file, or
// $MOR_USER_PASSWORD.
type userPassword struct{ value, file string }

func (p *userPassword) addFlags(c *cobra.Command, what string) {
	c.Flags().StringVar(&p.value, "user-password", "", what+" (default $MOR_USER_PASSWORD; prefer the environment or --user-password-file)")
	c.Flags().StringVar(&p.file, "user-password-file", "", "read "+what+" from the first line of this file")
	c.MarkFlagsMutuallyExclusive("user-password", "user-password-file")
}

// get returns the password and whether one was given.
func (p *userPassword) get(a *app, cmd *cobra.Command) (mor.Password, bool, error) {
	switch {
	case cmd.Flags().Changed("user-password-file"):
		v, err := readSecretFile(p.file)
		if err != nil {
			return mor.Password{}, false, usagef("%s", strings.ReplaceAll(err.Error(), "--secret-file", "--user-password-file"))
		}
		return mor.NewPassword(v), true, nil
	case cmd.Flags().Changed("user-password"):
		return mor.NewPassword(p.value), p.value != "", nil
	}
	v := a.getenv("MOR_USER_PASSWORD")
	return mor.NewPassword(v), v != "", nil
}

func checkOutput(output string, allowed ...string) error {
	for _, o := range allowed {
		if output == o {
			return nil
		}
	}
	return usagef("--output must be %s, not %q", strings.Join(allowed, ", "), output)
}

func (a *app) userListCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "list [--output table|json|csv]",
		Short: "List the users the API user may see (users_get)",
		Long: `List the users the API user may see (users_get).

users_get signs the API user's password with the secret: set --password or
MOR_PASSWORD. The admin sees every user but itself, a reseller its own
users, an accountant (with the user_manage right) every user but the admin
and accountants. Balances are in the system currency.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, "table", "json", "csv"); err != nil {
				return err
			}
			client, s, err := a.client(cmd, 1)
			if err != nil {
				return err
			}
			if !s.hasPassword {
				return usagef("users_get needs the API user's password: set --password or MOR_PASSWORD")
			}
			ctx, stop := a.commandContext()
			defer stop()
			users, err := client.Users.List(ctx)
			if err != nil {
				return withCall(err, "users_get", url.Values{})
			}
			return writeUsers(a.stdout, output, users)
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	return c
}

type userRecord struct {
	ID        int64  `json:"id"`
	Username  string `json:"username"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Type      string `json:"usertype"`
	OwnerID   int64  `json:"owner_id"`
	Balance   string `json:"balance"`
	Blocked   bool   `json:"blocked"`
	TariffID  int64  `json:"tariff_id"`
	LCRID     int64  `json:"lcr_id"`
}

func writeUsers(w io.Writer, output string, users []mor.UserSummary) error {
	recs := make([]userRecord, len(users))
	for i, u := range users {
		recs[i] = userRecord{ID: u.ID, Username: u.Username, FirstName: u.FirstName, LastName: u.LastName,
			Type: u.UserType, OwnerID: u.OwnerID, Balance: u.Balance.String(), Blocked: u.Blocked,
			TariffID: u.TariffID, LCRID: u.LCRID}
	}
	switch output {
	case "json":
		return writeJSON(w, recs)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"id", "username", "first_name", "last_name", "usertype", "owner_id", "balance", "blocked", "tariff_id", "lcr_id"})
		for _, r := range recs {
			_ = cw.Write([]string{strconv.FormatInt(r.ID, 10), r.Username, r.FirstName, r.LastName, r.Type,
				strconv.FormatInt(r.OwnerID, 10), r.Balance, fmtBool(r.Blocked), strconv.FormatInt(r.TariffID, 10),
				strconv.FormatInt(r.LCRID, 10)})
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSERNAME\tNAME\tTYPE\tOWNER\tBALANCE\tBLOCKED\tTARIFF\tLCR")
	for _, r := range recs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\t%d\t%d\n", r.ID, oneLine(r.Username),
			oneLine(strings.TrimSpace(r.FirstName+" "+r.LastName)), escapeText(r.Type), r.OwnerID, r.Balance,
			fmtBool(r.Blocked), r.TariffID, r.LCRID)
	}
	return tw.Flush()
}

func (a *app) userGetCommand() *cobra.Command {
	var id int64
	var name, output string
	c := &cobra.Command{
		Use:   "get (--id ID | --name USERNAME) [--output text|json]",
		Short: "Show one user's account, contact and invoice settings (user_details_get)",
		Long: `Show one user's account, contact and invoice settings (user_details_get).

The admin and resellers see their own users (a reseller also itself, by its
own id); the admin cannot see resellers' users. Accountants and simple users
always get their own details, whatever --id says. Money is in the system
currency.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, "text", "json"); err != nil {
				return err
			}
			var p mor.DetailsParams
			if cmd.Flags().Changed("id") {
				p.UserID = &id
			}
			p.Username = strings.TrimSpace(name)
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				d, err := client.Users.Details(ctx, p)
				if err != nil {
					params := url.Values{}
					if p.UserID != nil {
						params.Set("user_id", strconv.FormatInt(id, 10))
					}
					if p.Username != "" {
						params.Set("username", p.Username)
					}
					return withCall(err, "user_details_get", params)
				}
				if output == "json" {
					return writeJSON(a.stdout, detailsJSON(d))
				}
				return writeDetails(a.stdout, d)
			})
		},
	}
	c.Flags().Var(idFlag{&id, "user"}, "id", "the user's numeric id (user_id; 0 is the admin)")
	c.Flags().StringVar(&name, "name", "", "the user's login name (username)")
	c.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	c.MarkFlagsOneRequired("id", "name")
	return c
}

func writeDetails(w io.Writer, d *mor.UserDetails) error {
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	line := func(k, v string) { fmt.Fprintf(tw, "%s:\t%s\n", k, oneLine(v)) }
	line("id", strconv.FormatInt(d.UserID, 10))
	line("username", d.Username)
	line("name", strings.TrimSpace(d.FirstName+" "+d.LastName))
	account := "prepaid"
	if d.Postpaid {
		account = "postpaid"
	}
	line("account", account)
	line("balance", d.Balance.String())
	credit := d.Credit.String()
	if d.CreditUnlimited {
		credit = "unlimited"
	}
	line("credit", credit)
	line("agreement", strings.TrimSpace(d.AgreementNumber+" "+d.AgreementDate.Format("2006-01-02")))
	line("personal id", d.PersonalID)
	line("taxation country", d.TaxationCountry)
	line("VAT number", d.VATRegNumber)
	line("VAT percent", d.VATPercent.String())
	line("call limit", strconv.FormatInt(d.CallLimit, 10))
	if d.PBXPoolID != nil {
		line("PBX pool", strconv.FormatInt(*d.PBXPoolID, 10))
	}
	if r := d.Registration; r != nil {
		line("address", strings.Join(nonEmpty(r.Address, r.Postcode, r.City, r.County, r.State), ", "))
		line("phone", r.Phone)
		line("mobile", r.MobilePhone)
		line("fax", r.Fax)
		line("email", r.Email)
	}
	if wb := d.WarningBalance; wb != nil {
		line("balance warning", fmt.Sprintf("%s below %s", map[bool]string{true: "on", false: "off"}[wb.Active], wb.User))
	}
	return tw.Flush()
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			out = append(out, x)
		}
	}
	return out
}

func (a *app) userRegisterCommand() *cobra.Command {
	var p mor.RegisterParams
	var pw userPassword
	var output string
	var showSecrets bool
	c := &cobra.Command{
		Use:   "register --registrar HASH --name USERNAME --first-name F --last-name L --email E --country-id ID --device-type SIP|IAX2|Virtual",
		Short: "Create a user with its first device on behalf of a registrar (user_register)",
		Long: `Create a user with its first device on behalf of a registrar (user_register).

--registrar is the registration key (uniquehash) of the admin or reseller
that will own the user; the request is signed with --secret, which must be
that registrar's API secret key. The new user's password comes from
--user-password-file, --user-password or MOR_USER_PASSWORD.

The reply is the only place the device password is ever shown: it is masked
unless --show-secrets. A retry after a timeout answers "Such username is
already taken": check with 'mor user get --name USERNAME' first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, "text", "json"); err != nil {
				return err
			}
			password, ok, err := pw.get(a, cmd)
			if err != nil {
				return err
			}
			if !ok {
				return usagef("the new user's password is required: --user-password-file, --user-password or MOR_USER_PASSWORD")
			}
			p.Password = password
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				res, err := client.Users.Register(ctx, p)
				if err != nil {
					return withCall(err, "user_register", url.Values{"username": {p.Username}})
				}
				secret := func(s mor.DeviceSecret) string { return deviceReveal(s, showSecrets) }
				if output == "json" {
					return writeRegistered(a.stdout, res, showSecrets)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 1, ' ', 0)
				for _, kv := range [][2]string{{"user_id", strconv.FormatInt(res.UserID, 10)},
					{"device_id", strconv.FormatInt(res.DeviceID, 10)}, {"device_type", res.DeviceType},
					{"device_username", res.DeviceUsername}, {"device_password", secret(res.DevicePassword)},
					{"pin", secret(res.PIN)}, {"caller_id", res.CallerID}, {"server_ip", res.ServerIP}} {
					fmt.Fprintf(tw, "%s:\t%s\n", kv[0], escapeText(kv[1]))
				}
				return tw.Flush()
			})
		},
	}
	f := c.Flags()
	f.StringVar(&p.RegistrarHash, "registrar", "", "the registrar's registration key, its uniquehash (id)")
	f.StringVar(&p.Username, "name", "", "the new user's login name (username)")
	pw.addFlags(c, "the new user's password")
	f.StringVar(&p.FirstName, "first-name", "", "first name")
	f.StringVar(&p.LastName, "last-name", "", "last name")
	f.StringVar(&p.Email, "email", "", "e-mail address (unique)")
	f.Var(idFlag{&p.CountryID, "country"}, "country-id", "the country's numeric id (country_id)")
	f.StringVar(&p.DeviceType, "device-type", "SIP", "first device's type: SIP, IAX2 or Virtual")
	f.StringVar(&p.CallerID, "caller-id", "", "the device's caller ID number")
	f.StringVar(&p.UserType, "usertype", "", "user (default), reseller or accountant")
	f.Var(idFlag{&p.PermissionGroupID, "permission group"}, "permission-group", "permission group id (resellers and accountants)")
	f.Var(idFlag{&p.TariffID, "tariff"}, "tariff", "one of the registrar's tariffs (default: the registrar's default)")
	f.StringVar(&p.Phone, "phone", "", "phone number (its digits also become a CLI)")
	f.StringVar(&p.MobilePhone, "mobile", "", "mobile phone number (its digits also become a CLI)")
	f.StringVar(&p.Address, "address", "", "street address")
	f.StringVar(&p.City, "city", "", "city")
	f.StringVar(&p.Postcode, "postcode", "", "postcode")
	f.StringVar(&p.VATNumber, "vat-number", "", "VAT registration number")
	f.StringVarP(&output, "output", "o", "text", "output format: text or json")
	f.BoolVar(&showSecrets, "show-secrets", false, "print the device password and PIN instead of masking them")
	for _, name := range []string{"registrar", "name", "first-name", "last-name", "email", "country-id"} {
		_ = c.MarkFlagRequired(name)
	}
	return c
}

// boolFlag is a flag whose value is true/false (or 1/0, yes/no) and that is
// sent only when given.
type boolFlag struct{ p **bool }

func (f boolFlag) Set(s string) error {
	var v bool
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		v = true
	case "0", "false", "no", "off":
	default:
		return fmt.Errorf("want true or false, not %s", quoteText(s))
	}
	*f.p = &v
	return nil
}

func (f boolFlag) String() string {
	if f.p == nil || *f.p == nil {
		return ""
	}
	return strconv.FormatBool(**f.p)
}

func (f boolFlag) Type() string { return "bool" }

// strPtrFlag is a string flag sent only when given (even empty).
type strPtrFlag struct{ p **string }

func (f strPtrFlag) Set(s string) error { *f.p = &s; return nil }
func (f strPtrFlag) String() string {
	if f.p == nil || *f.p == nil {
		return ""
	}
	return **f.p
}
func (f strPtrFlag) Type() string { return "string" }

// intPtrFlag is an integer flag sent only when given.
type intPtrFlag struct {
	p    **int64
	what string
}

func (f intPtrFlag) Set(s string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return fmt.Errorf("want a whole number (%s), not %s", f.what, quoteText(s))
	}
	*f.p = &n
	return nil
}
func (f intPtrFlag) String() string {
	if f.p == nil || *f.p == nil {
		return ""
	}
	return strconv.FormatInt(**f.p, 10)
}
func (f intPtrFlag) Type() string { return "int" }

// decimalPtrFlag is an exact decimal flag (money and rates, never a
// float), nil until given, for every command that takes one.
type decimalPtrFlag struct{ p **mor.Decimal }

// Set parses an exact decimal; surrounding spaces are ignored.
func (f decimalPtrFlag) Set(s string) error {
	d, err := mor.ParseDecimal(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("want a decimal number such as 10.50, not %s", quoteText(s))
	}
	*f.p = &d
	return nil
}

// String is the value, or "" when unset.
func (f decimalPtrFlag) String() string {
	if f.p == nil || *f.p == nil {
		return ""
	}
	return (*f.p).String()
}

// Type names the value in the help.
func (f decimalPtrFlag) Type() string { return "decimal" }

func (a *app) userUpdateCommand() *cobra.Command {
	var p mor.UpdateParams
	var pw userPassword
	c := &cobra.Command{
		Use:   "update --id ID [--first-name F] [--last-name L] [--credit N | --unlimited-credit] [--blocked true|false] …",
		Short: "Change a user's settings; only the flags given are sent (user_details_update)",
		Long: `Change a user's settings (user_details_update); only the flags given are sent.

Money (--credit) is in the API user's currency. A new login password comes
from --user-password-file, --user-password or MOR_USER_PASSWORD, and is
sent only with --set-password.

The server also does this on every update: the billing period is reset to
monthly unless --billing-period is given, and "hide destination end" is set
unless --hide-destination-end=false.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if set, _ := cmd.Flags().GetBool("set-password"); set {
				password, ok, err := pw.get(a, cmd)
				if err != nil {
					return err
				}
				if !ok {
					return usagef("--set-password needs --user-password-file, --user-password or MOR_USER_PASSWORD")
				}
				p.Password = &password
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.Users.Update(ctx, p); err != nil {
					return withCall(err, "user_details_update", url.Values{"user_id": {strconv.FormatInt(p.UserID, 10)}})
				}
				fmt.Fprintf(a.stdout, "user %d updated\n", p.UserID)
				return nil
			})
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.UserID, "user"}, "id", "the user's numeric id (user_id; 0 is the admin)")
	f.Var(strPtrFlag{&p.Username}, "username-new", "new login name")
	f.Var(strPtrFlag{&p.FirstName}, "first-name", "first name")
	f.Var(strPtrFlag{&p.LastName}, "last-name", "last name")
	f.Var(strPtrFlag{&p.Email}, "email", "e-mail address")
	f.Var(strPtrFlag{&p.Phone}, "phone", "phone number")
	f.Var(strPtrFlag{&p.MobilePhone}, "mobile", "mobile phone number")
	f.Var(strPtrFlag{&p.Address}, "address", "street address")
	f.Var(strPtrFlag{&p.City}, "city", "city")
	f.Var(strPtrFlag{&p.Postcode}, "postcode", "postcode")
	f.Var(intPtrFlag{&p.CountryID, "country id"}, "country-id", "the address's country id")
	f.Var(strPtrFlag{&p.VATNumber}, "vat-number", "VAT registration number")
	f.Var(decimalPtrFlag{&p.Credit}, "credit", "credit limit, in the API user's currency")
	f.BoolVar(&p.UnlimitedCredit, "unlimited-credit", false, "make the credit limit unlimited")
	f.Var(boolFlag{&p.Blocked}, "blocked", "block (true) or unblock (false) the user")
	f.Var(boolFlag{&p.Postpaid}, "postpaid", "postpaid (true) or prepaid (false)")
	f.Var(boolFlag{&p.HideDestinationEnd}, "hide-destination-end", "false keeps destination ends visible")
	f.Var(intPtrFlag{&p.CallLimit, "calls"}, "call-limit", "concurrent call limit (0: none)")
	f.Var(intPtrFlag{&p.TariffID, "tariff id"}, "tariff", "tariff id")
	f.Var(intPtrFlag{&p.LCRID, "LCR id"}, "lcr", "LCR id")
	f.StringVar(&p.BillingPeriod, "billing-period", "", "weekly, bi-weekly or monthly")
	f.Bool("set-password", false, "set a new login password (from --user-password-file, --user-password or MOR_USER_PASSWORD)")
	pw.addFlags(c, "the user's new login password")
	_ = c.MarkFlagRequired("id")
	c.MarkFlagsMutuallyExclusive("credit", "unlimited-credit")
	return c
}

func (a *app) userLoginCommand() *cobra.Command {
	var pw userPassword
	c := &cobra.Command{
		Use:   "login USERNAME",
		Short: "Check a user's password and mark the user logged in (user_login)",
		Long: `Check a user's password and mark the user logged in (user_login).

The password comes from --user-password-file, --user-password or
MOR_USER_PASSWORD. Exit status 1 with "Login failed" when it is wrong; from
the third failure in a row the server answers "Please wait 10 seconds before
trying to login again" until a login succeeds.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("%s: want one USERNAME", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			password, ok, err := pw.get(a, cmd)
			if err != nil {
				return err
			}
			if !ok {
				return usagef("the user's password is required: --user-password-file, --user-password or MOR_USER_PASSWORD")
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				res, err := client.Users.Login(ctx, args[0], password)
				if err != nil {
					return withCall(err, "user_login", url.Values{})
				}
				fmt.Fprintf(a.stdout, "user %s (id %d) logged in\n", escapeText(args[0]), res.UserID)
				return nil
			})
		},
	}
	pw.addFlags(c, "the user's password")
	return c
}

func (a *app) userLogoutCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "logout [USERNAME]",
		Short: "Mark a user logged out, by default the API user (user_logout)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			client, s, err := a.client(cmd, 1)
			if err != nil {
				return err
			}
			ctx, stop := a.commandContext()
			defer stop()
			if err := client.Users.Logout(ctx, name); err != nil {
				return withCall(err, "user_logout", url.Values{})
			}
			if name == "" {
				name = s.user
			}
			fmt.Fprintf(a.stdout, "user %s logged out\n", escapeText(name))
			return nil
		},
	}
	return c
}

func (a *app) resellerGroupCreateCommand() *cobra.Command {
	var p mor.ResellerGroupParams
	var rights []string
	c := &cobra.Command{
		Use:   "reseller-group-create --name NAME [--description TEXT] [--right NAME]…",
		Short: "Create a reseller permission group, admin only (reseller_group_create)",
		Long: `Create a reseller permission group, admin only (reseller_group_create).

Each --right is granted at the edit level (calling_cards, autodialer,
pbx_functions, sms_addon, or another reseller right of the server); the
others are none. The server answers no id: find the group by its unique
name in MOR's permissions page. A retry after a timeout answers "Group name
must be unique", which then means it was created.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, r := range rights {
				switch r = strings.TrimSpace(r); r {
				case "calling_cards":
					p.CallingCards = true
				case "autodialer":
					p.Autodialer = true
				case "pbx_functions":
					p.PBXFunctions = true
				case "sms_addon":
					p.SMSAddon = true
				case "", "name", "rg_description", "u", "p", "hash":
					return usagef("--right %s is not a right name", quoteText(r))
				default:
					p.OtherRights = append(p.OtherRights, r)
				}
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.Users.CreateResellerGroup(ctx, p); err != nil {
					return withCall(err, "reseller_group_create", url.Values{"name": {p.Name}})
				}
				fmt.Fprintf(a.stdout, "reseller group %s created\n", escapeText(p.Name))
				return nil
			})
		},
	}
	c.Flags().StringVar(&p.Name, "name", "", "the group's name (unique, case-insensitive)")
	c.Flags().StringVar(&p.Description, "description", "", "description (rg_description)")
	c.Flags().StringArrayVar(&rights, "right", nil, "a reseller right to grant (edit level); repeatable")
	_ = c.MarkFlagRequired("name")
	return c
}

// detailsJSON is mor user get --output json: snake_case keys as in the
// reply, money as exact strings with its currency.
func detailsJSON(d *mor.UserDetails) any {
	type money struct {
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
	}
	m := func(v mor.Money) money { return money{v.Amount.String(), v.Currency} }
	var credit *money
	if !d.CreditUnlimited {
		c := m(d.Credit)
		credit = &c
	}
	date := ""
	if !d.AgreementDate.IsZero() {
		date = d.AgreementDate.Format("2006-01-02")
	}
	out := struct {
		ID                   int64                `json:"id"`
		Username             string               `json:"username"`
		FirstName            string               `json:"first_name"`
		LastName             string               `json:"last_name"`
		Postpaid             bool                 `json:"postpaid"`
		Balance              money                `json:"balance"`
		Credit               *money               `json:"credit"` // null: unlimited
		PBXPoolID            *int64               `json:"pbx_pool_id,omitempty"`
		HideNonAnsweredCalls *bool                `json:"hide_non_answered_calls,omitempty"`
		PersonalID           string               `json:"personal_id"`
		AgreementNumber      string               `json:"agreement_number"`
		AgreementDate        string               `json:"agreement_date"`
		TaxationCountry      string               `json:"taxation_country"`
		VATRegNumber         string               `json:"vat_reg_number"`
		VATPercent           string               `json:"vat_percent"`
		CallLimit            int64                `json:"call_limit"`
		Registration         *mor.UserAddress     `json:"registration,omitempty"`
		Invoices             *mor.InvoiceSettings `json:"invoices,omitempty"`
		WarningActive        *bool                `json:"warning_active,omitempty"`
		WarningBelow         *money               `json:"warning_below,omitempty"`
	}{ID: d.UserID, Username: d.Username, FirstName: d.FirstName, LastName: d.LastName, Postpaid: d.Postpaid,
		Balance: m(d.Balance), Credit: credit, PBXPoolID: d.PBXPoolID, HideNonAnsweredCalls: d.HideNonAnsweredCalls,
		PersonalID: d.PersonalID, AgreementNumber: d.AgreementNumber, AgreementDate: date,
		TaxationCountry: d.TaxationCountry, VATRegNumber: d.VATRegNumber, VATPercent: d.VATPercent.String(),
		CallLimit: d.CallLimit, Registration: d.Registration, Invoices: d.Invoices}
	if w := d.WarningBalance; w != nil {
		below := m(w.User)
		out.WarningActive, out.WarningBelow = &w.Active, &below
	}
	return out
}

// writeRegistered prints user_register's result as JSON, the device
// password and PIN masked unless show.
func writeRegistered(w io.Writer, res *mor.RegisterResult, show bool) error {
	secret := func(s mor.DeviceSecret) string { return deviceReveal(s, show) }
	return writeJSON(w, struct {
		UserID         int64  `json:"user_id"`
		DeviceID       int64  `json:"device_id"`
		DeviceType     string `json:"device_type"`
		DeviceUsername string `json:"device_username"`
		DevicePassword string `json:"device_password"`
		PIN            string `json:"pin"`
		CallerID       string `json:"caller_id,omitempty"`
		ServerIP       string `json:"server_ip"`
	}{res.UserID, res.DeviceID, res.DeviceType, res.DeviceUsername, secret(res.DevicePassword), secret(res.PIN),
		res.CallerID, res.ServerIP})
}
