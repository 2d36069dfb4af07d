package fetch

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/wsjs/wsjs/bindings/network"
	urlpkg "github.com/wsjs/wsjs/bindings/url"
)

// isBadPort reports whether the port of u (its scheme's default when null)
// is a bad port ("should request be blocked due to a bad port",
// https://fetch.spec.whatwg.org/#block-bad-port).
func isBadPort(u *urlpkg.Record) bool {
	port := 80
	if u.Scheme == "https" {
		port = 443
	}
	if u.Port != "" {
		p, err := strconv.Atoi(u.Port)
		if err != nil {
			return true
		}
		port = p
	}
	return network.BadPort(port)
}

// determineReferrer implements "determine request's referrer"
// (https://w3c.github.io/webappsec-referrer-policy/#determine-requests-referrer):
// the referrer to send, serialized, or "no-referrer". The client's referrer
// source is its API base URL; a source that is not an HTTP(S) URL (a script run
// from a file) gives no referrer, so that local paths are not sent to servers.
func (j *job) determineReferrer() string {
	req := j.p.req
	// Steps 1-3: the referrer source.
	var source *urlpkg.Record
	if req.referrer == "client" {
		source = j.p.clientURL
	} else if u, err := urlpkg.Parse(req.referrer, ""); err == nil && isHTTPScheme(u.Scheme) {
		source = u
	}
	if source == nil {
		return "no-referrer"
	}
	// Steps 4-6: the stripped URL and origin
	// (https://w3c.github.io/webappsec-referrer-policy/#strip-url).
	referrerURL := stripReferrer(source)
	referrerOrigin := source.Origin + "/"
	if len(referrerURL) > 4096 {
		referrerURL = referrerOrigin
	}
	cur := req.current()
	downgrade := source.PotentiallyTrustworthy() && !cur.PotentiallyTrustworthy()
	same := sameOrigin(source.Origin, cur.Origin)
	// Step 8.
	switch req.referrerPolicy {
	case "no-referrer":
		return "no-referrer"
	case "origin":
		return referrerOrigin
	case "unsafe-url":
		return referrerURL
	case "strict-origin":
		if downgrade {
			return "no-referrer"
		}
		return referrerOrigin
	case "same-origin":
		if same {
			return referrerURL
		}
		return "no-referrer"
	case "origin-when-cross-origin":
		if same {
			return referrerURL
		}
		return referrerOrigin
	case "no-referrer-when-downgrade":
		if downgrade {
			return "no-referrer"
		}
		return referrerURL
	default: // "strict-origin-when-cross-origin"
		if same {
			return referrerURL
		}
		if downgrade {
			return "no-referrer"
		}
		return referrerOrigin
	}
}

// stripReferrer implements "strip url for use as a referrer"
// (https://w3c.github.io/webappsec-referrer-policy/#strip-url) for an HTTP(S)
// URL: no credentials, no fragment.
func stripReferrer(u *urlpkg.Record) string {
	s := u.Scheme + "://" + u.Host
	if u.Port != "" {
		s += ":" + u.Port
	}
	s += u.Path
	if u.HasQuery {
		s += "?" + u.Query
	}
	return s
}

// parseReferrerPolicy implements "parse a referrer policy from a
// Referrer-Policy header"
// (https://w3c.github.io/webappsec-referrer-policy/#parse-referrer-policy-from-header):
// the last valid token, or "".
func parseReferrerPolicy(headers *headerList) string {
	tokens, ok := headers.getDecodeSplit("Referrer-Policy")
	if !ok {
		return ""
	}
	policy := ""
	for _, t := range tokens {
		t = lowerASCII(t)
		for _, p := range referrerPolicies {
			if p != "" && t == p {
				policy = t
			}
		}
	}
	return policy
}

// matchesIntegrity implements "do bytes match metadataList?"
// (https://w3c.github.io/webappsec-subresource-integrity/#does-response-match-metadatalist):
// metadata with no known algorithm matches anything; otherwise one of the
// digests of the strongest algorithm must be that of data.
func matchesIntegrity(data []byte, metadata string) bool {
	type item struct{ alg, value string }
	// "Parse metadata"
	// (https://w3c.github.io/webappsec-subresource-integrity/#parse-metadata).
	var items []item
	for _, token := range strings.FieldsFunc(metadata, isASCIIWhitespace) {
		expr, _, _ := strings.Cut(token, "?")
		parts := strings.Split(expr, "-")
		alg := lowerASCII(parts[0])
		if alg != "sha256" && alg != "sha384" && alg != "sha512" {
			continue
		}
		value := ""
		if len(parts) > 1 {
			value = parts[1]
		}
		items = append(items, item{alg, value})
	}
	if len(items) == 0 {
		return true
	}
	// "Get the strongest metadata from set"
	// (https://w3c.github.io/webappsec-subresource-integrity/#get-the-strongest-metadata).
	strongest := ""
	for _, it := range items {
		if strongest == "" || it.alg > strongest { // sha256 < sha384 < sha512
			strongest = it.alg
		}
	}
	var digest []byte
	switch strongest {
	case "sha256":
		d := sha256.Sum256(data)
		digest = d[:]
	case "sha384":
		d := sha512.Sum384(data)
		digest = d[:]
	default:
		d := sha512.Sum512(data)
		digest = d[:]
	}
	actual := base64.StdEncoding.EncodeToString(digest)
	for _, it := range items {
		if it.alg == strongest && it.value == actual {
			return true
		}
	}
	return false
}

// isASCIIWhitespace reports whether c is ASCII whitespace
// (https://infra.spec.whatwg.org/#ascii-whitespace).
func isASCIIWhitespace(c rune) bool {
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}
