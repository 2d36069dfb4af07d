package url

import (
	"fmt"
	"net/netip"
	"strings"

	wurl "github.com/nlnwa/whatwg-url/url"
	"golang.org/x/net/idna"

	"github.com/wsjs/wsjs/bindings/internal/urlbound"
)

// parser is the URL parser (https://url.spec.whatwg.org/#concept-url-parser).
// The library predates the standard's path percent-encode set
// (https://url.spec.whatwg.org/#path-percent-encode-set), which now has
// U+005E (^) besides the query percent-encode set and ?, `, { and }.
// Domains are converted to ASCII by this package (see preParseHost).
var parser = wurl.NewParser(
	wurl.WithPathPercentEncodeSet(wurl.PathPercentEncodeSet.Set('^')),
	wurl.WithPreParseHostFunc(preParseHost),
	wurl.WithPostParseHostFunc(postParseHost),
)

// parse runs the parser on input, with base if it is not nil, and then
// percent-encodes a space ending an opaque path before a query or fragment.
// Input the library would take too long on is a failure (urlbound), and so
// is a URL whose serialization passes the bound: percent-encoding can make
// a part nine times as long, and a URL this parser returns must parse again.
func parse(input string, base *wurl.Url) (*wurl.Url, error) {
	if err := urlbound.Check(input); err != nil {
		return nil, err
	}
	var u *wurl.Url
	var err error
	if base == nil {
		u, err = parser.Parse(input)
	} else {
		u, err = base.Parse(input)
	}
	if err != nil {
		return nil, err
	}
	u = encodeOpaquePathSpace(u)
	if err := urlbound.Check(u.Href(false)); err != nil {
		return nil, err
	}
	return u, nil
}

// encodeOpaquePathSpace returns u with the last code point of its opaque
// path, a space, written "%20" if the query or fragment is not null, as the
// opaque path state (https://url.spec.whatwg.org/#cannot-be-a-base-url-path-state)
// now does for a space that the remaining input continues with "?" or "#".
// The library keeps such a space as it is and strips trailing spaces when
// the query and fragment become null; with "%20" there is none to strip,
// which is what the standard's setters now give.
func encodeOpaquePathSpace(u *wurl.Url) *wurl.Url {
	if !u.OpaquePath() || !strings.HasSuffix(u.Pathname(), " ") {
		return u
	}
	hasFragment := u.Href(false) != u.Href(true)
	if !hasQuery(u) && !hasFragment {
		return u
	}
	href := u.Scheme() + ":" + strings.TrimSuffix(u.Pathname(), " ") + "%20"
	if hasQuery(u) {
		href += "?" + u.Query()
	}
	if hasFragment {
		href += "#" + u.Fragment()
	}
	v, err := parser.Parse(href)
	if err != nil {
		return u
	}
	return v
}

// Record is a URL record (https://url.spec.whatwg.org/#concept-url) as the URL
// parser returns it, its components serialized the way the URL interface's
// getters show them. Href is the URL serializer's output
// (https://url.spec.whatwg.org/#concept-url-serializer) and Origin the
// serialization of the URL's origin
// (https://html.spec.whatwg.org/multipage/origin.html#ascii-serialisation-of-an-origin).
type Record struct {
	Href     string // the URL serializer's output
	Origin   string // serialization of the URL's origin: "null" for an opaque one
	Scheme   string // without the trailing ":"
	Username string
	Password string
	Host     string // the serialized host, "" if there is none; an IPv6 address is in brackets
	Port     string // "" if null; a scheme's default port is null
	Path     string // the URL path serializer's output (the pathname)
	Query    string // without the leading "?"
	Fragment string // without the leading "#"
	// HasQuery and HasFragment report whether the query and the fragment
	// are non-null: "ws://h/?" has an empty query, "ws://h/" none.
	HasQuery    bool
	HasFragment bool
}

// Parse runs the URL parser (https://url.spec.whatwg.org/#concept-url-parser;
// "the API URL parser", https://url.spec.whatwg.org/#api-url-parser) on input
// with the base URL base; an empty base means none. The error says whether
// input or base failed to parse.
func Parse(input, base string) (*Record, error) {
	u, err := apiParse(input, base, base != "")
	if err != nil {
		return nil, err
	}
	return newRecord(u), nil
}

