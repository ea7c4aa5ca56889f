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

// deviceMasked is how device credentials print without --show-secrets.
const deviceMasked = "********"

func (a *app) deviceCommand() *cobra.Command {
	c := &cobra.Command{
		Use:     "device",
		Aliases: []string{"devices"},
		Short:   "List, show, create, update and delete devices and their call flows",
		Long: `List, show, create, update and delete devices and their call flows.

Device passwords and PINs are printed as ` + deviceMasked + ` in every output
format unless --show-secrets is given.`,
	}
	c.AddCommand(a.deviceListCommand(), a.deviceGetCommand(), a.deviceCreateCommand(), a.deviceUpdateCommand(),
		a.deviceDeleteCommand(), a.deviceCallflowCommand())
	return c
}

func checkDeviceOutput(output string, allowed ...string) error {
	for _, o := range allowed {
		if output == o {
			return nil
		}
	}
	return usagef("--output must be %s, not %q", strings.Join(allowed[:len(allowed)-1], ", ")+" or "+allowed[len(allowed)-1], output)
}

// reveal is a credential as printed: deviceMasked unless show.
func deviceReveal(s mor.DeviceSecret, show bool) string {
	if show || s.IsZero() {
		return s.Reveal()
	}
	return deviceMasked
}

func (a *app) deviceListCommand() *cobra.Command {
	var (
		userID int64
		output string
	)
	c := &cobra.Command{
		Use:   "list --user ID [--output table|json|csv]",
		Short: "List a user's devices (devices_get)",
		Long: `List a user's devices, id and type (devices_get). --user 0 is the admin.
A user without devices prints an empty list.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkDeviceOutput(output, "table", "json", "csv"); err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				list, err := client.Devices.List(ctx, userID)
				if err != nil {
					return withCall(err, "devices_get", url.Values{"user_id": {strconv.FormatInt(userID, 10)}})
				}
				recs := deviceSummaryRecords(list)
				switch output {
				case "json":
					return writeJSON(a.stdout, recs)
				case "csv":
					cw := csv.NewWriter(a.stdout)
					_ = cw.Write([]string{"id", "type"})
					for _, r := range recs {
						_ = cw.Write([]string{strconv.FormatInt(r.ID, 10), r.Type})
					}
					cw.Flush()
					return cw.Error()
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tTYPE")
				for _, r := range recs {
					fmt.Fprintf(tw, "%d\t%s\n", r.ID, escapeText(r.Type))
				}
				return tw.Flush()
			})
		},
	}
	c.Flags().Var(idFlag{&userID, "user"}, "user", "the user's numeric id (user_id; 0 is the admin)")
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	_ = c.MarkFlagRequired("user")
	return c
}

// createdDeviceRows are a new device's id, username and password (masked
// unless show).
func createdDeviceRows(d *mor.CreatedDevice, show bool) [][2]string {
	return [][2]string{{"id", strconv.FormatInt(d.ID, 10)}, {"username", d.Username}, {"password", deviceReveal(d.Password, show)}}
}

// deviceSummaryRecord is one device as mor device list prints it.
type deviceSummaryRecord struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

func deviceSummaryRecords(list []mor.DeviceSummary) []deviceSummaryRecord {
	recs := make([]deviceSummaryRecord, len(list))
	for i, d := range list {
		recs[i] = deviceSummaryRecord{d.ID, d.Type}
	}
	return recs
}

// deviceDetailRows are a device's columns as name, value pairs, credentials deviceMasked
// unless show.
func deviceDetailRows(d *mor.DeviceDetails, show bool) [][2]string {
	i := func(n int64) string { return strconv.FormatInt(n, 10) }
	return [][2]string{
		{"name", d.Name}, {"device_type", d.DeviceType}, {"username", d.Username}, {"secret", deviceReveal(d.Secret, show)},
		{"pin", deviceReveal(d.PIN, show)}, {"extension", d.Extension}, {"description", d.Description},
		{"callerid", d.CallerID}, {"host", d.Host}, {"ipaddr", d.IPAddr}, {"port", i(d.Port)},
		{"context", d.Context}, {"accountcode", i(d.Accountcode)}, {"regseconds", i(d.Regseconds)},
		{"allow", d.Allow}, {"disallow", d.Disallow}, {"nat", d.NAT}, {"qualify", d.Qualify},
		{"canreinvite", d.CanReinvite}, {"dtmfmode", d.DTMFMode}, {"fromuser", d.FromUser},
		{"fromdomain", d.FromDomain}, {"insecure", d.Insecure}, {"istrunk", i(d.IsTrunk)}, {"ani", i(d.ANI)},
		{"timeout", i(d.Timeout)}, {"call_limit", i(d.CallLimit)}, {"max_timeout", i(d.MaxTimeout)},
		{"language", d.Language}, {"type", d.Kind}, {"transport", d.Transport},
		{"control_callerid_by_cids", i(d.ControlCallerIDByCIDs)}, {"use_ani_for_cli", strconv.FormatBool(d.UseANIForCLI)},
		{"audio_codecs", strings.Join(d.AudioCodecs, ", ")}, {"video_codecs", strings.Join(d.VideoCodecs, ", ")},
	}
}

func writeDevicePairs(w io.Writer, output string, rows [][2]string) error {
	switch output {
	case "json":
		obj := make(deviceJSONPairs, len(rows))
		copy(obj, rows)
		return writeJSON(w, obj)
	case "csv":
		cw := csv.NewWriter(w)
		names, values := make([]string, len(rows)), make([]string, len(rows))
		for i, r := range rows {
			names[i], values[i] = r[0], r[1]
		}
		_ = cw.Write(names)
		_ = cw.Write(values)
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s:\t%s\n", r[0], oneLine(r[1]))
	}
	return tw.Flush()
}

// deviceJSONPairs is an ordered JSON object.
type deviceJSONPairs [][2]string

// MarshalJSON writes the pairs as one object, in order.
func (p deviceJSONPairs) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, kv := range p {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(kv[0]) + ":" + deviceJSONString(kv[1]))
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

func deviceJSONString(s string) string {
	var b strings.Builder
	_ = writeJSON(&b, s)
	return strings.TrimSuffix(b.String(), "\n")
}

func (a *app) deviceGetCommand() *cobra.Command {
	var (
		deviceID int64
		output   string
		show     bool
	)
	c := &cobra.Command{
		Use:   "get --device ID [--output table|json|csv] [--show-secrets]",
		Short: "Show a device's configuration (device_details_get)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkDeviceOutput(output, "table", "json", "csv"); err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				d, err := client.Devices.Details(ctx, deviceID)
				if err != nil {
					return withCall(err, "device_details_get", url.Values{"device_id": {strconv.FormatInt(deviceID, 10)}})
				}
				return writeDevicePairs(a.stdout, output, deviceDetailRows(d, show))
			})
		},
	}
	c.Flags().Var(idFlag{&deviceID, "device"}, "device", "the device's numeric id (device_id)")
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	c.Flags().BoolVar(&show, "show-secrets", false, "print the device password and PIN instead of "+deviceMasked)
	_ = c.MarkFlagRequired("device")
	return c
}

func (a *app) deviceCreateCommand() *cobra.Command {
	var (
		p              mor.CreateDeviceParams
		group, timeout int64
		pin, output    string
		show           bool
	)
	c := &cobra.Command{
		Use:   "create --user ID [--type T] [--description D] [--extension E] [--pin PIN] [--group ID] [--caller-id N] [--fromuser U] [--call-timeout S]",
		Short: "Add a device to a user (device_create)",
		Long: `Add a device to a user (device_create) and print its id, username and
password (deviceMasked unless --show-secrets).

device_create is not idempotent: sent twice it makes two devices. With
--extension a second create is refused ("Extension already exists") instead;
after a timeout without --extension, check with 'mor device list --user ID'
before trying again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkDeviceOutput(output, "table", "json", "csv"); err != nil {
				return err
			}
			if cmd.Flags().Changed("group") {
				p.DeviceGroupID = &group
			}
			if cmd.Flags().Changed("call-timeout") {
				p.CallTimeout = &timeout
			}
			p.PIN = mor.NewDeviceSecret(pin)
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				d, err := client.Devices.Create(ctx, p)
				if err != nil {
					params := url.Values{"user_id": {strconv.FormatInt(p.UserID, 10)}}
					if p.Extension != "" {
						params.Set("extension", p.Extension)
					}
					return withCall(err, "device_create", params)
				}
				return writeDevicePairs(a.stdout, output, createdDeviceRows(d, show))
			})
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.UserID, "user"}, "user", "the user's numeric id (user_id; 0 is the admin)")
	f.StringVar(&p.Type, "type", "", "SIP, IAX2, FAX, H323, dahdi or Virtual (default: the server's default device type)")
	f.StringVar(&p.Description, "description", "", "description")
	f.StringVar(&p.Extension, "extension", "", "extension (default: the lowest free one); makes a resend safe")
	f.StringVar(&pin, "pin", "", "PIN, digits only (default: a random one)")
	f.Var(idFlag{&group, "device group"}, "group", "one of the user's device groups (devicegroup_id)")
	f.StringVar(&p.CallerID, "caller-id", "", "numeric CallerID number (caller_id)")
	f.StringVar(&p.FromUser, "fromuser", "", "SIP fromuser")
	f.Var(idFlag{&timeout, "timeout"}, "call-timeout", "maximum call time in seconds (call_timeout)")
	f.StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	f.BoolVar(&show, "show-secrets", false, "print the new device's password instead of "+deviceMasked)
	_ = c.MarkFlagRequired("user")
	return c
}

