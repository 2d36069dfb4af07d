package fetch

import (
	"slices"
	"strings"
)

// This file implements header lists
// (https://fetch.spec.whatwg.org/#terminology-headers): names and values are
// byte sequences, held as Go strings of bytes (one byte per code unit of the
// ByteString they came from).

// header is a header (name, value).
type header struct {
	name, value string
}

// headerList is a header list. version changes whenever the list does, so
// that derived views (the sorted and combined list that Headers iterates)
// can be cached.
type headerList struct {
	list    []header
	version uint64
}

func (l *headerList) changed() { l.version++ }

// clone returns a copy of l.
func (l *headerList) clone() *headerList {
	return &headerList{list: slices.Clone(l.list)}
}

// contains reports whether l contains a header named name, compared
// byte-case-insensitively.
func (l *headerList) contains(name string) bool {
	return l.index(name) >= 0
}

func (l *headerList) index(name string) int {
	for i, h := range l.list {
		if equalFold(h.name, name) {
			return i
		}
	}
	return -1
}

// get implements "get"
// (https://fetch.spec.whatwg.org/#concept-header-list-get): the values of all
// headers named name, separated by ", ", or ok false if there is none.
func (l *headerList) get(name string) (value string, ok bool) {
	n := 0
	for _, h := range l.list {
		if equalFold(h.name, name) {
			if n == 0 {
				value = h.value
			} else {
				value += ", " + h.value
			}
			n++
		}
	}
	return value, n > 0
}

// values returns the values of the headers named name, in order.
func (l *headerList) values(name string) []string {
	var out []string
	for _, h := range l.list {
		if equalFold(h.name, name) {
			out = append(out, h.value)
		}
	}
	return out
}

// getDecodeSplit implements "get, decode, and split"
// (https://fetch.spec.whatwg.org/#concept-header-list-get-decode-split); ok is
// false when l does not contain name.
func (l *headerList) getDecodeSplit(name string) (values []string, ok bool) {
	v, ok := l.get(name)
	if !ok {
		return nil, false
	}
	return decodeSplit(v), true
}

// append implements "append"
// (https://fetch.spec.whatwg.org/#concept-header-list-append): the name takes
// the casing of a header with that name already in the list.
func (l *headerList) append(name, value string) {
	// Step 1.
	if i := l.index(name); i >= 0 {
		name = l.list[i].name
	}
	// Step 2.
	l.list = append(l.list, header{name, value})
	l.changed()
}

// delete implements "delete"
// (https://fetch.spec.whatwg.org/#concept-header-list-delete).
func (l *headerList) delete(name string) {
	n := len(l.list)
	l.list = slices.DeleteFunc(l.list, func(h header) bool { return equalFold(h.name, name) })
	if len(l.list) != n {
		l.changed()
	}
}

// set implements "set"
// (https://fetch.spec.whatwg.org/#concept-header-list-set): the first header
// named name gets value and the others are removed; without one, (name, value)
// is appended.
func (l *headerList) set(name, value string) {
	i := l.index(name)
	if i < 0 {
		l.list = append(l.list, header{name, value})
		l.changed()
		return
	}
	l.list[i].value = value
	rest := slices.DeleteFunc(l.list[i+1:], func(h header) bool { return equalFold(h.name, name) })
	l.list = l.list[:i+1+len(rest)]
	l.changed()
}

// sortAndCombine implements "sort and combine"
// (https://fetch.spec.whatwg.org/#concept-header-list-sort-and-combine),
// appending the result to dst: names lowercased and sorted, the values of each
// name combined, except that each Set-Cookie header stays on its own.
func (l *headerList) sortAndCombine(dst []header) []header {
	// Step 2: the names, lowercased, as a sorted set.
	names := make([]string, 0, len(l.list))
	for _, h := range l.list {
		names = append(names, lowerASCII(h.name))
	}
	slices.Sort(names)
	names = slices.Compact(names)
	// Step 3.
	for _, name := range names {
		if name == "set-cookie" {
			for _, v := range l.values(name) {
				dst = append(dst, header{name, v})
			}
			continue
		}
		v, _ := l.get(name)
		dst = append(dst, header{name, v})
	}
	return dst
}

// decodeSplit implements "get, decode, and split" for a header value
// (https://fetch.spec.whatwg.org/#header-value-get-decode-and-split): the value
// is split at commas outside quoted strings, and each part is trimmed of tabs
// and spaces. Values are byte strings, and isomorphic decoding maps each byte
// to one code point, so the bytes are worked on directly.
func decodeSplit(input string) []string {
	var values []string
	pos := 0
	var temp strings.Builder
	for {
		// Step 5.1: collect code points that are not '"' or ','.
		start := pos
		for pos < len(input) && input[pos] != '"' && input[pos] != ',' {
			pos++
		}
		temp.WriteString(input[start:pos])
		// Step 5.2: a quoted string.
		if pos < len(input) && input[pos] == '"' {
			var quoted string
			quoted, pos = collectQuotedString(input, pos, false)
			temp.WriteString(quoted)
			if pos < len(input) {
				continue
			}
		}
		// Steps 5.3-5.5.
		values = append(values, strings.Trim(temp.String(), "\t "))
		temp.Reset()
		// Step 5.6.
		if pos >= len(input) {
			return values
		}
		// Steps 5.7-5.8: input[pos] is ','.
		pos++
	}
}

