package fetch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/blob"
	urlpkg "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// This file is the Go API of the package for other bindings that fetch on behalf
// of script, as XMLHttpRequest does: their requests go through the same machinery
// as fetch() (connection policy, dialer, proxy, cookie jar, bad ports, mixed
// content, redirects, content codings), and they use the same header list and MIME
// type algorithms.

// bindingKey is the key of a realm's binding in its data.
type bindingKey struct{}

func bindingOf(r *webidl.Realm) *binding {
	b, _ := r.Data(bindingKey{}).(*binding)
	return b
}

var errNotRegistered = errors.New("fetch: Register has not run for this realm")

// IsMethod reports whether s is a method
// (https://fetch.spec.whatwg.org/#concept-method): an HTTP token.
func IsMethod(s string) bool { return isToken(s) }

// IsForbiddenMethod reports whether s is a forbidden method
// (https://fetch.spec.whatwg.org/#forbidden-method): CONNECT, TRACE or TRACK, in
// any case.
func IsForbiddenMethod(s string) bool { return isForbiddenMethod(s) }

// NormalizeMethod normalizes a method
// (https://fetch.spec.whatwg.org/#concept-method-normalize): DELETE, GET, HEAD,
// OPTIONS, POST and PUT in any case are uppercased; other methods are kept.
func NormalizeMethod(s string) string { return normalizeMethod(s) }

// IsHeaderName reports whether s is a header name
// (https://fetch.spec.whatwg.org/#header-name): an HTTP token.
func IsHeaderName(s string) bool { return isToken(s) }

// IsHeaderValue reports whether s is a header value
// (https://fetch.spec.whatwg.org/#header-value): no leading or trailing tab or
// space, and no NUL, CR or LF.
func IsHeaderValue(s string) bool { return isHeaderValue(s) }

// NormalizeHeaderValue normalizes a potential header value
// (https://fetch.spec.whatwg.org/#concept-header-value-normalize): leading
// and trailing HTTP whitespace is removed.
func NormalizeHeaderValue(s string) string { return normalizeValue(s) }

// IsForbiddenRequestHeader reports whether (name, value) is a forbidden
// request-header (https://fetch.spec.whatwg.org/#forbidden-request-header), one
// that scripts cannot set: Host, Cookie, Sec-* and Proxy-* headers and the like.
func IsForbiddenRequestHeader(name, value string) bool { return isForbiddenRequestHeader(name, value) }

// A HeaderList is a header list
// (https://fetch.spec.whatwg.org/#concept-header-list). Names and values are byte
// sequences, held as Go strings of bytes; names compare byte-case-insensitively.
// The zero value is an empty list. A HeaderList is not safe for concurrent use.
type HeaderList struct{ l headerList }

// Append appends (name, value) to the list; the name takes the casing of a header
// with that name already in the list.
func (h *HeaderList) Append(name, value string) { h.l.append(name, value) }

// Set gives the first header named name the value value and removes the others,
// or appends (name, value) if there is none.
func (h *HeaderList) Set(name, value string) { h.l.set(name, value) }

// Combine combines (name, value) in the list: the first header named name gets
// ", " and value appended to its value, or (name, value) is appended if there is
// none.
func (h *HeaderList) Combine(name, value string) {
	// Step 1.
	if i := h.l.index(name); i >= 0 {
		h.l.list[i].value += ", " + value
		h.l.changed()
		return
	}
	// Step 2.
	h.l.list = append(h.l.list, header{name, value})
	h.l.changed()
}

// Get returns the values of the headers named name, separated by ", ", and
// false if there is none.
func (h *HeaderList) Get(name string) (string, bool) { return h.l.get(name) }

// Len returns the number of headers in the list.
func (h *HeaderList) Len() int { return len(h.l.list) }

// SortAndCombine returns the list sorted and combined
// (https://fetch.spec.whatwg.org/#concept-header-list-sort-and-combine): names
// lowercased and in byte order, the values of each name joined with ", ",
// except that every Set-Cookie header stays on its own.
func (h *HeaderList) SortAndCombine() [][2]string {
	list := h.l.sortAndCombine(nil)
	out := make([][2]string, len(list))
	for i, hd := range list {
		out[i] = [2]string{hd.name, hd.value}
	}
	return out
}

// MIMEType extracts a MIME type from the list's Content-Type headers
// (https://fetch.spec.whatwg.org/#concept-header-extract-mime-type); false means
// failure.
func (h *HeaderList) MIMEType() (*MIMEType, bool) {
	mt, ok := extractMIMEType(&h.l)
	if !ok {
		return nil, false
	}
	return &MIMEType{*mt}, true
}