// deviceOptInt sets *dst to a new value when the flag was given.
func deviceOptInt(cmd *cobra.Command, name string, v int64, dst **int64) {
	if cmd.Flags().Changed(name) {
		*dst = &v
	}
}

func deviceOptStr(cmd *cobra.Command, name, v string, dst **string) {
	if cmd.Flags().Changed(name) {
		*dst = &v
	}
}

func (a *app) deviceUpdateCommand() *cobra.Command {
	var (
		p                                   mor.UpdateDeviceParams
		auth, password, passwordFile        string
		port, location, limit, timeout      int64
		fromuser, cidName, cidNumber, trunk string
	)
	c := &cobra.Command{
		Use:   "update --device ID [--auth ip|dynamic] [--host H] [--port P] [--name N] [--device-password-file F] ...",
		Short: "Change a device's authentication, credentials, limits and CallerID (device_update)",
		Long: `Change a device's authentication, credentials, limits and CallerID
(device_update). The server ignores invalid names, passwords and IP settings
without a message: check the result with 'mor device get --device ID'.
A warning the server gives next to its success ("Password is too short") is
printed on stderr.

device_update sets absolute values: after a timeout it is safe to send again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch auth {
			case "":
			case "ip":
				p.Authentication = mor.DeviceAuthIP
			case "dynamic":
				p.Authentication = mor.DeviceAuthDynamic
			default:
				return usagef("--auth must be ip or dynamic, not %q", auth)
			}
			if cmd.Flags().Changed("trunk") {
				t, ok := map[string]mor.DeviceTrunk{"off": mor.TrunkOff, "on": mor.TrunkOn, "ani": mor.TrunkWithANI}[trunk]
				if !ok {
					return usagef("--trunk must be off, on or ani, not %q", trunk)
				}
				p.Trunk = &t
			}
			if passwordFile != "" {
				pw, err := readSecretFile(passwordFile)
				if err != nil {
					return usagef("--device-password-file: %v", err)
				}
				password = pw
			}
			p.Password = mor.NewDeviceSecret(password)
			deviceOptInt(cmd, "port", port, &p.Port)
			deviceOptInt(cmd, "location", location, &p.NewLocationID)
			deviceOptInt(cmd, "call-limit", limit, &p.CallLimit)
			deviceOptInt(cmd, "call-timeout", timeout, &p.CallTimeout)
			deviceOptStr(cmd, "fromuser", fromuser, &p.FromUser)
			deviceOptStr(cmd, "callerid-name", cidName, &p.CallerIDName)
			deviceOptStr(cmd, "callerid-number", cidNumber, &p.CallerIDNumber)
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				res, err := client.Devices.Update(ctx, p)
				if err != nil {
					// The password is not hashed: leave it out of hints.
					params := url.Values{"device": {strconv.FormatInt(p.DeviceID, 10)}}
					for k, v := range map[string]string{"authentication": string(p.Authentication), "username": p.Username, "host": p.Host} {
						if v != "" {
							params.Set(k, v)
						}
					}
					if p.Port != nil {
						params.Set("port", strconv.FormatInt(*p.Port, 10))
					}
					return withCall(err, "device_update", params)
				}
				for _, w := range res.Warnings {
					fmt.Fprintln(a.stderr, "mor: warning: "+escapeText(w))
				}
				fmt.Fprintf(a.stdout, "device %d updated\n", p.DeviceID)
				return nil
			})
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.DeviceID, "device"}, "device", "the device's numeric id (device)")
	f.StringVar(&auth, "auth", "", "authentication: ip (host and port) or dynamic (username and password)")
	f.StringVar(&p.Host, "host", "", "IP address for IP authentication: a.b.c.d, a.b.c.d/NN or a.b.c.d-NNN")
	f.Var(idFlag{&port, "port"}, "port", "port for IP authentication (0: the type's default)")
	f.StringVar(&p.Username, "name", "", "new device name and username (username)")
	f.StringVar(&password, "device-password", "", "new device password (shows in the process list: prefer --device-password-file)")
	f.StringVar(&passwordFile, "device-password-file", "", "read the new device password from a file (first line)")
	f.Var(idFlag{&location, "location"}, "location", "new location id (new_location_id)")
	f.Var(idFlag{&limit, "limit"}, "call-limit", "simultaneous call limit (0: unlimited)")
	f.Var(idFlag{&timeout, "timeout"}, "call-timeout", "maximum call time in seconds")
	f.StringVar(&fromuser, "fromuser", "", "SIP fromuser")
	f.StringVar(&trunk, "trunk", "", "trunk mode: off, on or ani")
	f.StringVar(&cidName, "callerid-name", "", "CallerID name")
	f.StringVar(&cidNumber, "callerid-number", "", "CallerID number")
	f.StringVar(&p.FaxEmailAdd, "fax-email-add", "", "FAX devices: add an address that receives faxes")
	f.StringVar(&p.FaxEmailDelete, "fax-email-delete", "", "FAX devices: delete an address")
	_ = c.MarkFlagRequired("device")
	c.MarkFlagsMutuallyExclusive("device-password", "device-password-file")
	return c
}

func (a *app) deviceDeleteCommand() *cobra.Command {
	var deviceID int64
	c := &cobra.Command{
		Use:   "delete --device ID",
		Short: "Delete a device with its CLIs (device_delete)",
		Long: `Delete a device with its CLIs, codecs and voicemail box (device_delete).
After a timeout, sending it again answers "Device was not found" if the
first one went through.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.Devices.Delete(ctx, deviceID); err != nil {
					return withCall(err, "device_delete", url.Values{"device": {strconv.FormatInt(deviceID, 10)}})
				}
				fmt.Fprintf(a.stdout, "device %d deleted\n", deviceID)
				return nil
			})
		},
	}
	c.Flags().Var(idFlag{&deviceID, "device"}, "device", "the device's numeric id (device)")
	_ = c.MarkFlagRequired("device")
	return c
}

