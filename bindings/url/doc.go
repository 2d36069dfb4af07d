// Package url binds the URL and URLSearchParams interfaces of the WHATWG URL
// Standard (https://url.spec.whatwg.org/) to a goja runtime: Register installs
// them on a webidl.Realm. Parsing and the component setters are those of
// github.com/nlnwa/whatwg-url, brought up to the standard where it lags:
// domain to ASCII (golang.org/x/net/idna with the standard's UTS #46
// options), the path percent-encode set, and a space ending an opaque path.
// The application/x-www-form-urlencoded parser and serializer, origins and
// the link between a URL and its searchParams are implemented here. Parse
// gives other bindings the URL parser from Go, PercentDecode the
// percent-decode algorithm and ParseURLEncoded the urlencoded parser.
package url
