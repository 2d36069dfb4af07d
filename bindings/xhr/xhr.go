package xhr

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/fetch"
	urlpkg "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// The states of an XMLHttpRequest (https://xhr.spec.whatwg.org/#states), numbered
// as readyState shows them.
const (
	unsent = iota
	opened
	headersReceived
	loading
	done
)

// binding is the per-realm state.
type binding struct {
	r    *webidl.Realm
	loop *eventloop.Loop
	// window: the global object is a Window, which makes synchronous requests
	// with a timeout or a response type an InvalidAccessError
	// (https://xhr.spec.whatwg.org/#the-open()-method).
	window    bool
	jsonParse goja.Callable
	// memory is the cluster's memory budget, which response bodies are
	// charged to as they arrive, or nil.
	memory *bindings.Budget
	// blobURLs is the blob URL store open() resolves blob: URLs in, or nil.
	blobURLs *blob.URLStore
}

// Binding installs XMLHttpRequest and the interfaces it comes with.
// XMLHttpRequestEventTarget inherits from EventTarget, requests are made with
// package fetch, and responses can be Blobs.
var Binding = &bindings.Binding{
	Name:     "xhr",
	Needs:    []*bindings.Binding{events.Binding, blob.Binding, fetch.Binding},
	Register: Register,
}

// Register installs XMLHttpRequestEventTarget, XMLHttpRequestUpload and
// XMLHttpRequest on the global object of env.Realm. Requests are made with package
// fetch and its options, and report back in tasks queued on env.Loop, which it needs,
// and which a request in flight keeps alive; closing the loop aborts them. Register
// must run after the events, blob and fetch bindings are installed, and after the
// global object has its interface: on a Window global, synchronous requests cannot
// have a timeout or a response type, and responseXML exists.
func Register(env *bindings.Env) error {
	r, loop := env.Realm, env.Loop
	if loop == nil {
		return errors.New("xhr: the realm has no event loop")
	}
	for _, name := range []string{"EventTarget", "ProgressEvent", "Blob", "Headers"} {
		if r.InterfaceObject(name) == nil {
			return fmt.Errorf("xhr: %s is not defined: register packages events, blob and fetch first", name)
		}
	}
	// Where the global object gets its interface on first use (bindings.Defer),
	// asking for its prototype gives it.
	_ = r.Global().Prototype()
	b := &binding{r: r, loop: loop, window: r.Implements(r.Global(), "Window"), memory: env.Memory(), blobURLs: blob.URLStoreOf(env)}
	var ok bool
	if b.jsonParse, ok = goja.AssertFunction(webidl.Intrinsics{VM: r.VM()}.Value("JSON", "parse")); !ok {
		return errors.New("xhr: JSON.parse is not a function")
	}
	for _, d := range []*webidl.Interface{b.eventTargetInterface(), b.uploadInterface(), b.xhrInterface()} {
		if err := r.DefineInterface(d); err != nil {
			return fmt.Errorf("xhr: %w", err)
		}
	}
	return nil
}

// eventTargetImpl holds the internal slots of an XMLHttpRequestUpload (and of
// any XMLHttpRequestEventTarget that is not an XMLHttpRequest).
type eventTargetImpl struct{ events.Target }

// progressHandlers are the event handlers of XMLHttpRequestEventTarget
// (https://xhr.spec.whatwg.org/#event-handlers), whose event types are also those
// for which a listener on the upload object sets the upload listener flag.
var progressHandlers = []string{"onloadstart", "onprogress", "onabort", "onerror", "onload", "ontimeout", "onloadend"}

// eventTargetInterface describes XMLHttpRequestEventTarget
// (https://xhr.spec.whatwg.org/#interface-xmlhttprequest).
func (b *binding) eventTargetInterface() *webidl.Interface {
	attrs := make([]webidl.Attribute, len(progressHandlers))
	for i, name := range progressHandlers {
		attrs[i] = events.HandlerAttribute(name)
	}
	return &webidl.Interface{Name: "XMLHttpRequestEventTarget", Parent: "EventTarget", Attributes: attrs}
}

// uploadInterface describes XMLHttpRequestUpload
// (https://xhr.spec.whatwg.org/#interface-xmlhttprequest).
func (b *binding) uploadInterface() *webidl.Interface {
	return &webidl.Interface{Name: "XMLHttpRequestUpload", Parent: "XMLHttpRequestEventTarget"}
}

