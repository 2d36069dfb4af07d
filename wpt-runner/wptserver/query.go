package wptserver

import (
	"strings"

	urlpkg "github.com/wsjs/wsjs/bindings/url"
)

// percentDecode decodes %XX escapes to bytes, keeping malformed escapes as
// they are (Python's unquote does the same, before decoding the bytes).
func percentDecode(s string) string { return string(urlpkg.PercentDecode(s)) }

// percentDecodePlus is percentDecode after "+" becomes a space, as in
// Python's unquote_plus.
func percentDecodePlus(s string) string { return percentDecode(strings.ReplaceAll(s, "+", " ")) }

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
		name = percentDecodePlus(name)
		value = percentDecodePlus(value)
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
		name = percentDecodePlus(name)
		value = percentDecodePlus(value)
		out[name] = append(out[name], value)
	}
	return out
}
