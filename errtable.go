package mor

import (
	"errors"
	"strings"
)

// The server's error texts as data: each exact text (or a prefix, where the
// server appends a name or an address) maps to its own sentinel and to the
// family it belongs to. APIError.Is matches both, so callers branch as
// finely as they need:
//
//	errors.Is(err, mor.ErrDIDNotFound) // exactly "DID was not found"
//	errors.Is(err, mor.ErrNotFound)    // any "… was not found", "No … found"
//
// A text the table does not know is still an *APIError; it matches a family
// when it reads like one (familyFor's rules), and no sentinel.

// Family sentinels: every text of a family matches them as well as its own.
var (
	// ErrNotFound is the family of every "… was not found", "… not found",
	// "… were not found" and "No … found" reply (a missing user, device,
	// DID, tariff, record, or an empty list).
	ErrNotFound = errors.New("mor: not found")
	// ErrInvalidParams is the family of the server's validation refusals:
	// "… cannot be empty", "… must be …", "Please enter …", "… invalid".
	// The client's own checks before any I/O return *ValidationError with
	// a specific sentinel instead.
	ErrInvalidParams = errors.New("mor: invalid parameters")
	// ErrAlreadyExists is the family of uniqueness refusals: "… already
	// exists", "… is already taken", "… must be unique", "… is already used".
	ErrAlreadyExists = errors.New("mor: already exists")
)

// Sentinels of the accounts texts (users, devices, DIDs, phonebooks), where a
// caller would branch on them; the other texts match only their family.
var (
	// ErrServerConfig is a MOR installation missing a setting the call
	// needs: "Configuration error. Please contact System Administrator",
	// "Default user is not present", "Default user does not have and LCR set".
	ErrServerConfig = errors.New("mor: server configuration error")
	// ErrLoginFailed is user_login's "Login failed".
	ErrLoginFailed = errors.New("mor: login failed")
	// ErrLoginThrottled is "Please wait 10 seconds before trying to login again".
	ErrLoginThrottled = errors.New("mor: login throttled")
	// ErrUsersNotFound is users_get's "No Users found": nothing to list.
	ErrUsersNotFound = errors.New("mor: no users found")
	// ErrUsernameTaken is "Such username is already taken" and "Username has
	// already been taken".
	ErrUsernameTaken = errors.New("mor: username taken")
	// ErrEmailTaken is "Email ADDRESS is already used".
	ErrEmailTaken = errors.New("mor: email already used")
	// ErrRegistrationDisabled is "Registration over API is disabled".
	ErrRegistrationDisabled = errors.New("mor: registration over API is disabled")
	// ErrUserLimit is "This is a limited version. You can have only N Users.".
	ErrUserLimit = errors.New("mor: user limit reached")
	// ErrTariffNotFound is "Tariff was not found" (and "… cannot create").
	ErrTariffNotFound = errors.New("mor: tariff not found")
	// ErrExtensionTaken is "Extension already exists in User's PBX Pool".
	ErrExtensionTaken = errors.New("mor: extension taken")
	// ErrPINTaken is "PIN is already used".
	ErrPINTaken = errors.New("mor: PIN already used")
	// ErrDeviceNotCreated is device_create's "Device was not created"; the
	// model's reasons follow as further messages in APIError.Messages.
	ErrDeviceNotCreated = errors.New("mor: device not created")
	// ErrDeviceInUse is a device that cannot be deleted because something
	// uses it (forwarded calls, dial plans, a queue agent, location rules).
	ErrDeviceInUse = errors.New("mor: device in use")
	// ErrDIDNotFound is "DID was not found".
	ErrDIDNotFound = errors.New("mor: DID not found")
	// ErrDIDsNotFound is dids_get's "No DIDs found": nothing to list.
	ErrDIDsNotFound = errors.New("mor: no DIDs found")
	// ErrDIDExists is "DID already exists".
	ErrDIDExists = errors.New("mor: DID already exists")
	// ErrDIDNotFree is "DID is not free".
	ErrDIDNotFree = errors.New("mor: DID is not free")
	// ErrDIDAlreadyFree is "DID is already free".
	ErrDIDAlreadyFree = errors.New("mor: DID is already free")
	// ErrDIDAlreadyAssigned is "DID is already assigned".
	ErrDIDAlreadyAssigned = errors.New("mor: DID is already assigned")
	// ErrDIDTerminated is "DID is terminated".
	ErrDIDTerminated = errors.New("mor: DID is terminated")
	// ErrDIDNotCreated is "DID creation failed".
	ErrDIDNotCreated = errors.New("mor: DID not created")
	// ErrDIDNotAssigned is did_device_assign's "Device was not assigned".
	ErrDIDNotAssigned = errors.New("mor: DID not assigned")
	// ErrDIDNotUnassigned is "Failed to unassign DID".
	ErrDIDNotUnassigned = errors.New("mor: DID not unassigned")
	// ErrQuickForwardsNotFound is "Quickforwards list is empty".
	ErrQuickForwardsNotFound = errors.New("mor: no quick-forward DIDs")
	// ErrInvalidDID is "Invalid DID specified": a DID number that is blank
	// or not a number. The client's own check (digits only) uses it too.
	ErrInvalidDID = errors.New("mor: invalid DID number")
	// ErrProviderNotFound is "Provider was not found".
	ErrProviderNotFound = errors.New("mor: provider not found")
	// ErrCallLimitInvalid is "Call limit is incorrect format".
	ErrCallLimitInvalid = errors.New("mor: call limit is not a whole number")
	// ErrDIDNotActive is did_subscription_stop's "DID is not assigned to
	// Device": only an active (or already closed) DID can be closed.
	ErrDIDNotActive = errors.New("mor: DID is not active")
	// ErrDIDOnDialPlan is "DID is assigned to dialplan".
	ErrDIDOnDialPlan = errors.New("mor: DID is on a dial plan")
	// ErrDIDNotSaved is did_subscription_stop's "DID was not saved".
	ErrDIDNotSaved = errors.New("mor: DID not saved")
	// ErrQuickForwardInvalid is "Invalid Quickforward number".
	ErrQuickForwardInvalid = errors.New("mor: invalid quick-forward number")
	// ErrQuickForwardNotFound is "No Quickforward is assigned to specified
	// DID": the user has no forward on that DID.
	ErrQuickForwardNotFound = errors.New("mor: no quick-forward on that DID")
	// ErrPhonebookRecordNotFound is "Phonebook record was not found" and
	// "Record was not found".
	ErrPhonebookRecordNotFound = errors.New("mor: phonebook record not found")
	// ErrPhonebooksNotFound is phonebooks_get's "No Phonebooks".
	ErrPhonebooksNotFound = errors.New("mor: no phonebooks")
	// ErrSpeedDialTaken is "Speed dial must be unique".
	ErrSpeedDialTaken = errors.New("mor: speed dial taken")
	// ErrPhonebookNotSaved is phonebook_edit's "Phonebook was not saved";
	// the reasons follow as further messages in APIError.Messages.
	ErrPhonebookNotSaved = errors.New("mor: phonebook record not saved")
	// ErrPhonebookNameEmpty is "Speed Dial name must be provided".
	ErrPhonebookNameEmpty = errors.New("mor: phonebook record name is empty")
	// ErrPhonebookNumberInvalid is "Record number should have at least one
	// digit" and "Record number must be numeric".
	ErrPhonebookNumberInvalid = errors.New("mor: phonebook record number must be digits")
	// ErrSpeedDialInvalid is "Speed Dial should have at least two digits"
	// and "Speed Dial must be numeric".
	ErrSpeedDialInvalid = errors.New("mor: speed dial must be two or more digits")
)

