package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

func TestUsageErrorsExit2(t *testing.T) {
	f := newFake(t)
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"unknown command", f.env(), []string{"bogus"}, `unknown command "bogus"`},
		{"unknown flag", f.env(), []string{"cli", "list", "--nope"}, "unknown flag: --nope"},
		{"required flag", f.env(), []string{"cli", "add", "--number", "1"}, `"device" not set`},
		{"number or domain", f.env(), []string{"cli", "add", "--device", "2"}, "[number cli domain] is required"},
		{"both number and domain", f.env(), []string{"cli", "add", "--device", "2", "--number", "1", "--domain", "d"}, "group [number domain] are set none of the others can be"},
		{"bad output", f.env(), []string{"cli", "list", "-o", "yaml"}, "--output must be table, json or csv"},
		{"no method", f.env(), []string{"call"}, "missing METHOD"},
		{"not key=value", f.env(), []string{"call", "cli_info_get", "cli"}, `"cli" is not key=value`},
		{"reserved param", f.env(), []string{"call", "cli_info_get", "u=x"}, "invalid u"},
		{"not numeric, caught locally", f.env(), []string{"cli", "add", "--device", "2", "--number", "abc"}, "CLI must be numeric"},
		{"not configured", cleanEnv(), []string{"cli", "list"}, "not configured: set --url or MOR_URL; --username or MOR_USER; --secret"},
		{"secret and secret file", f.env(), []string{"--secret", "a", "--secret-file", "b", "cli", "list"}, "not both"},
		{"missing secret file", f.env(), []string{"--secret-file", "/nonexistent/secret", "cli", "list"}, "--secret-file"},
		{"hash without secret", cleanEnv(), []string{"hash", "cli_add"}, "no secret"},
		{"bad url", append(cleanEnv(), "MOR_URL=ftp://x", "MOR_USER=admin", "MOR_SECRET=s"), []string{"cli", "list"}, "scheme must be http or https"},
		{"import without file", f.env(), []string{"import"}, `"file" not set`},
		{"import bad rate", f.env(), []string{"import", "-f", "x.csv", "--rate", "fast"}, "--rate"},
		{"fake-server bad wire", cleanEnv(), []string{"fake-server", "--wire", "smoke"}, "--wire must be one of plain, gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runMor(t, tt.env, tt.args...)
			assert.Equal(t, exitUsage, r.code, "stderr: %s", r.stderr)
			assert.Contains(t, r.stderr, tt.want)
			assert.Contains(t, r.stderr, "--help' for usage.")
			assert.Empty(t, r.stdout)
		})
	}
}

