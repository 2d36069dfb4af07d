package fetch

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/abort"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/formdata"
	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/bindings/streams"
	urlpkg "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// Options configure how fetch() reaches the network; hand them over with
// bindings.Configure. The zero value connects as the
// zero network.Policy does (directly or through the proxy the environment names,
// trusting the system's TLS roots), keeps no cookies and lets scripts fetch from
// anywhere.
type Options struct {
	// Network is how requests reach servers: the dialer, the connection policy, the
	// proxy, the TLS configuration for https: URLs, the cookie jar and the log of
	// failure causes; WebSocket can be given the same one. Its Allow is asked about
	// each request (the first one and each redirect), then about every address
	// dialed; a refusal makes the fetch a network error, whose promise rejects with a
	// TypeError that does not reveal the cause. Its Log is told the cause whenever a
	// fetch ends in a network error other than an abort. Nil means the zero
	// network.Policy. The binding keeps a copy of it, made when it is
	// registered.
	Network *network.Policy
}

// binding is the per-realm state.
type binding struct {
	r    *webidl.Realm
	loop *eventloop.Loop
	opts Options
	net  *fetcher
	// blobURLs resolves blob: URLs
	// (https://w3c.github.io/FileAPI/#BlobURLStore, the store
	// URL.createObjectURL fills); without it fetching a blob: URL is a network
	// error.
	blobURLs *blob.URLStore

	requestInitDict  *webidl.Dictionary[requestInit]
	responseInitDict *webidl.Dictionary[responseInit]

	// bodyInitUnion is BodyInit, with ReadableStream when the realm has
	// it; sx is the Streams API, nil without it.
	bodyInitUnion *webidl.Union
	sx            *streamAPI

	// Intrinsics captured at registration, so that scripts replacing
	// them later do not change what the API does.
	uint8Array     *goja.Object
	jsonParse      goja.Callable
	jsonStringify  goja.Callable
	blobType       goja.Callable // the getter of Blob.prototype.type
	paramsToString goja.Callable // URLSearchParams.prototype.toString
	signalAny      goja.Callable // AbortSignal.any
	signalReason   goja.Callable // the getter of AbortSignal.prototype.reason
}

// Binding installs Headers, Request, Response and fetch(). The Fetch API takes
// Blobs, FormData, URLSearchParams, AbortSignals and ReadableStreams and creates them.
var Binding = &bindings.Binding{
	Name:     "fetch",
	Needs:    []*bindings.Binding{urlpkg.Binding, blob.Binding, formdata.Binding, abort.Binding, streams.Binding},
	Register: Register,
}

// Register installs Headers, Request, Response and fetch() on the global object of
// env.Realm, with the Options given to bindings.Configure; blob: URLs resolve in the
// blob URL store of env's Cluster (blob.URLStoreOf). Responses arrive in tasks queued
// on env.Loop, which it needs, and which a pending fetch (or a body being read) keeps
// alive; closing the loop aborts what is in flight. Register must run after the
// events, blob, formdata, url and abort bindings are installed, whose
// interfaces the Fetch API uses, and after the streams binding for bodies to have
// streams: without a ReadableStream interface, the body attribute of requests and
// responses is null and BodyInit takes no streams.
func Register(env *bindings.Env) error {
	r, loop, opts := env.Realm, env.Loop, bindings.Config[Options](env)
	if loop == nil {
		return errors.New("fetch: the realm has no event loop")
	}
	b := &binding{r: r, loop: loop, opts: opts, blobURLs: blob.URLStoreOf(env)}
	b.bodyInitUnion = &webidl.Union{
		Interfaces:      []string{"Blob", "FormData", "URLSearchParams"},
		ArrayBuffer:     true,
		ArrayBufferView: true,
		String:          true,
	}
	if err := b.captureIntrinsics(); err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	b.net = newFetcher(opts)
	b.net.memory = env.Memory()
	b.requestInitDict = b.requestInitDictionary()
	b.responseInitDict = b.responseInitDictionary()
	if err := r.DefineInterface(b.headersInterface()); err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	for _, name := range []string{"Request", "Response"} {
		var d *webidl.Interface
		if name == "Request" {
			d = b.requestInterface()
		} else {
			d = b.responseInterface()
		}
		if err := r.DefineInterface(d); err != nil {
			return fmt.Errorf("fetch: %w", err)
		}
	}
	if err := b.defineFetch(); err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	loop.OnClose(b.net.close)
	r.SetData(bindingKey{}, b)
	return nil
}