// Sentinels of the invoice, credit-note, service and subscription texts.
var (
	// ErrInvoicesNotFound is invoices_get's "No Invoices found": nothing to
	// list.
	ErrInvoicesNotFound = errors.New("mor: no invoices found")
	// ErrCreditNoteNotFound is "Credit note was not found" (also the empty
	// list of credit_notes_get).
	ErrCreditNoteNotFound = errors.New("mor: credit note not found")
	// ErrCreditNoteNotCreated is "Credit note was not created" (a missing or
	// non-positive issue date, or a note the server could not save).
	ErrCreditNoteNotCreated = errors.New("mor: credit note not created")
	// ErrCreditNoteNotUpdated is "Credit note was not updated".
	ErrCreditNoteNotUpdated = errors.New("mor: credit note not updated")
	// ErrServicesNotFound is services_get's "No Services found": nothing to
	// list.
	ErrServicesNotFound = errors.New("mor: no services found")
	// ErrServiceNotFound is "Service was not found".
	ErrServiceNotFound = errors.New("mor: service not found")
	// ErrServiceInUse is service_delete's "Cannot delete - some
	// subscriptions to this service exist".
	ErrServiceInUse = errors.New("mor: service has subscriptions")
	// ErrSubscriptionsNotFound is subscriptions_get's "No Subscriptions
	// found": nothing to list.
	ErrSubscriptionsNotFound = errors.New("mor: no subscriptions found")
	// ErrSubscriptionNotFound is "Subscription was not found".
	ErrSubscriptionNotFound = errors.New("mor: subscription not found")
	// ErrInsufficientBalance is subscription_create's "User has insufficient
	// balance": a prepaid user cannot pay this month's share of the service.
	ErrInsufficientBalance = errors.New("mor: insufficient balance")
	// ErrBadActivationDates is a subscription's start not before its end
	// ("Activation start date must be earlier than end date.", also when a
	// periodic fee is sent without an end and without until-cancelled).
	ErrBadActivationDates = errors.New("mor: activation start not before end")
)

// Sentinels of the balance, payment and voucher texts.
var (
	// ErrFeatureDisabled is a feature switched off on the server: the
	// balance readers' "Feature disabled" (setting Devices_Check_Ballance),
	// rate_get's (setting Devices_Check_Rate), and the card calls' "Feature
	// Disabled" (payments over the API switched
	// off, API_Allow_payments_ower_API).
	ErrFeatureDisabled = errors.New("mor: feature disabled")
	// ErrPaymentsNotAllowed is payment_create's "Payments not allow from
	// api" (setting API_Allow_payments_ower_API off).
	ErrPaymentsNotAllowed = errors.New("mor: payments over the API not allowed")
	// ErrCurrencyNotFound is "No currency": the currency name is unknown.
	ErrCurrencyNotFound = errors.New("mor: currency not found")
	// ErrBalanceNotUpdated is user_balance_update's "User balance not
	// updeted" (sic): the user row failed to save.
	ErrBalanceNotUpdated = errors.New("mor: balance not updated")
	// ErrVouchersDisabled is "Vouchers Disabled" (setting Vouchers_Enabled).
	ErrVouchersDisabled = errors.New("mor: vouchers disabled")
	// ErrVoucherNotFound is "Voucher was not found": no such voucher, or it
	// is expired, inactive or already used.
	ErrVoucherNotFound = errors.New("mor: voucher not found")
)

