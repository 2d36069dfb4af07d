package fetch

import (
	"slices"
	"strings"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/blob"
	urlpkg "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// request is a request (https://fetch.spec.whatwg.org/#concept-request), with
// the fields the API and this runtime's fetching use. Strings hold the
// standard's values ("client", "no-referrer", enumeration values) as they are
// spelled there.
type request struct {
	method  string
	urlList []*urlpkg.Record
	headers *headerList
	unsafe  bool // unsafe-request flag
	// referrer is "no-referrer", "client" or a URL's serialization.
	referrer       string
	referrerPolicy string
	mode           string
	credentials    string
	cache          string
	redirect       string
	integrity      string
	keepalive      bool
	reloadNav      bool
	historyNav     bool
	priority       string
	body           *body
	corsPreflight  bool // use-CORS-preflight flag
	// blobEntry is the blob URL entry of the request's URL
	// (https://url.spec.whatwg.org/#concept-url-blob-entry), resolved when the
	// URL was parsed, or nil. Only the first URL can have one: a redirect to
	// a blob: URL is a network error.
	blobEntry *blob.URLEntry
}

// newRequest returns a request for u with the defaults of
// https://fetch.spec.whatwg.org/#concept-request.
func newRequest(u *urlpkg.Record) *request {
	return &request{
		method:      "GET",
		urlList:     []*urlpkg.Record{u},
		headers:     &headerList{},
		referrer:    "client",
		mode:        "no-cors",
		credentials: "same-origin",
		cache:       "default",
		redirect:    "follow",
		priority:    "auto",
	}
}

// resolveBlobURL returns the blob URL entry that the URL parser gives u
// (https://url.spec.whatwg.org/#concept-url-parser, the step that resolves a
// blob URL): the entry of the blob URL store, nil for other URLs and for
// blob URLs the store does not have.
func (b *binding) resolveBlobURL(u *urlpkg.Record) *blob.URLEntry {
	if u.Scheme != "blob" {
		return nil
	}
	return b.blobURLs.Resolve(u.Href)
}

func (q *request) url() *urlpkg.Record     { return q.urlList[0] }
func (q *request) current() *urlpkg.Record { return q.urlList[len(q.urlList)-1] }

// clone implements "clone" a request
// (https://fetch.spec.whatwg.org/#concept-request-clone): everything is copied,
// the body cloned.
func (b *binding) cloneRequest(q *request) *request {
	c := *q
	c.urlList = slices.Clone(q.urlList)
	c.headers = q.headers.clone()
	c.body = b.cloneBody(q.body)
	return &c
}

// hrefWithoutFragment is the URL serializer's output with exclude fragment
// set: the fragment starts at the first "#", which no other component
// holds unescaped.
func hrefWithoutFragment(u *urlpkg.Record) string {
	href, _, _ := strings.Cut(u.Href, "#")
	return href
}

// includesCredentials reports whether u includes credentials
// (https://url.spec.whatwg.org/#include-credentials): a non-empty username or
// password.
func includesCredentials(u *urlpkg.Record) bool {
	return u.Username != "" || u.Password != ""
}

// requestImpl holds the internal slots of a Request object
// (https://fetch.spec.whatwg.org/#request-class).
type requestImpl struct {
	req     *request
	headers *goja.Object
	hdrs    *headersImpl
	signal  *goja.Object
}

func (q *requestImpl) bodyOf() *body             { return q.req.body }
func (q *requestImpl) headerListOf() *headerList { return q.req.headers }

// requestInit holds a converted RequestInit dictionary; has records which
// members exist.
type requestInit struct {
	method, referrer, referrerPolicy, mode, credentials, cache, redirect, integrity string
	headers                                                                         *headersInit
	body                                                                            *bodyInit // nil for null
	keepalive                                                                       bool
	signal                                                                          *goja.Object
	window                                                                          goja.Value
	has                                                                             map[string]bool
}

func (i *requestInit) exists(name string) bool { return i.has[name] }

func initMember(name string, conv func(b *binding, r *webidl.Realm, v goja.Value, out *requestInit)) func(b *binding) webidl.DictionaryMember[requestInit] {
	return func(b *binding) webidl.DictionaryMember[requestInit] {
		return webidl.DictionaryMember[requestInit]{Name: name, Convert: func(r *webidl.Realm, v goja.Value, out *requestInit) {
			if out.has == nil {
				out.has = map[string]bool{}
			}
			out.has[name] = true
			conv(b, r, v, out)
		}}
	}
}

// The enumerations of https://fetch.spec.whatwg.org/#request-class.
var (
	referrerPolicies = []string{"", "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin",
		"strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url"}
	requestModes       = []string{"navigate", "same-origin", "no-cors", "cors"}
	requestCredentials = []string{"omit", "same-origin", "include"}
	requestCaches      = []string{"default", "no-store", "reload", "no-cache", "force-cache", "only-if-cached"}
	requestRedirects   = []string{"follow", "error", "manual"}
)

// requestInitDictionary describes RequestInit
// (https://fetch.spec.whatwg.org/#requestinit).
func (b *binding) requestInitDictionary() *webidl.Dictionary[requestInit] {
	members := []func(*binding) webidl.DictionaryMember[requestInit]{
		initMember("method", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) { o.method = r.ToByteString(v) }),
		initMember("headers", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) { o.headers = b.toHeadersInit(v) }),
		initMember("body", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) {
			if !goja.IsNull(v) {
				o.body = b.toBodyInit(v)
			}
		}),
		initMember("referrer", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) { o.referrer = r.ToUSVString(v) }),
		initMember("referrerPolicy", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) {
			o.referrerPolicy = r.ToEnum(v, "ReferrerPolicy", referrerPolicies...)
		}),
		initMember("mode", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) {
			o.mode = r.ToEnum(v, "RequestMode", requestModes...)
		}),
		initMember("credentials", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) {
			o.credentials = r.ToEnum(v, "RequestCredentials", requestCredentials...)
		}),
		initMember("cache", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) {
			o.cache = r.ToEnum(v, "RequestCache", requestCaches...)
		}),
		initMember("redirect", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) {
			o.redirect = r.ToEnum(v, "RequestRedirect", requestRedirects...)
		}),
		initMember("integrity", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) {
			o.integrity = webidl.USVString(r.ToDOMString(v))
		}),
		initMember("keepalive", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) { o.keepalive = webidl.ToBoolean(v) }),
		initMember("signal", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) {
			if !goja.IsNull(v) {
				r.ToInterface(v, "AbortSignal")
				o.signal = v.(*goja.Object)
			}
		}),
		initMember("duplex", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) {
			r.ToEnum(v, "RequestDuplex", "half")
		}),
		initMember("priority", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) {
			r.ToEnum(v, "RequestPriority", "high", "low", "auto")
		}),
		initMember("window", func(b *binding, r *webidl.Realm, v goja.Value, o *requestInit) { o.window = v }),
	}
	d := &webidl.Dictionary[requestInit]{Name: "RequestInit"}
	for _, m := range members {
		d.Members = append(d.Members, m(b))
	}
	return d
}