func TestCLICommands(t *testing.T) {
	f := newFake(t)
	env := f.env()

	r := runMor(t, env, "cli", "add", "--device", "2", "--number", "37060001", "--description", "desk", "--comment", "from test")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "CLI 37060001 added to device 2\n", r.stdout)
	c, ok := f.CLI("37060001")
	require.True(t, ok)
	assert.Equal(t, int64(2), c.DeviceID)
	assert.Equal(t, "from test", c.Comment)

	t.Run("add twice: server text and a hint", func(t *testing.T) {
		r := runMor(t, env, "cli", "add", "--device", "2", "--number", "37060001")
		assert.Equal(t, exitError, r.code)
		assert.Empty(t, r.stdout)
		assert.Contains(t, r.stderr, "mor: cli_add: CLI already exists. It is assigned to Test User #1 device\n")
		assert.Contains(t, r.stderr, "hint: see where it is: mor cli info --number 37060001")
	})
	t.Run("add with options", func(t *testing.T) {
		r := runMor(t, env, "cli", "add", "--device", "2", "--number", "37060002", "--banned", "--ivr", "2")
		require.Equal(t, 0, r.code, r.stderr)
		c, ok := f.CLI("37060002")
		require.True(t, ok)
		assert.Equal(t, int64(1), c.Banned)
		require.NotNil(t, c.IVRID)
		assert.Equal(t, int64(2), *c.IVRID)
	})
	t.Run("add to a missing device", func(t *testing.T) {
		r := runMor(t, env, "cli", "add", "--device", "999", "--number", "37060003")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: cli_add: Device was not found\n")
		assert.Contains(t, r.stderr, "hint: check the device id")
	})
	t.Run("info", func(t *testing.T) {
		r := runMor(t, env, "cli", "info", "--cli", "37060001")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "cli:       37060001\ndevice_id: 2\nuser_id:   2\n", r.stdout)
		r = runMor(t, env, "cli", "info", "--cli", "37060001", "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
		assert.JSONEq(t, `{"cli":"37060001","device_id":2,"user_id":2}`, r.stdout)
	})
	t.Run("info: the admin cannot see a reseller user's CLI", func(t *testing.T) {
		r := runMor(t, env, "cli", "info", "--cli", "987654")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: cli_info_get: CLI not found\n")
		assert.Contains(t, r.stderr, "not those of resellers' users")
	})
	t.Run("list table", func(t *testing.T) {
		r := runMor(t, env, "cli", "list", "--device", "2")
		require.Equal(t, 0, r.code, r.stderr)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		require.Len(t, lines, 4)
		assert.Regexp(t, `^ID\s+NUMBER\s+DEVICE\s+DESCRIPTION\s+COMMENT\s+IVR\s+BANNED\s+ADDED$`, lines[0])
		assert.Regexp(t, `^1\s+123456\s+IAX2/101\s+0\s+2018-02-01T10:00:00`, lines[1])
		assert.Regexp(t, `^\d+\s+37060001\s+IAX2/101\s+desk\s+from test\s+0\s+20`, lines[2])
	})
	t.Run("list json", func(t *testing.T) {
		r := runMor(t, env, "cli", "list", "--user", "5", "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
		var got []map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
		require.Len(t, got, 1)
		assert.Equal(t, "987654", got[0]["number"])
		assert.Equal(t, "IAX2/105", got[0]["device"])
		assert.Equal(t, false, got[0]["banned"])
	})
	t.Run("list csv, everything", func(t *testing.T) {
		r := runMor(t, env, "cli", "list", "-o", "csv")
		require.Equal(t, 0, r.code, r.stderr)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		assert.Equal(t, "id,number,domain,device,description,comment,ivr,banned,email_callback,added_at,updated_at", lines[0])
		assert.Len(t, lines, 1+5)
		assert.Contains(t, r.stdout, ",37060002,,IAX2/101,,,IVR 2,1,0,")
	})
	t.Run("list: unknown user", func(t *testing.T) {
		r := runMor(t, env, "cli", "list", "--user", "77")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "User was not found")
	})
	t.Run("delete", func(t *testing.T) {
		r := runMor(t, env, "cli", "delete", "--number", "37060001")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "CLI 37060001 deleted\n", r.stdout)
		_, ok := f.CLI("37060001")
		assert.False(t, ok)
		r = runMor(t, env, "cli", "delete", "--number", "37060001")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: cli_delete: CLI was not found\n")
	})
	t.Run("a simple user is refused", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=user_admin"), "cli", "delete", "--number", "123456")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "Access Denied")
		assert.Contains(t, r.stderr, "hint: check --username")
	})
}