// Sentinels of the calling-card and SMS texts, where a caller would branch on
// them; the other texts match only their family.
var (
	// ErrCardLimit is "This is a limited version. You can have only 10
	// Cards.": the calling-card add-on is off and the card group named by
	// cardgroup_id already holds more than 10 cards.
	ErrCardLimit = errors.New("mor: calling-card add-on off: limited to 10 cards")
	// ErrCallerIDEmpty is "Callerid must be specified".
	ErrCallerIDEmpty = errors.New("mor: caller ID must be specified")
	// ErrCardGroupNotFound is "Cardgroup was not found", "Card Group was not
	// found" and "Supplied Cardgroup_id is invalid" (also a group the caller
	// does not own).
	ErrCardGroupNotFound = errors.New("mor: card group not found")
	// ErrCardGroupsNotFound is cc_groups_get's "Calling Cards Groups were not
	// found": nothing to list.
	ErrCardGroupsNotFound = errors.New("mor: no card groups found")
	// ErrCardGroupExists is "Card Group name must be unique".
	ErrCardGroupExists = errors.New("mor: card group name taken")
	// ErrCardNotFound is "Calling Card was not found" (also a card the
	// caller does not own, or an unsold card for a payment).
	ErrCardNotFound = errors.New("mor: calling card not found")
	// ErrCardPINNotFound is "PIN number not found".
	ErrCardPINNotFound = errors.New("mor: card PIN not found")
	// ErrCardsNotFound is calling_cards_get's "Cards were not found": nothing
	// to list.
	ErrCardsNotFound = errors.New("mor: no cards found")
	// ErrFreeCardsNotFound is "Free cards was not found": the group has no
	// unsold card (or not the one asked for).
	ErrFreeCardsNotFound = errors.New("mor: no free cards")
	// ErrCardAlreadySold is "Card is already sold", "Cannot sell already
	// sold card" and "PIN number already sold".
	ErrCardAlreadySold = errors.New("mor: card already sold")
	// ErrCardSellFailed is the "Card error" slot of card_from_group_sell: one
	// card could not be sold (another sale got it first).
	ErrCardSellFailed = errors.New("mor: card could not be sold")
	// ErrCardBalanceZero is "PIN number balance is zero".
	ErrCardBalanceZero = errors.New("mor: card balance is zero")
	// ErrCardTransactionFailed is "Failed to make transaction" (and the old
	// "Failed to make tansaction").
	ErrCardTransactionFailed = errors.New("mor: card transaction failed")
	// ErrCardsExist is calling_cards_create's "Cards already exist": every
	// number of the range is taken (what a repeated create answers).
	ErrCardsExist = errors.New("mor: cards already exist")
	// ErrCardPINTaken is "PIN is already taken".
	ErrCardPINTaken = errors.New("mor: card PIN taken")
	// ErrCardNumberTaken is "Number is already taken" and "Card with this
	// number already exists : …".
	ErrCardNumberTaken = errors.New("mor: card number taken")
	// ErrCurrencyDisabled is "Currency disabled".
	ErrCurrencyDisabled = errors.New("mor: currency disabled")
	// ErrSMSAddonDisabled is sms_send's gate when the SMS add-on is off: the
	// server answers a bare <status><error>Access Denied</error></status>,
	// which the SDK reports as both ErrAccessDenied and this.
	ErrSMSAddonDisabled = errors.New("mor: SMS add-on off")
	// ErrSMSNotSubscribed is "You are not subscribed to sms service", "User
	// is not subscribed to sms service" and "Reseller does not have SMS
	// Subscription".
	ErrSMSNotSubscribed = errors.New("mor: not subscribed to the SMS service")
	// ErrSMSAlreadySubscribed is "User is already subscribed to SMS service"
	// (what a repeated subscribe answers).
	ErrSMSAlreadySubscribed = errors.New("mor: already subscribed to the SMS service")
	// ErrSMSLCRNotFound is "There is no such LCR" and "SMS LCR was not found".
	ErrSMSLCRNotFound = errors.New("mor: SMS LCR not found")
	// ErrSMSTariffNotFound is "SMS Tariff was not found".
	ErrSMSTariffNotFound = errors.New("mor: SMS tariff not found")
	// ErrSMSMessagesNotFound is user_sms_get's "Sms Mesagges were not found"
	// (sic): nothing to list.
	ErrSMSMessagesNotFound = errors.New("mor: no SMS messages found")
	// ErrSMSNotSent is an SMS the server stored but did not send (a
	// delivery status other than success); see *SMSError.
	ErrSMSNotSent = errors.New("mor: SMS not sent")
)