// collectQuotedString implements "collect an HTTP quoted string"
// (https://fetch.spec.whatwg.org/#collect-an-http-quoted-string)
// from input at pos, where input[pos] is '"'. It returns the result and the
// new position.
func collectQuotedString(input string, pos int, extractValue bool) (string, int) {
	// Steps 1-4.
	start := pos
	var value strings.Builder
	pos++
	// Step 5.
	for {
		s := pos
		for pos < len(input) && input[pos] != '"' && input[pos] != '\\' {
			pos++
		}
		value.WriteString(input[s:pos])
		if pos >= len(input) {
			break
		}
		quoteOrBackslash := input[pos]
		pos++
		if quoteOrBackslash == '\\' {
			if pos >= len(input) {
				value.WriteByte('\\')
				break
			}
			value.WriteByte(input[pos])
			pos++
			continue
		}
		break
	}
	// Steps 6-7.
	if extractValue {
		return value.String(), pos
	}
	return input[start:pos], pos
}

// equalFold reports whether a and b are equal byte sequences ignoring
// ASCII case ("byte-case-insensitive").
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x != y && lowerByte(x) != lowerByte(y) {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerASCII byte-lowercases s, without allocating when s has no capital
// letter.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lowerByte(b[j])
			}
			return string(b)
		}
	}
	return s
}

// upperASCII byte-uppercases s.
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}

// isTokenByte reports whether c is an HTTP token code point (RFC 9110
// tchar).
func isTokenByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// isToken reports whether s is a non-empty HTTP token: a header name
// (https://fetch.spec.whatwg.org/#header-name) and a method
// (https://fetch.spec.whatwg.org/#concept-method) are byte sequences matching
// it.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return true
}

// isHeaderValue reports whether s is a header value
// (https://fetch.spec.whatwg.org/#header-value): no leading or trailing tab or
// space, and no NUL, CR or LF.
func isHeaderValue(s string) bool {
	if s != "" && (isTabOrSpace(s[0]) || isTabOrSpace(s[len(s)-1])) {
		return false
	}
	return strings.IndexAny(s, "\x00\r\n") < 0
}

func isTabOrSpace(c byte) bool { return c == '\t' || c == ' ' }

func isHTTPWhitespace(c byte) bool { return c == '\t' || c == ' ' || c == '\n' || c == '\r' }

// normalizeValue implements "normalize" a potential header value
// (https://fetch.spec.whatwg.org/#concept-header-value-normalize):
// leading and trailing HTTP whitespace bytes are removed.
func normalizeValue(s string) string {
	i, j := 0, len(s)
	for i < j && isHTTPWhitespace(s[i]) {
		i++
	}
	for j > i && isHTTPWhitespace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// isForbiddenMethod reports whether m is a forbidden method
// (https://fetch.spec.whatwg.org/#forbidden-method).
func isForbiddenMethod(m string) bool {
	return equalFold(m, "CONNECT") || equalFold(m, "TRACE") || equalFold(m, "TRACK")
}

// normalizeMethod implements "normalize" a method
// (https://fetch.spec.whatwg.org/#concept-method-normalize).
func normalizeMethod(m string) string {
	for _, n := range [...]string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"} {
		if equalFold(m, n) {
			return n
		}
	}
	return m
}

// isCORSSafelistedMethod reports whether m is GET, HEAD or POST
// (https://fetch.spec.whatwg.org/#cors-safelisted-method).
func isCORSSafelistedMethod(m string) bool {
	return m == "GET" || m == "HEAD" || m == "POST"
}

// forbiddenRequestHeaderNames are the names step 1 of "forbidden
// request-header" (https://fetch.spec.whatwg.org/#forbidden-request-header)
// lists, lowercased.
var forbiddenRequestHeaderNames = map[string]bool{
	"accept-charset": true, "accept-encoding": true, "access-control-request-headers": true,
	"access-control-request-method": true, "connection": true, "content-length": true,
	"cookie": true, "cookie2": true, "date": true, "dnt": true, "expect": true, "host": true,
	"keep-alive": true, "origin": true, "referer": true, "set-cookie": true, "te": true,
	"trailer": true, "transfer-encoding": true, "upgrade": true, "via": true,
}