func TestCall(t *testing.T) {
	f := newFake(t)
	env := f.env()
	t.Run("xml", func(t *testing.T) {
		r := runMor(t, env, "call", "cli_info_get", "cli=123456")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?>
<page>
  <cli>
    <device>
      <user_id>2</user_id>
      <device_id>2</device_id>
    </device>
  </cli>
</page>
`, r.stdout)
	})
	t.Run("json: the SDK's records for typed methods", func(t *testing.T) {
		r := runMor(t, env, "call", "cli_add", "device_id=2", "cli_number=555000", "--output", "json")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "{\n  \"success\": true\n}\n", r.stdout)
		r = runMor(t, env, "call", "device_clis_get", "devices_id=2", "--output", "json")
		require.Equal(t, 0, r.code, r.stderr)
		list := runMor(t, env, "cli", "list", "--device", "2", "-o", "json")
		require.Equal(t, 0, list.code, list.stderr)
		assert.Equal(t, list.stdout, r.stdout, "same records as mor cli list")
		var got []map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
		require.Len(t, got, 2)
		assert.Equal(t, "123456", got[0]["number"])
		assert.Equal(t, "555000", got[1]["number"])
		assert.Equal(t, "IAX2/101", got[1]["device"])
		r = runMor(t, env, "call", "cli_info_get", "cli=555000", "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
		assert.JSONEq(t, `{"cli":"555000","device_id":2,"user_id":2}`, r.stdout)
		r = runMor(t, env, "call", "cli_delete", "cli_number=555000", "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
		assert.JSONEq(t, `{"success":true}`, r.stdout)
	})
	t.Run("an error reply", func(t *testing.T) {
		r := runMor(t, env, "call", "cli_info_get", "cli=000")
		assert.Equal(t, exitError, r.code)
		assert.Equal(t, "mor: cli_info_get: CLI not found\n", strings.SplitAfter(r.stderr, "\n")[0])
	})
	t.Run("unknown method", func(t *testing.T) {
		r := runMor(t, env, "call", "no_such_method")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "There is no such API")
		assert.Contains(t, r.stderr, "hint: check the method name")
	})
}

// TestIncorrectHashExplained is the "Incorrect hash" guessing game ended:
// the wrong secret is refused, the hint names mor hash --explain, and the
// explanation shows what is hashed without ever showing a secret.
func TestIncorrectHashExplained(t *testing.T) {
	f := newFake(t)
	const serverSecret, wrongSecret = "srv-s3cr3t-42", "old-s3cr3t-17"
	f.SetSettings(0, mortest.Settings{AllowAPI: true, Secret: serverSecret})

	r := runMor(t, f.env("MOR_SECRET="+wrongSecret), "cli", "add", "--device", "2", "--number", "37061234", "--comment", "hi")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "mor: cli_add: Incorrect hash\n")
	const explain = "mor hash --explain cli_add banned=0 cli_number=37061234 comment=hi device_id=2"
	assert.Contains(t, r.stderr, "hint: see exactly what is hashed: "+explain)
	assert.NotContains(t, r.stderr, wrongSecret)

	args := strings.Fields(explain)[1:]
	r = runMor(t, f.env("MOR_SECRET="+wrongSecret), args...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "method:    cli_add\n")
	assert.Contains(t, r.stdout, "rule:      global:")
	assert.Regexp(t, `hashed, in order:\n  1\.\s+device_id\s+"2"\n  2\.\s+cli_number\s+"37061234"\n`, r.stdout)
	assert.Regexp(t, `sent but not hashed:\n  banned\s+"0"\s+not in the server's global hash order\n  comment\s+"hi"\s+not in the server's global hash order\n  u\s+"admin"\s+not in the server's global hash order\n`, r.stdout)
	assert.Contains(t, r.stdout, "pre-image: 237061234<secret>\n")
	params := url.Values{"device_id": {"2"}, "cli_number": {"37061234"}, "comment": {"hi"}, "banned": {"0"}, "u": {"admin"}}
	wrongHash := mor.Hash("cli_add", params, wrongSecret)
	assert.Contains(t, r.stdout, "hash:      "+wrongHash+"\n")
	assert.NotContains(t, r.stdout, wrongSecret)

	// With the server's secret the hash differs, and the call goes through.
	r = runMor(t, f.env("MOR_SECRET="+serverSecret), args...)
	require.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "hash:      "+mor.Hash("cli_add", params, serverSecret)+"\n")
	assert.NotContains(t, r.stdout, serverSecret)
	r = runMor(t, f.env("MOR_SECRET="+serverSecret), "cli", "add", "--device", "2", "--number", "37061234", "--comment", "hi")
	assert.Equal(t, 0, r.code, r.stderr)
}

func TestHash(t *testing.T) {
	env := append(cleanEnv(), "MOR_SECRET=secret")
	t.Run("spec golden vectors", func(t *testing.T) {
		for _, v := range []struct {
			args []string
			want string
		}{
			{[]string{"cli_add", "device_id=2", "cli_number=abc"}, "2a566cef7a150ec60e0b49f5ba46a09681504583"},
			{[]string{"cli_add", "user_id=2", "device_id=2", "cli_number=123467", "comment=x", "ivr_id=2"}, "d00f619cda5b497d9e16a2d9e03749b4a7ee23e4"},
			{[]string{"cli_delete", "cli_number=381372"}, "e588af702676fc48f73f52a61a61e5974b2ce90a"},
			{[]string{"cli_info_get", "cli=123456"}, "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
		} {
			r := runMor(t, env, append([]string{"hash"}, v.args...)...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, v.want+"\n", r.stdout, v.args)
		}
	})
	t.Run("explain: normalisation, filters, quirks", func(t *testing.T) {
		r := runMor(t, env, "hash", "--explain", "cli_get_info", "cli=1", "user_id=007", "device_callerid=x", "s_user=abc")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stdout, "method:    cli_info_get\n           (cli_get_info is an alias route of cli_info_get)\n")
		assert.Regexp(t, `1\.\s+user_id\s+"7"\s+\(sent "007", normalised to an integer\)`, r.stdout)
		assert.Regexp(t, `device_callerid\s+"x"\s+collected by the server but the order lists the misspelling`, r.stdout)
		assert.Regexp(t, `s_user\s+"abc"\s+filter dropped it`, r.stdout)
		assert.Contains(t, r.stdout, "pre-image: 7<secret>\n")
	})
	t.Run("explain: fixed rule; the password is never shown", func(t *testing.T) {
		r := runMor(t, append(env, "MOR_USER=admin", "MOR_PASSWORD=pw-Zq9-long"), "hash", "--explain", "users_get")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stdout, "rule:      fixed: users_get hashes a fixed key list")
		assert.Regexp(t, `1\.\s+u\s+"admin"\n  2\.\s+p\s+<password>\n`, r.stdout)
		assert.Contains(t, r.stdout, "pre-image: admin<password><secret>\n")
		assert.NotContains(t, r.stdout, "pw-Zq9-long")
		want := mor.Hash("users_get", url.Values{"u": {"admin"}, "p": {"pw-Zq9-long"}}, "secret")
		assert.Contains(t, r.stdout, "hash:      "+want+"\n")
	})
	t.Run("explain without a secret", func(t *testing.T) {
		r := runMor(t, cleanEnv(), "hash", "--explain", "cli_delete", "cli_number=1")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stdout, "hash:      (no secret configured")
	})
	t.Run("secret file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "secret")
		require.NoError(t, os.WriteFile(path, []byte("secret\n"), 0o600))
		r := runMor(t, cleanEnv(), "hash", "--secret-file", path, "cli_info_get")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4\n", r.stdout)
	})
}