// Sentinels of the rates and system texts (tariffs, rate quotes, imports,
// callbacks, e-mail, PBX pools), and the client's own checks of those calls.
var (
	// ErrTariffNameTaken is "Name must be unique" (tariff_wholesale_update)
	// and tariff_retail_import's "TARIFF with same name exists…".
	ErrTariffNameTaken = errors.New("mor: tariff name taken")
	// ErrTariffNameEmpty is a missing tariff name: "Name cannot be blank",
	// "No tariff name", or the client's own check.
	ErrTariffNameEmpty = errors.New("mor: tariff name is empty")
	// ErrTariffIDInvalid is the client's check of a negative tariff id, and
	// tariff_retail_import's "No tariff id".
	ErrTariffIDInvalid = errors.New("mor: tariff id is invalid")
	// ErrExportUserIDInvalid is the client's check of a negative user id.
	ErrExportUserIDInvalid = errors.New("mor: user id is invalid")
	// ErrTariffBelongsToOther is "Tariff belongs to other user!".
	ErrTariffBelongsToOther = errors.New("mor: tariff belongs to another user")
	// ErrTariffNameMismatch is "TARIFF NAME WITH THIS ID DO NOT MATCH !!!FOUND <name>".
	ErrTariffNameMismatch = errors.New("mor: tariff name does not match its id")
	// ErrImportNoDestinations is "No destinations!" (the tariff may have
	// been created already), and the client's check of an empty import.
	ErrImportNoDestinations = errors.New("mor: import has no destinations")
	// ErrTooFewTiers is the client's check of an import destination with
	// fewer than two tiers, on which the server crashes.
	ErrTooFewTiers = errors.New("mor: a destination needs at least two tiers")
	// ErrBadImportXML is "No XML" and "Bad XML data".
	ErrBadImportXML = errors.New("mor: bad import document")
	// ErrEmptyPrefix is rate_get's "Empty prefix" and the client's check of
	// a number without digits.
	ErrEmptyPrefix = errors.New("mor: empty prefix")
	// ErrRateUsernameEmpty is the client's check of rate_get's username.
	ErrRateUsernameEmpty = errors.New("mor: username is empty")
	// ErrPrefixNotFound is "Prefix was not found".
	ErrPrefixNotFound = errors.New("mor: prefix not found")
	// ErrRateNotFound is "Rate was not found".
	ErrRateNotFound = errors.New("mor: rate not found")
	// ErrUserBelongsToReseller is "User belongs to <reseller>": ask as that
	// reseller.
	ErrUserBelongsToReseller = errors.New("mor: user belongs to a reseller")
	// ErrCallbackNoSource is callback_init's "No source" and the client's
	// check of an empty Src.
	ErrCallbackNoSource = errors.New("mor: callback has no source")
	// ErrBadTariff is callback_init's "Bad tariff" (a provider tariff, or
	// not the admin's own).
	ErrBadTariff = errors.New("mor: bad tariff")
	// ErrAsteriskUnavailable is "Cannot connect to Asterisk Server": no
	// active server takes callbacks; nothing was started.
	ErrAsteriskUnavailable = errors.New("mor: cannot connect to Asterisk server")
	// ErrEmailTemplateNotFound is email_send's "Email not found".
	ErrEmailTemplateNotFound = errors.New("mor: e-mail template not found")
	// ErrSenderEmailNotFound is "Your email not found": the caller's address
	// has no e-mail.
	ErrSenderEmailNotFound = errors.New("mor: sender e-mail not found")
	// ErrEmailDisabled is "E-mail has been disabled": sending is off on the
	// server; nothing was sent.
	ErrEmailDisabled = errors.New("mor: e-mail sending disabled")
	// ErrRecipientEmailEmpty is "Email is empty <first> <last>": the
	// recipient has no address; nothing was sent.
	ErrRecipientEmailEmpty = errors.New("mor: recipient has no e-mail address")
	// ErrEmailSettings is "Incorrect Email settings": the recipient is
	// blocked or the mailer failed.
	ErrEmailSettings = errors.New("mor: incorrect e-mail settings")
	// ErrPBXPoolNameTaken is "PBX Pool name must be unique".
	ErrPBXPoolNameTaken = errors.New("mor: PBX pool name taken")
)

// Sentinels of the calls texts.
var (
	// ErrRecordingsNotFound is recordings_get's "No Recordings found":
	// nothing to list (Calls.Recordings returns an empty list).
	ErrRecordingsNotFound = errors.New("mor: no recordings found")
	// ErrStatsUnavailable is quickstats_get's "Cannot connect to
	// Elasticsearch": the server's statistics store is down.
	ErrStatsUnavailable = errors.New("mor: call statistics unavailable")
)

// errorText is one server text. When err is a family sentinel the text has
// no sentinel of its own.
type errorText struct {
	text   string // exact text, or its start when prefix is set
	err    error  // its own sentinel
	family error  // ErrNotFound, ErrNotAuthorized, ErrInvalidParams, ErrAlreadyExists, or nil
	prefix bool   // the server appends details after text
}

var (
	nf  = ErrNotFound
	inv = ErrInvalidParams
	ae  = ErrAlreadyExists
	na  = ErrNotAuthorized
)

