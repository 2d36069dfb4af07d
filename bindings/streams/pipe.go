package streams

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/webidl"
)

// pipeOptions holds the StreamPipeOptions dictionary
// (https://streams.spec.whatwg.org/#rs-class-definition).
type pipeOptions struct {
	preventAbort, preventCancel, preventClose bool
	signal                                    *goja.Object
	signalImpl                                events.Signal
}

var pipeOptionsDict = &webidl.Dictionary[pipeOptions]{
	Name: "StreamPipeOptions",
	Members: []webidl.DictionaryMember[pipeOptions]{
		{Name: "preventAbort", Convert: func(r *webidl.Realm, v goja.Value, out *pipeOptions) { out.preventAbort = webidl.ToBoolean(v) }},
		{Name: "preventCancel", Convert: func(r *webidl.Realm, v goja.Value, out *pipeOptions) { out.preventCancel = webidl.ToBoolean(v) }},
		{Name: "preventClose", Convert: func(r *webidl.Realm, v goja.Value, out *pipeOptions) { out.preventClose = webidl.ToBoolean(v) }},
		{Name: "signal", Convert: func(r *webidl.Realm, v goja.Value, out *pipeOptions) {
			impl := r.ToInterface(v, "AbortSignal")
			out.signal = v.(*goja.Object)
			out.signalImpl, _ = impl.(events.Signal)
		}},
	},
}

// readableWritablePair holds the ReadableWritablePair dictionary
// (https://streams.spec.whatwg.org/#rs-class-definition).
type readableWritablePair struct {
	readable    *goja.Object
	writable    *writableStream
	readableSet bool
}

var readableWritablePairDict = &webidl.Dictionary[readableWritablePair]{
	Name: "ReadableWritablePair",
	Members: []webidl.DictionaryMember[readableWritablePair]{
		{Name: "readable", Required: true, Convert: func(r *webidl.Realm, v goja.Value, out *readableWritablePair) {
			r.ToInterface(v, "ReadableStream")
			out.readable = v.(*goja.Object)
		}},
		{Name: "writable", Required: true, Convert: func(r *webidl.Realm, v goja.Value, out *readableWritablePair) {
			out.writable = r.ToInterface(v, "WritableStream").(*writableStream)
		}},
	},
}

// pipeToMethod runs the pipeTo(destination, options) method steps
// (https://streams.spec.whatwg.org/#rs-pipe-to).
func (b *binding) pipeToMethod(c webidl.Call, s *readableStream) goja.Value {
	dest := b.r.ToInterface(c.Arg(0), "WritableStream").(*writableStream)
	var opts pipeOptions
	webidl.ToDictionary(b.r, c.Arg(1), pipeOptionsDict, &opts)
	// Steps 1-2.
	if s.locked() {
		return b.rejectedPromise(b.newTypeError("Cannot pipe a locked ReadableStream")).obj
	}
	if dest.locked() {
		return b.rejectedPromise(b.newTypeError("Cannot pipe to a locked WritableStream")).obj
	}
	// Steps 3-4.
	return b.pipeTo(s, dest, opts)
}

// pipeThroughMethod runs the pipeThrough(transform, options) method steps
// (https://streams.spec.whatwg.org/#rs-pipe-through).
func (b *binding) pipeThroughMethod(c webidl.Call, s *readableStream) goja.Value {
	var pair readableWritablePair
	webidl.ToDictionary(b.r, c.Arg(0), readableWritablePairDict, &pair)
	var opts pipeOptions
	webidl.ToDictionary(b.r, c.Arg(1), pipeOptionsDict, &opts)
	// Steps 1-2.
	if s.locked() {
		b.r.ThrowTypeError("Cannot pipe a locked ReadableStream")
	}
	if pair.writable.locked() {
		b.r.ThrowTypeError("Cannot pipe to a locked WritableStream")
	}
	// Steps 3-5.
	p := b.pipeTo(s, pair.writable, opts)
	b.markHandled(p)
	// Step 6.
	return pair.readable
}

