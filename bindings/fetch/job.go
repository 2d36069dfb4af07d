package fetch

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/wsjs/wsjs/bindings/network"
	urlpkg "github.com/wsjs/wsjs/bindings/url"
)

// userAgent is the default `User-Agent` value
// (https://fetch.spec.whatwg.org/#default-user-agent-value).
const userAgent = "wsjs"

// maxRedirects is the redirect count after which a redirect is a network error
// (step 7 of HTTP-redirect fetch,
// https://fetch.spec.whatwg.org/#concept-http-redirect-fetch).
const maxRedirects = 20

// maxKeepaliveBytes bounds the bodies of keepalive requests in flight
// (HTTP-network-or-cache fetch,
// https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch).
const maxKeepaliveBytes = 64 << 10

// The causes of network errors that this runtime decides itself. Their
// messages are what scripts see after "Failed to fetch: ".
var (
	errBadPort       = errors.New("the port is restricted (https://fetch.spec.whatwg.org/#port-blocking)")
	errScheme        = errors.New("the URL scheme is not supported")
	errSameOrigin    = errors.New("the request's mode is \"same-origin\" but the URL is cross-origin")
	errNoCORSMode    = errors.New("a \"no-cors\" request must follow redirects")
	errMixedContent  = errors.New("mixed content: an insecure URL from a secure context")
	errRedirect      = errors.New("the response is a redirect and the request's redirect mode is \"error\"")
	errTooMany       = errors.New("too many redirects")
	errLocation      = errors.New("invalid redirect location")
	errCredentials   = errors.New("a redirect to a URL with credentials")
	errProxyAuth     = errors.New("proxy authentication required")
	errKeepalive     = errors.New("keepalive requests have too large bodies in flight")
	errIntegrity     = errors.New("the response does not match the request's integrity metadata")
	errAbortedByHost = errors.New("the runtime closed")
)

// fetchParams is what a fetch's goroutine works on: the request, which it
// owns from then on, and the client's state when fetch() was called.
type fetchParams struct {
	req *request
	// reqBody is the request body's bytes, nil for a null body.
	reqBody []byte
	hasBody bool
	// origin is the client's origin, serialized; clientURL the referrer
	// source (the API base URL), nil if it is not an HTTP(S) URL.
	origin    string
	clientURL *urlpkg.Record
	// bodyChunk, if not nil, is processRequestBodyChunkLength: it is told
	// the length of each piece of the request body as it is transmitted.
	bodyChunk func(n int)
}

// snapshot prepares a request for fetching: "fetch"
// (https://fetch.spec.whatwg.org/#concept-fetch) steps up to main fetch, on the
// loop.
func (b *binding) snapshot(req *request) *fetchParams {
	p := &fetchParams{req: req, origin: b.origin()}
	if u, err := urlpkg.Parse(b.r.APIBaseURL(), ""); err == nil && isHTTPScheme(u.Scheme) {
		p.clientURL = u
	}
	if req.body != nil {
		p.reqBody, p.hasBody = req.body.data.bytes, true
	}
	// Step 12: Accept, */* for the empty destination.
	if !req.headers.contains("Accept") {
		req.headers.append("Accept", "*/*")
	}
	return p
}

// job is one fetch in flight.
type job struct {
	n   *fetcher
	p   *fetchParams
	ctx context.Context
	end *jobEnd

	tainting      string // the request's response tainting
	redirectCount int
	redirectTaint bool  // the redirect-taint is not "same-origin"
	err           error // the cause of a network error
}

func (n *fetcher) newJob(p *fetchParams) *job {
	j := &job{n: n, p: p, tainting: "basic"}
	var cancel context.CancelFunc
	j.ctx, cancel = context.WithCancel(n.root)
	j.end = &jobEnd{cancel: cancel, count: n.keepalive}
	return j
}

// abort aborts the fetch ("abort" a fetch controller).
func (j *job) abort() { j.done() }

// done ends the fetch.
func (j *job) done() { j.end.do() }

