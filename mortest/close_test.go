package mortest_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// closeWithin runs srv.Close and fails the test unless it returns before
// the deadline (a generous bound: Close used to stall 5 s).
func closeWithin(t *testing.T, srv *mortest.Server, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatalf("Close did not return within %v", d)
		<-done
	}
}

// A client that connects and sends nothing must not hold Close up: such a
// connection stays in StateNew, which http.Server.Shutdown only treats as
// idle after 5 s.
func TestCloseSilentConnection(t *testing.T) {
	srv := mortest.NewServer()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	// Make sure the server has accepted the connection before closing.
	require.Eventually(t, func() bool { return srv.OpenConns() == 1 }, 2*time.Second, time.Millisecond)

	closeWithin(t, srv, 2*time.Second)

	// The server hung up on the silent client.
	_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err = conn.Read(make([]byte, 1))
	require.ErrorIs(t, err, io.EOF)
}

// A half-sent request (headers not finished) is cut as promptly.
func TestCloseHalfRequest(t *testing.T) {
	srv := mortest.NewServer()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("POST /billing/api/cli_add HTTP/1.1\r\nHost: x\r\n"))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return srv.OpenConns() == 1 }, 2*time.Second, time.Millisecond)
	closeWithin(t, srv, 2*time.Second)
}

// An idle keep-alive connection left by a finished request is closed at
// once too, and the data stays readable after Close.
func TestCloseIdleKeepAlive(t *testing.T) {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL + "/billing/api/cli_info_get")
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	closeWithin(t, srv, 2*time.Second)
	require.Equal(t, 1, srv.Requests("cli_info_get"))
	require.Eventually(t, func() bool { return srv.OpenConns() == 0 }, 2*time.Second, time.Millisecond)
}