func (a *app) deviceCallflowCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "callflow",
		Short: "Show or set a device's call flow (device_callflow_get, device_callflow_update)",
	}
	c.AddCommand(a.callflowGetCommand(), a.callflowUpdateCommand())
	return c
}

func writeCallflowStages(w io.Writer, output string, stages []mor.CallflowStage) error {
	type rec struct {
		State        string `json:"state"`
		Priority     int64  `json:"priority"`
		Action       string `json:"action"`
		Data         string `json:"data"`
		CallerIDType string `json:"callerid_type,omitempty"`
		CallerIDData string `json:"callerid_data,omitempty"`
	}
	recs := make([]rec, len(stages))
	for i, s := range stages {
		recs[i] = rec{s.State, s.Priority, s.Action, s.Data, s.CallerIDType, s.CallerIDData}
	}
	switch output {
	case "json":
		return writeJSON(w, recs)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"state", "priority", "action", "data", "callerid_type", "callerid_data"})
		for _, r := range recs {
			_ = cw.Write([]string{r.State, strconv.FormatInt(r.Priority, 10), r.Action, r.Data, r.CallerIDType, r.CallerIDData})
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATE\tPRIORITY\tACTION\tDATA\tCALLERID")
	for _, r := range recs {
		cid := r.CallerIDType
		if r.CallerIDData != "" {
			cid += " " + r.CallerIDData
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", escapeText(r.State), r.Priority, escapeText(r.Action), oneLine(r.Data), oneLine(cid))
	}
	return tw.Flush()
}

func (a *app) callflowGetCommand() *cobra.Command {
	var (
		deviceID int64
		output   string
	)
	c := &cobra.Command{
		Use:   "get --device ID [--output table|json|csv]",
		Short: "Show the six stages of a device's call flow (device_callflow_get)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkDeviceOutput(output, "table", "json", "csv"); err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				flows, err := client.Devices.Callflows(ctx, deviceID)
				if err != nil {
					return withCall(err, "device_callflow_get", url.Values{"device_id": {strconv.FormatInt(deviceID, 10)}})
				}
				if output == "table" {
					fmt.Fprintf(a.stdout, "user:   %s\ndevice: %s\n", escapeText(flows.User), escapeText(flows.Device))
				}
				return writeCallflowStages(a.stdout, output, flows.Stages)
			})
		},
	}
	c.Flags().Var(idFlag{&deviceID, "device"}, "device", "the device's numeric id (device_id)")
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	_ = c.MarkFlagRequired("device")
	return c
}

