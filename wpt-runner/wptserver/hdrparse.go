package wptserver

import (
	"errors"
	"fmt"
	"strings"
)

// This file parses the handshake header values the way pywebsocket3 does
// (pywebsocket3/http_header_util.py and common.py), which is stricter than
// RFC 7230 in places and laxer in others; the observable acceptance rules
// are what matter to tests.

const headerSeparators = "()<>@,;:\\\"/[]?={} \t"

type hdrState struct {
	s string
	i int
}

func (st *hdrState) peek() (byte, bool) {
	if st.i >= len(st.s) {
		return 0, false
	}
	return st.s[st.i], true
}

func (st *hdrState) consumeString(want string) bool {
	if strings.HasPrefix(st.s[st.i:], want) {
		st.i += len(want)
		return true
	}
	return false
}

func isCTL(c byte) bool { return c < 32 || c == 127 }

func isTokenByte(c byte) bool {
	return c <= 127 && !isCTL(c) && strings.IndexByte(headerSeparators, c) < 0
}

// consumeLWS consumes [CRLF] 1*(SP|HT) and reports whether it did.
func (st *hdrState) consumeLWS() bool {
	start := st.i
	j := st.i
	if strings.HasPrefix(st.s[j:], "\r\n") {
		j += 2
	}
	k := j
	for k < len(st.s) && (st.s[k] == ' ' || st.s[k] == '\t') {
		k++
	}
	if k == j {
		st.i = start
		return false
	}
	st.i = k
	return true
}

func (st *hdrState) consumeLWSes() {
	for st.consumeLWS() {
	}
}

func (st *hdrState) consumeToken() (string, bool) {
	j := st.i
	for j < len(st.s) && isTokenByte(st.s[j]) {
		j++
	}
	if j == st.i {
		return "", false
	}
	t := st.s[st.i:j]
	st.i = j
	return t, true
}

// consumeTokenOrQuoted consumes a token or a quoted-string, returning the
// unquoted value.
func (st *hdrState) consumeTokenOrQuoted() (string, bool) {
	if !st.consumeString(`"`) {
		return st.consumeToken()
	}
	start := st.i - 1
	var b strings.Builder
	quotedPair := false
	for {
		if !quotedPair && st.consumeLWS() {
			b.WriteByte(' ')
			continue
		}
		c, ok := st.peek()
		if !ok {
			st.i = start
			return "", false
		}
		st.i++
		switch {
		case quotedPair:
			quotedPair = false
			if c > 127 {
				st.i = start
				return "", false
			}
			b.WriteByte(c)
		case c == '\\':
			quotedPair = true
		case c == '"':
			return b.String(), true
		case isCTL(c):
			st.i = start
			return "", false
		default:
			b.WriteByte(c)
		}
	}
}

// parseTokenList parses 1#token (Connection, Sec-WebSocket-Protocol).
func parseTokenList(v string) ([]string, error) {
	var out []string
	err := parseList(v, func(st *hdrState) error {
		if t, ok := st.consumeToken(); ok {
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no valid token found")
	}
	return out, nil
}

// parseList runs element at each element of the comma-separated list v, with
// linear white space allowed around the commas; element may consume nothing,
// for an empty element.
func parseList(v string, element func(st *hdrState) error) error {
	st := &hdrState{s: v}
	for {
		if err := element(st); err != nil {
			return err
		}
		st.consumeLWSes()
		if _, ok := st.peek(); !ok {
			return nil
		}
		if !st.consumeString(",") {
			c, _ := st.peek()
			return fmt.Errorf("expected a comma but found %q", c)
		}
		st.consumeLWSes()
	}
}

// extParam is one parameter of an extension offer; hasValue is false for a
// bare name.
type extParam struct {
	name, value string
	hasValue    bool
}

// extension is one entry of Sec-WebSocket-Extensions.
type extension struct {
	name   string
	params []extParam
}

func (e extension) param(name string) (extParam, bool) {
	for _, p := range e.params {
		if p.name == name {
			return p, true
		}
	}
	return extParam{}, false
}

// parseExtensions parses a Sec-WebSocket-Extensions value.
func parseExtensions(v string) ([]extension, error) {
	var out []extension
	err := parseList(v, func(st *hdrState) error {
		name, ok := st.consumeToken()
		if !ok {
			return nil
		}
		ext := extension{name: name}
		for {
			st.consumeLWSes()
			if !st.consumeString(";") {
				break
			}
			st.consumeLWSes()
			pname, ok := st.consumeToken()
			if !ok {
				return fmt.Errorf("extension %q: no valid parameter name", name)
			}
			st.consumeLWSes()
			if !st.consumeString("=") {
				ext.params = append(ext.params, extParam{name: pname})
				continue
			}
			st.consumeLWSes()
			pv, ok := st.consumeTokenOrQuoted()
			if !ok {
				return fmt.Errorf("extension %q: no valid value for parameter %q", name, pname)
			}
			ext.params = append(ext.params, extParam{name: pname, value: pv, hasValue: true})
		}
		out = append(out, ext)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no valid extension entry found")
	}
	return out, nil
}

// formatExtension writes an accepted extension for the response header,
// quoting values that are not tokens.
func formatExtension(e extension) string {
	parts := []string{e.name}
	for _, p := range e.params {
		if !p.hasValue {
			parts = append(parts, p.name)
			continue
		}
		parts = append(parts, p.name+"="+quoteIfNecessary(p.value))
	}
	return strings.Join(parts, "; ")
}

func quoteIfNecessary(s string) string {
	if s == "" {
		return `""`
	}
	quote := false
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isTokenByte(c) {
			quote = true
		}
		// RFC 7230 section 3.2.6
		// (https://www.rfc-editor.org/rfc/rfc7230#section-3.2.6): a quoted-pair
		// for the quote, the backslash itself and controls, so that the result
		// parses back to s.
		if c == '"' || c == '\\' || isCTL(c) {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	if quote {
		return `"` + b.String() + `"`
	}
	return b.String()
}
