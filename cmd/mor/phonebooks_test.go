package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// seedPhonebook stores a global record of the admin, two of user 2 (one
// with a name that must not reach a terminal as is), one of user 5 and one of a
// calling card.
func seedPhonebook(f *fake) {
	for _, r := range []mortest.Phonebook{
		{ID: 1, UserID: 0, Name: "Bob", Number: "5432", Speeddial: "32"},
		{ID: 2, UserID: 2, Name: "Reception", Number: "100", Speeddial: "10"},
		{ID: 3, UserID: 2, Name: "alice\u202e\n, \"desk\"", Number: "37060000001", Speeddial: "11"},
		{ID: 4, UserID: 5, Name: "Carol", Number: "200", Speeddial: "20"},
		{ID: 5, UserID: 0, Name: "Card", Number: "300", Speeddial: "30", CardID: 7},
	} {
		f.AddPhonebook(r)
	}
}

func TestPhonebookList(t *testing.T) {
	f := newFake(t)
	seedPhonebook(f)
	t.Run("table, the caller's own", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=user_admin"), "phonebook", "list")
		require.Equal(t, 0, r.code, r.stderr)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		require.Len(t, lines, 4)
		assert.Regexp(t, `^ID\s+SPEED DIAL\s+NUMBER\s+NAME$`, lines[0])
		assert.Regexp(t, `^3\s+11\s+37060000001\s+"alice\\u202e\\n, \\"desk\\""$`, lines[1], "server text escaped")
		assert.Regexp(t, `^1\s+32\s+5432\s+Bob$`, lines[2])
		assert.Regexp(t, `^2\s+10\s+100\s+Reception$`, lines[3])
		assert.NotContains(t, r.stdout, "\u202e")
	})
	t.Run("json, a user of the admin", func(t *testing.T) {
		r := runMor(t, f.env(), "phonebook", "list", "--user", "2", "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
		var got []map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
		require.Len(t, got, 3)
		assert.Equal(t, map[string]any{"id": 3.0, "name": "alice\u202e\n, \"desk\"", "number": "37060000001", "speed_dial": "11"}, got[0])
	})
	t.Run("csv, a reseller's user", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=reseller"), "phonebook", "list", "--user", "5", "-o", "csv")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "id,name,number,speed_dial\n1,Bob,5432,32\n4,Carol,200,20\n", r.stdout)
	})
	t.Run("admin, user 0", func(t *testing.T) {
		r := runMor(t, f.env(), "phonebook", "list", "--user", "0", "-o", "csv")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "id,name,number,speed_dial\n1,Bob,5432,32\n", r.stdout)
	})
	t.Run("accountant", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=accountant"), "phonebook", "list", "--user", "2", "-o", "csv")
		require.Equal(t, 0, r.code, r.stderr)
		recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		require.NoError(t, err)
		require.Len(t, recs, 4)
		assert.Equal(t, []string{"3", "alice\u202e\n, \"desk\"", "37060000001", "11"}, recs[1], "CSV keeps the value")
	})
	t.Run("a user the caller does not own", func(t *testing.T) {
		r := runMor(t, f.env(), "phonebook", "list", "--user", "5")
		assert.Equal(t, exitError, r.code)
		assert.Empty(t, r.stdout)
		assert.Contains(t, r.stderr, "mor: phonebooks_get: User was not found\n")
		assert.Contains(t, r.stderr, "hint: check --user")
	})
	t.Run("unknown caller", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=ghost"), "phonebook", "list")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: phonebooks_get: Bad login\n")
		assert.Contains(t, r.stderr, "hint: check --username")
	})
	t.Run("empty", func(t *testing.T) {
		g := newFake(t)
		r := runMor(t, g.env(), "phonebook", "list", "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "[]\n", r.stdout)
		r = runMor(t, g.env(), "phonebook", "list")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Regexp(t, `^ID\s+SPEED DIAL\s+NUMBER\s+NAME\n$`, r.stdout)
	})
}