// xhr holds the internal slots of an XMLHttpRequest
// (https://xhr.spec.whatwg.org/#interface-xmlhttprequest). Its fields are used on
// the loop goroutine only.
type xhr struct {
	events.Target
	b      *binding
	this   *goja.Object
	upload *goja.Object // the upload object

	state          int
	sendFlag       bool // send() invoked
	timeout        uint32
	credentials    bool // cross-origin credentials
	method         string
	url            string
	blobEntry      *blob.URLEntry    // the blob URL entry of url, or nil
	headers        *fetch.HeaderList // author request headers
	body           []byte            // request body; nil for null
	sync           bool
	uploadComplete bool
	uploadListener bool
	timedOut       bool
	resp           *fetch.Response
	received       bindings.Buffer // charged to the memory budget
	responseType   string
	responseObj    goja.Value // nil for null
	responseFailed bool       // the response object is failure
	override       *fetch.MIMEType

	// The fetch in flight (the fetch controller), nil when there is none.
	// gen changes whenever a fetch ends, so that the tasks of a fetch that
	// was terminated do nothing.
	f   *fetch.Fetch
	gen uint64
	// bodyQueue holds what the fetch's body reader has read, if it is
	// reading (readBody).
	bodyQueue *bodyQueue
	release   func() // the loop hold of an asynchronous fetch
	timer     *time.Timer
	sendTime  time.Time
	length    int64     // the response's length for progress events
	lastFire  time.Time // when processBodyChunk last fired events
	fired     bool
	// progressLen is how many bytes of the body the last progress event
	// reported; progressTimer, if not nil, fires the next (deferProgress).
	progressLen   int
	progressTimer *time.Timer

	// The text response, cached for the received bytes it was decoded from.
	text    goja.Value
	textLen int
}

// networkError is the network error a request's response is reset to.
var networkError = &fetch.Response{Type: "error", Header: &fetch.HeaderList{}}

func impl(c webidl.Call) *xhr { return c.Impl.(*xhr) }

// xhrInterface describes XMLHttpRequest
// (https://xhr.spec.whatwg.org/#interface-xmlhttprequest).
func (b *binding) xhrInterface() *webidl.Interface {
	r := b.r
	vm := r.VM()
	attrs := []webidl.Attribute{
		events.HandlerAttribute("onreadystatechange"),
		{Name: "readyState", Get: func(c webidl.Call) goja.Value { return vm.ToValue(impl(c).state) }},
		{Name: "timeout",
			Get: func(c webidl.Call) goja.Value { return vm.ToValue(impl(c).timeout) },
			Set: func(c webidl.Call, v goja.Value) { impl(c).setTimeout(r.ToUnsignedLong(v, 0)) }},
		{Name: "withCredentials",
			Get: func(c webidl.Call) goja.Value { return vm.ToValue(impl(c).credentials) },
			Set: func(c webidl.Call, v goja.Value) { impl(c).setWithCredentials(webidl.ToBoolean(v)) }},
		{Name: "upload", Get: func(c webidl.Call) goja.Value { return impl(c).upload }},
		{Name: "responseURL", Get: func(c webidl.Call) goja.Value { return vm.ToValue(impl(c).resp.URL) }},
		{Name: "status", Get: func(c webidl.Call) goja.Value { return vm.ToValue(impl(c).resp.Status) }},
		{Name: "statusText", Get: func(c webidl.Call) goja.Value { return byteString(vm, impl(c).resp.StatusText) }},
		{Name: "responseType",
			Get: func(c webidl.Call) goja.Value { return vm.ToValue(impl(c).responseType) },
			Set: func(c webidl.Call, v goja.Value) {
				// An enumeration attribute ignores values that are not
				// among the enumeration's
				// (https://webidl.spec.whatwg.org/#js-attributes).
				s := r.ToDOMString(v).String()
				if slices.Contains(responseTypes, s) {
					impl(c).setResponseType(s)
				}
			}},
		{Name: "response", Get: func(c webidl.Call) goja.Value { return impl(c).response() }},
		{Name: "responseText", Get: func(c webidl.Call) goja.Value { return impl(c).responseText() }},
	}
	if b.window {
		// [Exposed=Window] readonly attribute Document? responseXML.
		attrs = append(attrs, webidl.Attribute{Name: "responseXML", Get: func(c webidl.Call) goja.Value {
			return impl(c).responseXML()
		}})
	}
	ops := []webidl.Operation{
		{Name: "open", Length: 2, Func: func(c webidl.Call) goja.Value {
			// The overloads open(method, url) and open(method, url, async,
			// optional username = null, optional password = null) are told
			// apart by the argument count
			// (https://webidl.spec.whatwg.org/#js-overloads): with three or more,
			// async is converted even when it is undefined.
			method := r.ToByteString(c.Arg(0))
			u := r.ToUSVString(c.Arg(1))
			async := true
			var username, password *string
			if len(c.Args) >= 3 {
				async = webidl.ToBoolean(c.Arg(2))
				username = optionalUSVString(r, c.Arg(3))
				password = optionalUSVString(r, c.Arg(4))
			}
			impl(c).open(method, u, async, username, password)
			return nil
		}},
		{Name: "setRequestHeader", Length: 2, Func: func(c webidl.Call) goja.Value {
			impl(c).setRequestHeader(r.ToByteString(c.Arg(0)), r.ToByteString(c.Arg(1)))
			return nil
		}},
		{Name: "send", Func: func(c webidl.Call) goja.Value {
			impl(c).send(c.Arg(0))
			return nil
		}},
		{Name: "abort", Func: func(c webidl.Call) goja.Value {
			impl(c).abort()
			return nil
		}},
		{Name: "getResponseHeader", Length: 1, Func: func(c webidl.Call) goja.Value {
			v, ok := impl(c).resp.Header.Get(r.ToByteString(c.Arg(0)))
			if !ok {
				return goja.Null()
			}
			return byteString(vm, v)
		}},
		{Name: "getAllResponseHeaders", Func: func(c webidl.Call) goja.Value {
			return byteString(vm, impl(c).allResponseHeaders())
		}},
		{Name: "overrideMimeType", Length: 1, Func: func(c webidl.Call) goja.Value {
			impl(c).overrideMimeType(r.ToDOMString(c.Arg(0)))
			return nil
		}},
	}
	return &webidl.Interface{
		Name:   "XMLHttpRequest",
		Parent: "XMLHttpRequestEventTarget",
		// The constructor steps (https://xhr.spec.whatwg.org/#constructors): the
		// upload object.
		Constructor: func(c webidl.Call) any {
			x := &xhr{b: b, this: c.This, resp: networkError, headers: &fetch.HeaderList{}, textLen: -1}
			x.upload = r.New("XMLHttpRequestUpload", &eventTargetImpl{})
			return x
		},
		Constants: []webidl.Constant{
			{Name: "UNSENT", Value: unsent},
			{Name: "OPENED", Value: opened},
			{Name: "HEADERS_RECEIVED", Value: headersReceived},
			{Name: "LOADING", Value: loading},
			{Name: "DONE", Value: done},
		},
		Attributes: attrs,
		Operations: ops,
	}
}