// A jobEnd ends a fetch. It holds only what that takes, since a response body
// keeps it until the body is closed, or collected: a collected body's cleanup
// calls it.
type jobEnd struct {
	once      sync.Once
	cancel    context.CancelFunc
	count     *keepaliveCount
	keepalive int64 // the fetch's bytes in count, guarded by count.mu
}

// do cancels the fetch's context, which closes a response body still open,
// and takes its keepalive bytes off the count. Only the first call does
// anything.
func (e *jobEnd) do() {
	e.once.Do(func() {
		e.cancel()
		e.count.mu.Lock()
		e.count.bytes -= e.keepalive
		e.count.mu.Unlock()
	})
}

// fail returns a network error caused by err.
func (j *job) fail(err error) *response {
	j.err = err
	resp := networkError()
	resp.errMsg = err.Error()
	return resp
}

// failNetwork returns a network error for err from net/http, which is an
// aborted one when the fetch was aborted.
func (j *job) failNetwork(err error) *response {
	if j.ctx.Err() != nil {
		resp := j.fail(errAbortedByHost)
		resp.aborted = true
		return resp
	}
	resp := j.fail(err)
	var de *network.DeniedError
	if errors.As(err, &de) {
		// The connection policy's reasons stay on the Go side.
		resp.errMsg = "the connection is not allowed"
	}
	return resp
}

// run fetches on the calling goroutine and returns the response, whose body
// is read later.
func (j *job) run() *response {
	resp := j.mainFetch(false)
	if resp.isNetworkError() && !resp.aborted {
		j.n.policy.Report(j.p.req.url().Href, j.err)
	}
	return resp
}

// mainFetch implements main fetch
// (https://fetch.spec.whatwg.org/#concept-main-fetch).
func (j *job) mainFetch(recursive bool) *response {
	req := j.p.req
	cur := req.current()
	// Steps 1-2.
	var resp *response
	// Steps 3-6: no local-URLs-only flag, Content Security Policy or
	// upgrades apply here.
	// Step 7: bad ports and mixed content are blocked.
	switch {
	case isHTTPScheme(cur.Scheme) && isBadPort(cur):
		resp = j.fail(errBadPort)
	case strings.HasPrefix(j.p.origin, "https://") && !cur.PotentiallyTrustworthy():
		// A secure client prohibits mixed security contexts, and
		// fetch() requests are blockable (Mixed Content,
		// https://w3c.github.io/webappsec-mixed-content/#should-block-fetch).
		resp = j.fail(errMixedContent)
	}
	// Step 8: the policy container's default referrer policy.
	if req.referrerPolicy == "" {
		req.referrerPolicy = "strict-origin-when-cross-origin"
	}
	// Step 9.
	if req.referrer != "no-referrer" {
		req.referrer = j.determineReferrer()
	}
	// Step 10: no HSTS host is known.
	// Step 12.
	if resp == nil {
		switch {
		case sameOrigin(cur.Origin, j.p.origin) && j.tainting == "basic", cur.Scheme == "data":
			j.tainting = "basic"
			resp = j.schemeFetch()
		case req.mode == "same-origin":
			resp = j.fail(errSameOrigin)
		case req.mode == "no-cors":
			if req.redirect != "follow" {
				resp = j.fail(errNoCORSMode)
				break
			}
			j.tainting = "opaque"
			resp = j.schemeFetch()
		case !isHTTPScheme(cur.Scheme):
			resp = j.fail(errScheme)
		default:
			// The CORS protocol is not applied (see the package
			// documentation): no preflight, no CORS check.
			j.tainting = "cors"
			resp = j.httpFetch()
		}
	}
	// Step 13.
	if recursive {
		return resp
	}
	// Step 14: the filtered response. Without the CORS protocol a
	// "cors" tainted response is exposed as a basic one.
	if !resp.isNetworkError() && !resp.filtered {
		switch j.tainting {
		case "opaque":
			resp = opaqueFiltered(resp)
		default:
			resp = basicFiltered(resp)
		}
	}
	// Steps 15-16.
	if !resp.isNetworkError() && len(resp.urlList) == 0 && resp.typ != "opaque" {
		resp.urlList = slices.Clone(req.urlList)
	}
	// Step 19: a body for HEAD or a null body status is dropped.
	if !resp.isNetworkError() && (req.method == "HEAD" || req.method == "CONNECT" || isNullBodyStatus(resp.status)) {
		resp.discard()
		resp.body = nil
	}
	// Steps 20-21: integrity metadata.
	if req.integrity != "" && !resp.isNetworkError() {
		return j.checkIntegrity(resp)
	}
	return resp
}

