package streams

import (
	"github.com/dop251/goja"
)

// asyncSequence is a JavaScript async sequence
// (https://webidl.spec.whatwg.org/#js-async-iterable): an object with the method that
// iterates it, asynchronously or synchronously.
type asyncSequence struct {
	object goja.Value
	method goja.Value
	sync   bool
}

// toAsyncSequence converts v to async_sequence<any>
// (https://webidl.spec.whatwg.org/#js-async-iterable).
func (b *binding) toAsyncSequence(v goja.Value) asyncSequence {
	// Step 1.
	o, ok := v.(*goja.Object)
	if !ok {
		b.r.ThrowTypeError("The value is not an object, so it is not async iterable")
	}
	// Steps 2-4.
	sym, _ := asyncIteratorSymbol(b.r)
	if m := o.GetSymbol(sym); !isNullish(m) {
		if _, ok := goja.AssertFunction(m); !ok {
			b.r.ThrowTypeError("The value's Symbol.asyncIterator property is not a function")
		}
		return asyncSequence{object: o, method: m}
	}
	m := o.GetSymbol(goja.SymIterator)
	if isNullish(m) {
		b.r.ThrowTypeError("The value is neither async iterable nor iterable")
	}
	if _, ok := goja.AssertFunction(m); !ok {
		b.r.ThrowTypeError("The value's Symbol.iterator property is not a function")
	}
	return asyncSequence{object: o, method: m, sync: true}
}

func isNullish(v goja.Value) bool { return v == nil || goja.IsUndefined(v) || goja.IsNull(v) }

// seqIterator is an opened async sequence: its Iterator Record
// (https://webidl.spec.whatwg.org/#async-sequence-open), with the
// steps of CreateAsyncFromSyncIterator applied to a synchronous one.
type seqIterator struct {
	b        *binding
	iterator *goja.Object
	next     goja.Value
	sync     bool
}

// open is "open an async sequence": GetIteratorFromMethod. It throws.
func (b *binding) open(seq asyncSequence) *seqIterator {
	f, _ := goja.AssertFunction(seq.method)
	it, err := f(seq.object)
	rethrow(err)
	o, ok := it.(*goja.Object)
	if !ok {
		b.r.ThrowTypeError("The iterator method did not return an object")
	}
	return &seqIterator{b: b, iterator: o, next: o.Get("next"), sync: seq.sync}
}

// nextValue is "get an async iterator next value": a promise of the value, or of
// endOfIteration.
func (it *seqIterator) nextValue() *goja.Object {
	b := it.b
	vm := b.vm
	var promiseOfResult *goja.Object
	ex := vm.Try(func() {
		// IteratorNext.
		f, ok := goja.AssertFunction(it.next)
		if !ok {
			panic(b.newTypeError("The iterator's next property is not a function"))
		}
		res, err := f(it.iterator)
		rethrow(err)
		if !it.sync {
			promiseOfResult = b.toPromise(res)
			return
		}
		// CreateAsyncFromSyncIterator's next: the result's value is awaited; if
		// that fails before the end, the synchronous iterator is closed.
		o, ok := res.(*goja.Object)
		if !ok {
			panic(b.newTypeError("The iterator result is not an object"))
		}
		done := o.Get("done").ToBoolean()
		value := o.Get("value")
		valuePromise := b.toPromise(value)
		promiseOfResult = b.react(valuePromise, func(v goja.Value) goja.Value {
			return b.iterResult(v, done)
		}, func(e goja.Value) goja.Value {
			if !done {
				it.closeSyncIgnoringErrors()
			}
			panic(e)
		})
	})
	if ex != nil {
		return b.rejectedPromise(ex.Value()).obj
	}
	return b.react(promiseOfResult, func(res goja.Value) goja.Value {
		o, ok := res.(*goja.Object)
		if !ok {
			panic(b.newTypeError("The iterator result is not an object"))
		}
		if o.Get("done").ToBoolean() {
			return b.end
		}
		return o.Get("value")
	}, nil)
}

// closeSyncIgnoringErrors is IteratorClose with a throw completion: return is called
// and whatever it does is ignored.
func (it *seqIterator) closeSyncIgnoringErrors() {
	_ = it.b.vm.Try(func() {
		if f, ok := goja.AssertFunction(it.iterator.Get("return")); ok {
			_, _ = f(it.iterator)
		}
	})
}

// close is "close an async iterator" with reason.
func (it *seqIterator) close(reason goja.Value) *goja.Object {
	b := it.b
	var returnPromise *goja.Object
	ex := b.vm.Try(func() {
		// Steps 3-5: GetMethod(iterator, "return").
		m := it.iterator.Get("return")
		if isNullish(m) {
			returnPromise = nil
			return
		}
		f, ok := goja.AssertFunction(m)
		if !ok {
			panic(b.newTypeError("The iterator's return property is not a function"))
		}
		// Steps 6-8.
		res, err := f(it.iterator, reason)
		rethrow(err)
		if it.sync {
			// The async-from-sync iterator's return awaits the result's value.
			o, ok := res.(*goja.Object)
			if !ok {
				panic(b.newTypeError("The iterator's return method did not return an object"))
			}
			done := o.Get("done").ToBoolean()
			returnPromise = b.react(b.toPromise(o.Get("value")), func(v goja.Value) goja.Value {
				return b.iterResult(v, done)
			}, nil)
			return
		}
		returnPromise = b.toPromise(res)
	})
	if ex != nil {
		return b.rejectedPromise(ex.Value()).obj
	}
	if returnPromise == nil {
		return b.resolvedPromise(goja.Undefined()).obj
	}
	// Step 9.
	return b.react(returnPromise, func(v goja.Value) goja.Value {
		if _, ok := v.(*goja.Object); !ok {
			panic(b.newTypeError("The iterator's return method did not fulfill with an object"))
		}
		return goja.Undefined()
	}, nil)
}

// readableStreamFromIterable is ReadableStreamFromIterable
// (https://streams.spec.whatwg.org/#readable-stream-from-iterable), after the
// argument's conversion to async_sequence<any>.
func (b *binding) readableStreamFromIterable(v goja.Value) *readableStream {
	seq := b.toAsyncSequence(v)
	// Steps 1-2.
	var stream *readableStream
	iterator := b.open(seq)
	// Steps 3-5.
	start := func() goja.Value { return goja.Undefined() }
	pull := func() *goja.Object {
		nextPromise := iterator.nextValue()
		return b.react(nextPromise, func(v goja.Value) goja.Value {
			if b.isEnd(v) {
				stream.ctrl.close()
			} else {
				stream.ctrl.enqueue(v)
			}
			return nil
		}, func(r goja.Value) goja.Value {
			stream.ctrl.error(r)
			return nil
		})
	}
	// Step 6.
	cancel := func(reason goja.Value) *goja.Object { return iterator.close(reason) }
	// Steps 7-8.
	stream = b.createReadableStream(start, pull, cancel, 0, countOne)
	return stream
}
