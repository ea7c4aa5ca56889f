package mor

// service is what every API group's service holds: the Client whose one
// request path it calls. Services keep no state of their own, so the Client
// stays immutable and each group costs one type declaration.
type service struct{ c *Client }

// initServices points every group's service at c. NewClient calls it once.
func (c *Client) initServices() {
	c.common.c = c
	c.CLIs = (*CLIsService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	c.Devices = (*DevicesService)(&c.common)
	c.DIDs = (*DIDsService)(&c.common)
	c.Phonebooks = (*PhonebooksService)(&c.common)
	c.Invoices = (*InvoicesService)(&c.common)
	c.CreditNotes = (*CreditNotesService)(&c.common)
	c.Statements = (*StatementsService)(&c.common)
	c.Services = (*ServicesService)(&c.common)
	c.Subscriptions = (*SubscriptionsService)(&c.common)
	c.Calls = (*CallsService)(&c.common)
	c.Balances = (*BalancesService)(&c.common)
	c.Payments = (*PaymentsService)(&c.common)
	c.Vouchers = (*VouchersService)(&c.common)
	c.Cards = (*CardsService)(&c.common)
	c.SMS = (*SMSService)(&c.common)
	c.Rates = (*RatesService)(&c.common)
	c.System = (*SystemService)(&c.common)
}

// CLIsService adds, deletes, looks up and lists CLIs: caller numbers (or, on
// newer MOR, SIP domains) attached to devices to recognise incoming callers.
// Reach it as Client.CLIs; it holds no state of its own.
type CLIsService service