// responseTypes are the values of XMLHttpRequestResponseType.
var responseTypes = []string{"", "arraybuffer", "blob", "document", "json", "text"}

// optionalUSVString converts an optional USVString? argument whose default is
// null: nil for undefined and null.
func optionalUSVString(r *webidl.Realm, v goja.Value) *string {
	if webidl.IsNullish(v) {
		return nil
	}
	s := r.ToUSVString(v)
	return &s
}

// byteString converts a byte sequence to a JavaScript string, one code unit per
// byte (Infra "isomorphic decode").
func byteString(vm *goja.Runtime, s string) goja.Value {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			runes := make([]rune, len(s))
			for j := 0; j < len(s); j++ {
				runes[j] = rune(s[j])
			}
			return vm.ToValue(string(runes))
		}
	}
	return vm.ToValue(s)
}

// open implements the open() method steps
// (https://xhr.spec.whatwg.org/#the-open()-method).
func (x *xhr) open(method, u string, async bool, username, password *string) {
	r := x.b.r
	// Step 1: there is no Document that could be inactive.
	// Steps 2-4.
	if !fetch.IsMethod(method) {
		r.ThrowDOMException("SyntaxError", fmt.Sprintf("Failed to execute 'open' on 'XMLHttpRequest': '%s' is not a valid HTTP method.", method))
	}
	if fetch.IsForbiddenMethod(method) {
		r.ThrowDOMException("SecurityError", fmt.Sprintf("Failed to execute 'open' on 'XMLHttpRequest': '%s' HTTP method is unsupported.", method))
	}
	method = fetch.NormalizeMethod(method)
	// Steps 5-6: the document's encoding is UTF-8, so encoding-parsing is
	// parsing against the API base URL.
	parsed, err := urlpkg.Parse(u, r.APIBaseURL())
	if err != nil {
		r.ThrowDOMException("SyntaxError", fmt.Sprintf("Failed to execute 'open' on 'XMLHttpRequest': Invalid URL %q", u))
	}
	// Step 7 is the overload resolution done by the caller. Step 8.
	href := parsed.Href
	if (username != nil || password != nil) && hasHost(parsed) {
		href = withCredentials(parsed, username, password)
	}
	// Step 9.
	if !async && x.b.window && (x.timeout != 0 || x.responseType != "") {
		r.ThrowDOMException("InvalidAccessError", "Failed to execute 'open' on 'XMLHttpRequest': Synchronous requests from a Window cannot have a timeout or a response type.")
	}
	// Step 10: terminate the fetch controller.
	x.stopFetch()
	// Step 11.
	x.sendFlag = false
	x.method = method
	x.url = href
	x.blobEntry = nil
	if parsed.Scheme == "blob" {
		// The URL parser resolves a blob URL as it parses it
		// (https://url.spec.whatwg.org/#concept-url-blob-entry): the request
		// reads the Blob even if the URL is revoked before send().
		x.blobEntry = x.b.blobURLs.Resolve(parsed.Href)
	}
	x.headers = &fetch.HeaderList{}
	x.body = nil
	x.sync = !async
	x.uploadListener = false
	x.resp = networkError
	// The bytes received before may still be a response's: they are given
	// back once collected.
	x.received = bindings.Buffer{Budget: x.b.memory}
	x.responseObj, x.responseFailed = nil, false
	x.text, x.textLen = nil, -1
	// Step 12.
	if x.state != opened {
		x.state = opened
		x.fire("readystatechange")
	}
}