// errorGroups holds every error text the SDK knows, by domain.
var errorGroups = []struct {
	domain string
	texts  []errorText
}{
	{"gates", []errorText{
		{text: "Incorrect hash", err: ErrIncorrectHash},
		{text: "API must have Secret Key", err: ErrNoSecretKey},
		{text: "API Requests are disabled", err: ErrAPIDisabled},
		{text: "GET Requests are disabled", err: ErrGETDisabled},
		{text: "There is no such API", err: ErrNoSuchAPI},
		{text: "Bad login", err: ErrBadLogin},
		{text: "Access Denied", err: ErrAccessDenied},
		{text: "Configuration error. Please contact System Administrator", err: ErrServerConfig},
	}},
	{"rights", []errorText{
		{text: "You are not authorized", err: na, family: na, prefix: true},
		{text: "You are not authorised", err: na, family: na, prefix: true},
		{text: "Your are not authorized", err: na, family: na, prefix: true},
		{text: "You do not have rights", err: na, family: na, prefix: true},
	}},
	{"CLIs", []errorText{
		{text: "CLI must be numeric", err: ErrCLINotNumeric, family: inv},
		{text: "CLI is not a number", err: ErrCLINotNumeric, family: inv},
		{text: "CLI already exists", err: ErrCLIExists, family: ae},
		{text: cliExistsPrefix, err: ErrCLIExists, family: ae, prefix: true},
		{text: "CLI Number cannot be empty", err: ErrCLIEmpty, family: inv},
		{text: "CLI is empty", err: ErrCLIEmpty, family: inv},
		{text: "CLI must be provided", err: ErrCLIEmpty, family: inv},
		{text: "Device ID cannot be empty", err: ErrDeviceIDEmpty, family: inv},
		{text: "User device must be provided", err: ErrDeviceIDEmpty, family: inv},
		{text: "Device user not found", err: ErrDeviceUserNotFound, family: nf},
		{text: "IVR was not found", err: ErrIVRNotFound, family: nf},
		{text: "CLI was not found", err: ErrCLINotFound, family: nf},
		{text: "CLI not found", err: ErrCLINotFound, family: nf},
		{text: "CLIs were not found", err: ErrCLIsNotFound, family: nf},
		{text: "Device CID is assigned to Device", err: ErrCLIIsDeviceCID},
	}},
	{"users", []errorText{
		{text: "User was not found", err: ErrUserNotFound, family: nf},
		{text: "User not found", err: ErrUserNotFound, family: nf},
		{text: "No Users found", err: ErrUsersNotFound, family: nf},
		{text: "Login failed", err: ErrLoginFailed},
		{text: "Please wait 10 seconds before trying to login again", err: ErrLoginThrottled},
		{text: "Such username is already taken", err: ErrUsernameTaken, family: ae},
		{text: "Username has already been taken", err: ErrUsernameTaken, family: ae},
		{text: "Email ", err: ErrEmailTaken, family: ae, prefix: true}, // "Email x@y is already used"
		{text: "User with such phone number already exists", err: ae, family: ae},
		{text: "User with such fax number already exists", err: ae, family: ae},
		{text: "Group name must be unique", err: ae, family: ae},
		{text: "Registration over API is disabled", err: ErrRegistrationDisabled},
		{text: "This is a limited version.", err: ErrUserLimit, prefix: true},
		{text: "Default user is not present", err: ErrServerConfig},
		{text: "Default user does not have and LCR set", err: ErrServerConfig},
		{text: "Tariff was not found", err: ErrTariffNotFound, family: nf},
		{text: "Tariff was not found cannot create", err: ErrTariffNotFound, family: nf},
		{text: "LCR was not found", err: nf, family: nf},
		{text: "Location was not found", err: nf, family: nf},
		{text: "Permission Group was not Found", err: nf, family: nf},
		{text: "Permission Group was not selected", err: inv, family: inv},
		{text: "Responsible accountant is not valid", err: inv, family: inv},
		{text: "TAX Registration Number is not valid", err: inv, family: inv},
		{text: "Please fill field TAX Registration Number", err: inv, family: inv},
		{text: "Please enter username", err: inv, family: inv},
		{text: "Please enter password", err: inv, family: inv},
		{text: "Please enter password not equal to username", err: inv, family: inv},
		{text: "Please enter first name", err: inv, family: inv},
		{text: "Please enter last name", err: inv, family: inv},
		{text: "Please enter correct email", err: inv, family: inv},
		{text: "Please enter correct recordings email", err: inv, family: inv},
		{text: "Please select country", err: inv, family: inv},
		{text: "Passwords do not match", err: inv, family: inv},
		{text: "Password must contain at least one numeric value, capital and lowercase symbol", err: inv, family: inv},
		{text: "Password must be longer than ", err: inv, family: inv, prefix: true},
		{text: "Username must be longer than ", err: inv, family: inv, prefix: true},
		{text: "User was not updated", err: ErrUserNotUpdated},
		{text: "Reseller Group Name must be specified", err: inv, family: inv},
		{text: "User with such mobile phone number already exists", err: ae, family: ae},
		{text: "This email address is already in use.", err: ErrEmailTaken, family: ae},
	}},
	{"devices", []errorText{
		{text: "Device was not found", err: ErrDeviceNotFound, family: nf},
		{text: "Device not found", err: ErrDeviceNotFound, family: nf},
		{text: "Device was not created", err: ErrDeviceNotCreated},
		{text: "Extension already exists in User's PBX Pool", err: ErrExtensionTaken, family: ae},
		{text: "PIN is already used", err: ErrPINTaken, family: ae},
		{text: "Authentication details should be unique", err: ae, family: ae, prefix: true},
		{text: "Device has forwarded calls - we cannot delete it", err: ErrDeviceInUse},
		{text: "Device has Dial Plans - we cannot delete it", err: ErrDeviceInUse},
		{text: "Cannot delete device - it is assigned to Queue Agent", err: ErrDeviceInUse},
		{text: "One or more Location rules are using this Device", err: ErrDeviceInUse},
		{text: "Unable to delete this device - it is used in Call Flow for Fax Detect", err: ErrDeviceInUse},
		{text: "Cannot delete device - it has calls.", err: ErrDeviceInUse, prefix: true},
		{text: "Cannot delete device - it is assigned to Queue", err: ErrDeviceInUse},
		{text: "Cannot delete Device - it is assigned to Alerts", err: ErrDeviceInUse},
		{text: "user_id is empty", err: inv, family: inv},
		{text: "Password is too short", err: inv, family: inv},
		{text: "Local device was not found", err: nf, family: nf},
		{text: "FAX device was not found", err: nf, family: nf},
		{text: "External number was not found", err: nf, family: nf},
		{text: "Callflow state was not found", err: nf, family: nf},
		{text: "Callflow action was not found", err: nf, family: nf},
		{text: "PBX Pool was not found", err: nf, family: nf},
		{text: "PIN must be numeric", err: inv, family: inv},
		{text: "CallerID must be numeric", err: inv, family: inv},
		{text: "External number must be numeric", err: inv, family: inv},
		{text: "Device group invalid", err: inv, family: inv},
		{text: "Device type invalid", err: inv, family: inv},
		{text: "Enter device type", err: inv, family: inv},
		{text: "Device Call Timeout must be greater than or equal to 0", err: inv, family: inv},
		{text: "Missing forward parameters", err: inv, family: inv},
		{text: "Device must have name", err: inv, family: inv},
		{text: "Name and password cannot be equal", err: inv, family: inv},
	}},
	{"DIDs", []errorText{
		{text: "DID was not found", err: ErrDIDNotFound, family: nf},
		{text: "No DIDs found", err: ErrDIDsNotFound, family: nf},
		{text: "DID already exists", err: ErrDIDExists, family: ae},
		{text: "DID is not free", err: ErrDIDNotFree},
		{text: "DID is already free", err: ErrDIDAlreadyFree},
		{text: "DID is already assigned", err: ErrDIDAlreadyAssigned},
		{text: "DID is terminated", err: ErrDIDTerminated},
		{text: "DID creation failed", err: ErrDIDNotCreated},
		{text: "Device was not assigned", err: ErrDIDNotAssigned},
		{text: "Failed to unassign DID", err: ErrDIDNotUnassigned},
		{text: "Quickforwards list is empty", err: ErrQuickForwardsNotFound, family: nf},
		{text: "Provider was not found", err: ErrProviderNotFound, family: nf},
		{text: "Quickforward Rule was not found", err: nf, family: nf},
		{text: "Invalid DID specified", err: ErrInvalidDID, family: inv},
		{text: "Call limit is incorrect format", err: ErrCallLimitInvalid, family: inv},
		{text: "DID is not assigned to Device", err: ErrDIDNotActive},
		{text: "DID is assigned to dialplan", err: ErrDIDOnDialPlan},
		{text: didNotSaved, err: ErrDIDNotSaved},
		{text: "Invalid Quickforward number", err: ErrQuickForwardInvalid, family: inv},
		{text: "No Quickforward is assigned to specified DID", err: ErrQuickForwardNotFound, family: nf},
	}},
	{"phonebooks", []errorText{
		{text: "Phonebook record was not found", err: ErrPhonebookRecordNotFound, family: nf},
		{text: "Record was not found", err: ErrPhonebookRecordNotFound, family: nf},
		{text: "No Phonebooks", err: ErrPhonebooksNotFound, family: nf},
		{text: "Speed dial must be unique", err: ErrSpeedDialTaken, family: ae},
		{text: "Phonebook was not saved", err: ErrPhonebookNotSaved, family: inv},
		{text: "Speed Dial should have at least two digits", err: ErrSpeedDialInvalid, family: inv},
		{text: "Speed Dial name must be provided", err: ErrPhonebookNameEmpty, family: inv},
		{text: "Speed Dial must be numeric", err: ErrSpeedDialInvalid, family: inv},
		{text: "Record number should have at least one digit", err: ErrPhonebookNumberInvalid, family: inv},
		{text: "Record number must be numeric", err: ErrPhonebookNumberInvalid, family: inv},
	}},
	{"money: invoices, credit notes, services, subscriptions", []errorText{
		{text: "No Invoices found", err: ErrInvoicesNotFound, family: nf},
		{text: "Credit note was not found", err: ErrCreditNoteNotFound, family: nf},
		{text: "Credit note was not created", err: ErrCreditNoteNotCreated},
		{text: "Credit note was not updated", err: ErrCreditNoteNotUpdated},
		{text: "No Services found", err: ErrServicesNotFound, family: nf},
		{text: "Service was not found", err: ErrServiceNotFound, family: nf},
		{text: "Service was not selected", err: inv, family: inv},
		{text: "Reseller was not found", err: nf, family: nf},
		{text: "Cannot delete - some subscriptions to this service exist", err: ErrServiceInUse},
		{text: "Service must have name", err: inv, family: inv},
		{text: "Service must have service type", err: inv, family: inv},
		{text: "Service Type is invalid", err: inv, family: inv},
		{text: "Flat Rate Service must have quantity", err: inv, family: inv},
		{text: "Quantity must be numeric", err: inv, family: inv},
		{text: "Quantity must be greater than zero", err: inv, family: inv},
		{text: "Round by must be positive", err: inv, family: inv},
		{text: "Service Price must be numeric", err: inv, family: inv},
		{text: "Service Self Cost must be numeric", err: inv, family: inv},
		{text: "No Subscriptions found", err: ErrSubscriptionsNotFound, family: nf},
		{text: "Subscription was not found", err: ErrSubscriptionNotFound, family: nf},
		{text: "Subscription was not selected", err: inv, family: inv},
		{text: "Service cannot be subscribed to this User", err: inv, family: inv},
		{text: "Subscription activation start date must be valid timestamp", err: inv, family: inv},
		{text: "Subscription activation end date must be valid timestamp", err: inv, family: inv},
		{text: "Activation start date must be earlier than end date.", err: ErrBadActivationDates, family: inv},
		{text: "Activation end date must be higher by at least one month", err: ErrBadActivationDates, family: inv},
		{text: "Activation start date must be later than user registration date.", err: inv, family: inv},
		{text: "Service is not flat rate", err: inv, family: inv},
		{text: "User has insufficient balance", err: ErrInsufficientBalance},
		{text: "Subscription' Service was not found, please contact Administrator", err: ErrServiceNotFound, family: nf},
		{text: "Subscription delete action was not selected", err: inv, family: inv},
		{text: "Subscription delete action was not found", err: nf, family: nf},
	}},
	{"balances, payments, vouchers", []errorText{
		{text: "Feature disabled", err: ErrFeatureDisabled},
		{text: "Payments not allow from api", err: ErrPaymentsNotAllowed},
		{text: "No currency", err: ErrCurrencyNotFound, family: nf},
		{text: "User balance not updeted", err: ErrBalanceNotUpdated},
		{text: "Vouchers Disabled", err: ErrVouchersDisabled},
		{text: "Voucher was not found", err: ErrVoucherNotFound, family: nf},
	}},
	{"cards", []errorText{
		{text: "This is a limited version. You can have only 10 Cards.", err: ErrCardLimit},
		{text: "Callerid must be specified", err: ErrCallerIDEmpty, family: inv},
		{text: "Cardgroup was not found", err: ErrCardGroupNotFound, family: nf},
		{text: "Card Group was not found", err: ErrCardGroupNotFound, family: nf},
		{text: "Supplied Cardgroup_id is invalid", err: ErrCardGroupNotFound, family: inv},
		{text: "Calling Cards Groups were not found", err: ErrCardGroupsNotFound, family: nf},
		{text: "Card Group name must be unique", err: ErrCardGroupExists, family: ae},
		{text: "Calling Card was not found", err: ErrCardNotFound, family: nf},
		{text: "Could not find card", err: ErrCardNotFound, family: nf},
		{text: "PIN number not found", err: ErrCardPINNotFound, family: nf},
		{text: "Cards were not found", err: ErrCardsNotFound, family: nf},
		{text: "Free cards was not found", err: ErrFreeCardsNotFound, family: nf},
		{text: "Card is already sold", err: ErrCardAlreadySold},
		{text: "Cannot sell already sold card", err: ErrCardAlreadySold},
		{text: "PIN number already sold", err: ErrCardAlreadySold},
		{text: "Card error", err: ErrCardSellFailed},
		{text: "PIN number balance is zero", err: ErrCardBalanceZero},
		{text: "Failed to make transaction", err: ErrCardTransactionFailed},
		{text: "Failed to make tansaction", err: ErrCardTransactionFailed}, // sic
		{text: "Could not create card", err: ErrCardTransactionFailed},
		{text: "Cards already exist", err: ErrCardsExist, family: ae},
		{text: "PIN is already taken", err: ErrCardPINTaken, family: ae},
		{text: "Number is already taken", err: ErrCardNumberTaken, family: ae},
		{text: "Card with this number already exists : ", err: ErrCardNumberTaken, family: ae, prefix: true},
		{text: "Callerid must be unique", err: ae, family: ae},
		{text: "CallerID must be unique", err: ae, family: ae},
		{text: "Feature Disabled", err: ErrFeatureDisabled},
		{text: "Currency disabled", err: ErrCurrencyDisabled},
		{text: "Currency was not found", err: nf, family: nf},
		{text: "TAX was not found", err: nf, family: nf},
		{text: "You do not have permission to add to user's balance", err: na, family: na},
		{text: "You do not have permission to access card", err: na, family: na},
		{text: "You do not have permission to access cardgroup", err: na, family: na},
		{text: "Callerid belongs to provider", err: na, family: na},
		{text: "Device already has such callerid, but you do not have permission to change user's balance", err: na, family: na},
		{text: "Cards from was not found", err: inv, family: nf},
		{text: "Cards till was not found", err: inv, family: nf},
		{text: "Cards from is in incorrect format", err: inv, family: inv},
		{text: "Cards till is in incorrect format", err: inv, family: inv},
		{text: "Cards from must not be greater than Cards till", err: inv, family: inv},
		{text: "PIN is too short for this interval", err: inv, family: inv},
		{text: "Wrong Calling Card ID", err: inv, family: inv},
		{text: "Wrong Calling Cards Group ID", err: inv, family: inv},
		{text: "Calling Card number must be numerical", err: inv, family: inv},
		{text: "Card number must be numerical", err: inv, family: inv},
		{text: "Bad number length, should be: ", err: inv, family: inv, prefix: true},
		{text: "Bad PIN length, should be: ", err: inv, family: inv, prefix: true},
		{text: "Bad PIN length should be: ", err: inv, family: inv, prefix: true},
		{text: "Card PIN is blank", err: inv, family: inv},
		{text: "Card PIN is blank, use longer PIN - each PIN is unique for each card", err: inv, family: inv},
		{text: "Balance is not a numerical value", err: inv, family: inv},
		{text: "Bad minimal balance", err: inv, family: inv},
		{text: "Wrong date entered", err: inv, family: inv},
		{text: "Wrong distributor", err: inv, family: inv},
		{text: "Card Group must have name", err: inv, family: inv},
		{text: "Use external function is incorrect format", err: inv, family: inv},
		{text: "Allow loss calls is incorrect format", err: inv, family: inv},
		{text: "Tell cents is incorrect format", err: inv, family: inv},
		{text: "Solo pinless is incorrect format", err: inv, family: inv},
		{text: "Disable voucher is incorrect format", err: inv, family: inv},
		{text: "CallerID leave is incorrect format", err: inv, family: inv},
		{text: "Date from is incorrect format", err: inv, family: inv},
		{text: "Time till is incorrect format", err: inv, family: inv},
		{text: "Date from is greater than date till", err: inv, family: inv},
		{text: "Valid after is incorrect format", err: inv, family: inv},
		{text: "TAX 2 enabling value is incorrect format", err: inv, family: inv},
		{text: "TAX 3 enabling value is incorrect format", err: inv, family: inv},
		{text: "TAX 4 enabling value is incorrect format", err: inv, family: inv},
		{text: "Compound TAX enabling value is incorrect format", err: inv, family: inv},
		{text: "PIN length must consist only of digits", err: inv, family: inv},
		{text: "PIN length must be greater than 0", err: inv, family: inv},
		{text: "PIN length can be between 1 and 30", err: inv, family: inv},
	}},
	{"sms", []errorText{
		{text: "You are not subscribed to sms service", err: ErrSMSNotSubscribed},
		{text: "User is not subscribed to sms service", err: ErrSMSNotSubscribed},
		{text: "Reseller does not have SMS Subscription", err: ErrSMSNotSubscribed},
		{text: "User is already subscribed to SMS service", err: ErrSMSAlreadySubscribed, family: ae},
		{text: "There is no such LCR", err: ErrSMSLCRNotFound, family: nf},
		{text: "SMS LCR was not found", err: ErrSMSLCRNotFound, family: nf},
		{text: "SMS Tariff was not found", err: ErrSMSTariffNotFound, family: nf},
		{text: "Sms Mesagges were not found", err: ErrSMSMessagesNotFound, family: nf}, // sic
		{text: "Wrong destination", err: inv, family: inv},
		{text: "Wrong source", err: inv, family: inv},
		{text: "There is no message or it is empty", err: inv, family: inv},
	}},
	{"rates", []errorText{
		{text: "No tariff found", err: ErrTariffNotFound, family: nf},
		{text: "Tariff not found", err: ErrTariffNotFound, family: nf},
		{text: "Name must be unique", err: ErrTariffNameTaken, family: ae},
		{text: "Name cannot be blank", err: ErrTariffNameEmpty, family: inv},
		// "Feature disabled" (rate_get) is in the money block: one row per text.
		{text: "Empty prefix", err: ErrEmptyPrefix, family: inv},
		{text: "Prefix was not found", err: ErrPrefixNotFound, family: nf},
		{text: "Destination Group was not found", err: nf, family: nf},
		{text: "Rate was not found", err: ErrRateNotFound, family: nf},
		{text: "User belongs to ", err: ErrUserBelongsToReseller, prefix: true},
		{text: "No XML", err: ErrBadImportXML, family: inv},
		{text: "Bad XML data", err: ErrBadImportXML, family: inv},
		{text: "No tariff id", err: ErrTariffIDInvalid, family: inv},
		{text: "No tariff name", err: ErrTariffNameEmpty, family: inv},
		{text: "TARIFF with same name exists", err: ErrTariffNameTaken, family: ae, prefix: true},
		{text: "Tariff belongs to other user!", err: ErrTariffBelongsToOther},
		{text: "TARIFF NAME WITH THIS ID DO NOT MATCH", err: ErrTariffNameMismatch, prefix: true},
		{text: "No destinations!", err: ErrImportNoDestinations, family: inv},
	}},
	{"system", []errorText{
		{text: "Not authenticated", err: ErrBadLogin},
		{text: "Bad device", err: ErrDeviceNotFound, family: nf},
		{text: "No source", err: ErrCallbackNoSource, family: inv},
		{text: "Reseller not allowed to use Admin tariffs", err: na, family: na},
		{text: "No tariff", err: ErrTariffNotFound, family: nf},
		{text: "Bad tariff", err: ErrBadTariff, family: inv},
		{text: "PIN was not found", err: nf, family: nf},
		{text: "Server was not found", err: nf, family: nf},
		{text: "Cannot connect to Asterisk Server", err: ErrAsteriskUnavailable},
		{text: "Email not found", err: ErrEmailTemplateNotFound, family: nf},
		{text: "Your email not found", err: ErrSenderEmailNotFound, family: nf},
		{text: "E-mail has been disabled", err: ErrEmailDisabled},
		{text: "Email is empty ", err: ErrRecipientEmailEmpty, prefix: true},
		{text: "Incorrect Email settings", err: ErrEmailSettings},
		{text: "PBX Pool must have name", err: inv, family: inv},
		{text: "PBX Pool name must be unique", err: ErrPBXPoolNameTaken, family: ae},
		{text: "allow_api must be 0 or 1", err: inv, family: inv},
		{text: "api_secret_key length must be higher than 5", err: inv, family: inv},
		{text: "default_user_password_length must be between 6 and 30", err: inv, family: inv},
		{text: "default_user_credit must be positive number or -1 for infinity", err: inv, family: inv},
		{text: "default_user_balance must be number", err: inv, family: inv},
		{text: "default_user_credit must be positive integer", err: inv, family: inv},
		{text: "default_user_time_zone name was not correct", err: inv, family: inv},
		{text: "default_user_currency name was not correct", err: inv, family: inv},
		{text: "default_user_quickforwards_rule_id was not found", err: nf, family: nf},
		{text: "default_user_tariff_id was not found", err: ErrTariffNotFound, family: nf},
		{text: "default_device_location_id was not found", err: nf, family: nf},
		{text: "default_device_qualify can only be 'no' or >= 1000 integer", err: inv, family: inv},
	}},
	{"calls", []errorText{
		{text: "No Recordings found", err: ErrRecordingsNotFound, family: nf},
		{text: "Date from is incorrect format", err: inv, family: inv},
		{text: "Date till is incorrect format", err: inv, family: inv},
		{text: "Date from is greater than date till", err: inv, family: inv},
		{text: "Cannot connect to Elasticsearch", err: ErrStatsUnavailable},
	}},
}

