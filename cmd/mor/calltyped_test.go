package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	mor "github.com/morbilling/mor-go"
)

// Every action the SDK types prints typed JSON from mor call, or is listed,
// with its reason, among the few that stay generic: a newly typed method
// cannot be forgotten.
func TestCallTypedJSONCoversEveryTypedAction(t *testing.T) {
	actions := typedActions()
	assert.NotEmpty(t, actions)
	for _, a := range actions {
		_, typed := typedJSON[a]
		_, generic := genericJSON[a]
		assert.True(t, typed || generic, "mor call -o json has no typed printer for %s and it is not in genericJSON", a)
		assert.False(t, typed && generic, "%s is both typed and in genericJSON", a)
	}
	for a, why := range genericJSON {
		m, ok := mor.LookupMethod(a)
		assert.True(t, ok && len(m.Calls) > 0, "genericJSON lists %s, which the SDK does not type", a)
		assert.NotEmpty(t, why, "genericJSON %s gives no reason", a)
	}
	for a := range typedJSON {
		m, ok := mor.LookupMethod(a)
		assert.True(t, ok && len(m.Calls) > 0 && m.Action == a, "typedJSON has %s, not a typed action", a)
	}
}
