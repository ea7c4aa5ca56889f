package mor

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allTableSentinels is every sentinel and family the table uses.
func allTableSentinels() []error {
	seen := map[error]bool{}
	var all []error
	for _, g := range errorGroups {
		for _, e := range g.texts {
			for _, s := range []error{e.err, e.family} {
				if s != nil && !seen[s] {
					seen[s] = true
					all = append(all, s)
				}
			}
		}
	}
	return all
}

// sample turns a table row into a text the server sends.
func sample(e errorText) string {
	if !e.prefix {
		return e.text
	}
	switch e.err {
	case ErrEmailTaken:
		return e.text + "x@y.example is already used"
	}
	return e.text + "X"
}

// Every text in the table matches its sentinel and its family, and no other
// sentinel; the families are what the wording says.
func TestErrorTableSentinelsAndFamilies(t *testing.T) {
	all := allTableSentinels()
	require.Greater(t, len(all), 40)
	texts := 0
	for _, g := range errorGroups {
		for _, e := range g.texts {
			msg := sample(e)
			texts++
			require.NotNil(t, e.err, "%s: %q has no sentinel", g.domain, msg)
			err := error(newAPIError("m", []string{msg}))
			for _, s := range all {
				want := s == e.err || s == e.family
				assert.Equal(t, want, errors.Is(err, s), "%s: %q vs %v", g.domain, msg, s)
			}
			assert.True(t, newAPIError("m", []string{msg}).Known(), msg)
			// The wording rules never contradict the table, so a new text
			// of the same kind lands in the same family.
			if w := wordingFamily(msg); w != nil {
				assert.Equal(t, e.family, w, "%s: %q: table family differs from its wording", g.domain, msg)
			}
		}
	}
	assert.Greater(t, texts, 100)
}

func TestUnknownTextsMatchOnlyTheirWording(t *testing.T) {
	all := allTableSentinels()
	for msg, family := range map[string]error{
		"Something odd happened":                nil,
		"incorrect HASH":                        nil,
		"Invoice was not found":                 ErrNotFound,
		"No Tariffs found":                      ErrNotFound,
		"You are not authorized to do that now": ErrNotAuthorized,
		"Card already exists":                   ErrAlreadyExists,
		"Card number cannot be empty":           ErrInvalidParams,
		"Email x@y.example is not used":         nil, // the Email prefix needs its fixed end
	} {
		e := newAPIError("m", []string{msg})
		var err error = e
		for _, s := range all {
			assert.Equal(t, s == family, errors.Is(err, s), "%q vs %v", msg, s)
		}
		assert.Equal(t, msg, e.Message, "the server's text stays verbatim")
		var ae *APIError
		assert.True(t, errors.As(err, &ae))
		assert.ErrorIs(t, err, e)
	}
}

// Several messages: each one's sentinel and family match.
func TestErrorTableSeveralMessages(t *testing.T) {
	err := error(newAPIError("device_create", []string{"Device was not created", "Device must have name"}))
	assert.ErrorIs(t, err, ErrDeviceNotCreated)
	assert.ErrorIs(t, err, ErrInvalidParams)
	assert.NotErrorIs(t, err, ErrNotFound)
}