var requestInfoUnion = &webidl.Union{Interfaces: []string{"Request"}, String: true}

// constructRequest runs the new Request(input, init) constructor steps
// (https://fetch.spec.whatwg.org/#dom-request) and returns the new object's
// slots.
func (b *binding) constructRequest(inputV, initV goja.Value) *requestImpl {
	r := b.r
	// The arguments: RequestInfo input, optional RequestInit init = {}.
	var input *requestImpl
	var inputURL string
	if m := r.MatchUnion(inputV, requestInfoUnion); m.Kind == webidl.MatchInterface {
		input = m.Impl.(*requestImpl)
	} else {
		inputURL = r.ToUSVString(inputV)
	}
	var init requestInit
	webidl.ToDictionary(r, initV, b.requestInitDict, &init)

	// Steps 1-4.
	var req *request
	fallbackMode := ""
	baseURL := r.APIBaseURL()
	var signal *goja.Object
	if input == nil {
		// Step 5: parse input; credentials in it are not allowed.
		parsed, err := urlpkg.Parse(inputURL, baseURL)
		if err != nil {
			r.ThrowTypeError("Failed to construct 'Request': Invalid URL %q.", inputURL)
		}
		if includesCredentials(parsed) {
			r.ThrowTypeError("Failed to construct 'Request': the URL %q includes credentials.", inputURL)
		}
		req = newRequest(parsed)
		req.blobEntry = b.resolveBlobURL(parsed)
		fallbackMode = "cors"
	} else {
		// Step 6.
		req = input.req
		signal = input.signal
	}
	// Step 7: origin is this's relevant settings object's origin.
	origin := b.origin()
	// Steps 8-11: window can only be null.
	if init.exists("window") && !goja.IsNull(init.window) {
		r.ThrowTypeError("Failed to construct 'Request': 'window' can only be null.")
	}
	// Step 12: a new request with the fields of request (the body comes
	// last).
	nr := &request{
		method:         req.method,
		urlList:        slices.Clone(req.urlList),
		headers:        req.headers.clone(),
		unsafe:         true,
		referrer:       req.referrer,
		referrerPolicy: req.referrerPolicy,
		mode:           req.mode,
		credentials:    req.credentials,
		cache:          req.cache,
		redirect:       req.redirect,
		integrity:      req.integrity,
		keepalive:      req.keepalive,
		reloadNav:      req.reloadNav,
		historyNav:     req.historyNav,
		priority:       "auto",
		blobEntry:      req.blobEntry,
	}
	req = nr
	// Step 13: a non-empty init resets what came from the input.
	if len(init.has) > 0 {
		if req.mode == "navigate" {
			req.mode = "same-origin"
		}
		req.reloadNav, req.historyNav = false, false
		req.referrer = "client"
		req.referrerPolicy = ""
		req.urlList = []*urlpkg.Record{req.current()}
	}
	// Step 14: referrer.
	if init.exists("referrer") {
		if init.referrer == "" {
			req.referrer = "no-referrer"
		} else {
			parsed, err := urlpkg.Parse(init.referrer, baseURL)
			if err != nil {
				r.ThrowTypeError("Failed to construct 'Request': Invalid referrer URL %q.", init.referrer)
			}
			if parsed.Scheme == "about" && parsed.Path == "client" || !sameOrigin(parsed.Origin, origin) {
				req.referrer = "client"
			} else {
				req.referrer = parsed.Href
			}
		}
	}
	// Step 15.
	if init.exists("referrerPolicy") {
		req.referrerPolicy = init.referrerPolicy
	}
	// Steps 16-18: mode.
	mode := fallbackMode
	if init.exists("mode") {
		mode = init.mode
	}
	if mode == "navigate" {
		r.ThrowTypeError("Failed to construct 'Request': Cannot construct a Request with a RequestInit whose mode member is set as 'navigate'.")
	}
	if mode != "" {
		req.mode = mode
	}
	// Steps 19-21: credentials and cache.
	if init.exists("credentials") {
		req.credentials = init.credentials
	}
	if init.exists("cache") {
		req.cache = init.cache
	}
	if req.cache == "only-if-cached" && req.mode != "same-origin" {
		r.ThrowTypeError("Failed to construct 'Request': 'only-if-cached' can be set only with 'same-origin' mode")
	}
	// Steps 22-24.
	if init.exists("redirect") {
		req.redirect = init.redirect
	}
	if init.exists("integrity") {
		req.integrity = init.integrity
	}
	if init.exists("keepalive") {
		req.keepalive = init.keepalive
	}
	// Step 25: method.
	if init.exists("method") {
		m := init.method
		if !isToken(m) || isForbiddenMethod(m) {
			r.ThrowTypeError("Failed to construct 'Request': '%s' is not a valid HTTP method.", m)
		}
		req.method = normalizeMethod(m)
	}
	// Step 26.
	if init.exists("signal") {
		signal = init.signal
	}
	// Step 27: priority has no effect here.
	// Steps 28-30: this's signal follows signal.
	impl := &requestImpl{req: req}
	impl.signal = b.dependentSignal(signal)
	// Step 31: this's headers.
	impl.headers, impl.hdrs = b.newHeaders(req.headers, guardRequest)
	// Step 32.
	if req.mode == "no-cors" {
		if !isCORSSafelistedMethod(req.method) {
			r.ThrowTypeError("Failed to construct 'Request': '%s' is unsupported in no-cors mode.", req.method)
		}
		impl.hdrs.guard = guardRequestNoCORS
	}
	// Step 33: a non-empty init refills the headers through the guard.
	if len(init.has) > 0 {
		var headers *headersInit
		var copied []header
		if init.exists("headers") {
			headers = init.headers
		} else {
			copied = slices.Clone(req.headers.list)
		}
		req.headers.list = req.headers.list[:0]
		req.headers.changed()
		if headers == nil {
			for _, h := range copied {
				b.appendHeader(impl.hdrs, h.name, h.value)
			}
		} else {
			b.fill(impl.hdrs, headers)
		}
	}
	// Steps 34-35.
	var inputBody *body
	if input != nil {
		inputBody = input.req.body
	}
	if (init.body != nil || inputBody != nil) && (req.method == "GET" || req.method == "HEAD") {
		r.ThrowTypeError("Failed to construct 'Request': Request with GET/HEAD method cannot have body.")
	}
	// Steps 36-37: the init body, and its type as Content-Type.
	var initBody *body
	if init.body != nil {
		var typ string
		initBody, typ = b.extract(init.body, req.keepalive)
		if typ != "" && !req.headers.contains("Content-Type") {
			b.appendHeader(impl.hdrs, "Content-Type", typ)
		}
	}
	// Steps 38-39: a body without a source (a stream) needs duplex and a
	// CORS-capable mode.
	inputOrInitBody := initBody
	if inputOrInitBody == nil {
		inputOrInitBody = inputBody
	}
	if inputOrInitBody != nil && !inputOrInitBody.hasSource {
		if initBody != nil && !init.exists("duplex") {
			r.ThrowTypeError("Failed to construct 'Request': The duplex member must be specified for a request with a streaming body.")
		}
		if req.mode != "same-origin" && req.mode != "cors" {
			r.ThrowTypeError("Failed to construct 'Request': A request with a streaming body must have mode 'same-origin' or 'cors'.")
		}
		req.corsPreflight = true
	}
	// Steps 40-41: the input's body, which the new request takes over.
	finalBody := inputOrInitBody
	if initBody == nil && inputBody != nil {
		if b.unusable(inputBody) {
			r.ThrowTypeError("Failed to construct 'Request': Cannot construct a Request with a Request object that has already been used.")
		}
		finalBody = b.proxyBody(inputBody)
	}
	// Step 42.
	req.body = finalBody
	return impl
}