// checkIntegrity reads the whole body and matches it against the request's
// integrity metadata (step 21 of main fetch,
// https://fetch.spec.whatwg.org/#concept-main-fetch; Subresource Integrity,
// https://w3c.github.io/webappsec-subresource-integrity/#does-response-match-metadatalist).
func (j *job) checkIntegrity(resp *response) *response {
	if resp.body == nil {
		return j.fail(errIntegrity)
	}
	data := resp.body.data.bytes
	if nb := resp.body.data.net; nb != nil {
		var err error
		data, err = nb.readAll()
		if err != nil {
			return j.failNetwork(err)
		}
	}
	if !matchesIntegrity(data, j.p.req.integrity) {
		return j.fail(errIntegrity)
	}
	resp.body = newStaticBody(data)
	resp.body.hasSource = false
	return resp
}

// basicFiltered returns the basic filtered response of resp
// (https://fetch.spec.whatwg.org/#concept-filtered-response-basic): the
// headers without Set-Cookie and Set-Cookie2.
func basicFiltered(resp *response) *response {
	f := *resp
	f.typ = "basic"
	f.filtered = true
	f.headers = &headerList{}
	for _, h := range resp.headers.list {
		if !isForbiddenResponseHeaderName(h.name) {
			f.headers.list = append(f.headers.list, h)
		}
	}
	return &f
}

// opaqueFiltered returns the opaque filtered response of resp
// (https://fetch.spec.whatwg.org/#concept-filtered-response-opaque):
// nothing of it shows; its body is dropped.
func opaqueFiltered(resp *response) *response {
	resp.discard()
	return &response{typ: "opaque", headers: &headerList{}, filtered: true}
}

// discard closes a network body that will never be read. The fetch goes
// on (a redirect is followed after its body is discarded).
func (p *response) discard() {
	if p != nil && p.body != nil && p.body.data.net != nil {
		p.body.data.net.rc.Close()
		p.body.data.net = nil
	}
}

// schemeFetch implements scheme fetch
// (https://fetch.spec.whatwg.org/#concept-scheme-fetch).
func (j *job) schemeFetch() *response {
	cur := j.p.req.current()
	switch cur.Scheme {
	case "about":
		if cur.Path != "blank" {
			return j.fail(errScheme)
		}
		resp := newResponse()
		resp.statusText = "OK"
		resp.headers.append("Content-Type", "text/html;charset=utf-8")
		resp.body = newStaticBody(nil)
		return resp
	case "data":
		mt, data, ok := processDataURL(hrefWithoutFragment(cur))
		if !ok {
			return j.fail(errors.New("invalid data: URL"))
		}
		resp := newResponse()
		resp.statusText = "OK"
		resp.headers.append("Content-Type", mt.serialize())
		resp.body = newStaticBody(data)
		return resp
	case "blob":
		// Scheme fetch's "blob"
		// (https://fetch.spec.whatwg.org/#concept-scheme-fetch): the blob URL
		// entry the URL was resolved to when it was parsed; only GET, and
		// the whole Blob (no Range support).
		entry := j.p.req.blobEntry
		if entry == nil || j.p.req.method != "GET" {
			return j.fail(errors.New("blob URL not found, or not fetched with GET"))
		}
		resp := newResponse()
		resp.statusText = "OK"
		resp.headers.append("Content-Length", strconv.Itoa(len(entry.Data)))
		resp.headers.append("Content-Type", entry.Type)
		resp.body = newStaticBody(entry.Data)
		return resp
	case "http", "https":
		return j.httpFetch()
	}
	// file: URLs are network errors, as the standard suggests.
	return j.fail(errScheme)
}