func (a *app) callflowUpdateCommand() *cobra.Command {
	var (
		p                       mor.UpdateCallflowParams
		state, action, callerID string
		output                  string
	)
	c := &cobra.Command{
		Use:   "update --device ID --state S --action A [--to-device ID | --external N] [--callerid device|keep|did:ID|custom:CID] [--fax-device ID]",
		Short: "Set one stage of a device's call flow (device_callflow_update)",
		Long: `Set one stage of a device's call flow (device_callflow_update).

--state is before_call, no_answer, busy or failed; --action is forward,
voicemail, empty, or fax_detect (before_call only, with --fax-device). A
forward needs --to-device (another device of the same user) or --external
(a number). It sets absolute values: after a timeout it is safe to send
again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkDeviceOutput(output, "table", "json", "csv"); err != nil {
				return err
			}
			p.State, p.Action = mor.CallflowState(state), mor.CallflowAction(action)
			switch kind, val, _ := strings.Cut(callerID, ":"); kind {
			case "":
			case "device":
				p.DeviceCallerID = true
			case "keep":
				p.KeepCallerID = true
			case "did":
				n, err := strconv.ParseInt(val, 10, 64)
				if err != nil || n <= 0 {
					return usagef("--callerid did:ID wants a numeric DID id, not %q", val)
				}
				p.DIDID = n
			case "custom":
				p.Custom = val
			default:
				return usagef("--callerid must be device, keep, did:ID or custom:CID, not %q", callerID)
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				res, err := client.Devices.UpdateCallflow(ctx, p)
				if err != nil {
					return withCall(err, "device_callflow_update", url.Values{"device_id": {strconv.FormatInt(p.DeviceID, 10)},
						"state": {state}, "callflow_action": {action}})
				}
				if output == "table" {
					fmt.Fprintf(a.stdout, "user:   %s\ndevice: %s\n", escapeText(res.User), escapeText(res.Device))
				}
				return writeCallflowStages(a.stdout, output, []mor.CallflowStage{res.Stage})
			})
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.DeviceID, "device"}, "device", "the device's numeric id (device_id)")
	f.StringVar(&state, "state", "", "before_call, no_answer, busy or failed")
	f.StringVar(&action, "action", "", "forward, voicemail, empty or fax_detect")
	f.Var(idFlag{&p.ForwardToDevice, "device"}, "to-device", "forward to this device of the same user")
	f.StringVar(&p.ExternalNumber, "external", "", "forward to this number")
	f.StringVar(&callerID, "callerid", "", "CallerID of a forward: device, keep, did:ID or custom:CID (default: the device's)")
	f.Var(idFlag{&p.FaxDevice, "device"}, "fax-device", "the FAX device for fax_detect")
	f.StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	_ = c.MarkFlagRequired("device")
	_ = c.MarkFlagRequired("state")
	_ = c.MarkFlagRequired("action")
	c.MarkFlagsMutuallyExclusive("to-device", "external")
	return c
}