// pipe is the state of one ReadableStreamPipeTo
// (https://streams.spec.whatwg.org/#readable-stream-pipe-to).
type pipe struct {
	b            *binding
	source       *readableStream
	dest         *writableStream
	reader       *defaultReader
	writer       *writer
	opts         pipeOptions
	shuttingDown bool
	finalized    bool
	// currentWrite settles once the last chunk read is written (or its write has
	// failed): it never rejects. Nil before the first chunk.
	currentWrite *goja.Object
	promise      *promise
}

// pipeTo is ReadableStreamPipeTo. The streams are not locked.
func (b *binding) pipeTo(source *readableStream, dest *writableStream, opts pipeOptions) *goja.Object {
	// Steps 8-10.
	p := &pipe{b: b, source: source, dest: dest, opts: opts}
	p.reader = source.acquireDefaultReader()
	p.writer = dest.acquireWriter()
	// Steps 11-13.
	source.disturbed = true
	p.promise = b.newPromise()
	// Step 14: the signal.
	if opts.signal != nil && opts.signalImpl != nil {
		if opts.signalImpl.Aborted() {
			p.abortAlgorithm()
			return p.promise.obj
		}
		opts.signalImpl.AddAlgorithm(func() {
			// The algorithm may run from a task with no script on the stack. It
			// throws nothing: the actions' failures settle the pipe's promise.
			_ = b.run(p.abortAlgorithm)
		})
	}
	// Step 15: propagate errors and closing, in order, then copy.
	p.watch()
	if !p.shuttingDown {
		p.step()
	}
	return p.promise.obj
}

// abortAlgorithm is the pipe's abortAlgorithm (step 14.1).
func (p *pipe) abortAlgorithm() {
	// Finalize removes the algorithm from the signal; the signal keeps no list this
	// package can edit, so a finished pipe ignores it instead.
	if p.finalized {
		return
	}
	b := p.b
	v, err := b.signalGet(p.opts.signal)
	rethrow(err)
	e := v
	var actions []func() *goja.Object
	if !p.opts.preventAbort {
		actions = append(actions, func() *goja.Object {
			if p.dest.state == wsWritable {
				return p.dest.abort(e)
			}
			return b.resolvedPromise(goja.Undefined()).obj
		})
	}
	if !p.opts.preventCancel {
		actions = append(actions, func() *goja.Object {
			if p.source.state == rsReadable {
				return p.source.cancel(e)
			}
			return b.resolvedPromise(goja.Undefined()).obj
		})
	}
	p.shutdownWithAction(func() *goja.Object {
		ps := make([]*goja.Object, len(actions))
		for i, a := range actions {
			ps[i] = a()
		}
		return b.waitForAll(ps)
	}, e, true)
}

// watch sets up the four propagation conditions of step 15, checking each now and
// reacting to later changes.
func (p *pipe) watch() {
	b := p.b
	src, dest := p.source, p.dest
	// Errors must be propagated forward.
	forwardError := func() {
		stored := src.storedError
		if !p.opts.preventAbort {
			p.shutdownWithAction(func() *goja.Object { return dest.abort(stored) }, stored, true)
		} else {
			p.shutdown(stored, true)
		}
	}
	// Errors must be propagated backward.
	backwardError := func() {
		stored := dest.storedError
		if !p.opts.preventCancel {
			p.shutdownWithAction(func() *goja.Object { return src.cancel(stored) }, stored, true)
		} else {
			p.shutdown(stored, true)
		}
	}
	// Closing must be propagated forward.
	forwardClose := func() {
		if !p.opts.preventClose {
			p.shutdownWithAction(func() *goja.Object { return p.writer.closeWithErrorPropagation() }, nil, false)
		} else {
			p.shutdown(nil, false)
		}
	}
	if src.state == rsErrored {
		forwardError()
	} else {
		b.upon(p.reader.closed.obj, nil, func(goja.Value) { forwardError() })
	}
	if dest.state == wsErrored {
		backwardError()
	} else {
		b.upon(p.writer.closed.obj, nil, func(goja.Value) {
			// The writer's closed promise also rejects when the pipe
			// releases it; only an errored destination counts.
			if dest.state == wsErrored || dest.state == wsErroring {
				backwardError()
			}
		})
	}
	if src.state == rsClosed {
		forwardClose()
	} else {
		b.upon(p.reader.closed.obj, func(goja.Value) { forwardClose() }, nil)
	}
	// Closing must be propagated backward.
	if dest.closeQueuedOrInFlight() || dest.state == wsClosed {
		destClosed := b.newTypeError("The destination stream is closing or closed")
		if !p.opts.preventCancel {
			p.shutdownWithAction(func() *goja.Object { return src.cancel(destClosed) }, destClosed, true)
		} else {
			p.shutdown(destClosed, true)
		}
	}
}

