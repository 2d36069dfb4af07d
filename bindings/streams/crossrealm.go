package streams

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/messaging"
)

// This file holds the cross-realm transforms of transferable streams
// (https://streams.spec.whatwg.org/#transferrable-streams): an identity transform
// whose writable side is in one realm and readable side in another, the two talking
// over a pair of entangled MessagePorts. The ports are driven through the
// MessagePort and EventTarget methods captured when the binding was registered
// (portIntrinsics); a realm without the messaging binding cannot transfer streams.

// portIntrinsics are the methods the cross-realm transforms call on their ports.
type portIntrinsics struct {
	post, close, addListener goja.Callable
}

// capturePortIntrinsics captures MessagePort.prototype.postMessage and close and
// EventTarget.prototype.addEventListener, if the messaging binding is installed.
func (b *binding) capturePortIntrinsics() {
	port, target := b.r.Prototype("MessagePort"), b.r.Prototype("EventTarget")
	if port == nil || target == nil {
		return
	}
	b.ports.post, _ = goja.AssertFunction(port.Get("postMessage"))
	b.ports.close, _ = goja.AssertFunction(port.Get("close"))
	b.ports.addListener, _ = goja.AssertFunction(target.Get("addEventListener"))
}

// canTransfer reports whether the realm can make the ports of a transfer.
func (b *binding) canTransfer() bool {
	return b.ports.post != nil && b.ports.close != nil && b.ports.addListener != nil
}

// disentangle disentangles port, as its close() does.
func (b *binding) disentangle(port *goja.Object) {
	_, err := b.ports.close(port)
	rethrow(err)
}

// onPort adds a handler for port's event of type typ. The event loop calls
// the listener from Go: the handler runs under a JavaScript frame (run), so
// that the promises it settles react only after it returns, not in the middle
// of its steps.
func (b *binding) onPort(port *goja.Object, typ string, handler func(event *goja.Object)) {
	f := b.vm.ToValue(func(c goja.FunctionCall) goja.Value {
		if ev, ok := c.Argument(0).(*goja.Object); ok {
			rethrow(b.run(func() { handler(ev) }))
		}
		return goja.Undefined()
	})
	_, err := b.ports.addListener(port, b.vm.ToValue(typ), f)
	rethrow(err)
}

// messageOf returns the type and value of a message event's data, or ok false if
// the data is not what the other side of a cross-realm transform sends.
func messageOf(event *goja.Object) (typ string, value goja.Value, ok bool) {
	data, isObj := event.Get("data").(*goja.Object)
	if !isObj {
		return "", nil, false
	}
	t := data.Get("type")
	if !goja.IsString(t) {
		return "", nil, false
	}
	return t.String(), orUndefined(data.Get("value")), true
}

// packAndPostMessage is PackAndPostMessage
// (https://streams.spec.whatwg.org/#abstract-opdef-packandpostmessage). It returns
// the exception of a message that cannot be serialized, or nil.
func (b *binding) packAndPostMessage(port *goja.Object, typ string, value goja.Value) goja.Value {
	// Steps 1-3.
	message := b.vm.CreateObject(nil)
	ex := b.vm.Try(func() {
		rethrow(message.Set("type", typ))
		rethrow(message.Set("value", value))
		// Steps 4-6: the message port post message steps, with no transfer.
		_, err := b.ports.post(port, message)
		rethrow(err)
	})
	if ex != nil {
		return ex.Value()
	}
	return nil
}

// packAndPostMessageHandlingError is PackAndPostMessageHandlingError
// (https://streams.spec.whatwg.org/#abstract-opdef-packandpostmessagehandlingerror).
func (b *binding) packAndPostMessageHandlingError(port *goja.Object, typ string, value goja.Value) goja.Value {
	exc := b.packAndPostMessage(port, typ, value)
	if exc != nil {
		b.crossRealmTransformSendError(port, exc)
	}
	return exc
}

// crossRealmTransformSendError is CrossRealmTransformSendError
// (https://streams.spec.whatwg.org/#abstract-opdef-crossrealmtransformsenderror).
func (b *binding) crossRealmTransformSendError(port *goja.Object, e goja.Value) {
	_ = b.packAndPostMessage(port, "error", e)
}

