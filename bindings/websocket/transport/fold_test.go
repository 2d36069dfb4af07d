package transport

import (
	"bufio"
	"strings"
	"testing"
)

// TestFoldedResponseHeader: a user agent replaces obs-fold in a response with
// SP before interpreting the field (RFC 9112 section 5.2,
// https://www.rfc-editor.org/rfc/rfc9112#section-5.2), so a folded handshake
// response is understood, not refused.
func TestFoldedResponseHeader(t *testing.T) {
	resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade:\r\n websocket\r\nX-Long: a\r\n  b\r\n\tc \r\nConnection: Upgrade\r\n\r\n"
	status, h, err := readResponse(bufio.NewReader(strings.NewReader(resp)))
	if err != nil {
		t.Fatal(err)
	}
	if status != 101 || h.Get("Upgrade") != "websocket" || h.Get("X-Long") != "a b c" || h.Get("Connection") != "Upgrade" {
		t.Fatalf("status %d, header %q", status, h)
	}
	if _, _, err := readResponse(bufio.NewReader(strings.NewReader("HTTP/1.1 101 OK\r\nX: a\r\n \x01\r\n\r\n"))); err == nil {
		t.Fatal("a folded line with a control character was accepted")
	}
}
