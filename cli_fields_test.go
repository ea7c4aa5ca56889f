package mor

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The field-table stream reads every recorded device_clis_get reply (and the
// fuzz seeds' shapes) exactly as the hand-written decodeCLIs does.
func TestCLIRecordsMatchDecodeCLIs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "replies", "*.xml"))
	require.NoError(t, err)
	docs := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		docs[filepath.Base(f)] = b
	}
	docs["cli field before id"] = []byte(`<page><status><cli_cli>1</cli_cli><cli_id>1</cli_id></status></page>`)
	docs["bad id"] = []byte(`<page><status><cli_id>x</cli_id></status></page>`)
	docs["bad flag"] = []byte(`<page><status><cli_id>1</cli_id><cli_banned>yes</cli_banned></status></page>`)
	docs["wrapped"] = []byte(`<page><status><cli><cli_id>1</cli_id><cli_cli>5</cli_cli></cli><cli><cli_id>2</cli_id></cli></status></page>`)
	require.Greater(t, len(docs), 20)
	for name, doc := range docs {
		want, wantErr := decodeCLIs("device_clis_get", bytes.NewReader(doc))
		var got []CLI
		gotErr := decodeRecords("device_clis_get", bytes.NewReader(doc), cliRecords, func(c CLI) bool { got = append(got, c); return true })
		if wantErr != nil {
			assert.Error(t, gotErr, name)
			assert.Equal(t, errKind(wantErr), errKind(gotErr), "%s: %v vs %v", name, wantErr, gotErr)
			continue
		}
		require.NoError(t, gotErr, name)
		if len(want) == 0 {
			assert.Empty(t, got, name)
			continue
		}
		assert.Equal(t, want, got, name)
	}
}

func errKind(err error) string {
	switch err.(type) {
	case *APIError:
		return "api"
	case *ParseError:
		return "parse"
	}
	return strings.SplitN(err.Error(), ":", 2)[0]
}