// setUpCrossRealmTransformReadable is SetUpCrossRealmTransformReadable
// (https://streams.spec.whatwg.org/#abstract-opdef-setupcrossrealmtransformreadable).
func (b *binding) setUpCrossRealmTransformReadable(s *readableStream, port *goja.Object) {
	// Step 2.
	c := &readableController{}
	// Step 3: messages from the writable side.
	b.onPort(port, "message", func(event *goja.Object) {
		typ, value, ok := messageOf(event)
		if !ok {
			return
		}
		switch typ {
		case "chunk":
			c.enqueue(value)
		case "close":
			c.close()
			b.disentangle(port)
		case "error":
			c.error(value)
			b.disentangle(port)
		}
	})
	// Step 4.
	b.onPort(port, "messageerror", func(*goja.Object) {
		e := b.r.NewDOMException("DataCloneError", "A chunk of the transferred stream could not be deserialized")
		b.crossRealmTransformSendError(port, e)
		c.error(e)
		b.disentangle(port)
	})
	// Step 5.
	rethrow(messaging.Start(b.r, port))
	// Steps 6-9.
	start := func() goja.Value { return goja.Undefined() }
	pull := func() *goja.Object {
		_ = b.packAndPostMessage(port, "pull", goja.Undefined())
		return b.resolvedPromise(goja.Undefined()).obj
	}
	cancel := b.crossRealmSendErrorAlgorithm(port)
	// Step 10.
	c.setUp(s, start, pull, cancel, 0, countOne)
}

// setUpCrossRealmTransformWritable is SetUpCrossRealmTransformWritable
// (https://streams.spec.whatwg.org/#abstract-opdef-setupcrossrealmtransformwritable).
func (b *binding) setUpCrossRealmTransformWritable(s *writableStream, port *goja.Object) {
	// Steps 2-3.
	c := &writableController{}
	backpressure := b.newPromise()
	relieve := func() {
		if backpressure != nil {
			backpressure.resolve(goja.Undefined())
			backpressure = nil
		}
	}
	// Step 4: messages from the readable side.
	b.onPort(port, "message", func(event *goja.Object) {
		typ, value, ok := messageOf(event)
		if !ok {
			return
		}
		switch typ {
		case "pull":
			relieve()
		case "error":
			c.errorIfNeeded(value)
			relieve()
		}
	})
	// Step 5.
	b.onPort(port, "messageerror", func(*goja.Object) {
		e := b.r.NewDOMException("DataCloneError", "A message of the transferred stream could not be deserialized")
		b.crossRealmTransformSendError(port, e)
		c.errorIfNeeded(e)
		b.disentangle(port)
	})
	// Step 6.
	rethrow(messaging.Start(b.r, port))
	// Steps 7-8.
	start := func() goja.Value { return goja.Undefined() }
	write := func(chunk goja.Value) *goja.Object {
		if backpressure == nil {
			backpressure = b.resolvedPromise(goja.Undefined())
		}
		return b.react(backpressure.obj, func(goja.Value) goja.Value {
			backpressure = b.newPromise()
			if exc := b.packAndPostMessageHandlingError(port, "chunk", chunk); exc != nil {
				b.disentangle(port)
				panic(exc)
			}
			return nil
		}, nil)
	}
	// Step 9.
	closeAlgo := func() *goja.Object {
		_ = b.packAndPostMessage(port, "close", goja.Undefined())
		b.disentangle(port)
		return b.resolvedPromise(goja.Undefined()).obj
	}
	// Step 10.
	abort := b.crossRealmSendErrorAlgorithm(port)
	// Steps 11-12.
	c.setUp(s, start, write, closeAlgo, abort, 1, countOne)
}

// crossRealmSendErrorAlgorithm returns the cancelAlgorithm of
// SetUpCrossRealmTransformReadable (step 8) and the abortAlgorithm of
// SetUpCrossRealmTransformWritable (step 10), which are the same: send the
// reason to the other side as an error, disentangle port, and return a promise
// rejected with what sending threw, or else resolved with undefined.
func (b *binding) crossRealmSendErrorAlgorithm(port *goja.Object) func(reason goja.Value) *goja.Object {
	return func(reason goja.Value) *goja.Object {
		exc := b.packAndPostMessageHandlingError(port, "error", reason)
		b.disentangle(port)
		if exc != nil {
			return b.rejectedPromise(exc).obj
		}
		return b.resolvedPromise(goja.Undefined()).obj
	}
}
