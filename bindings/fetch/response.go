package fetch

import (
	"slices"

	"github.com/dop251/goja"

	urlpkg "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// response is a response (https://fetch.spec.whatwg.org/#concept-response) as
// the API sees it. A filtered response is represented by its filtered view
// alone: the API never looks through it at the internal response.
type response struct {
	typ        string // "basic", "cors", "default", "error", "opaque" or "opaqueredirect"
	urlList    []*urlpkg.Record
	status     int
	statusText string
	headers    *headerList
	body       *body
	aborted    bool
	// filtered is set on a filtered response
	// (https://fetch.spec.whatwg.org/#concept-filtered-response), which main
	// fetch does not filter again.
	filtered bool
	// errMsg says, for a network error, why: scripts see it in the
	// TypeError's message.
	errMsg string
}

// newResponse returns a response with the defaults of
// https://fetch.spec.whatwg.org/#concept-response.
func newResponse() *response {
	return &response{typ: "default", status: 200, headers: &headerList{}}
}

// networkError returns a new network error
// (https://fetch.spec.whatwg.org/#concept-network-error).
func networkError() *response {
	return &response{typ: "error", status: 0, headers: &headerList{}}
}

func (p *response) isNetworkError() bool { return p.typ == "error" }

// cloneResponse implements "clone" a response
// (https://fetch.spec.whatwg.org/#concept-response-clone).
func (b *binding) cloneResponse(p *response) *response {
	c := *p
	c.urlList = slices.Clone(p.urlList)
	c.headers = p.headers.clone()
	c.body = b.cloneBody(p.body)
	return &c
}

// responseImpl holds the internal slots of a Response object
// (https://fetch.spec.whatwg.org/#response-class).
type responseImpl struct {
	resp    *response
	headers *goja.Object
	hdrs    *headersImpl
}

func (p *responseImpl) bodyOf() *body             { return p.resp.body }
func (p *responseImpl) headerListOf() *headerList { return p.resp.headers }

// responseInit holds a converted ResponseInit dictionary.
type responseInit struct {
	status     uint16
	statusText string
	headers    *headersInit
}

func (b *binding) responseInitDictionary() *webidl.Dictionary[responseInit] {
	return &webidl.Dictionary[responseInit]{
		Name: "ResponseInit",
		Members: []webidl.DictionaryMember[responseInit]{
			{Name: "status",
				Convert: func(r *webidl.Realm, v goja.Value, o *responseInit) { o.status = r.ToUnsignedShort(v, 0) },
				Default: func(o *responseInit) { o.status = 200 }},
			{Name: "statusText",
				Convert: func(r *webidl.Realm, v goja.Value, o *responseInit) { o.statusText = r.ToByteString(v) },
				Default: func(o *responseInit) { o.statusText = "" }},
			{Name: "headers",
				Convert: func(r *webidl.Realm, v goja.Value, o *responseInit) { o.headers = b.toHeadersInit(v) }},
		},
	}
}

// createResponse implements "create" a Response object
// (https://fetch.spec.whatwg.org/#response-create).
func (b *binding) createResponse(resp *response, g guard) *goja.Object {
	impl := &responseImpl{resp: resp}
	impl.headers, impl.hdrs = b.newHeaders(resp.headers, g)
	return b.r.New("Response", impl)
}

// isReasonPhrase reports whether s matches the reason-phrase production
// (RFC 9112 section 4, https://www.rfc-editor.org/rfc/rfc9112#section-4):
// tabs, spaces, visible ASCII and obs-text.
func isReasonPhrase(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '\t' && (c < 0x20 || c == 0x7F) {
			return false
		}
	}
	return true
}

// isNullBodyStatus reports whether status is 101, 103, 204, 205 or 304
// (https://fetch.spec.whatwg.org/#null-body-status).
func isNullBodyStatus(status int) bool {
	switch status {
	case 101, 103, 204, 205, 304:
		return true
	}
	return false
}