func TestPhonebookCreate(t *testing.T) {
	f := newFake(t)
	seedPhonebook(f)
	t.Run("a user for itself", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=user_admin"), "phonebook", "create", "--user", "2", "--name", "Dave",
			"--number", "600", "--speed-dial", "60")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "record 6 added: speed dial 60 dials 600 (Dave); it belongs to user_admin\n", r.stdout)
		assert.Empty(t, r.stderr)
		rec, ok := f.Phonebook(6)
		require.True(t, ok)
		assert.Equal(t, int64(2), rec.UserID)
	})
	t.Run("the admin for user 2: the admin's, global", func(t *testing.T) {
		r := runMor(t, f.env(), "phonebook", "create", "--user", "2", "--name", "Eve", "--number", "700",
			"--speeddial", "70", "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
		assert.JSONEq(t, `{"id":7,"name":"Eve","number":"700","speed_dial":"70"}`, r.stdout)
		rec, ok := f.Phonebook(7)
		require.True(t, ok)
		assert.Equal(t, int64(0), rec.UserID)
	})
	t.Run("speed dial shared with a global record: added, id not known", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=user_admin"), "phonebook", "create", "--user", "2", "--name", "Bob too",
			"--number", "5433", "--speed-dial", "32")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "record added: speed dial 32 dials 5433 (Bob too); it belongs to user_admin\n", r.stdout)
		assert.Contains(t, r.stderr, "mor: warning: the record was added, but its id could not be read back")
		assert.Contains(t, r.stderr, "records 1, 8 have speed dial")
		assert.Len(t, f.Phonebooks(), 8)
	})
	t.Run("taken", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=user_admin"), "phonebook", "create", "--user", "2", "--name", "X",
			"--number", "1", "--speed-dial", "10")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: phonebook_record_create: Speed dial must be unique\n")
		assert.Contains(t, r.stderr, "hint: the caller already has a record with this speed dial")
	})
	t.Run("a reseller may not", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=reseller"), "phonebook", "create", "--user", "5", "--name", "X",
			"--number", "1", "--speed-dial", "90")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: phonebook_record_create: Access Denied\n")
		assert.Contains(t, r.stderr, "hint: only the admin and simple users may create and delete records")
		assert.NotContains(t, r.stderr, "simple users may not use")
	})
	t.Run("missing user", func(t *testing.T) {
		r := runMor(t, f.env(), "phonebook", "create", "--user", "99", "--name", "X", "--number", "1", "--speed-dial", "91")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: phonebook_record_create: User was not found\n")
	})
	t.Run("wrong secret: the general hash hints", func(t *testing.T) {
		r := runMor(t, f.env("MOR_SECRET=wrong"), "phonebook", "create", "--user", "0", "--name", "X", "--number", "1",
			"--speed-dial", "92")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: phonebook_record_create: Incorrect hash\n")
		assert.Contains(t, r.stderr, "hint: see exactly what is hashed: mor hash --explain phonebook_record_create name=X number=1 speeddial=92 user_id=0")
	})
}

func TestPhonebookEdit(t *testing.T) {
	f := newFake(t)
	seedPhonebook(f)
	t.Run("own record, checked", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=user_admin"), "phonebook", "edit", "--id", "2", "--name", "Front desk", "--number", "101")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "record 2 saved\n", r.stdout)
		assert.Empty(t, r.stderr)
		rec, _ := f.Phonebook(2)
		assert.Equal(t, "Front desk", rec.Name)
		assert.Equal(t, "101", rec.Number)
	})
	t.Run("speed dial taken: MOR says saved, mor says not", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=user_admin"), "phonebook", "edit", "--id", "2", "--speed-dial", "11")
		assert.Equal(t, exitError, r.code)
		assert.Empty(t, r.stdout)
		assert.Contains(t, r.stderr, `mor: phonebook_edit: MOR answered "Phonebook saved" but record 2 still reads speed dial "10" (sent "11"): the speed dial is probably used by another record`+"\n")
		assert.Contains(t, r.stderr, "hint: choose another speed dial")
		rec, _ := f.Phonebook(2)
		assert.Equal(t, "10", rec.Speeddial)
	})
	t.Run("--no-verify", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=user_admin"), "phonebook", "edit", "--id", "2", "--speed-dial", "11", "--no-verify")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "record 2 saved (not checked)\n", r.stdout)
	})
	t.Run("admin on a user's record: not in its own phonebook", func(t *testing.T) {
		r := runMor(t, f.env(), "phonebook", "edit", "--id", "2", "--name", "Lobby")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "record 2 saved\n", r.stdout)
		assert.Contains(t, r.stderr, "mor: warning: record 2 is not in the phonebook read back")
	})
	t.Run("admin on a user's record, checked with --user", func(t *testing.T) {
		r := runMor(t, f.env(), "phonebook", "edit", "--id", "2", "--name", "Hall", "--user", "2")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "record 2 saved\n", r.stdout)
		assert.Empty(t, r.stderr)
	})
	t.Run("a user on the global record", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=user_admin"), "phonebook", "edit", "--id", "1", "--name", "X")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: phonebook_edit: Access Denied\n")
		assert.Contains(t, r.stderr, "hint: only the admin may edit records of others")
	})
	t.Run("no such record", func(t *testing.T) {
		r := runMor(t, f.env(), "phonebook", "edit", "--id", "99", "--name", "X")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: phonebook_edit: Record was not found\n")
		assert.Contains(t, r.stderr, "hint: check --id")
	})
}

