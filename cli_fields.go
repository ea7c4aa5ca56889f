package mor

// The XML names of the CLI replies, in one place (see decode.go).

// fields is one device_clis_get record: a flat run of <cli_…> elements that
// starts at <cli_id>.
func (c *CLI) fields() []field {
	return []field{
		req("cli_id", i64(&c.ID)),
		opt("cli_cli", str(&c.Number)),
		opt("cli_domain", str(&c.Domain)),
		opt("cli_device", str(&c.Device)),
		opt("cli_description", str(&c.Description)),
		opt("cli_comment", str(&c.Comment)),
		opt("cli_ivr", str(&c.IVR)),
		opt("cli_added_at", datetime(&c.AddedAt)),
		opt("cli_updated_at", datetime(&c.UpdatedAt)),
		opt("cli_email_callback", flag(&c.EmailCallback)),
		opt("cli_banned", flag(&c.Banned)),
	}
}

// cliRecords reads device_clis_get: "CLIs were not found" is an empty list;
// a reply with neither records nor an error, or with no <status>, is not a
// CLI list.
var cliRecords = recordSpec[CLI]{
	start:  "cli_id",
	fields: (*CLI).fields,
	empty:  []error{ErrCLIsNotFound},
	finish: func(w *walker, n int) error {
		if n == 0 {
			return unexpected(w.method, w.root, "no CLI records and no error")
		}
		return nil
	},
}