// isForbiddenRequestHeader implements "forbidden request-header"
// (https://fetch.spec.whatwg.org/#forbidden-request-header).
func isForbiddenRequestHeader(name, value string) bool {
	lower := lowerASCII(name)
	// Step 1.
	if forbiddenRequestHeaderNames[lower] {
		return true
	}
	// Step 2.
	if strings.HasPrefix(lower, "proxy-") || strings.HasPrefix(lower, "sec-") {
		return true
	}
	// Step 3: method override headers naming a forbidden method.
	switch lower {
	case "x-http-method", "x-http-method-override", "x-method-override":
		for _, m := range decodeSplit(value) {
			if isForbiddenMethod(m) {
				return true
			}
		}
	}
	// Step 4.
	return false
}

// isForbiddenResponseHeaderName reports whether name is Set-Cookie or
// Set-Cookie2 ("forbidden response-header name",
// https://fetch.spec.whatwg.org/#forbidden-response-header-name).
func isForbiddenResponseHeaderName(name string) bool {
	return equalFold(name, "set-cookie") || equalFold(name, "set-cookie2")
}

// requestBodyHeaderNames are the request-body-header names
// (https://fetch.spec.whatwg.org/#request-body-header-name).
var requestBodyHeaderNames = [...]string{"Content-Encoding", "Content-Language", "Content-Location", "Content-Type"}

// isNoCORSSafelistedName reports whether name is a no-CORS-safelisted
// request-header name
// (https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header-name).
func isNoCORSSafelistedName(name string) bool {
	switch lowerASCII(name) {
	case "accept", "accept-language", "content-language", "content-type":
		return true
	}
	return false
}

// isPrivilegedNoCORSName reports whether name is a privileged no-CORS
// request-header name
// (https://fetch.spec.whatwg.org/#privileged-no-cors-request-header-name):
// Range.
func isPrivilegedNoCORSName(name string) bool { return equalFold(name, "range") }

// isNoCORSSafelisted implements "no-CORS-safelisted request-header"
// (https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header).
func isNoCORSSafelisted(name, value string) bool {
	return isNoCORSSafelistedName(name) && isCORSSafelisted(name, value)
}

// isCORSSafelisted implements "CORS-safelisted request-header"
// (https://fetch.spec.whatwg.org/#cors-safelisted-request-header).
func isCORSSafelisted(name, value string) bool {
	// Step 1.
	if len(value) > 128 {
		return false
	}
	// Step 2.
	switch lowerASCII(name) {
	case "accept":
		if hasCORSUnsafeByte(value) {
			return false
		}
	case "accept-language", "content-language":
		for i := 0; i < len(value); i++ {
			c := value[i]
			ok := c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' ||
				strings.IndexByte(" *,-.;=", c) >= 0
			if !ok {
				return false
			}
		}
	case "content-type":
		if hasCORSUnsafeByte(value) {
			return false
		}
		mt, ok := parseMIMEType(value)
		if !ok {
			return false
		}
		switch mt.essence() {
		case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
		default:
			return false
		}
	case "range":
		start, _, ok := parseSingleRange(value, false)
		if !ok || start < 0 {
			return false
		}
	default:
		return false
	}
	// Step 3.
	return true
}

// hasCORSUnsafeByte reports whether v contains a CORS-unsafe request-header
// byte (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte).
func hasCORSUnsafeByte(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 && c != '\t' || c == 0x7F || strings.IndexByte("\"():<>?@[\\]{}", c) >= 0 {
			return true
		}
	}
	return false
}

// parseSingleRange implements "parse a single range header value"
// (https://fetch.spec.whatwg.org/#simple-range-header-value).
// A missing start or end is -1.
func parseSingleRange(value string, allowWhitespace bool) (start, end int64, ok bool) {
	// Steps 1-3.
	data := value
	if !strings.HasPrefix(data, "bytes") {
		return 0, 0, false
	}
	pos := 5
	skip := func() {
		if allowWhitespace {
			for pos < len(data) && isTabOrSpace(data[pos]) {
				pos++
			}
		}
	}
	digits := func() (int64, bool) {
		s := pos
		var n int64
		for pos < len(data) && data[pos] >= '0' && data[pos] <= '9' {
			if n > (1<<62)/10 {
				return 0, false // too large to be a byte position
			}
			n = n*10 + int64(data[pos]-'0')
			pos++
		}
		if pos == s {
			return -1, true
		}
		return n, true
	}
	// Steps 4-6.
	skip()
	if pos >= len(data) || data[pos] != '=' {
		return 0, 0, false
	}
	pos++
	// Steps 7-9.
	skip()
	start, ok = digits()
	if !ok {
		return 0, 0, false
	}
	// Steps 10-12.
	skip()
	if pos >= len(data) || data[pos] != '-' {
		return 0, 0, false
	}
	pos++
	// Steps 13-15.
	skip()
	end, ok = digits()
	if !ok {
		return 0, 0, false
	}
	// Steps 16-18.
	if pos < len(data) || start < 0 && end < 0 || start >= 0 && end >= 0 && start > end {
		return 0, 0, false
	}
	return start, end, true
}