func TestPhonebookDelete(t *testing.T) {
	f := newFake(t)
	seedPhonebook(f)
	r := runMor(t, f.env("MOR_USER=user_admin"), "phonebook", "delete", "--id", "2")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "record 2 deleted\n", r.stdout)
	_, ok := f.Phonebook(2)
	assert.False(t, ok)

	r = runMor(t, f.env("MOR_USER=user_admin"), "phonebook", "delete", "--id", "2")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "mor: phonebook_record_delete: Phonebook record was not found\n")

	r = runMor(t, f.env("MOR_USER=user_admin"), "phonebook", "delete", "--id", "1")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "a simple user cannot change or delete the admin's global records")
	_, ok = f.Phonebook(1)
	assert.True(t, ok)

	r = runMor(t, f.env("MOR_USER=accountant"), "phonebook", "delete", "--id", "3")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "mor: phonebook_record_delete: Access Denied\n")

	r = runMor(t, f.env(), "phonebook", "delete", "--id", "4")
	require.Equal(t, 0, r.code, r.stderr)
	_, ok = f.Phonebook(4)
	assert.False(t, ok)
}

func TestPhonebookUsageErrors(t *testing.T) {
	f := newFake(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown subcommand", []string{"phonebook", "show"}, `unknown command "show" for "mor phonebook"`},
		{"list bad output", []string{"phonebook", "list", "-o", "yaml"}, "--output must be table, json or csv"},
		{"list user not a number", []string{"phonebook", "list", "--user", "bob"}, "want a numeric user id"},
		{"create without user", []string{"phonebook", "create", "--name", "x", "--number", "1", "--speed-dial", "12"}, `"user" not set`},
		{"create without speed dial", []string{"phonebook", "create", "--user", "0", "--name", "x", "--number", "1"}, "[speed-dial speeddial] is required"},
		{"create short speed dial", []string{"phonebook", "create", "--user", "0", "--name", "x", "--number", "1", "--speed-dial", "1"},
			"invalid speeddial: speed dial must be two or more digits"},
		{"create number with letters", []string{"phonebook", "create", "--user", "0", "--name", "x", "--number", "1a", "--speed-dial", "12"},
			"invalid number"},
		{"create blank name", []string{"phonebook", "create", "--user", "0", "--name", " ", "--number", "1", "--speed-dial", "12"},
			"invalid name"},
		{"edit nothing to change", []string{"phonebook", "edit", "--id", "1"}, "[name number speed-dial speeddial] is required"},
		{"edit without id", []string{"phonebook", "edit", "--name", "x"}, `"id" not set`},
		{"edit bad speed dial", []string{"phonebook", "edit", "--id", "1", "--speed-dial", "x1"}, "invalid speeddial"},
		{"edit no-verify and user", []string{"phonebook", "edit", "--id", "1", "--name", "x", "--no-verify", "--user", "2"}, "none of the others can be"},
		{"delete id 0", []string{"phonebook", "delete", "--id", "0"}, "invalid id"},
		{"delete id not a number", []string{"phonebook", "delete", "--id", "x"}, "want a numeric record id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runMor(t, f.env(), tt.args...)
			assert.Equal(t, exitUsage, r.code, "stderr: %s", r.stderr)
			assert.Contains(t, r.stderr, tt.want)
			assert.Empty(t, r.stdout)
		})
	}
	assert.Zero(t, f.Requests("phonebook_record_create")+f.Requests("phonebook_edit")+f.Requests("phonebook_record_delete"),
		"nothing was sent")
}