// captureIntrinsics finds the built-ins and the interfaces of other bindings
// the API uses.
func (b *binding) captureIntrinsics() error {
	in := webidl.Intrinsics{VM: b.r.VM()}
	var ok bool
	if b.uint8Array, ok = in.Value("Uint8Array").(*goja.Object); !ok {
		return errors.New("the global object has no Uint8Array")
	}
	if b.jsonParse, ok = goja.AssertFunction(in.Value("JSON", "parse")); !ok {
		return errNotFunction("JSON.parse")
	}
	if b.jsonStringify, ok = goja.AssertFunction(in.Value("JSON", "stringify")); !ok {
		return errNotFunction("JSON.stringify")
	}
	var err error
	if b.blobType, err = b.getter("Blob", "type"); err != nil {
		return err
	}
	if b.signalReason, err = b.getter("AbortSignal", "reason"); err != nil {
		return err
	}
	if b.paramsToString = b.r.Member("URLSearchParams", "toString"); b.paramsToString == nil {
		return errors.New("URLSearchParams is not defined: register package url first")
	}
	if b.signalAny = b.r.Member("AbortSignal", "any"); b.signalAny == nil {
		return errors.New("AbortSignal is not defined: register package abort first")
	}
	if b.r.InterfaceObject("FormData") == nil {
		return errors.New("FormData is not defined: register package formdata first")
	}
	if b.r.InterfaceObject("EventTarget") == nil {
		return errors.New("EventTarget is not defined: register package events first")
	}
	return b.captureStreams()
}

// getter returns the getter of the attribute attr of the interface iface.
func (b *binding) getter(iface, attr string) (goja.Callable, error) {
	get := b.r.Member(iface, "get "+attr)
	if get == nil {
		return nil, fmt.Errorf("%s has no %s attribute: register its package first", iface, attr)
	}
	return get, nil
}

func errNotFunction(name string) error { return fmt.Errorf("%s is not a function", name) }

// queue queues a task on the loop; false once the loop is closed.
func (b *binding) queue(task func()) bool { return b.loop.Queue(task) }

// hold keeps the loop alive until release is called.
func (b *binding) hold() (release func()) { return b.loop.Hold() }

// origin returns the serialization of the origin of the realm's settings
// object: the origin of its API base URL.
func (b *binding) origin() string {
	u, err := urlpkg.Parse(b.r.APIBaseURL(), "")
	if err != nil {
		return "null"
	}
	return u.Origin
}

// dependentSignal implements "create a dependent abort signal"
// (https://dom.spec.whatwg.org/#create-a-dependent-abort-signal) from
// « signal », or « » when signal is nil.
func (b *binding) dependentSignal(signal *goja.Object) *goja.Object {
	vm := b.r.VM()
	arr := vm.NewArray()
	if signal != nil {
		arr = vm.NewArray(signal)
	}
	v, err := b.signalAny(b.r.InterfaceObject("AbortSignal"), arr)
	if err != nil {
		panic(err)
	}
	return v.(*goja.Object)
}

// signalImpl returns the Go side of an AbortSignal.
func (b *binding) signalImpl(signal *goja.Object) events.Signal {
	impl, _ := b.r.Impl(signal, "AbortSignal")
	s, _ := impl.(events.Signal)
	return s
}

// abortReason returns the abort reason of signal.
func (b *binding) abortReason(signal *goja.Object) goja.Value {
	v, err := b.signalReason(signal)
	if err != nil {
		panic(err)
	}
	return v
}

