package mor

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The registry's Calls and the services' exported methods are the same set:
// every typed call is registered under exactly one action, and every
// registered call exists.
func TestTypedCallsMatchServices(t *testing.T) {
	c, err := NewClient("https://mor.example.com/billing", "admin", "secret")
	require.NoError(t, err)
	cv := reflect.ValueOf(c).Elem()
	ct := cv.Type()

	have := map[string]bool{} // "Service.Method" of every exported service method
	for i := range ct.NumField() {
		f := ct.Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer || !strings.HasSuffix(f.Type.Elem().Name(), "Service") {
			continue
		}
		for j := range f.Type.NumMethod() {
			have[f.Name+"."+f.Type.Method(j).Name] = true
		}
	}
	require.NotEmpty(t, have)

	registered := map[string]string{} // call → action
	for _, m := range Methods() {
		if m.Name != m.Action {
			assert.Equal(t, typedCalls[m.Action], m.Calls, "alias %s lists its action's calls", m.Name)
			continue
		}
		for _, call := range m.Calls {
			if prev, dup := registered[call]; dup {
				t.Errorf("%s is registered for both %s and %s", call, prev, m.Action)
			}
			registered[call] = m.Action
			assert.True(t, have[call], "registry names %s for %s, but no service has it", call, m.Action)
		}
	}
	for call := range have {
		_, ok := registered[call]
		assert.True(t, ok, "%s is a typed call that no registry entry names", call)
	}
	for action := range typedCalls {
		m, ok := LookupMethod(action)
		assert.True(t, ok && m.Action == action, "typedCalls key %s is not an action", action)
	}
	assert.True(t, slices.Equal([]string{"CLIs.List", "CLIs.All"}, typedCalls["device_clis_get"]))
}