// hasHost reports whether u's host is non-null: URLs with an opaque path have
// none, and the file: URLs this runtime cannot fetch are left alone too.
func hasHost(u *urlpkg.Record) bool { return u.Host != "" && u.Scheme != "file" }

// withCredentials implements step 8 of open(): "set the username" and "set the
// password" (https://url.spec.whatwg.org/#set-the-username,
// https://url.spec.whatwg.org/#set-the-password) of u, returning the new URL
// serialized.
func withCredentials(u *urlpkg.Record, username, password *string) string {
	user, pass := u.Username, u.Password
	if username != nil {
		user = userinfoEncode(*username)
	}
	if password != nil {
		pass = userinfoEncode(*password)
	}
	var b strings.Builder
	b.WriteString(u.Scheme)
	b.WriteString("://")
	if user != "" || pass != "" {
		b.WriteString(user)
		if pass != "" {
			b.WriteByte(':')
			b.WriteString(pass)
		}
		b.WriteByte('@')
	}
	b.WriteString(u.Host)
	if u.Port != "" {
		b.WriteByte(':')
		b.WriteString(u.Port)
	}
	b.WriteString(u.Path)
	if u.HasQuery {
		b.WriteByte('?')
		b.WriteString(u.Query)
	}
	if u.HasFragment {
		b.WriteByte('#')
		b.WriteString(u.Fragment)
	}
	return b.String()
}

// userinfoEncode UTF-8 percent-encodes s with the userinfo percent-encode set
// (https://url.spec.whatwg.org/#userinfo-percent-encode-set).
func userinfoEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7E || strings.IndexByte(" \"#<>?`{}/:;=@[\\]^|", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0x0F])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// setRequestHeader implements the setRequestHeader() method steps
// (https://xhr.spec.whatwg.org/#the-setrequestheader()-method).
func (x *xhr) setRequestHeader(name, value string) {
	r := x.b.r
	// Steps 1-2.
	if x.state != opened || x.sendFlag {
		r.ThrowDOMException("InvalidStateError", "Failed to execute 'setRequestHeader' on 'XMLHttpRequest': The object's state must be OPENED.")
	}
	// Step 3.
	value = fetch.NormalizeHeaderValue(value)
	// Step 4.
	if !fetch.IsHeaderName(name) {
		r.ThrowDOMException("SyntaxError", fmt.Sprintf("Failed to execute 'setRequestHeader' on 'XMLHttpRequest': '%s' is not a valid HTTP header field name.", name))
	}
	if !fetch.IsHeaderValue(value) {
		r.ThrowDOMException("SyntaxError", fmt.Sprintf("Failed to execute 'setRequestHeader' on 'XMLHttpRequest': '%s' is not a valid HTTP header field value.", value))
	}
	// Step 5.
	if fetch.IsForbiddenRequestHeader(name, value) {
		return
	}
	// Step 6.
	x.headers.Combine(name, value)
}

// setTimeout implements the timeout setter steps
// (https://xhr.spec.whatwg.org/#the-timeout-attribute).
func (x *xhr) setTimeout(ms uint32) {
	// Step 1.
	if x.b.window && x.sync {
		x.b.r.ThrowDOMException("InvalidAccessError", "Failed to set the 'timeout' property on 'XMLHttpRequest': Timeouts cannot be set for synchronous requests made from a Window.")
	}
	// Step 2. A fetch in flight is timed from its start with the new value.
	x.timeout = ms
	if x.f != nil && !x.sync {
		x.armTimer()
	}
}