// isRedirectStatus reports whether status is 301, 302, 303, 307 or 308
// (https://fetch.spec.whatwg.org/#redirect-status).
func isRedirectStatus(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// initializeResponse implements "initialize a response"
// (https://fetch.spec.whatwg.org/#initialize-a-response); typ is the
// body's type, "" for null.
func (b *binding) initializeResponse(p *responseImpl, init *responseInit, bd *body, typ string) {
	r := b.r
	// Steps 1-2.
	if init.status < 200 || init.status > 599 {
		r.ThrowRangeError("Failed to construct 'Response': The status provided (%d) is outside the range [200, 599].", init.status)
	}
	if init.statusText != "" && !isReasonPhrase(init.statusText) {
		r.ThrowTypeError("Failed to construct 'Response': Invalid statusText")
	}
	// Steps 3-5.
	p.resp.status = int(init.status)
	p.resp.statusText = init.statusText
	if init.headers != nil {
		b.fill(p.hdrs, init.headers)
	}
	// Step 6.
	if bd != nil {
		if isNullBodyStatus(p.resp.status) {
			r.ThrowTypeError("Failed to construct 'Response': Response with null body status cannot have body")
		}
		p.resp.body = bd
		if typ != "" && !p.resp.headers.contains("Content-Type") {
			p.resp.headers.append("Content-Type", typ)
		}
	}
}

// responseInterface describes Response
// (https://fetch.spec.whatwg.org/#response-class).
func (b *binding) responseInterface() *webidl.Interface {
	r := b.r
	vm := r.VM()
	get := func(c webidl.Call) *responseImpl { return c.Impl.(*responseImpl) }
	attrs := []webidl.Attribute{
		{Name: "type", Get: func(c webidl.Call) goja.Value { return vm.ToValue(get(c).resp.typ) }},
		{Name: "url", Get: func(c webidl.Call) goja.Value {
			p := get(c).resp
			if len(p.urlList) == 0 {
				return vm.ToValue("")
			}
			return vm.ToValue(hrefWithoutFragment(p.urlList[len(p.urlList)-1]))
		}},
		{Name: "redirected", Get: func(c webidl.Call) goja.Value { return vm.ToValue(len(get(c).resp.urlList) > 1) }},
		{Name: "status", Get: func(c webidl.Call) goja.Value { return vm.ToValue(get(c).resp.status) }},
		{Name: "ok", Get: func(c webidl.Call) goja.Value {
			s := get(c).resp.status
			return vm.ToValue(s >= 200 && s <= 299)
		}},
		{Name: "statusText", Get: func(c webidl.Call) goja.Value { return b.byteString(get(c).resp.statusText) }},
		{Name: "headers", Get: func(c webidl.Call) goja.Value { return get(c).headers }},
	}
	bodyAttrs, bodyOps := b.bodyMembers()
	ops := []webidl.Operation{
		{Name: "error", Static: true, Length: 0, Func: func(c webidl.Call) goja.Value {
			return b.createResponse(networkError(), guardImmutable)
		}},
		{Name: "redirect", Static: true, Length: 1, Func: func(c webidl.Call) goja.Value {
			u := r.ToUSVString(c.Arg(0))
			status := uint16(302)
			if v := c.Arg(1); !goja.IsUndefined(v) {
				status = r.ToUnsignedShort(v, 0)
			}
			// Steps 1-3.
			parsed, err := urlpkg.Parse(u, r.APIBaseURL())
			if err != nil {
				r.ThrowTypeError("Failed to execute 'redirect' on 'Response': Invalid URL %q.", u)
			}
			if !isRedirectStatus(int(status)) {
				r.ThrowRangeError("Failed to execute 'redirect' on 'Response': Invalid status code %d.", status)
			}
			// Steps 4-8.
			resp := newResponse()
			resp.status = int(status)
			resp.headers.append("Location", parsed.Href)
			return b.createResponse(resp, guardImmutable)
		}},
		{Name: "json", Static: true, Length: 1, Func: func(c webidl.Call) goja.Value {
			data := c.Arg(0)
			var init responseInit
			webidl.ToDictionary(r, c.Arg(1), b.responseInitDict, &init)
			// Step 1: serialize a JavaScript value to JSON bytes.
			s, err := b.jsonStringify(goja.Undefined(), data)
			if err != nil {
				panic(err)
			}
			if goja.IsUndefined(s) {
				r.ThrowTypeError("Failed to execute 'json' on 'Response': The data is not JSON serializable")
			}
			// Steps 2-5.
			bd := newStaticBody([]byte(s.String()))
			impl := &responseImpl{resp: newResponse()}
			impl.headers, impl.hdrs = b.newHeaders(impl.resp.headers, guardResponse)
			b.initializeResponse(impl, &init, bd, "application/json")
			return r.New("Response", impl)
		}},
		{Name: "clone", Length: 0, Func: func(c webidl.Call) goja.Value {
			p := get(c)
			if b.unusable(p.resp.body) {
				r.ThrowTypeError("Failed to execute 'clone' on 'Response': Response body is already used")
			}
			return b.createResponse(b.cloneResponse(p.resp), p.hdrs.guard)
		}},
	}
	return &webidl.Interface{
		Name:   "Response",
		Length: 0,
		// constructor(optional BodyInit? body = null, optional ResponseInit init = {})
		Constructor: func(c webidl.Call) any {
			var bi *bodyInit
			if v := c.Arg(0); !webidl.IsNullish(v) {
				bi = b.toBodyInit(v)
			}
			var init responseInit
			webidl.ToDictionary(r, c.Arg(1), b.responseInitDict, &init)
			// Steps 1-2.
			impl := &responseImpl{resp: newResponse()}
			impl.headers, impl.hdrs = b.newHeaders(impl.resp.headers, guardResponse)
			// Steps 3-4.
			var bd *body
			var typ string
			if bi != nil {
				bd, typ = b.extract(bi, false)
			}
			// Step 5.
			b.initializeResponse(impl, &init, bd, typ)
			return impl
		},
		Attributes: append(attrs, bodyAttrs...),
		Operations: append(ops, bodyOps...),
	}
}
