package websocketstream

import (
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/internal/wsapi"
	"github.com/wsjs/wsjs/bindings/websocket"
	"github.com/wsjs/wsjs/bindings/websocket/transport"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// binding is the per-realm state: options, intrinsics, and the streams not yet CLOSED.
type binding struct {
	realm *webidl.Realm
	vm    *goja.Runtime
	loop  *eventloop.Loop
	opts  websocket.Options
	cfg   transport.Config

	runFn        goja.Callable    // calls a Go function under a JavaScript frame
	uint8Array   goja.Constructor // %Uint8Array%
	signalReason goja.Callable    // the AbortSignal.prototype.reason getter
	errors       *webidl.WeakTable[*errorInfo]

	mu         sync.Mutex
	streams    map[*wsStream]struct{}
	connecting wsapi.ConnectQueue // one handshake at a time per host and port
	closed     bool
}

// Register installs the WebSocketStream and WebSocketError interfaces on the global
// object of r. opts are the WebSocket interface's options (dialing, TLS, cookies,
// headers, connection policy, limits, timeouts, log); MaxSockets bounds the
// WebSocketStreams of the runtime separately from its WebSockets. Tasks are queued on
// loop. The events, abort and streams packages must be registered in r first.
func Register(r *webidl.Realm, loop *eventloop.Loop, opts websocket.Options) error {
	b := &binding{
		realm:   r,
		vm:      r.VM(),
		loop:    loop,
		opts:    opts,
		errors:  webidl.NewWeakTable[*errorInfo](),
		streams: map[*wsStream]struct{}{},
	}
	b.cfg = opts.TransportConfig()
	if err := b.captureIntrinsics(); err != nil {
		return err
	}
	if err := r.DefineInterface(b.errorInterface()); err != nil {
		return fmt.Errorf("websocketstream: %w", err)
	}
	if err := r.DefineInterface(b.streamInterface()); err != nil {
		return fmt.Errorf("websocketstream: %w", err)
	}
	// Closing the runtime makes every stream disappear: a connecting one fails, an
	// open one is dropped after a close frame with 1001.
	loop.OnClose(b.shutdown)
	return nil
}

func (b *binding) captureIntrinsics() error {
	r, vm := b.realm, b.vm
	for _, name := range []string{"ReadableStream", "WritableStream", "AbortSignal", "DOMException"} {
		if r.InterfaceObject(name) == nil {
			return fmt.Errorf("websocketstream: %s is not defined (register the streams and abort packages first)", name)
		}
	}
	v, err := vm.RunString(`(function (f) { "use strict"; return f(); })`)
	if err != nil {
		return fmt.Errorf("websocketstream: %w", err)
	}
	b.runFn, _ = goja.AssertFunction(v)
	u8, ok := goja.AssertConstructor(r.Global().Get("Uint8Array"))
	if !ok {
		return errors.New("websocketstream: Uint8Array is not a constructor")
	}
	b.uint8Array = u8
	b.signalReason = webidl.Intrinsics{VM: vm}.Getter(r.Prototype("AbortSignal"), vm.ToValue("reason"))
	if b.signalReason == nil {
		return errors.New("websocketstream: AbortSignal has no reason getter")
	}
	return nil
}

// run calls f under a JavaScript frame, so that goja runs microtasks only when the
// whole task is done (HTML "clean up after running script"), not after each of the
// promise resolutions and stream operations it makes.
func (b *binding) run(f func()) {
	fn := b.vm.ToValue(func(goja.FunctionCall) goja.Value {
		f()
		return goja.Undefined()
	})
	if _, err := b.runFn(goja.Undefined(), fn); err != nil {
		b.loop.ReportException(err)
	}
}

// queue queues f as a task on the WebSocket task source, run under a JavaScript frame.
func (b *binding) queue(f func()) bool {
	return b.loop.Queue(func() { b.run(f) })
}

// post is queue without waking the loop: the connection's reader flushes the posted
// tasks before it reads again (handler.Idle).
func (b *binding) post(f func()) bool {
	return b.loop.Post(func() { b.run(f) })
}

// dictionary creates the JavaScript value of an IDL dictionary from its members'
// names and values, in order (CreateDataProperty, not [[Set]]).
func (b *binding) dictionary(kv ...any) *goja.Object {
	o := b.vm.NewObject()
	for i := 0; i+1 < len(kv); i += 2 {
		_ = o.DefineDataProperty(kv[i].(string), b.vm.ToValue(kv[i+1]), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	return o
}

// closeInfo holds the WebSocketCloseInfo dictionary.
type closeInfo struct {
	code   int // wsapi.NoCode when absent
	reason string
}

var closeInfoDict = &webidl.Dictionary[closeInfo]{
	Name: "WebSocketCloseInfo",
	Members: []webidl.DictionaryMember[closeInfo]{
		{Name: "closeCode", Convert: func(r *webidl.Realm, v goja.Value, out *closeInfo) {
			out.code = int(r.ToUnsignedShort(v, webidl.EnforceRange))
		}},
		{Name: "reason", Convert: func(r *webidl.Realm, v goja.Value, out *closeInfo) { out.reason = r.ToUSVString(v) }},
	},
}

func toCloseInfo(r *webidl.Realm, v goja.Value) closeInfo {
	info := closeInfo{code: wsapi.NoCode}
	webidl.ToDictionary(r, v, closeInfoDict, &info)
	return info
}

// streamOptions holds the WebSocketStreamOptions dictionary.
type streamOptions struct {
	protocols []string
	signal    *goja.Object
	abort     events.Signal
}

var streamOptionsDict = &webidl.Dictionary[streamOptions]{
	Name: "WebSocketStreamOptions",
	Members: []webidl.DictionaryMember[streamOptions]{
		{Name: "protocols", Convert: func(r *webidl.Realm, v goja.Value, out *streamOptions) {
			out.protocols = webidl.ToSequence(r, v, func(v goja.Value) string { return r.ToUSVString(v) })
			if out.protocols == nil {
				out.protocols = []string{}
			}
		}},
		{Name: "signal", Convert: func(r *webidl.Realm, v goja.Value, out *streamOptions) {
			impl := r.ToInterface(v, "AbortSignal")
			out.signal = v.(*goja.Object)
			out.abort, _ = impl.(events.Signal)
		}},
	},
}

// throwFor throws the DOMException an error of package wsapi names.
func (b *binding) throwFor(err error, message string) {
	b.realm.ThrowDOMException(err.Error(), message)
}

func (b *binding) streamInterface() *webidl.Interface {
	r := b.realm
	impl := func(c webidl.Call) *wsStream { return c.Impl.(*wsStream) }
	return &webidl.Interface{
		Name:        "WebSocketStream",
		Length:      1,
		Constructor: func(c webidl.Call) any { return b.construct(c) },
		Attributes: []webidl.Attribute{
			// The url getter: the URL, serialized.
			{Name: "url", Get: func(c webidl.Call) goja.Value { return b.vm.ToValue(impl(c).target.Href) }},
			{Name: "opened", Get: func(c webidl.Call) goja.Value { return impl(c).opened }},
			{Name: "closed", Get: func(c webidl.Call) goja.Value { return impl(c).closed }},
		},
		Operations: []webidl.Operation{
			// close(optional WebSocketCloseInfo closeInfo = {}).
			{Name: "close", Length: 0, Func: func(c webidl.Call) goja.Value {
				info := toCloseInfo(r, c.Arg(0))
				// Steps 1-3: close the WebSocket with code and reason.
				if err := impl(c).closeWebSocket(info.code, info.reason); err != nil {
					b.throwFor(err, "Failed to execute 'close' on 'WebSocketStream': "+closeMessage(err))
				}
				return nil
			}},
		},
	}
}

// closeMessage explains a failed "validate close code and reason".
func closeMessage(err error) string {
	if errors.Is(err, wsapi.ErrSyntax) {
		return "the reason must not be longer than 123 bytes."
	}
	return "the code must be either 1000, or between 3000 and 4999."
}

// log tells the embedder's Log the real cause of a failure.
func (b *binding) log(s *wsStream, err error) {
	if b.opts.Log != nil && err != nil {
		b.opts.Log(s.target.Href, err)
	}
}