// Length extracts a length from the list's Content-Length headers
// (https://fetch.spec.whatwg.org/#header-list-extract-a-length):
// false when there is none, when they disagree (failure) or when the value is not
// a decimal number that fits an int64.
func (h *HeaderList) Length() (int64, bool) {
	// Steps 1-2.
	values, ok := h.l.getDecodeSplit("Content-Length")
	if !ok {
		return 0, false
	}
	// Steps 3-4.
	candidate := values[0]
	for _, v := range values[1:] {
		if v != candidate {
			return 0, false
		}
	}
	// Steps 5-6.
	if candidate == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(candidate); i++ {
		c := candidate[i]
		if c < '0' || c > '9' || n > (1<<63-1-int64(c-'0'))/10 {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// A MIMEType is a MIME type record
// (https://mimesniff.spec.whatwg.org/#mime-type-representation): type and subtype
// lowercased, parameters in order with lowercased names. Strings hold one byte
// per code point.
type MIMEType struct{ m mimeType }

// ParseMIMEType parses a MIME type
// (https://mimesniff.spec.whatwg.org/#parse-a-mime-type); false means failure.
func ParseMIMEType(s string) (*MIMEType, bool) {
	mt, ok := parseMIMEType(s)
	if !ok {
		return nil, false
	}
	return &MIMEType{*mt}, true
}

// Essence returns the MIME type's essence: type "/" subtype.
func (m *MIMEType) Essence() string { return m.m.essence() }

// Param returns the value of the parameter name (lowercase).
func (m *MIMEType) Param(name string) (string, bool) { return m.m.param(name) }

// SetParam sets the parameter name (lowercase) to value, appending it if it is
// not there.
func (m *MIMEType) SetParam(name, value string) { m.m.setParam(name, value) }

// String serializes the MIME type
// (https://mimesniff.spec.whatwg.org/#serialize-a-mime-type).
func (m *MIMEType) String() string { return m.m.serialize() }

// xhrBodyInit is XMLHttpRequestBodyInit
// (https://fetch.spec.whatwg.org/#bodyinit-unions).
var xhrBodyInit = &webidl.Union{
	Interfaces:      []string{"Blob", "FormData", "URLSearchParams"},
	ArrayBuffer:     true,
	ArrayBufferView: true,
	String:          true,
}

// ExtractBody converts v to XMLHttpRequestBodyInit
// (https://fetch.spec.whatwg.org/#bodyinit-unions: a Blob, a BufferSource, a
// FormData, a URLSearchParams or a string) and safely extracts a
// body with type from it: the body's bytes (not nil, empty for an empty body) and
// its Content-Type, "" when it has none. Like the conversions of Web IDL it throws,
// as a JavaScript exception, what converting v throws, and so must run while goja
// runs a native function.
func ExtractBody(r *webidl.Realm, v goja.Value) (body []byte, contentType string) {
	b := bindingOf(r)
	if b == nil {
		r.ThrowTypeError("%v", errNotRegistered)
	}
	var init bodyInit
	m := r.MatchUnion(v, xhrBodyInit)
	switch m.Kind {
	case webidl.MatchInterface:
		switch m.Interface {
		case "Blob":
			init.blob = v.(*goja.Object)
		case "FormData":
			init.form = v.(*goja.Object)
		default:
			init.params = v.(*goja.Object)
		}
	case webidl.MatchArrayBuffer, webidl.MatchArrayBufferView:
		init.buffer = v
	default:
		init.str, init.isString = r.ToUSVString(v), true
	}
	bd, typ := b.extract(&init, false)
	data := bd.data.bytes
	if data == nil {
		data = []byte{}
	}
	return data, typ
}

// A Request is a request that a binding makes for the scripts of a realm
// (https://fetch.spec.whatwg.org/#concept-request). Its client is the realm's
// settings object: its origin and referrer are those of the realm's API base URL,
// as for fetch().
type Request struct {
	// Method is the request's method; "" means GET. It must be a method and not
	// a forbidden one.
	Method string
	// URL is an absolute URL.
	URL string
	// Header is the request's header list, nil for an empty one. Start copies
	// it. Unlike Headers objects, the list is not checked for forbidden
	// request-headers: the caller drops them.
	Header *HeaderList
	// Body holds the request body's bytes; nil means no body (a null body),
	// and an empty non-nil slice an empty one.
	Body []byte
	// Mode is the request's mode: "cors" (the default when ""), "same-origin"
	// or "no-cors". As for fetch(), the CORS protocol is not applied.
	Mode string
	// Credentials is the request's credentials mode: "same-origin" (the
	// default when ""), "omit" or "include". It decides whether the cookie jar
	// is used.
	Credentials string
	// BlobURLEntry, for a blob: URL, is the entry the URL was resolved to
	// when it was parsed (blob.URLStore.Resolve), which the fetch reads even
	// if the URL has been revoked since; nil has the URL resolved by Start.
	BlobURLEntry *blob.URLEntry
	// BodyChunk, if not nil, is called on the fetching goroutine with the
	// length of each piece of Body as it is handed to the connection (Fetch
	// processRequestBodyChunkLength). A body sent again after a redirect is
	// counted again.
	BodyChunk func(n int)
}

// A Response is the response to a Request
// (https://fetch.spec.whatwg.org/#concept-response), as the fetch's filtering left
// it.
type Response struct {
	// Type is "basic" or "opaque" (the filtered response types of this
	// runtime), "opaqueredirect", or "error" for a network error.
	Type string
	// URL is the response's URL serialized without its fragment: the last URL
	// of its URL list, after redirects; "" when it has none.
	URL string
	// Status and StatusText are the status and status message (a byte
	// sequence; empty over HTTP/2).
	Status     int
	StatusText string
	// Header is the response's header list, lowercased names in the order
	// net/http gives them; never nil.
	Header *HeaderList
	// Body reads the response body, decoded per Content-Encoding, from any
	// goroutine; nil for a null body. The caller must close it, which ends
	// the fetch and frees its connection.
	Body io.ReadCloser
	// Aborted is set on a network error caused by Abort or by the realm's loop
	// closing (the response's aborted flag).
	Aborted bool
}

// IsNetworkError reports whether the response is a network error.
func (p *Response) IsNetworkError() bool { return p.Type == "error" }

// A Fetch is a fetch started by Start: a fetch controller.
type Fetch struct {
	j    *job
	used bool
}

// Start prepares a fetch of req for the scripts of r, the steps of "fetch"
// (https://fetch.spec.whatwg.org/#concept-fetch) that read the client's state. It
// must run on the loop goroutine of r. The request goes to the network when
// Response is called. The error says what is wrong with req, or that Register has
// not run for r.
func Start(r *webidl.Realm, req *Request) (*Fetch, error) {
	b := bindingOf(r)
	if b == nil {
		return nil, errNotRegistered
	}
	u, err := urlpkg.Parse(req.URL, "")
	if err != nil {
		return nil, fmt.Errorf("fetch: request URL: %w", err)
	}
	q := newRequest(u)
	q.blobEntry = req.BlobURLEntry
	if q.blobEntry == nil {
		q.blobEntry = b.resolveBlobURL(u)
	}
	if req.Method != "" {
		if !isToken(req.Method) || isForbiddenMethod(req.Method) {
			return nil, fmt.Errorf("fetch: %q is not a method a request may have", req.Method)
		}
		q.method = req.Method
	}
	if req.Header != nil {
		q.headers = req.Header.l.clone()
	}
	q.unsafe = true
	q.mode = "cors"
	if req.Mode != "" {
		if !slices.Contains([]string{"cors", "same-origin", "no-cors"}, req.Mode) {
			return nil, fmt.Errorf("fetch: request mode %q", req.Mode)
		}
		q.mode = req.Mode
	}
	if req.Credentials != "" {
		if !slices.Contains(requestCredentials, req.Credentials) {
			return nil, fmt.Errorf("fetch: credentials mode %q", req.Credentials)
		}
		q.credentials = req.Credentials
	}
	if req.Body != nil {
		q.body = newStaticBody(req.Body)
	}
	p := b.snapshot(q)
	p.bodyChunk = req.BodyChunk
	return &Fetch{j: b.net.newJob(p)}, nil
}

// Response fetches on the calling goroutine, which must not be the loop's, and
// returns the response once its headers are in (or a network error). It may be
// called once; later calls return a network error.
func (f *Fetch) Response() *Response {
	if f.used {
		return &Response{Type: "error", Header: &HeaderList{}}
	}
	f.used = true
	j := f.j
	resp := j.run()
	out := &Response{
		Type:       resp.typ,
		Status:     resp.status,
		StatusText: resp.statusText,
		Header:     &HeaderList{l: headerList{list: resp.headers.list}},
		Aborted:    resp.aborted,
	}
	if len(resp.urlList) > 0 {
		out.URL = hrefWithoutFragment(resp.urlList[len(resp.urlList)-1])
	}
	switch {
	case resp.body == nil:
		j.done()
	case resp.body.data.net != nil:
		nb := resp.body.data.net
		nb.taken.Store(true)
		out.Body = &netBodyReader{nb}
	default:
		j.done()
		out.Body = io.NopCloser(bytes.NewReader(resp.body.data.bytes))
	}
	return out
}

// Abort aborts the fetch ("abort" a fetch controller,
// https://fetch.spec.whatwg.org/#fetch-controller-abort): a Response call
// in progress returns a network error with Aborted set, and reading the body
// fails. It may be called from any goroutine, any number of times.
func (f *Fetch) Abort() { f.j.abort() }

// chunkReader reads a request body, reporting the length of each piece read.
type chunkReader struct {
	r     io.Reader
	chunk func(n int)
}

func (c *chunkReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.chunk(n)
	}
	return n, err
}

// netBodyReader is a network response body as Response gives it.
type netBodyReader struct{ nb *netBody }

func (r *netBodyReader) Read(p []byte) (int, error) { return r.nb.rc.Read(p) }
func (r *netBodyReader) Close() error               { r.nb.close(); return nil }
