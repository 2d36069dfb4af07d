package fetch

import (
	"strings"

	"github.com/wsjs/wsjs/bindings/base64"
	urlpkg "github.com/wsjs/wsjs/bindings/url"
)

// processDataURL implements the data: URL processor
// (https://fetch.spec.whatwg.org/#data-url-processor): href is a data: URL
// serialized with its fragment excluded. It returns the MIME type and the body,
// or ok false for failure.
func processDataURL(href string) (mt *mimeType, body []byte, ok bool) {
	// Steps 1-3: remove the leading "data:".
	input, found := strings.CutPrefix(href, "data:")
	if !found {
		return nil, nil, false
	}
	// Steps 4-6: the MIME type, up to ",", stripped of ASCII whitespace.
	comma := strings.IndexByte(input, ',')
	if comma < 0 {
		return nil, nil, false
	}
	mimeStr := strings.Trim(input[:comma], "\t\n\f\r ")
	// Steps 7-9: the body, percent-decoded.
	body = urlpkg.PercentDecode(input[comma+1:])
	// Step 10: a ";base64" suffix, with spaces allowed before "base64".
	if rest, ok := cutBase64Suffix(mimeStr); ok {
		// Isomorphic decoding keeps one byte per code point: the
		// forgiving-base64 decoder works on the bytes.
		decoded, ok := base64.ForgivingDecode(body)
		if !ok {
			return nil, nil, false
		}
		body = decoded
		mimeStr = rest
	}
	// Step 11.
	if strings.HasPrefix(mimeStr, ";") {
		mimeStr = "text/plain" + mimeStr
	}
	// Steps 12-14.
	mt, ok = parseMIMEType(mimeStr)
	if !ok {
		mt = &mimeType{typ: "text", subtype: "plain", params: []mimeParam{{"charset", "US-ASCII"}}}
	}
	return mt, body, true
}

// cutBase64Suffix reports whether s ends with ";", zero or more spaces and
// "base64" (ASCII case-insensitively), and returns s without them (step 10
// of the data: URL processor, substeps 4-6).
func cutBase64Suffix(s string) (string, bool) {
	if len(s) < 6 || !equalFold(s[len(s)-6:], "base64") {
		return s, false
	}
	rest := strings.TrimRight(s[:len(s)-6], " ")
	if !strings.HasSuffix(rest, ";") {
		return s, false
	}
	return rest[:len(rest)-1], true
}