// httpFetch implements HTTP fetch
// (https://fetch.spec.whatwg.org/#concept-http-fetch) without service workers
// or the CORS protocol.
func (j *job) httpFetch() *response {
	req := j.p.req
	// Steps 1-4.
	resp := j.networkOrCacheFetch()
	if resp.isNetworkError() {
		return resp
	}
	// Step 8: redirects, by the request's redirect mode.
	if isRedirectStatus(resp.status) {
		switch req.redirect {
		case "error":
			resp.discard()
			return j.fail(errRedirect)
		case "manual":
			// An opaque-redirect filtered response.
			resp.discard()
			return &response{typ: "opaqueredirect", urlList: resp.urlList, headers: &headerList{}, filtered: true}
		default:
			return j.redirectFetch(resp)
		}
	}
	// Step 9.
	return resp
}

// redirectFetch implements HTTP-redirect fetch
// (https://fetch.spec.whatwg.org/#concept-http-redirect-fetch).
func (j *job) redirectFetch(resp *response) *response {
	req := j.p.req
	cur := req.current()
	// Steps 1-3: the location URL.
	loc, ok := locationURL(resp, cur)
	if ok && loc == nil {
		return resp
	}
	resp.discard()
	// Steps 4-5.
	if !ok {
		return j.fail(errLocation)
	}
	if !isHTTPScheme(loc.Scheme) {
		return j.fail(errScheme)
	}
	// Steps 6-7.
	if j.redirectCount == maxRedirects {
		return j.fail(errTooMany)
	}
	j.redirectCount++
	// Steps 8-9.
	if req.mode == "cors" && includesCredentials(loc) && !sameOrigin(j.p.origin, loc.Origin) ||
		j.tainting == "cors" && includesCredentials(loc) {
		return j.fail(errCredentials)
	}
	// Step 10: every request body here has a source.
	// Step 11: POST after 301 or 302, and anything but GET or HEAD after
	// 303, become GET without a body.
	if (resp.status == 301 || resp.status == 302) && req.method == "POST" ||
		resp.status == 303 && req.method != "GET" && req.method != "HEAD" {
		req.method = "GET"
		req.body = nil
		j.p.reqBody, j.p.hasBody = nil, false
		for _, name := range requestBodyHeaderNames {
			req.headers.delete(name)
		}
	}
	// Step 12: Authorization does not cross origins.
	if !sameOrigin(cur.Origin, loc.Origin) {
		req.headers.delete("Authorization")
	}
	// Step 13: the body is extracted again from its source: the same
	// bytes. Steps 14-16 are timing info.
	// Step 17: the redirect-taint follows the URL list.
	if !sameOrigin(loc.Origin, cur.Origin) && !sameOrigin(j.p.origin, cur.Origin) {
		j.redirectTaint = true
	}
	req.urlList = append(req.urlList, loc)
	// Step 18: set request's referrer policy on redirect (Referrer Policy,
	// https://w3c.github.io/webappsec-referrer-policy/#set-requests-referrer-policy-on-redirect).
	if p := parseReferrerPolicy(resp.headers); p != "" {
		req.referrerPolicy = p
	}
	// Steps 19-21.
	return j.mainFetch(true)
}

// locationURL implements the location URL of a response
// (https://fetch.spec.whatwg.org/#concept-response-location-url): nil and
// ok for no Location header, ok false for failure.
func locationURL(resp *response, cur *urlpkg.Record) (*urlpkg.Record, bool) {
	values := resp.headers.values("Location")
	switch len(values) {
	case 0:
		return nil, true
	case 1:
	default:
		// The ABNF allows a single header.
		return nil, false
	}
	// Location values are decoded as UTF-8, as browsers do.
	v := strings.ToValidUTF8(values[0], string(utf8.RuneError))
	loc, err := urlpkg.Parse(v, cur.Href)
	if err != nil {
		return nil, false
	}
	if !loc.HasFragment && cur.HasFragment {
		if loc, err = urlpkg.Parse(loc.Href+"#"+cur.Fragment, ""); err != nil {
			return nil, false
		}
	}
	return loc, true
}

