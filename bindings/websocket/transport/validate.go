package transport

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// cookieHeader returns the Cookie header the jar of cfg's network policy gives
// the handshake, or "".
func cookieHeader(cfg *Config, t *target) string {
	jar := cfg.jar()
	if jar == nil {
		return ""
	}
	var parts []string
	for _, c := range jar.Cookies(t.httpURL) {
		if s := c.String(); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

// establish ends an opening handshake whose response head has been read, over
// HTTP/1.1 or HTTP/2 alike: the response's cookies go to the jar, whatever its
// status (as Fetch stores them from any response), the response is validated,
// and the WebSocket connection runs on rwc, reading through br. key is the
// Sec-WebSocket-Key sent, or "" for an extended CONNECT request (RFC 8441).
func establish(rwc io.ReadWriteCloser, br *bufio.Reader, status int, h http.Header, key string, cfg *Config, t *target) (*Conn, error) {
	if jar := cfg.jar(); jar != nil {
		if cs := (&http.Response{Header: h}).Cookies(); len(cs) > 0 {
			jar.SetCookies(t.httpURL, cs)
		}
	}
	v, err := validateResponse(status, h, key, cfg.Protocols, !cfg.DisableCompression)
	if err != nil {
		return nil, fmt.Errorf("transport: %w", err)
	}
	return newConn(rwc, br, v.protocol, v.extensions, v.deflate, v.params, cfg), nil
}

// validated is what a valid handshake response selected.
type validated struct {
	protocol   string
	extensions string
	deflate    bool
	params     deflateParams
}

// validateResponse checks a handshake response as the WHATWG WebSockets
// Standard (processResponse in
// https://websockets.spec.whatwg.org/#concept-websocket-establish) and RFC 6455
// section 4.1 (https://www.rfc-editor.org/rfc/rfc6455#section-4.1: the client's
// checks 1 to 6) say, in that order. key is the Sec-WebSocket-Key of an
// HTTP/1.1 handshake, whose response must have status 101. An empty key stands
// for the extended CONNECT request of RFC 8441 over HTTP/2: a 2xx status
// establishes the tunnel (RFC 8441 section 5,
// https://www.rfc-editor.org/rfc/rfc8441#section-5; RFC 9113 section 8.5,
// https://www.rfc-editor.org/rfc/rfc9113#section-8.5), and the checks of
// Upgrade, Connection and Sec-WebSocket-Accept, which extended CONNECT
// replaces, are skipped.
func validateResponse(status int, h http.Header, key string, protocols []string, offered bool) (validated, error) {
	var v validated
	// https://websockets.spec.whatwg.org/#concept-websocket-establish: status
	// must be 101 (2xx over HTTP/2); redirects are an error.
	if err := checkStatus(status, key == ""); err != nil {
		return v, err
	}
	// https://websockets.spec.whatwg.org/#concept-websocket-establish: with
	// protocols offered, the server must select one.
	selected := trimOWS(strings.Join(h.Values("Sec-Websocket-Protocol"), ","))
	if len(protocols) > 0 && selected == "" {
		return v, errors.New("server selected none of the offered subprotocols")
	}
	if key != "" {
		if err := checkUpgrade(h, key); err != nil {
			return v, err
		}
	}
	// Step 5: extensions must be among those offered.
	extValues := h.Values("Sec-Websocket-Extensions")
	params, use, err := negotiateExtensions(extValues, offered)
	if err != nil {
		return v, err
	}
	if use {
		v.extensions = trimOWS(strings.Join(extValues, ", "))
	}
	v.deflate, v.params = use, params
	// Step 6: the subprotocol must be one offered.
	if selected != "" && !slices.Contains(protocols, selected) {
		return v, fmt.Errorf("server selected subprotocol %q, which was not offered", selected)
	}
	v.protocol = selected
	return v, nil
}

// checkStatus checks the status of a handshake response: 101 over HTTP/1.1,
// 2xx for extended CONNECT over HTTP/2.
func checkStatus(status int, h2 bool) error {
	what, want := "handshake", "101"
	ok := status == http.StatusSwitchingProtocols
	if h2 {
		what, want = "extended CONNECT", "2xx"
		ok = status >= 200 && status <= 299
	}
	switch {
	case ok:
		return nil
	case status >= 300 && status <= 399:
		return fmt.Errorf("%s answered with redirect status %d, which is not followed", what, status)
	}
	return fmt.Errorf("%s answered with status %d, not %s", what, status, want)
}

// checkUpgrade runs the client checks 2 to 4 of RFC 6455 section 4.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-4.1) on an HTTP/1.1 handshake
// response.
func checkUpgrade(h http.Header, key string) error {
	// Step 2: Upgrade.
	if up := h.Values("Upgrade"); len(up) != 1 || !strings.EqualFold(trimOWS(up[0]), "websocket") {
		return fmt.Errorf("response Upgrade header is %q, not websocket", up)
	}
	// Step 3: Connection must hold the token Upgrade.
	if !httpguts.HeaderValuesContainsToken(h.Values("Connection"), "upgrade") {
		return fmt.Errorf("response Connection header %q has no Upgrade token", h.Values("Connection"))
	}
	// Step 4: Sec-WebSocket-Accept.
	sum := sha1.Sum([]byte(key + acceptGUID))
	want := base64.StdEncoding.EncodeToString(sum[:])
	if acc := h.Values("Sec-Websocket-Accept"); len(acc) != 1 || trimOWS(acc[0]) != want {
		return fmt.Errorf("response Sec-WebSocket-Accept %q does not match the key", acc)
	}
	return nil
}