// requestInterface describes Request
// (https://fetch.spec.whatwg.org/#request-class).
func (b *binding) requestInterface() *webidl.Interface {
	r := b.r
	vm := r.VM()
	get := func(c webidl.Call) *requestImpl { return c.Impl.(*requestImpl) }
	str := func(f func(q *request) string) func(c webidl.Call) goja.Value {
		return func(c webidl.Call) goja.Value { return vm.ToValue(f(get(c).req)) }
	}
	attrs := []webidl.Attribute{
		{Name: "method", Get: func(c webidl.Call) goja.Value { return b.byteString(get(c).req.method) }},
		{Name: "url", Get: str(func(q *request) string { return q.url().Href })},
		{Name: "headers", Get: func(c webidl.Call) goja.Value { return get(c).headers }},
		{Name: "destination", Get: str(func(q *request) string { return "" })},
		{Name: "referrer", Get: str(func(q *request) string {
			switch q.referrer {
			case "no-referrer":
				return ""
			case "client":
				return "about:client"
			}
			return q.referrer
		})},
		{Name: "referrerPolicy", Get: str(func(q *request) string { return q.referrerPolicy })},
		{Name: "mode", Get: str(func(q *request) string { return q.mode })},
		{Name: "credentials", Get: str(func(q *request) string { return q.credentials })},
		{Name: "cache", Get: str(func(q *request) string { return q.cache })},
		{Name: "redirect", Get: str(func(q *request) string { return q.redirect })},
		{Name: "integrity", Get: str(func(q *request) string { return q.integrity })},
		{Name: "keepalive", Get: func(c webidl.Call) goja.Value { return vm.ToValue(get(c).req.keepalive) }},
		{Name: "isReloadNavigation", Get: func(c webidl.Call) goja.Value { return vm.ToValue(get(c).req.reloadNav) }},
		{Name: "isHistoryNavigation", Get: func(c webidl.Call) goja.Value { return vm.ToValue(get(c).req.historyNav) }},
		{Name: "signal", Get: func(c webidl.Call) goja.Value { return get(c).signal }},
		{Name: "duplex", Get: str(func(q *request) string { return "half" })},
	}
	bodyAttrs, bodyOps := b.bodyMembers()
	ops := []webidl.Operation{
		{Name: "clone", Length: 0, Func: func(c webidl.Call) goja.Value {
			q := get(c)
			// Step 1.
			if b.unusable(q.req.body) {
				r.ThrowTypeError("Failed to execute 'clone' on 'Request': Request body is already used")
			}
			// Steps 2-6.
			cloned := b.cloneRequest(q.req)
			impl := &requestImpl{req: cloned, signal: b.dependentSignal(q.signal)}
			impl.headers, impl.hdrs = b.newHeaders(cloned.headers, q.hdrs.guard)
			return r.New("Request", impl)
		}},
	}
	return &webidl.Interface{
		Name:   "Request",
		Length: 1,
		// constructor(RequestInfo input, optional RequestInit init = {})
		Constructor: func(c webidl.Call) any {
			return b.constructRequest(c.Arg(0), c.Arg(1))
		},
		Attributes: append(attrs, bodyAttrs...),
		Operations: append(ops, bodyOps...),
	}
}

// proxyBody implements "create a proxy" of a body's stream
// (https://streams.spec.whatwg.org/#readablestream-create-a-proxy), which the
// new request takes over from the input: the input's stream ends up disturbed
// and locked. A body whose bytes are known shares them; a stream given by
// script is piped through an identity TransformStream.
func (b *binding) proxyBody(in *body) *body {
	if in.data == nil {
		return &body{stream: b.proxyStream(in.stream)}
	}
	if in.stream != nil {
		b.lockAndDisturb(in.stream)
	}
	in.disturbed = true
	in.data.refs++
	return &body{data: in.data, hasSource: in.hasSource}
}

// sameOrigin reports whether two serialized origins are the same origin
// (https://html.spec.whatwg.org/multipage/origin.html#same-origin): an opaque
// origin ("null") is only the same as itself, and two serializations of "null"
// come from different opaque origins here.
func sameOrigin(a, b string) bool { return a != "null" && a == b }