// setWithCredentials implements the withCredentials setter steps
// (https://xhr.spec.whatwg.org/#the-withcredentials-attribute).
func (x *xhr) setWithCredentials(v bool) {
	// Steps 1-2.
	if x.state != unsent && x.state != opened || x.sendFlag {
		x.b.r.ThrowDOMException("InvalidStateError", "Failed to set the 'withCredentials' property on 'XMLHttpRequest': The value may only be set if the object's state is UNSENT or OPENED.")
	}
	// Step 3.
	x.credentials = v
}

// setResponseType implements the responseType setter steps
// (https://xhr.spec.whatwg.org/#the-responsetype-attribute).
func (x *xhr) setResponseType(v string) {
	r := x.b.r
	// Step 1.
	if !x.b.window && v == "document" {
		return
	}
	// Step 2.
	if x.state == loading || x.state == done {
		r.ThrowDOMException("InvalidStateError", "Failed to set the 'responseType' property on 'XMLHttpRequest': The response type cannot be set if the object's state is LOADING or DONE.")
	}
	// Step 3.
	if x.b.window && x.sync {
		r.ThrowDOMException("InvalidAccessError", "Failed to set the 'responseType' property on 'XMLHttpRequest': The response type cannot be changed for synchronous requests made from a Window.")
	}
	// Step 4.
	x.responseType = v
}

// abort implements the abort() method steps
// (https://xhr.spec.whatwg.org/#the-abort()-method).
func (x *xhr) abort() {
	// Step 1: abort the fetch controller.
	x.stopFetch()
	// Step 2.
	if x.state == opened && x.sendFlag || x.state == headersReceived || x.state == loading {
		x.requestError("abort", "")
	}
	// Step 3: no readystatechange.
	if x.state == done {
		x.state = unsent
		x.resp = networkError
	}
}

// overrideMimeType implements the overrideMimeType() method steps
// (https://xhr.spec.whatwg.org/#the-overridemimetype()-method).
func (x *xhr) overrideMimeType(mime goja.String) {
	// Step 1.
	if x.state == loading || x.state == done {
		x.b.r.ThrowDOMException("InvalidStateError", "Failed to execute 'overrideMimeType' on 'XMLHttpRequest': MimeType cannot be overridden when the state is LOADING or DONE.")
	}
	// Steps 2-3.
	mt, ok := fetch.ParseMIMEType(latin1(mime))
	if !ok {
		mt, _ = fetch.ParseMIMEType("application/octet-stream")
	}
	x.override = mt
}

// latin1 returns s with one byte per code unit, for the MIME type parser, which
// works on byte strings: code units above U+00FF, which no part of a MIME type
// may hold, become 0x7F, which none may hold either, so that parsing gives the
// same result.
func latin1(s goja.String) string {
	n := s.Length()
	b := make([]byte, n)
	for i := 0; i < n; i++ {
		c := s.CharAt(i)
		if c > 0xFF {
			c = 0x7F
		}
		b[i] = byte(c)
	}
	return string(b)
}

// allResponseHeaders implements the getAllResponseHeaders() method steps
// (https://xhr.spec.whatwg.org/#the-getallresponseheaders()-method).
func (x *xhr) allResponseHeaders() string {
	// Steps 1-2.
	headers := x.resp.Header.SortAndCombine()
	// Step 3: sorted by their names byte-uppercased.
	slices.SortStableFunc(headers, func(a, b [2]string) int {
		return strings.Compare(upperASCII(a[0]), upperASCII(b[0]))
	})
	// Step 4.
	var out strings.Builder
	for _, h := range headers {
		out.WriteString(h[0])
		out.WriteString(": ")
		out.WriteString(h[1])
		out.WriteString("\r\n")
	}
	return out.String()
}

// upperASCII byte-uppercases s.
func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'a' && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// fire fires an event named typ at the object (DOM "fire an event").
func (x *xhr) fire(typ string) {
	_, _ = events.Fire(x.b.r, x.this, typ)
}

// fireProgress implements "fire a progress event" named typ at target with
// transmitted and length
// (https://xhr.spec.whatwg.org/#concept-event-fire-progress).
func (b *binding) fireProgress(target *goja.Object, typ string, transmitted, length int64) {
	ev, err := events.NewProgressEvent(b.r, typ, events.ProgressEventInit{
		Loaded:           float64(transmitted),
		LengthComputable: length != 0,
		Total:            float64(length),
	})
	if err != nil {
		return
	}
	_, _ = events.Dispatch(b.r, target, ev)
}
