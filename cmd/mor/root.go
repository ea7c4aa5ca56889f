package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

// app is one run of the tool: its streams, environment and settings. Tests
// drive the built binary, so nothing here is global.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string

	cfg config

	// sigs receives SIGINT and SIGTERM for the whole run. Commands that
	// handle interrupts themselves (import, fake-server) read it; the others
	// get a context cancelled by the first signal.
	sigs chan os.Signal
	// interrupted is set once a signal has been seen, so that the exit
	// status is 130 whatever error the cancelled work returned.
	interrupted atomic.Bool
	// started is set when a command's own code begins; an error before that
	// came from cobra's parsing of the command line, a usage error.
	started bool
}

// usageError is a wrong command line or configuration: exit status 2.
type usageError struct{ err error }

// Error returns the problem with the command line.
func (e *usageError) Error() string { return e.err.Error() }

// Unwrap returns the underlying error.
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// exitCodeError ends the run with a given status; the command has already
// said what went wrong (import's summary), so nothing more is printed.
type exitCodeError struct{ code int }

// Error names the exit status.
func (e *exitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv,
		sigs: make(chan os.Signal, 4)}
	signal.Notify(a.sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(a.sigs)

	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteC()
	return a.exitStatus(cmd, err)
}

// exitStatus prints err (with a hint where one helps) and maps it to the
// documented exit status.
func (a *app) exitStatus(cmd *cobra.Command, err error) int {
	if err == nil {
		if a.interrupted.Load() {
			return exitInterrupted
		}
		return exitOK
	}
	var code *exitCodeError
	if errors.As(err, &code) {
		return code.code
	}
	var usage *usageError
	var invalid *mor.ValidationError // refused locally, before any request
	isUsage := errors.As(err, &usage) || errors.As(err, &invalid) || !a.started
	if a.interrupted.Load() && !isUsage {
		fmt.Fprintln(a.stderr, "mor: interrupted")
		return exitInterrupted
	}
	fmt.Fprintln(a.stderr, escapeText(prefixed(err.Error())))
	if isUsage {
		if cmd != nil {
			fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return exitUsage
	}
	for _, h := range hints(err) {
		fmt.Fprintln(a.stderr, "hint: "+escapeText(h))
	}
	return exitError
}

// prefixed is msg with one "mor: " in front. The SDK's errors start with
// "mor: " and usage errors with the command path ("mor call: …"), and
// both may be wrapped inside a message of this tool: each inner "mor: "
// after a separator is dropped, so the prefix appears once.
func prefixed(msg string) string { return "mor: " + unprefixed(msg) }

// unprefixed is msg without any of its "mor: " prefixes (see prefixed).
func unprefixed(msg string) string {
	msg = strings.TrimPrefix(msg, "mor: ")
	msg = strings.TrimPrefix(msg, "mor ")
	for _, sep := range []string{": ", "; ", "("} {
		msg = strings.ReplaceAll(msg, sep+"mor: ", sep)
	}
	return msg
}

const rootLong = `mor calls the Kolmisoft MOR billing API.

Connection settings come from flags, with the environment as defaults:
  --url       MOR_URL       the MOR web app, e.g. https://mor.example.com/billing
  --username  MOR_USER      the API user (u)
  --secret    MOR_SECRET    the API secret key of the user's API owner
  --secret-file             read the secret from a file (first line)
  --password  MOR_PASSWORD  sent as p, for the few methods that want it
  --max-response-bytes  MOR_MAX_RESPONSE_BYTES  the largest reply accepted
              (default 32MiB; device_clis_get takes about 370 bytes a CLI)
The secret and the password are never printed, not even with --verbose.
Prefer the environment or --secret-file: a flag shows in the process list.

Exit status:
  0    success
  1    the server refused the call, a transport error, or (import) a row
       that did not end added or already present
  2    usage error: bad flag, argument or configuration
  130  interrupted (SIGINT or SIGTERM)`

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "mor",
		Short:         "Call the MOR billing API: CLIs, any method, hashes, bulk import, a fake server",
		Long:          rootLong,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.Version = mor.Version
	root.SetVersionTemplate("mor " + mor.Version + " (" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &usageError{err} })
	a.cfg.addFlags(root)
	root.AddCommand(a.cliCommand(), a.callCommand(), a.hashCommand(), a.fakeServerCommand(), a.importCommand())
	root.AddCommand(a.invoiceCommand(), a.creditNoteCommand(), a.statementCommand(), a.serviceCommand(), a.subscriptionCommand())
	root.AddCommand(a.userCommand())
	root.AddCommand(a.deviceCommand())
	root.AddCommand(a.didCommand())
	root.AddCommand(a.callsCommand())
	root.AddCommand(a.balanceCommand(), a.paymentCommand(), a.voucherCommand())
	root.AddCommand(a.cardCommand(), a.smsCommand())
	root.AddCommand(a.phonebookCommand())
	root.AddCommand(a.ratesCommand(), a.rateCommand(), a.versionCommand(), a.emailCommand(), a.callbackCommand())
	refuseUnknownSubcommands(root)
	a.markStart(root)
	return root
}

// refuseUnknownSubcommands makes every command group (a command with
// subcommands and nothing to run itself) answer an unknown subcommand with
// a usage error, as the root does, instead of printing its help and
// exiting 0. Without a subcommand it still prints its help.
func refuseUnknownSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if c.HasParent() && c.HasSubCommands() && c.RunE == nil && c.Run == nil {
		c.Args = cobra.ArbitraryArgs
		if c.SuggestionsMinimumDistance <= 0 {
			c.SuggestionsMinimumDistance = 2 // what the root uses
		}
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			msg := fmt.Sprintf("unknown command %s for %q", quoteText(args[0]), cmd.CommandPath())
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				msg += "; did you mean " + strings.Join(s, " or ") + "?"
			}
			return &usageError{errors.New(msg)}
		}
	}
}

// markStart wraps every command's RunE so that a.started tells cobra's own
// errors (flags, arguments, required flags: usage errors) from the
// command's.
func (a *app) markStart(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			a.started = true
			return run(cmd, args)
		}
	}
	for _, sub := range c.Commands() {
		a.markStart(sub)
	}
}

// minArgs is cobra's MinimumNArgs returning a usage error that names what is missing.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("%s: missing %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

// withClient runs the body of a command that makes its calls on one
// connection: it builds the configured Client, and gives run a context
// cancelled by the first SIGINT/SIGTERM (see commandContext).
func (a *app) withClient(cmd *cobra.Command, run func(ctx context.Context, client *mor.Client) error) error {
	client, _, err := a.client(cmd, 1)
	if err != nil {
		return err
	}
	ctx, stop := a.commandContext()
	defer stop()
	return run(ctx, client)
}

// commandContext returns a context cancelled by the first SIGINT/SIGTERM; a
// second one ends the process at once with status 130. Call stop when the
// command is done.
func (a *app) commandContext() (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		select {
		case <-a.sigs:
		case <-done:
			return
		}
		a.interrupted.Store(true)
		cancel()
		select {
		case <-a.sigs:
			fmt.Fprintln(a.stderr, "mor: interrupted")
			os.Exit(exitInterrupted)
		case <-done:
		}
	}()
	var once atomic.Bool
	return ctx, func() {
		if once.CompareAndSwap(false, true) {
			close(done)
			cancel()
		}
	}
}