// step reads one chunk when the destination has room, and writes it.
func (p *pipe) step() {
	if p.shuttingDown {
		return
	}
	// Backpressure must be enforced: no read while the desired size is ≤ 0 or null.
	if d, ok := p.writer.desiredSize(); !ok || d <= 0 {
		p.b.upon(p.writer.ready.obj, func(goja.Value) { p.step() }, nil)
		return
	}
	p.reader.read(pipeReadRequest{p})
}

// pipeReadRequest writes each chunk read to the destination.
type pipeReadRequest struct{ p *pipe }

func (q pipeReadRequest) chunkSteps(chunk goja.Value) {
	p := q.p
	b := p.b
	// The chunk is written in a microtask, as if read() had fulfilled a promise:
	// the underlying source's enqueue() never runs the sink's write() itself. The
	// next read follows, so that a long queue of chunks available at once does not
	// recurse.
	written := b.newPromise()
	p.currentWrite = written.obj
	b.upon(b.resolvedPromise(goja.Undefined()).obj, func(goja.Value) {
		w := p.writer.write(chunk)
		b.markHandled(w)
		written.resolve(b.react(w, nil, func(goja.Value) goja.Value { return nil }))
		p.step()
	}, nil)
}

// Closing and errors are seen through the reader's closed promise (watch).
func (q pipeReadRequest) closeSteps()           {}
func (q pipeReadRequest) errorSteps(goja.Value) {}

// waitForWrites returns a promise that fulfills once every chunk read has been
// written (the write promises settled). It always takes at least a microtask, so
// that the streams' start algorithms, begun before the pipe, have completed when a
// shutdown's action runs.
func (p *pipe) waitForWrites() *goja.Object {
	b := p.b
	cw := p.currentWrite
	if cw == nil {
		cw = b.resolvedPromise(goja.Undefined()).obj
	}
	old := p.currentWrite
	return b.react(cw, func(goja.Value) goja.Value {
		if p.currentWrite != old {
			return p.waitForWrites()
		}
		return nil
	}, nil)
}

// shutdownWithAction is the pipe's "shutdown with an action"
// (https://streams.spec.whatwg.org/#rs-pipeTo-shutdown-with-action).
func (p *pipe) shutdownWithAction(action func() *goja.Object, originalError goja.Value, hasError bool) {
	// Steps 1-2.
	if p.shuttingDown {
		return
	}
	p.shuttingDown = true
	// Steps 4-5.
	doAction := func() {
		res := action()
		p.b.upon(res, func(goja.Value) {
			p.finalize(originalError, hasError)
		}, func(newError goja.Value) {
			p.finalize(newError, true)
		})
	}
	// Step 3.
	if p.dest.state == wsWritable && !p.dest.closeQueuedOrInFlight() {
		p.b.upon(p.waitForWrites(), func(goja.Value) { doAction() }, nil)
	} else {
		doAction()
	}
}

// shutdown is the pipe's "shutdown"
// (https://streams.spec.whatwg.org/#rs-pipeTo-shutdown).
func (p *pipe) shutdown(err goja.Value, hasError bool) {
	if p.shuttingDown {
		return
	}
	p.shuttingDown = true
	if p.dest.state == wsWritable && !p.dest.closeQueuedOrInFlight() {
		p.b.upon(p.waitForWrites(), func(goja.Value) { p.finalize(err, hasError) }, nil)
	} else {
		p.finalize(err, hasError)
	}
}

// finalize is the pipe's "finalize"
// (https://streams.spec.whatwg.org/#rs-pipeTo-finalize).
func (p *pipe) finalize(err goja.Value, hasError bool) {
	p.finalized = true
	// Steps 1-3.
	p.writer.release()
	p.reader.release()
	// Step 4: see abortAlgorithm. Steps 5-6.
	if hasError {
		p.promise.reject(err)
	} else {
		p.promise.resolve(goja.Undefined())
	}
}