// apiParse implements the API URL parser
// (https://url.spec.whatwg.org/#api-url-parser): the base, if given, is parsed
// first and its failure is the result's failure.
func apiParse(input, base string, hasBase bool) (*wurl.Url, error) {
	if !hasBase {
		u, err := parse(input, nil)
		if err != nil || !hostDecodes(u) {
			return nil, fmt.Errorf("url: invalid URL %q", input)
		}
		return u, nil
	}
	b, err := parse(base, nil)
	if err != nil || !hostDecodes(b) {
		return nil, fmt.Errorf("url: invalid base URL %q", base)
	}
	u, err := parse(input, b)
	if err != nil || !hostDecodes(u) {
		return nil, fmt.Errorf("url: invalid URL %q with base %q", input, base)
	}
	return u, nil
}

// PotentiallyTrustworthy implements "Is url potentially trustworthy?"
// (https://w3c.github.io/webappsec-secure-contexts/#is-url-trustworthy) and,
// for the URL's origin, "Is origin potentially trustworthy?"
// (https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy):
// about:blank, about:srcdoc and data: URLs; https: and wss:; and loopback hosts
// (127.0.0.0/8, ::1, localhost and *.localhost). The first three have opaque
// origins, so the URL's origin is potentially trustworthy exactly when Origin
// is not "null" and this reports true.
func (rec *Record) PotentiallyTrustworthy() bool {
	if rec.Href == "about:blank" || rec.Href == "about:srcdoc" || rec.Scheme == "data" {
		return true
	}
	// "Is origin potentially trustworthy?" on the URL's origin (a blob:
	// URL's is that of the URL inside).
	// An opaque origin is not trustworthy.
	if rec.Origin == "null" {
		return false
	}
	o := rec
	if rec.Scheme == "blob" {
		var err error
		if o, err = Parse(rec.Origin, ""); err != nil {
			return false
		}
	}
	if o.Scheme == "https" || o.Scheme == "wss" {
		return true
	}
	host := strings.TrimSuffix(strings.TrimPrefix(o.Host, "["), "]")
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.IsLoopback()
	}
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

// hostDecodes reports whether every Punycode label ("xn--") of u's host
// decodes. The URL Standard sets no length limit on a label that is not
// DNS-checked (whatwg/url#824 discusses the gap), and the IDNA library encodes
// a label of any length but refuses to decode one of more than 1024 code
// points. Without this check, a host with such a long non-ASCII label would
// parse into a URL whose serialization does not parse again. Refusing it at
// parse is the algorithm limit Infra allows
// (https://infra.spec.whatwg.org/#algorithm-limits), and keeps parser and
// serializer in agreement.
func hostDecodes(u *wurl.Url) bool {
	host := u.Hostname()
	if !strings.Contains(host, "xn--") {
		return true
	}
	for _, label := range strings.Split(host, ".") {
		if strings.HasPrefix(label, "xn--") {
			if _, err := idna.Punycode.ToUnicode(label); err != nil {
				return false
			}
		}
	}
	return true
}

func newRecord(u *wurl.Url) *Record {
	href := u.Href(false)
	withoutFragment := u.Href(true)
	return &Record{
		Href:        href,
		Origin:      origin(u),
		Scheme:      u.Scheme(),
		Username:    u.Username(),
		Password:    u.Password(),
		Host:        u.Hostname(),
		Port:        u.Port(),
		Path:        u.Pathname(),
		Query:       u.Query(),
		Fragment:    u.Fragment(),
		HasQuery:    hasQuery(u),
		HasFragment: href != withoutFragment,
	}
}

// hasQuery reports whether u's query is non-null. An empty query shows in
// the serialization as a "?" ending it before the fragment: neither hosts
// nor paths hold a bare "?".
func hasQuery(u *wurl.Url) bool {
	return u.Query() != "" || strings.HasSuffix(u.Href(true), "?")
}

// origin returns the serialization
// (https://html.spec.whatwg.org/multipage/origin.html#ascii-serialisation-of-an-origin)
// of u's origin (https://url.spec.whatwg.org/#concept-url-origin).
func origin(u *wurl.Url) string {
	switch u.Scheme() {
	case "blob":
		// The origin of the URL in the path, if it parses and is an
		// http(s) URL; there is no blob URL store to consult.
		p, err := parser.Parse(u.Pathname())
		if err == nil && (p.Scheme() == "http" || p.Scheme() == "https") {
			return origin(p)
		}
		return "null"
	case "ftp", "http", "https", "ws", "wss":
		// A tuple origin: scheme, host and port, the port omitted when
		// it is null (the scheme's default).
		o := u.Scheme() + "://" + u.Hostname()
		if p := u.Port(); p != "" {
			o += ":" + p
		}
		return o
	default:
		// "file" and every other scheme: an opaque origin.
		return "null"
	}
}
