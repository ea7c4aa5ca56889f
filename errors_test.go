package mor

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every error string of spec §§2, 5–8 (and the wiki's variants, §10) maps to
// its sentinel, and only to it.
func TestEveryServerStringHasItsSentinel(t *testing.T) {
	all := []error{ErrAccessDenied, ErrBadLogin, ErrIncorrectHash, ErrNoSecretKey, ErrAPIDisabled, ErrGETDisabled,
		ErrNoSuchAPI, ErrNotAuthorized, ErrCLINotNumeric, ErrCLIExists, ErrCLIEmpty, ErrDeviceIDEmpty, ErrDeviceNotFound,
		ErrDeviceUserNotFound, ErrIVRNotFound, ErrCLINotFound, ErrCLIsNotFound, ErrUserNotFound, ErrCLIIsDeviceCID}
	tests := map[string]error{
		"Access Denied":                                             ErrAccessDenied,
		"Bad login":                                                 ErrBadLogin,
		"Incorrect hash":                                            ErrIncorrectHash,
		"API must have Secret Key":                                  ErrNoSecretKey,
		"API Requests are disabled":                                 ErrAPIDisabled,
		"GET Requests are disabled":                                 ErrGETDisabled,
		"There is no such API":                                      ErrNoSuchAPI,
		"You are not authorized to view this page":                  ErrNotAuthorized,
		"You are not authorized to use this functionality":          ErrNotAuthorized,
		"You are not authorised to use this functionality":          ErrNotAuthorized,
		"You do not have rights to edit this":                       ErrNotAuthorized,
		"CLI must be numeric":                                       ErrCLINotNumeric,
		"CLI is not a number":                                       ErrCLINotNumeric,
		"CLI already exists":                                        ErrCLIExists,
		"CLI already exists. It is assigned to Test User #1 device": ErrCLIExists,
		"CLI already exists. It is assigned to reseller  device":    ErrCLIExists,
		"CLI Number cannot be empty":                                ErrCLIEmpty,
		"CLI is empty":                                              ErrCLIEmpty,
		"CLI must be provided":                                      ErrCLIEmpty,
		"Device ID cannot be empty":                                 ErrDeviceIDEmpty,
		"User device must be provided":                              ErrDeviceIDEmpty,
		"Device was not found":                                      ErrDeviceNotFound,
		"Device not found":                                          ErrDeviceNotFound,
		"Device user not found":                                     ErrDeviceUserNotFound,
		"IVR was not found":                                         ErrIVRNotFound,
		"CLI was not found":                                         ErrCLINotFound,
		"CLI not found":                                             ErrCLINotFound,
		"CLIs were not found":                                       ErrCLIsNotFound,
		"User was not found":                                        ErrUserNotFound,
		"Device CID is assigned to Device":                          ErrCLIIsDeviceCID,
		"  Incorrect hash\n":                                        ErrIncorrectHash,
	}
	for msg, want := range tests {
		err := error(newAPIError("m", []string{msg}))
		for _, s := range all {
			assert.Equal(t, s == want, errors.Is(err, s), "%q vs %v", msg, s)
		}
	}
	unknown := newAPIError("m", []string{"incorrect HASH"})
	for _, s := range all {
		assert.NotErrorIs(t, unknown, s)
	}
	assert.False(t, unknown.Known())
}

func TestAPIErrorOwner(t *testing.T) {
	assert.Equal(t, "Test User #1", newAPIError("cli_add", []string{"CLI already exists. It is assigned to Test User #1 device"}).Owner)
	// A missing last name leaves a trailing space (spec §5.3): kept verbatim.
	assert.Equal(t, "Jonas ", newAPIError("cli_add", []string{"CLI already exists. It is assigned to Jonas  device"}).Owner)
	assert.Empty(t, newAPIError("cli_add", []string{"CLI already exists"}).Owner)
}

func TestErrorStrings(t *testing.T) {
	assert.Equal(t, "mor: cli_add: CLI must be numeric", newAPIError("cli_add", []string{"CLI must be numeric"}).Error())
	ve := &ValidationError{Method: "cli_add", Field: "cli_number", Err: ErrCLINotNumeric}
	assert.Equal(t, "mor: cli_add: invalid cli_number: CLI must be numeric", ve.Error())
	he := &HTTPError{Method: "cli_add", StatusCode: 502, Status: "502 Bad Gateway", Snippet: "oops"}
	assert.Equal(t, "mor: cli_add: HTTP 502 Bad Gateway: oops", he.Error())
	pe := &ParseError{Method: "cli_add", Reason: "malformed XML", Snippet: "<x"}
	assert.Equal(t, `mor: cli_add: cannot decode reply: malformed XML (body starts "<x")`, pe.Error())
}
