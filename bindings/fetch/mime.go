package fetch

import "strings"

// mimeType is a MIME type record
// (https://mimesniff.spec.whatwg.org/#mime-type-representation): type and
// subtype lowercased, parameters in order with lowercased names. Strings hold
// one byte per code point (all code points are below U+0100 here: MIME types
// come from header values, which are byte sequences).
type mimeType struct {
	typ, subtype string
	params       []mimeParam
}

type mimeParam struct{ name, value string }

func (m *mimeType) essence() string { return m.typ + "/" + m.subtype }

// param returns the value of the parameter name.
func (m *mimeType) param(name string) (string, bool) {
	for _, p := range m.params {
		if p.name == name {
			return p.value, true
		}
	}
	return "", false
}

// setParam sets the parameter name, appending it if it is not present.
func (m *mimeType) setParam(name, value string) {
	for i := range m.params {
		if m.params[i].name == name {
			m.params[i].value = value
			return
		}
	}
	m.params = append(m.params, mimeParam{name, value})
}

// isQuotedStringByte reports whether c is an HTTP quoted-string token code
// point
// (https://mimesniff.spec.whatwg.org/#http-quoted-string-token-code-point):
// tab, U+0020 to U+007E, or U+0080 to U+00FF.
func isQuotedStringByte(c byte) bool {
	return c == '\t' || c >= 0x20 && c != 0x7F
}

func onlyTokenBytes(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return true
}

// parseMIMEType implements "parse a MIME type"
// (https://mimesniff.spec.whatwg.org/#parse-a-mime-type).
func parseMIMEType(input string) (*mimeType, bool) {
	// Step 1: remove leading and trailing HTTP whitespace.
	input = normalizeValue(input)
	// Steps 2-4: the type, up to "/".
	pos := strings.IndexByte(input, '/')
	if pos < 0 {
		// Step 5: past the end.
		return nil, false
	}
	typ := input[:pos]
	if typ == "" || !onlyTokenBytes(typ) {
		return nil, false
	}
	// Step 6.
	pos++
	// Steps 7-9: the subtype, up to ";", without trailing whitespace.
	end := strings.IndexByte(input[pos:], ';')
	if end < 0 {
		end = len(input)
	} else {
		end += pos
	}
	subtype := strings.TrimRight(input[pos:end], "\t\n\r ")
	if subtype == "" || !onlyTokenBytes(subtype) {
		return nil, false
	}
	pos = end
	// Step 10.
	m := &mimeType{typ: lowerASCII(typ), subtype: lowerASCII(subtype)}
	// Step 11: the parameters.
	for pos < len(input) {
		// Steps 11.1-11.2: skip ";" and HTTP whitespace.
		pos++
		for pos < len(input) && isHTTPWhitespace(input[pos]) {
			pos++
		}
		// Steps 11.3-11.4: the name, up to ";" or "=".
		s := pos
		for pos < len(input) && input[pos] != ';' && input[pos] != '=' {
			pos++
		}
		name := lowerASCII(input[s:pos])
		// Step 11.5.
		if pos < len(input) {
			if input[pos] == ';' {
				continue
			}
			pos++
		}
		// Step 11.6.
		if pos >= len(input) {
			break
		}
		// Steps 11.7-11.9: the value, quoted or up to ";".
		var value string
		if input[pos] == '"' {
			value, pos = collectQuotedString(input, pos, true)
			for pos < len(input) && input[pos] != ';' {
				pos++
			}
		} else {
			s := pos
			for pos < len(input) && input[pos] != ';' {
				pos++
			}
			value = strings.TrimRight(input[s:pos], "\t\n\r ")
			if value == "" {
				continue
			}
		}
		// Step 11.10: keep the first occurrence of a valid parameter.
		if name == "" || !onlyTokenBytes(name) {
			continue
		}
		valid := true
		for i := 0; i < len(value); i++ {
			if !isQuotedStringByte(value[i]) {
				valid = false
				break
			}
		}
		if _, dup := m.param(name); valid && !dup {
			m.params = append(m.params, mimeParam{name, value})
		}
	}
	// Step 12.
	return m, true
}

// serialize implements "serialize a MIME type"
// (https://mimesniff.spec.whatwg.org/#serialize-a-mime-type).
func (m *mimeType) serialize() string {
	var b strings.Builder
	b.WriteString(m.typ)
	b.WriteByte('/')
	b.WriteString(m.subtype)
	for _, p := range m.params {
		b.WriteByte(';')
		b.WriteString(p.name)
		b.WriteByte('=')
		if p.value != "" && onlyTokenBytes(p.value) {
			b.WriteString(p.value)
			continue
		}
		b.WriteByte('"')
		for i := 0; i < len(p.value); i++ {
			if c := p.value[i]; c == '"' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(p.value[i])
		}
		b.WriteByte('"')
	}
	return b.String()
}

// extractMIMEType implements "extract a MIME type" from a header list
// (https://fetch.spec.whatwg.org/#concept-header-extract-mime-type).
func extractMIMEType(l *headerList) (*mimeType, bool) {
	// Steps 1-3.
	var charset string
	hasCharset := false
	essence := ""
	var mt *mimeType
	// Steps 4-5.
	values, ok := l.getDecodeSplit("Content-Type")
	if !ok {
		return nil, false
	}
	// Step 6.
	for _, v := range values {
		t, ok := parseMIMEType(v)
		if !ok || t.essence() == "*/*" {
			continue
		}
		mt = t
		if mt.essence() != essence {
			charset, hasCharset = mt.param("charset")
			essence = mt.essence()
		} else if _, ok := mt.param("charset"); !ok && hasCharset {
			mt.setParam("charset", charset)
		}
	}
	// Steps 7-8.
	return mt, mt != nil
}
