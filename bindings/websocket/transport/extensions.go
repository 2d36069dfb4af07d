package transport

import (
	"errors"
	"fmt"
	"strings"
)

// The extension offer sent in every handshake unless compression is disabled
// (the WebSockets Standard's opening handshake, "permessageDeflate",
// https://websockets.spec.whatwg.org/#websocket-opening-handshake).
const deflateOffer = "permessage-deflate; client_max_window_bits"

// deflateParams are the permessage-deflate parameters a server accepted (RFC
// 7692 section 7.1, https://www.rfc-editor.org/rfc/rfc7692#section-7.1).
type deflateParams struct {
	serverNoContextTakeover bool
	clientNoContextTakeover bool
	serverMaxWindowBits     int // 8..15; 15 when absent
	clientMaxWindowBits     int // 8..15; 15 when absent
}

// negotiateExtensions checks the server's Sec-WebSocket-Extensions values
// against the offer (RFC 6455 section 4.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-4.1), client step 5 of
// response validation; RFC 7692 sections 5
// (https://www.rfc-editor.org/rfc/rfc7692#section-5) and 7.1
// (https://www.rfc-editor.org/rfc/rfc7692#section-7.1)). offered is false when
// nothing was offered, in which case any extension in the response fails the
// connection.
func negotiateExtensions(values []string, offered bool) (p deflateParams, use bool, err error) {
	for _, v := range values {
		elems, err := splitHeaderList(v)
		if err != nil {
			return p, false, err
		}
		for _, e := range elems {
			name, params, err := parseExtension(e)
			if err != nil {
				return p, false, err
			}
			if name != "permessage-deflate" || !offered {
				return p, false, fmt.Errorf("server accepted extension %q, which was not offered", name)
			}
			if use {
				return p, false, errors.New("server accepted permessage-deflate twice")
			}
			if p, err = deflateFromParams(params); err != nil {
				return p, false, err
			}
			use = true
		}
	}
	return p, use, nil
}

type extParam struct {
	name, value string
	hasValue    bool
}

// deflateFromParams interprets the parameters of a permessage-deflate response
// element (RFC 7692 sections 7.1.1
// (https://www.rfc-editor.org/rfc/rfc7692#section-7.1.1) and 7.1.2
// (https://www.rfc-editor.org/rfc/rfc7692#section-7.1.2)): each may appear at
// most once, the window bits must be a decimal number from 8 to 15 without
// leading zeros, and client_max_window_bits needs a value in a response. Any
// other parameter fails the connection.
func deflateFromParams(params []extParam) (deflateParams, error) {
	p := deflateParams{serverMaxWindowBits: 15, clientMaxWindowBits: 15}
	seen := map[string]bool{}
	for _, q := range params {
		name := q.name // parameter names are compared exactly, as registered
		if seen[name] {
			return p, fmt.Errorf("permessage-deflate parameter %s appears twice", q.name)
		}
		seen[name] = true
		switch name {
		case "server_no_context_takeover", "client_no_context_takeover":
			if q.hasValue {
				return p, fmt.Errorf("permessage-deflate parameter %s must not have a value", q.name)
			}
			if name == "server_no_context_takeover" {
				p.serverNoContextTakeover = true
			} else {
				p.clientNoContextTakeover = true
			}
		case "server_max_window_bits", "client_max_window_bits":
			bits, ok := windowBits(q.value)
			if !q.hasValue || !ok {
				return p, fmt.Errorf("permessage-deflate parameter %s has invalid value %q", q.name, q.value)
			}
			if name == "server_max_window_bits" {
				p.serverMaxWindowBits = bits
			} else {
				p.clientMaxWindowBits = bits
			}
		default:
			return p, fmt.Errorf("unknown permessage-deflate parameter %q", q.name)
		}
	}
	return p, nil
}

func windowBits(s string) (int, bool) {
	switch len(s) {
	case 1:
		if s[0] >= '8' && s[0] <= '9' {
			return int(s[0] - '0'), true
		}
	case 2:
		if s[0] == '1' && s[1] >= '0' && s[1] <= '5' {
			return 10 + int(s[1]-'0'), true
		}
	}
	return 0, false
}

// splitHeaderList splits a comma-separated header value (RFC 9110 section
// 5.6.1, https://www.rfc-editor.org/rfc/rfc9110#section-5.6.1) into its
// non-empty elements, keeping quoted strings whole.
func splitHeaderList(v string) ([]string, error) {
	var out []string
	start, inQuote := 0, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == ',':
			if e := trimOWS(v[start:i]); e != "" {
				out = append(out, e)
			}
			start = i + 1
		}
	}
	if inQuote {
		return nil, errors.New("unterminated quoted string in header list")
	}
	if e := trimOWS(v[start:]); e != "" {
		out = append(out, e)
	}
	return out, nil
}

// parseExtension parses one element of Sec-WebSocket-Extensions (RFC 6455
// section 9.1, https://www.rfc-editor.org/rfc/rfc6455#section-9.1): a token,
// then parameters "; name[=value]" whose value is a token or a quoted string
// that unescapes to a token.
func parseExtension(e string) (string, []extParam, error) {
	name, rest, _ := strings.Cut(e, ";")
	name = trimOWS(name)
	if !isToken(name) {
		return "", nil, fmt.Errorf("invalid extension name %q", name)
	}
	var params []extParam
	for rest != "" {
		var part string
		part, rest = cutParam(rest)
		k, v, hasValue := strings.Cut(part, "=")
		k = trimOWS(k)
		if !isToken(k) {
			return "", nil, fmt.Errorf("invalid extension parameter %q", part)
		}
		p := extParam{name: k, hasValue: hasValue}
		if hasValue {
			v = trimOWS(v)
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				v = unquote(v[1 : len(v)-1])
			}
			if !isToken(v) {
				return "", nil, fmt.Errorf("invalid value in extension parameter %q", part)
			}
			p.value = v
		}
		params = append(params, p)
	}
	return name, params, nil
}

// cutParam returns the text up to the next ';' outside quotes, and the rest.
func cutParam(s string) (string, string) {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == ';':
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

func unquote(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func trimOWS(s string) string { return strings.Trim(s, " \t") }

// isToken reports whether s is an HTTP token (RFC 9110 section 5.6.2,
// https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenChar(s[i]) {
			return false
		}
	}
	return true
}

func isTokenChar(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