// networkOrCacheFetch implements HTTP-network-or-cache fetch
// (https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch)
// with no HTTP cache and no user to prompt.
func (j *job) networkOrCacheFetch() *response {
	req := j.p.req
	// Step 8.1-8.2: the request sent is a copy; its headers are built
	// here.
	headers := req.headers.clone()
	// Step 8.3.
	includeCredentials := req.credentials == "include" || req.credentials == "same-origin" && j.tainting == "basic"
	// Steps 8.5-8.9: Content-Length is written by net/http from the body.
	// Step 8.10: keepalive requests' bodies are bounded.
	if j.p.hasBody && req.keepalive {
		n := int64(len(j.p.reqBody))
		e, count := j.end, j.n.keepalive
		count.mu.Lock()
		ok := e.keepalive > 0 || count.bytes+n <= maxKeepaliveBytes
		if e.keepalive == 0 && ok && j.ctx.Err() == nil {
			// Counted until the fetch is done (done runs under the
			// same lock, after the context is cancelled).
			count.bytes += n
			e.keepalive = n
		}
		count.mu.Unlock()
		if !ok {
			return j.fail(errKeepalive)
		}
	}
	// Step 8.11: Referer.
	if req.referrer != "client" && req.referrer != "no-referrer" {
		headers.append("Referer", req.referrer)
	}
	// Step 8.12.
	j.appendOrigin(headers)
	// Step 8.15: User-Agent.
	if !headers.contains("User-Agent") {
		headers.append("User-Agent", userAgent)
	}
	// Steps 8.16-8.18: cache mode headers.
	cache := req.cache
	if cache == "default" {
		for _, name := range []string{"If-Modified-Since", "If-None-Match", "If-Unmodified-Since", "If-Match", "If-Range"} {
			if headers.contains(name) {
				cache = "no-store"
				break
			}
		}
	}
	if cache == "no-cache" && !headers.contains("Cache-Control") {
		headers.append("Cache-Control", "max-age=0")
	}
	if cache == "no-store" || cache == "reload" {
		if !headers.contains("Pragma") {
			headers.append("Pragma", "no-cache")
		}
		if !headers.contains("Cache-Control") {
			headers.append("Cache-Control", "no-cache")
		}
	}
	// Step 8.19.
	if headers.contains("Range") {
		headers.append("Accept-Encoding", "identity")
	}
	// Step 8.20: headers per HTTP; Host and Connection come from net/http.
	if !headers.contains("Accept-Encoding") {
		headers.append("Accept-Encoding", "gzip, deflate")
	}
	// Steps 9-10: with no HTTP cache the cache mode is "no-store", so
	// the network is always asked.
	resp := j.networkFetch(headers, includeCredentials)
	if resp.isNetworkError() {
		return resp
	}
	// Step 11.
	resp.urlList = slices.Clone(req.urlList)
	// Steps 14-15: there is no user to prompt for credentials; a proxy
	// asking for them is a network error.
	if resp.status == 407 {
		resp.discard()
		return j.fail(errProxyAuth)
	}
	return resp
}