// exactTexts and prefixTexts index errorGroups.
var exactTexts, prefixTexts = indexErrorTexts()

func indexErrorTexts() (map[string]*errorText, []*errorText) {
	exact := map[string]*errorText{}
	var prefixes []*errorText
	for g := range errorGroups {
		for i := range errorGroups[g].texts {
			e := &errorGroups[g].texts[i]
			if e.prefix {
				prefixes = append(prefixes, e)
			} else {
				exact[e.text] = e
			}
		}
	}
	return exact, prefixes
}

// lookupText returns the table row of one server message, or nil.
func lookupText(msg string) *errorText {
	msg = strings.TrimSpace(msg)
	if e, ok := exactTexts[msg]; ok {
		return e
	}
	for _, e := range prefixTexts {
		if strings.HasPrefix(msg, e.text) && len(msg) > len(e.text) && e.matchesRest(msg[len(e.text):]) {
			return e
		}
	}
	return nil
}

// matchesRest checks what follows a prefix where the text also has a fixed end.
func (e *errorText) matchesRest(rest string) bool {
	switch e.err {
	case ErrEmailTaken:
		return strings.HasSuffix(rest, " is already used")
	}
	return true
}

// familyFor returns the family of one server message: the table's, else the
// family its wording shows (so a text a newer server adds still matches
// ErrNotFound and the like), else nil.
func familyFor(msg string) error {
	if e := lookupText(msg); e != nil {
		return e.family
	}
	return wordingFamily(msg)
}

// wordingFamily is the family a text's wording shows, or nil.
func wordingFamily(msg string) error {
	m := strings.ToLower(strings.TrimSpace(msg))
	switch {
	case strings.HasSuffix(m, " not found"), strings.HasPrefix(m, "no ") && strings.HasSuffix(m, " found"):
		return ErrNotFound
	case strings.HasPrefix(m, "you are not authori"), strings.HasPrefix(m, "your are not authori"),
		strings.HasPrefix(m, "you do not have rights"):
		return ErrNotAuthorized
	case strings.Contains(m, " already exists"), strings.Contains(m, " is already taken"),
		strings.Contains(m, " has already been taken"), strings.HasSuffix(m, " must be unique"),
		strings.HasSuffix(m, " is already used"):
		return ErrAlreadyExists
	case strings.HasSuffix(m, " cannot be empty"), strings.Contains(m, " must be "), strings.HasPrefix(m, "please enter "),
		strings.HasSuffix(m, " invalid"), strings.HasSuffix(m, " is not valid"):
		return ErrInvalidParams
	}
	return nil
}
