package streams

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/messaging"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/webidl"
)

// ReadableStream, WritableStream and TransformStream are [Transferable]: their
// transfer steps pipe the stream to or from one side of a cross-realm transform,
// whose other side, a MessagePort, is what the data holder carries (as the far
// Endpoint of messaging.NewPort); their transfer-receiving steps set up a stream on
// that port in the receiving realm.

func init() {
	discard := func(data any) {
		switch d := data.(type) {
		case *messaging.Endpoint:
			d.Close()
		case transformData:
			d.readable.Close()
			d.writable.Close()
		}
	}
	for _, t := range []structuredclone.Transferable{
		{Interface: "ReadableStream", Detached: func(impl any) bool { return impl.(*readableStream).detached },
			Transfer: transferReadable, Receive: receiveReadable, Discard: discard},
		{Interface: "WritableStream", Detached: func(impl any) bool { return impl.(*writableStream).detached },
			Transfer: transferWritable, Receive: receiveWritable, Discard: discard},
		{Interface: "TransformStream", Detached: func(impl any) bool { return impl.(*transformStream).detached },
			Transfer: transferTransform, Receive: receiveTransform, Discard: discard},
	} {
		if err := structuredclone.RegisterTransferable(t); err != nil {
			panic(err)
		}
	}
}

// transferBinding returns the binding of r if it can transfer streams.
func transferBinding(r *webidl.Realm) (*binding, error) {
	b, err := bindingOf(r)
	if err != nil {
		return nil, err
	}
	if !b.canTransfer() {
		return nil, errors.New("MessagePort is not available in this realm")
	}
	return b, nil
}

// transferReadable runs ReadableStream's transfer steps
// (https://streams.spec.whatwg.org/#rs-transfer).
func transferReadable(r *webidl.Realm, obj *goja.Object) (any, error) {
	impl, _ := r.Impl(obj, "ReadableStream")
	s := impl.(*readableStream)
	return transferStream(r, "ReadableStream", s.locked, &s.detached, func(b *binding, port1 *goja.Object) {
		// Steps 4-5.
		writable := b.initializeWritableStream()
		b.setUpCrossRealmTransformWritable(writable, port1)
		// Steps 6-7.
		b.markHandled(b.pipeTo(s, writable, pipeOptions{}))
	})
}

// receiveReadable runs ReadableStream's transfer-receiving steps
// (https://streams.spec.whatwg.org/#rs-transfer).
func receiveReadable(r *webidl.Realm, data any) (*goja.Object, error) {
	return receiveStream(r, data, func(b *binding, port *goja.Object) *goja.Object {
		// Step 3.
		s := b.initializeReadableStream()
		b.setUpCrossRealmTransformReadable(s, port)
		return b.newReadableObject(s)
	})
}

// transferWritable runs WritableStream's transfer steps
// (https://streams.spec.whatwg.org/#ws-transfer).
func transferWritable(r *webidl.Realm, obj *goja.Object) (any, error) {
	impl, _ := r.Impl(obj, "WritableStream")
	s := impl.(*writableStream)
	return transferStream(r, "WritableStream", s.locked, &s.detached, func(b *binding, port1 *goja.Object) {
		// Steps 4-5.
		readable := b.initializeReadableStream()
		b.setUpCrossRealmTransformReadable(readable, port1)
		// Steps 6-7.
		b.markHandled(b.pipeTo(readable, s, pipeOptions{}))
	})
}

// receiveWritable runs WritableStream's transfer-receiving steps
// (https://streams.spec.whatwg.org/#ws-transfer).
func receiveWritable(r *webidl.Realm, data any) (*goja.Object, error) {
	return receiveStream(r, data, func(b *binding, port *goja.Object) *goja.Object {
		// Step 3.
		s := b.initializeWritableStream()
		b.setUpCrossRealmTransformWritable(s, port)
		return b.newWritableObject(s)
	})
}

// transferStream runs the transfer steps ReadableStream and WritableStream share
// (https://streams.spec.whatwg.org/#rs-transfer, https://streams.spec.whatwg.org/#ws-transfer)
// for a stream of interface name: pipe runs steps 4-7, setting up the other kind of
// stream on port1 and piping between it and the stream. On success the stream is
// marked detached.
func transferStream(r *webidl.Realm, name string, locked func() bool, detached *bool,
	pipe func(b *binding, port1 *goja.Object)) (any, error) {
	b, err := transferBinding(r)
	if err != nil {
		return nil, err
	}
	// Step 1.
	if locked() {
		return nil, errors.New("the " + name + " is locked")
	}
	// Steps 2-3.
	port1, ep, err := messaging.NewPort(r)
	if err != nil {
		return nil, err
	}
	if err := b.run(func() { pipe(b, port1) }); err != nil {
		ep.Close()
		return nil, err
	}
	*detached = true
	// Step 8: the data holder's port.
	return ep, nil
}

// receiveStream runs the transfer-receiving steps ReadableStream and WritableStream
// share (https://streams.spec.whatwg.org/#rs-transfer,
// https://streams.spec.whatwg.org/#ws-transfer): steps 1-2 take the port out of data,
// and setUp runs step 3 on it, returning the new stream's object.
func receiveStream(r *webidl.Realm, data any, setUp func(b *binding, port *goja.Object) *goja.Object) (*goja.Object, error) {
	b, err := transferBinding(r)
	if err != nil {
		return nil, err
	}
	// Steps 1-2.
	port, err := data.(*messaging.Endpoint).Port(r)
	if err != nil {
		return nil, err
	}
	var obj *goja.Object
	err = b.run(func() { obj = setUp(b, port) })
	return obj, err
}

// transformData is the data holder of a transferred TransformStream: those of its
// readable and writable sides.
type transformData struct{ readable, writable *messaging.Endpoint }

// transferTransform runs TransformStream's transfer steps
// (https://streams.spec.whatwg.org/#ts-transfer).
func transferTransform(r *webidl.Realm, obj *goja.Object) (any, error) {
	impl, _ := r.Impl(obj, "TransformStream")
	ts := impl.(*transformStream)
	// Steps 1-4.
	if ts.readable.locked() {
		return nil, errors.New("the TransformStream's readable side is locked")
	}
	if ts.writable.locked() {
		return nil, errors.New("the TransformStream's writable side is locked")
	}
	// Steps 5-6.
	rd, err := transferReadable(r, ts.readableObj)
	if err != nil {
		return nil, err
	}
	wd, err := transferWritable(r, ts.writableObj)
	if err != nil {
		rd.(*messaging.Endpoint).Close()
		return nil, err
	}
	ts.detached = true
	return transformData{readable: rd.(*messaging.Endpoint), writable: wd.(*messaging.Endpoint)}, nil
}

// receiveTransform runs TransformStream's transfer-receiving steps
// (https://streams.spec.whatwg.org/#ts-transfer).
func receiveTransform(r *webidl.Realm, data any) (*goja.Object, error) {
	d := data.(transformData)
	// Steps 1-2.
	readableObj, err := receiveReadable(r, d.readable)
	if err != nil {
		d.writable.Close()
		return nil, err
	}
	writableObj, err := receiveWritable(r, d.writable)
	if err != nil {
		return nil, err
	}
	// Steps 3-4.
	readable, _ := r.Impl(readableObj, "ReadableStream")
	writable, _ := r.Impl(writableObj, "WritableStream")
	ts := &transformStream{
		readable: readable.(*readableStream), writable: writable.(*writableStream),
		readableObj: readableObj, writableObj: writableObj,
	}
	return r.New("TransformStream", ts), nil
}
