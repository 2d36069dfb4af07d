package transport

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Close codes with a meaning in this package (RFC 6455 section 7.4.1,
// https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1).
const (
	codeNormal          = 1000
	codeGoingAway       = 1001
	codeProtocolError   = 1002
	codeNoStatus        = 1005 // reported, never sent
	codeAbnormal        = 1006 // reported, never sent
	codeInvalidData     = 1007
	codeMessageTooBig   = 1009
	maxControlPayload   = 125
	maxCloseReasonBytes = maxControlPayload - 2
)

var errCloseLength = errors.New("close frame payload of 1 byte")

// receivableCloseCode reports whether a peer may send code in a close frame
// (RFC 6455 sections 7.4.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1) and 7.4.2
// (https://www.rfc-editor.org/rfc/rfc6455#section-7.4.2) and the IANA registry
// it refers to: 1012 to 1014 were registered after the RFC). 1004, 1005, 1006
// and 1015 must never appear on the wire; 1016 to 2999 are reserved for the
// protocol; codes from 5000 are undefined.
func receivableCloseCode(code int) bool {
	switch {
	case code >= 1000 && code <= 1003:
		return true
	case code >= 1007 && code <= 1014:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

// parseClosePayload interprets the application data of a received close frame
// (RFC 6455 sections 5.5.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1), 7.1.5
// (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.5) and 7.1.6
// (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.6)). An empty payload
// means no status code: the reported code is then 1005. The error's failCode is
// the close code to fail the connection with.
func parseClosePayload(p []byte) (code int, reason string, failCode int, err error) {
	switch len(p) {
	case 0:
		return codeNoStatus, "", 0, nil
	case 1:
		return 0, "", codeProtocolError, errCloseLength
	}
	code = int(binary.BigEndian.Uint16(p))
	if !receivableCloseCode(code) {
		return 0, "", codeProtocolError, fmt.Errorf("close frame with invalid status code %d", code)
	}
	if !utf8.Valid(p[2:]) {
		return 0, "", codeInvalidData, errors.New("close frame reason is not valid UTF-8")
	}
	return code, string(p[2:]), 0, nil
}

// checkSendClose validates the code and reason given to Conn.Close. Code 0
// means no code, and then the close frame has no body (the WebSockets
// Standard's close() method,
// https://websockets.spec.whatwg.org/#dom-websocket-close).
func checkSendClose(code int, reason string) error {
	if code == 0 {
		if reason != "" {
			return errors.New("transport: close reason without a close code")
		}
		return nil
	}
	if code != codeNormal && code != codeGoingAway && (code < 3000 || code > 4999) {
		return fmt.Errorf("transport: close code %d cannot be sent", code)
	}
	if len(reason) > maxCloseReasonBytes {
		return fmt.Errorf("transport: close reason is %d bytes long, more than %d", len(reason), maxCloseReasonBytes)
	}
	if !utf8.ValidString(reason) {
		return errors.New("transport: close reason is not valid UTF-8")
	}
	return nil
}
