package url

import (
	"strings"
	"sync"
	"unicode/utf8"

	wurl "github.com/nlnwa/whatwg-url/url"
	"golang.org/x/net/idna"
)

// The library's domain to ASCII uses UseSTD3ASCIIRules, which the URL
// Standard sets only for its strict mode, so it refuses hosts such as
// "≠.com" and "a..b" that the standard accepts. The host parser's hooks
// take domain to ASCII over for special URLs: the pre-parse hook runs the
// standard's steps on the input and hands the library a placeholder that it
// parses as it is, and the post-parse hook puts the result back. A result
// that ends in a number (an IPv4 address) is handed over itself, for the
// library's IPv4 parser; a failure is handed over as "%", which the
// library refuses.

// uts46 is domain to ASCII's UTS #46 ToASCII
// (https://url.spec.whatwg.org/#concept-domain-to-ascii) with beStrict
// false: CheckHyphens false, CheckBidi and CheckJoiners true,
// UseSTD3ASCIIRules false, Transitional_Processing false, VerifyDnsLength
// false.
var uts46 = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.ValidateLabels(true),
	idna.CheckHyphens(false),
	idna.CheckJoiners(true),
	idna.StrictDomainName(false),
	idna.VerifyDNSLength(false),
	idna.Transitional(false),
)

const (
	hostPlaceholder = "wsjs-host-placeholder"
	hostFailure     = "%"
)

// pendingHosts holds, per URL being parsed, the domain its placeholder
// stands for.
var pendingHosts sync.Map // *wurl.Url -> string

// preParseHost runs the host parser's steps for a domain
// (https://url.spec.whatwg.org/#concept-host-parser, steps 4-8) up to the
// ends-in-a-number check.
func preParseHost(u *wurl.Url, input string) string {
	if !u.IsSpecialScheme() || input == "" || input[0] == '[' {
		return input
	}
	// Step 4: UTF-8 decode without BOM of the percent-decoding.
	domain := strings.ToValidUTF8(string(PercentDecode(input)), "\uFFFD")
	// Steps 5-6: domain to ASCII.
	ascii, ok := domainToASCII(domain)
	// Step 7: forbidden domain code points.
	if !ok || strings.ContainsFunc(ascii, isForbiddenDomainCodePoint) {
		return hostFailure
	}
	// Step 8 is the library's.
	if endsInANumber(ascii) {
		return ascii
	}
	pendingHosts.Store(u, ascii)
	return hostPlaceholder
}

// postParseHost returns the domain preParseHost set aside for u.
func postParseHost(u *wurl.Url, host string) string {
	if host != hostPlaceholder {
		return host
	}
	if ascii, ok := pendingHosts.LoadAndDelete(u); ok {
		return ascii.(string)
	}
	return host
}

// domainToASCII runs domain to ASCII
// (https://url.spec.whatwg.org/#concept-domain-to-ascii) with beStrict
// false. A domain of ASCII labels without "xn--" needs no UTS #46 but
// lowercasing.
func domainToASCII(domain string) (string, bool) {
	if isPlainASCII(domain) {
		return strings.ToLower(domain), domain != ""
	}
	ascii, err := uts46.ToASCII(domain)
	if err != nil || ascii == "" || !utf8.ValidString(ascii) {
		return "", false
	}
	return ascii, true
}

// isPlainASCII reports whether s is ASCII with no label starting "xn--".
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	for _, label := range strings.Split(strings.ToLower(s), ".") {
		if strings.HasPrefix(label, "xn--") {
			return false
		}
	}
	return true
}

// isForbiddenDomainCodePoint reports whether c is a forbidden domain code
// point (https://url.spec.whatwg.org/#forbidden-domain-code-point).
func isForbiddenDomainCodePoint(c rune) bool {
	return c <= 0x20 || c == 0x7F || strings.ContainsRune("#%/:<>?@[\\]^|", c)
}

// endsInANumber is the ends in a number checker
// (https://url.spec.whatwg.org/#ends-in-a-number-checker).
func endsInANumber(s string) bool {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" {
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	if len(last) >= 2 && (last[:2] == "0x" || last[:2] == "0X") {
		return strings.Trim(last[2:], "0123456789abcdefABCDEF") == ""
	}
	return false
}