// TestSecretsNeverPrinted: not in help (env values are not flag defaults),
// not in verbose logs, not in errors.
func TestSecretsNeverPrinted(t *testing.T) {
	f := newFake(t)
	const secret, password = "Zx-very-secret-91", "Pw-very-private-37"
	f.SetSettings(0, mortest.Settings{AllowAPI: true, Secret: secret})
	env := f.env("MOR_SECRET="+secret, "MOR_PASSWORD="+password)
	hash := mor.Hash("cli_info_get", url.Values{"u": {"admin"}, "p": {password}, "cli": {"123456"}}, secret)
	runs := [][]string{
		{"--help"}, {"cli", "add", "--help"}, {"import", "--help"}, {"hash", "--help"},
		{"-v", "cli", "info", "--cli", "123456"},
		{"--verbose", "call", "cli_info_get", "cli=123456", "-o", "json"},
		{"-v", "cli", "add", "--device", "2", "--number", "x1"},
		{"-v", "cli", "list"},
		{"hash", "--explain", "cli_info_get", "cli=123456"},
	}
	for _, args := range runs {
		r := runMor(t, env, args...)
		for _, s := range []string{secret, password} {
			assert.NotContains(t, r.stdout+r.stderr, s, args)
		}
		if args[0] != "hash" {
			assert.NotContains(t, r.stdout+r.stderr, hash, args)
		}
	}
	r := runMor(t, env, "-v", "cli", "info", "--cli", "123456")
	require.Equal(t, 0, r.code)
	assert.Contains(t, r.stderr, "mor request")
	assert.Contains(t, r.stderr, "params.p=[redacted]")
}

func TestFakeServer(t *testing.T) {
	p := startFakeServer(t)
	out := p.out.String()
	assert.Contains(t, out, "mortest fake MOR server (seed spec, wire plain)\n")
	assert.Regexp(t, `URL:    http://127\.0\.0\.1:\d+/billing\n`, out)
	assert.Contains(t, out, "secret: secret\n")
	assert.Regexp(t, `\n  0\s+admin\s+admin\s+0\s+yes\s+5 \(IAX2/ipauth0000000005\)\n`, out)
	assert.Regexp(t, `\n  5\s+user_reseller\s+user\s+3\s+no \(Access Denied\)\s+7 \(IAX2/105\)\n`, out)

	env := append(cleanEnv(), "MOR_URL="+p.base, "MOR_USER=admin", "MOR_SECRET=secret")
	r := runMor(t, env, "cli", "add", "--device", "2", "--number", "4242")
	require.Equal(t, 0, r.code, r.stderr)
	r = runMor(t, env, "cli", "list", "-o", "csv")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, ",4242,,IAX2/101,")

	assert.Equal(t, 0, interrupt(t, p.cmd))
	<-p.eof
	assert.Contains(t, p.out.String(), "\nstopped\n")

	t.Run("gzip wire, empty seed", func(t *testing.T) {
		p := startFakeServer(t, "--wire", "gzip", "--seed", "empty")
		assert.Contains(t, p.out.String(), "(seed empty, wire gzip)")
		env := append(cleanEnv(), "MOR_URL="+p.base, "MOR_USER=admin", "MOR_SECRET=secret")
		r := runMor(t, env, "cli", "list") // "CLIs were not found" is an empty list
		require.Equal(t, 0, r.code, r.stderr)
		assert.Regexp(t, `^ID\s+NUMBER.*\n$`, r.stdout)
		r = runMor(t, env, "call", "cli_info_get", "cli=1")
		assert.Contains(t, r.stderr, "CLI not found")
		require.NoError(t, p.cmd.Process.Signal(os.Interrupt))
	})
	t.Run("html wire", func(t *testing.T) {
		p := startFakeServer(t, "--wire", "html")
		env := append(cleanEnv(), "MOR_URL="+p.base, "MOR_USER=admin", "MOR_SECRET=secret")
		r := runMor(t, env, "cli", "info", "--cli", "123456")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stdout, "device_id: 2")
	})
}
