package websocketstream

import (
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/abort"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/internal/wsapi"
	"github.com/wsjs/wsjs/bindings/streams"
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
	// memory is the cluster's memory budget, or nil: the transport charges
	// the messages it receives to it, and the sends it queues.
	memory *bindings.Budget

	runFn        goja.Callable    // calls a Go function under a JavaScript frame
	uint8Array   goja.Constructor // %Uint8Array%
	signalReason goja.Callable    // the AbortSignal.prototype.reason getter
	errors       *webidl.WeakTable[*errorInfo]

	streams    wsapi.Registry[*wsStream]
	connecting wsapi.ConnectQueue // one handshake at a time per host and port
}

// Binding installs the WebSocketStream and WebSocketError interfaces. A
// WebSocketStream hands out ReadableStreams and WritableStreams and takes an
// AbortSignal.
var Binding = &bindings.Binding{
	Name:     "websocketstream",
	Needs:    []*bindings.Binding{abort.Binding, streams.Binding},
	Register: Register,
}

// Register installs the WebSocketStream and WebSocketError interfaces on the global
// object of env.Realm. They are configured with the WebSocket interface's options
// given to bindings.Configure (headers, limits, timeouts, and the network policy:
// dialing, TLS, cookies, connection policy, log); MaxSockets bounds the WebSocketStreams of the runtime
// separately from its WebSockets. Tasks are queued on env.Loop, which it needs. The
// events, abort and streams bindings must be installed first.
func Register(env *bindings.Env) error {
	r, loop, opts := env.Realm, env.Loop, bindings.Config[websocket.Options](env)
	if loop == nil {
		return errors.New("websocketstream: the realm has no event loop")
	}
	b := &binding{
		realm:  r,
		vm:     r.VM(),
		loop:   loop,
		opts:   opts,
		errors: webidl.NewWeakTable[*errorInfo](),
		memory: env.Memory(),
	}
	b.cfg = opts.TransportConfig()
	if b.memory != nil {
		b.cfg.Memory = b.memory
	}
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

// runProgram makes the function run calls f under; compiled once per process.
var runProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:websocketstream.js", `(function (f) { "use strict"; return f(); })`, true)
})

func (b *binding) captureIntrinsics() error {
	r, vm := b.realm, b.vm
	for _, name := range []string{"ReadableStream", "WritableStream", "AbortSignal", "DOMException"} {
		if r.InterfaceObject(name) == nil {
			return fmt.Errorf("websocketstream: %s is not defined (register the streams and abort packages first)", name)
		}
	}
	v, err := vm.RunProgram(runProgram())
	if err != nil {
		return fmt.Errorf("websocketstream: %w", err)
	}
	b.runFn, _ = goja.AssertFunction(v)
	u8, ok := goja.AssertConstructor(webidl.Intrinsics{VM: vm}.Value("Uint8Array"))
	if !ok {
		return errors.New("websocketstream: Uint8Array is not a constructor")
	}
	b.uint8Array = u8
	b.signalReason = r.Member("AbortSignal", "get reason")
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

// log tells the network policy's Log the real cause of a failure.
func (b *binding) log(s *wsStream, err error) { b.opts.Network.Report(s.target.Href, err) }
