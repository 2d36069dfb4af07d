package wptserver

import "strings"

// unhex returns the value of a hex digit and whether c is one.
func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// percentDecode decodes %XX escapes to bytes, keeping malformed escapes as
// they are (Python's unquote does the same).
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b.WriteByte(hi<<4 | lo)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseQueryLatin1 parses a query string the way wptserve fills
// request.GET: fields split on "&", "+" is a space, %XX escapes are bytes,
// and a field without "=" has an empty value. Order is kept.
func parseQueryLatin1(q string) [][2]string {
	var out [][2]string
	for _, field := range strings.Split(q, "&") {
		if field == "" {
			continue
		}
		name, value, _ := strings.Cut(field, "=")
		name = percentDecode(strings.ReplaceAll(name, "+", " "))
		value = percentDecode(strings.ReplaceAll(value, "+", " "))
		out = append(out, [2]string{name, value})
	}
	return out
}

// firstQuery returns the first value of name in a parsed query.
func firstQuery(q [][2]string, name string) (string, bool) {
	for _, kv := range q {
		if kv[0] == name {
			return kv[1], true
		}
	}
	return "", false
}

// parsePipeQuery parses a query the way wptserve's handlers.parse_qs does
// (used for ?pipe=): fields without a value or with an empty one are
// dropped, and ";" is not a separator.
func parsePipeQuery(q string) map[string][]string {
	out := map[string][]string{}
	for _, field := range strings.Split(q, "&") {
		name, value, ok := strings.Cut(field, "=")
		if !ok || value == "" {
			continue
		}
		name = percentDecode(strings.ReplaceAll(name, "+", " "))
		value = percentDecode(strings.ReplaceAll(value, "+", " "))
		out[name] = append(out[name], value)
	}
	return out
}