// defineFetch defines fetch(input, init) on the global object, as an
// operation of the WindowOrWorkerGlobalScope mixin on a [Global] interface:
// a writable, enumerable, configurable property of the global object itself.
func (b *binding) defineFetch() error {
	return b.r.DefineGlobalMembers(nil, []webidl.Operation{{
		Name: "fetch", Length: 1, ReturnsPromise: true,
		Func: func(c webidl.Call) goja.Value { return b.fetch(c.Arg(0), c.Arg(1)) },
	}})
}

// fetch runs the fetch(input, init) method steps
// (https://fetch.spec.whatwg.org/#dom-global-fetch).
func (b *binding) fetch(input, init goja.Value) goja.Value {
	r := b.r
	vm := r.VM()
	// Step 1.
	p, resolve, reject := r.NewPromise()
	// Step 2: the Request constructor's steps; an exception rejects p.
	var reqObj *requestImpl
	if err := vm.Try(func() { reqObj = b.constructRequest(input, init) }); err != nil {
		reject(exceptionValue(err))
		return p
	}
	// Step 3.
	req := reqObj.req
	// Step 4: an aborted signal rejects at once.
	signal := b.signalImpl(reqObj.signal)
	if signal != nil && signal.Aborted() {
		b.abortFetchCall(reject, nil, b.abortReason(reqObj.signal))
		return p
	}
	// A body that is a stream cannot be sent over HTTP/1.x (step 8.3 of
	// https://fetch.spec.whatwg.org/#concept-http-network-fetch), and this
	// runtime sends no request body as it is produced.
	if isStreamBody(req.body) {
		reject(vm.NewTypeError("Failed to fetch: request bodies that are streams are not supported"))
		return p
	}
	// Steps 5-10.
	var respObj *responseImpl
	locallyAborted := false
	job := b.net.newJob(b.snapshot(req))
	// Step 11: abort steps.
	if signal != nil {
		signal.AddAlgorithm(func() {
			locallyAborted = true
			reason := b.abortReason(reqObj.signal)
			job.abort()
			b.abortFetchCall(reject, respObj, reason)
		})
	}
	// Step 12: fetch, with processResponse settling p in a task.
	release := b.hold()
	go func() {
		resp := job.run()
		task := func() {
			release()
			if locallyAborted {
				resp.discard()
				return
			}
			if resp.isNetworkError() {
				job.done()
				if resp.aborted {
					// The controller was aborted by other means
					// than the signal (the runtime closing).
					reject(vm.NewTypeError("Failed to fetch: the fetch was aborted"))
					return
				}
				reject(vm.NewTypeError("Failed to fetch: " + resp.errMsg))
				return
			}
			respObj = &responseImpl{resp: resp}
			respObj.headers, respObj.hdrs = b.newHeaders(resp.headers, guardImmutable)
			obj := b.r.New("Response", respObj)
			if resp.body == nil || resp.body.data.net == nil {
				job.done()
			} else {
				// A body nobody reads is closed once unreachable.
				nb := resp.body.data.net
				runtime.AddCleanup(resp.body.data, func(nb *netBody) {
					if !nb.taken.Load() {
						nb.close()
					}
				}, nb)
			}
			resolve(obj)
		}
		if !b.queue(task) {
			release()
			resp.discard()
			job.done()
		}
	}()
	// Step 13.
	return p
}

// abortFetchCall implements "abort a fetch() call"
// (https://fetch.spec.whatwg.org/#abort-fetch): the promise is rejected (a
// no-op once it is fulfilled) and the response's body, if still being read, is
// errored with the reason.
func (b *binding) abortFetchCall(reject func(goja.Value), respObj *responseImpl, reason goja.Value) {
	// Step 1.
	reject(reason)
	// Step 2: a request body that is a stream never gets this far (fetch
	// refuses to send one), and bytes cannot be cancelled.
	// Steps 3-5.
	if respObj == nil || respObj.resp.body == nil {
		return
	}
	b.errorBody(respObj.resp.body, reason)
}
