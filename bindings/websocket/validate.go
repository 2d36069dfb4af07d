package websocket

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	wurl "github.com/nlnwa/whatwg-url/url"
)

// errSyntax and friends name the DOMException the constructor or close() throws.
var (
	errSyntax        = errors.New("SyntaxError")
	errSecurity      = errors.New("SecurityError")
	errInvalidAccess = errors.New("InvalidAccessError")
)

// target is a WebSocket URL after the constructor's checks.
type target struct {
	url  *wurl.Url
	href string // serialized
}

// parseTarget runs the URL steps of the WebSocket constructor (WebSockets §3.1, steps
// 1-6): parse url against baseURL; map http(s) to ws(s); only ws and wss remain; no
// fragment. A secure base URL (an https or wss one) refuses ws: URLs, as a secure
// context's mixed-content check does (Mixed Content §4.3 blocks the fetch, and
// browsers throw SecurityError from the constructor, as WPT's mixed-content test
// expects).
func parseTarget(input, baseURL string) (*target, error) {
	var u *wurl.Url
	var err error
	if baseURL == "" {
		u, err = wurl.Parse(input)
	} else {
		u, err = wurl.ParseRef(baseURL, input)
	}
	// Step 3: failure throws SyntaxError.
	if err != nil {
		return nil, errSyntax
	}
	// Step 4: http -> ws, https -> wss. Both are special schemes, so the port is
	// normalised against the new scheme's default port.
	switch u.Scheme() {
	case "http":
		u.SetProtocol("ws")
	case "https":
		u.SetProtocol("wss")
	}
	// Step 5: any other scheme throws.
	if s := u.Scheme(); s != "ws" && s != "wss" {
		return nil, errSyntax
	}
	// Step 6: a fragment, even an empty one, throws.
	href := u.Href(false)
	if href != u.Href(true) {
		return nil, errSyntax
	}
	if u.Scheme() == "ws" && isSecure(baseURL) {
		return nil, errSecurity
	}
	return &target{url: u, href: href}, nil
}

func isSecure(baseURL string) bool {
	return strings.HasPrefix(baseURL, "https:") || strings.HasPrefix(baseURL, "wss:")
}

// port returns the URL's port, or the scheme's default one.
func (t *target) port() int {
	if p := t.url.Port(); p != "" {
		n, _ := strconv.Atoi(p)
		return n
	}
	if t.url.Scheme() == "wss" {
		return 443
	}
	return 80
}

// origin is the serialization of the URL's origin (URL Standard §4.5): a tuple origin for
// ws and wss, written with the ws/wss scheme as the WebSockets Standard's message event
// expects.
func (t *target) origin() string {
	o := t.url.Scheme() + "://" + t.url.Hostname()
	if p := t.url.Port(); p != "" {
		o += ":" + p
	}
	return o
}

// checkProtocols runs step 8 of the constructor: every protocol is a token as
// Sec-WebSocket-Protocol requires (RFC 6455 §4.1 item 10, RFC 2616 §2.2), and none
// occurs twice. Subprotocol names are compared case-insensitively: WPT's
// Create-protocols-repeated-case-insensitive expects ["echo", "eCho"] to throw.
func checkProtocols(protocols []string) error {
	for i, p := range protocols {
		if !isToken(p) {
			return errSyntax
		}
		for _, q := range protocols[:i] {
			if strings.EqualFold(p, q) {
				return errSyntax
			}
		}
	}
	return nil
}

// isToken reports whether s is a non-empty RFC 2616 token: visible ASCII other than the
// separators ( ) < > @ , ; : \ " / [ ] ? = { }.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}

// badPorts is Fetch's list of bad ports (Fetch §2.9 "port blocking"); a fetch to one of
// them is a network error, which fails the WebSocket connection.
var badPorts = map[int]bool{
	0: true, 1: true, 7: true, 9: true, 11: true, 13: true, 15: true, 17: true, 19: true,
	20: true, 21: true, 22: true, 23: true, 25: true, 37: true, 42: true, 43: true, 53: true,
	69: true, 77: true, 79: true, 87: true, 95: true, 101: true, 102: true, 103: true,
	104: true, 109: true, 110: true, 111: true, 113: true, 115: true, 117: true, 119: true,
	123: true, 135: true, 137: true, 139: true, 143: true, 161: true, 179: true, 389: true,
	427: true, 465: true, 512: true, 513: true, 514: true, 515: true, 526: true, 530: true,
	531: true, 532: true, 540: true, 548: true, 554: true, 556: true, 563: true, 587: true,
	601: true, 636: true, 989: true, 990: true, 993: true, 995: true, 1719: true, 1720: true,
	1723: true, 2049: true, 3659: true, 4045: true, 4190: true, 5060: true, 5061: true,
	6000: true, 6566: true, 6665: true, 6666: true, 6667: true, 6668: true, 6669: true,
	6679: true, 6697: true, 10080: true,
}

// checkClose runs steps 1-2 of close(code, reason) (WebSockets §3.1): a code other than
// 1000 or 3000-4999 throws InvalidAccessError; a reason over 123 UTF-8 bytes throws
// SyntaxError. code < 0 means absent.
func checkClose(code int, reason string, hasReason bool) error {
	if code >= 0 && code != 1000 && (code < 3000 || code > 4999) {
		return errInvalidAccess
	}
	if hasReason && len(reason) > 123 {
		return errSyntax
	}
	return nil
}

// utf8Len is the number of bytes s takes as UTF-8 after USVString conversion.
func utf8Len(s string) int {
	if utf8.ValidString(s) {
		return len(s)
	}
	return len(strings.ToValidUTF8(s, "\uFFFD"))
}