// appendOrigin implements "append a request `Origin` header"
// (https://fetch.spec.whatwg.org/#append-a-request-origin-header).
func (j *job) appendOrigin(headers *headerList) {
	req := j.p.req
	// Steps 1-2.
	serialized := j.p.origin
	if j.redirectTaint {
		serialized = "null"
	}
	// Step 3.
	if j.tainting == "cors" {
		headers.append("Origin", serialized)
		return
	}
	// Step 4.
	if req.method == "GET" || req.method == "HEAD" {
		return
	}
	if req.mode != "cors" {
		cur := req.current()
		switch req.referrerPolicy {
		case "no-referrer":
			serialized = "null"
		case "no-referrer-when-downgrade", "strict-origin", "strict-origin-when-cross-origin":
			if strings.HasPrefix(j.p.origin, "https://") && cur.Scheme != "https" {
				serialized = "null"
			}
		case "same-origin":
			if !sameOrigin(j.p.origin, cur.Origin) {
				serialized = "null"
			}
		}
	}
	headers.append("Origin", serialized)
}

// networkFetch implements HTTP-network fetch
// (https://fetch.spec.whatwg.org/#concept-http-network-fetch) with net/http.
func (j *job) networkFetch(headers *headerList, includeCredentials bool) *response {
	req := j.p.req
	u := netURL(req.current())
	if err := j.n.policy.Check(u); err != nil {
		return j.failNetwork(err)
	}
	hreq := (&http.Request{
		Method:     req.method,
		URL:        u,
		Header:     make(http.Header, len(headers.list)+1),
		Host:       u.Host,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
	}).WithContext(network.WithURL(j.ctx, u))
	for _, h := range headers.list {
		hreq.Header[h.name] = append(hreq.Header[h.name], h.value)
	}
	if j.p.hasBody {
		data := j.p.reqBody
		hreq.ContentLength = int64(len(data))
		hreq.Body = http.NoBody
		if len(data) > 0 {
			newBody := func() io.ReadCloser {
				if j.p.bodyChunk != nil {
					return io.NopCloser(&chunkReader{bytes.NewReader(data), j.p.bodyChunk})
				}
				return io.NopCloser(bytes.NewReader(data))
			}
			hreq.Body = newBody()
			hreq.GetBody = func() (io.ReadCloser, error) { return newBody(), nil }
		}
	}
	// "Append a request `Cookie` header"
	// (https://fetch.spec.whatwg.org/#append-a-request-cookie-header).
	jar := j.n.policy.Jar
	if includeCredentials && jar != nil {
		if cookies := jar.Cookies(u); len(cookies) > 0 {
			parts := make([]string, len(cookies))
			for i, c := range cookies {
				parts[i] = c.Name + "=" + c.Value
			}
			hreq.Header["Cookie"] = []string{strings.Join(parts, "; ")}
		}
	}
	hresp, err := j.n.tr.RoundTrip(hreq)
	if err != nil {
		return j.failNetwork(err)
	}
	// The response cookies are stored when credentials were included.
	if includeCredentials && jar != nil {
		if cookies := hresp.Cookies(); len(cookies) > 0 {
			jar.SetCookies(u, cookies)
		}
	}
	resp := &response{typ: "default", status: hresp.StatusCode, headers: &headerList{}}
	// HTTP/2 has no reason phrases.
	if hresp.ProtoMajor < 2 {
		resp.statusText = strings.TrimPrefix(strings.TrimPrefix(hresp.Status, strconv.Itoa(hresp.StatusCode)), " ")
	}
	names := make([]string, 0, len(hresp.Header))
	for name := range hresp.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		lower := lowerASCII(name)
		for _, v := range hresp.Header[name] {
			resp.headers.list = append(resp.headers.list, header{lower, v})
		}
	}
	// The body, decoded per Content-Encoding, is read when consumed.
	hint := hresp.ContentLength
	var codings []string
	if values, ok := resp.headers.getDecodeSplit("Content-Encoding"); ok {
		for _, c := range values {
			codings = append(codings, lowerASCII(c))
		}
		hint = -1
	}
	nb := &netBody{rc: decodeCodings(hresp.Body, codings), hint: hint, stop: j.end.do, memory: j.n.memory}
	resp.body = &body{data: &bodyData{net: nb, refs: 1}}
	return resp
}

// isHTTPScheme reports whether s is "http" or "https".
func isHTTPScheme(s string) bool { return s == "http" || s == "https" }
