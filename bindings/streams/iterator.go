package streams

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/builtins"
	"github.com/wsjs/wsjs/webidl"
)

// This file implements ReadableStream's asynchronously iterable declaration,
// async_iterable<any>(optional ReadableStreamIteratorOptions options = {}), as Web IDL
// prescribes (https://webidl.spec.whatwg.org/#js-asynchronous-iterable: the values and
// @@asyncIterator methods, default asynchronous iterator objects and their prototype),
// with the steps of https://streams.spec.whatwg.org/#rs-asynciterator.
//
// goja (as of this writing) has neither Symbol.asyncIterator nor
// %AsyncIteratorPrototype%: the built-ins define both (bindings/builtins), and the
// asynchronous iterator prototype object inherits from the realm's
// %AsyncIteratorPrototype%, as async generator objects do. esbuild, which the runtime
// uses to lower for await loops, looks Symbol.asyncIterator up when a loop starts.

// asyncIterator holds the internal values of a default asynchronous iterator object
// (https://webidl.spec.whatwg.org/#js-default-asynchronous-iterator-object) together
// with the ReadableStream async iterator's reader and prevent cancel
// (https://streams.spec.whatwg.org/#rs-asynciterator).
type asyncIterator struct {
	reader        *defaultReader
	preventCancel bool
	ongoing       *goja.Object // the ongoing promise, or nil
	finished      bool
}

// iteratorOptions holds ReadableStreamIteratorOptions
// (https://streams.spec.whatwg.org/#rs-class-definition).
type iteratorOptions struct{ preventCancel bool }

var iteratorOptionsDict = &webidl.Dictionary[iteratorOptions]{
	Name: "ReadableStreamIteratorOptions",
	Members: []webidl.DictionaryMember[iteratorOptions]{
		{Name: "preventCancel", Convert: func(r *webidl.Realm, v goja.Value, out *iteratorOptions) { out.preventCancel = webidl.ToBoolean(v) }},
	},
}

// endOfIteration stands for Web IDL's "end of iteration" in the promises of the get
// the next iteration result steps, which script never sees; binding.end is the one
// object that represents it.
type endOfIteration struct{}

// isEnd reports whether v is the end of iteration.
func (b *binding) isEnd(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	return ok && o == b.end
}

// asyncIteratorSymbol returns %Symbol.asyncIterator%, which the built-ins
// define (goja lacks it).
func asyncIteratorSymbol(r *webidl.Realm) (*goja.Symbol, error) {
	if s := builtins.AsyncIteratorSymbol(r.VM()); s != nil {
		return s, nil
	}
	return nil, errors.New("streams: the built-ins did not define Symbol.asyncIterator")
}

// defineAsyncIterable defines values, @@asyncIterator and the asynchronous iterator
// prototype object of ReadableStream.
func (b *binding) defineAsyncIterable() error {
	vm := b.vm
	sym, err := asyncIteratorSymbol(b.r)
	if err != nil {
		return err
	}
	aip := builtins.AsyncIteratorPrototype(b.r)
	if aip == nil {
		return errors.New("streams: the built-ins did not make %AsyncIteratorPrototype%")
	}

	// The asynchronous iterator prototype object
	// (https://webidl.spec.whatwg.org/#js-asynchronous-iterator-prototype-object).
	proto := vm.NewObject()
	proto.SetPrototype(aip)
	next := b.builtin("next", 0, b.iteratorNext)
	if err := proto.DefineDataProperty("next", next, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return err
	}
	ret := b.builtin("return", 1, b.iteratorReturn)
	if err := proto.DefineDataProperty("return", ret, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return err
	}
	if err := proto.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue("ReadableStream AsyncIterator"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	b.asyncIteratorProto = proto

	// values, which is also @@asyncIterator for a value iterable
	// (https://webidl.spec.whatwg.org/#define-the-asynchronous-iteration-methods).
	values := b.builtin("values", 0, b.iteratorValues)
	rsProto := b.r.Prototype("ReadableStream")
	if err := rsProto.DefineDataProperty("values", values, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return err
	}
	return rsProto.DefineDataPropertySymbol(sym, values, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// iteratorValues is the values method
// (https://webidl.spec.whatwg.org/#define-the-asynchronous-iteration-methods).
func (b *binding) iteratorValues(c goja.FunctionCall) goja.Value {
	// Steps 1-3: this must be a ReadableStream.
	this := c.This
	if goja.IsUndefined(this) || goja.IsNull(this) {
		b.r.ThrowTypeError("Cannot convert undefined or null to object")
	}
	impl, ok := b.r.Impl(this, "ReadableStream")
	if !ok {
		b.r.ThrowTypeError("Illegal invocation")
	}
	s := impl.(*readableStream)
	// Converting the arguments: options, whose default is {}.
	var opts iteratorOptions
	webidl.ToDictionary(b.r, c.Argument(0), iteratorOptionsDict, &opts)
	// A new default asynchronous iterator object, then the asynchronous iterator
	// initialization steps (https://streams.spec.whatwg.org/#rs-get-iterator).
	it := &asyncIterator{}
	it.reader = s.acquireDefaultReader()
	it.preventCancel = opts.preventCancel
	o := b.vm.CreateObject(b.asyncIteratorProto)
	b.iterators.Set(o, it)
	return o
}

// iterResult is CreateIteratorResultObject.
func (b *binding) iterResult(value goja.Value, done bool) goja.Value {
	return b.readResult(value, done)
}

// thisIterator returns the iterator of this, or nil.
func (b *binding) thisIterator(this goja.Value) *asyncIterator {
	o, ok := this.(*goja.Object)
	if !ok {
		return nil
	}
	it, _ := b.iterators.Get(o)
	return it
}

// iteratorNext is the next method of the asynchronous iterator prototype object
// (https://webidl.spec.whatwg.org/#js-asynchronous-iterator-prototype-object).
func (b *binding) iteratorNext(c goja.FunctionCall) goja.Value {
	// Steps 1-6: this must be a default asynchronous iterator object.
	it := b.thisIterator(c.This)
	if it == nil {
		return b.rejectedPromise(b.newTypeError("next method called on an object that is not a ReadableStream AsyncIterator")).obj
	}
	// Step 7: the next steps.
	nextSteps := func() *goja.Object {
		if it.finished {
			return b.resolvedPromise(b.iterResult(goja.Undefined(), true)).obj
		}
		nextPromise := b.nextIterationResult(it)
		return b.react(nextPromise, func(next goja.Value) goja.Value {
			it.ongoing = nil
			if b.isEnd(next) {
				it.finished = true
				return b.iterResult(goja.Undefined(), true)
			}
			return b.iterResult(next, false)
		}, func(reason goja.Value) goja.Value {
			it.ongoing = nil
			it.finished = true
			panic(reason)
		})
	}
	// Steps 8-10: after the ongoing promise, if any.
	if it.ongoing != nil {
		run := func(goja.Value) goja.Value { return nextSteps() }
		it.ongoing = b.react(it.ongoing, run, run)
	} else {
		it.ongoing = nextSteps()
	}
	return it.ongoing
}

// iteratorReturn is the return method of the asynchronous iterator prototype object
// (https://webidl.spec.whatwg.org/#js-asynchronous-iterator-prototype-object).
func (b *binding) iteratorReturn(c goja.FunctionCall) goja.Value {
	value := c.Argument(0)
	// Steps 1-6.
	it := b.thisIterator(c.This)
	if it == nil {
		return b.rejectedPromise(b.newTypeError("return method called on an object that is not a ReadableStream AsyncIterator")).obj
	}
	// Step 7: the return steps.
	returnSteps := func() *goja.Object {
		if it.finished {
			return b.resolvedPromise(b.iterResult(value, true)).obj
		}
		it.finished = true
		return b.iteratorReturnSteps(it, value)
	}
	// Steps 8-10.
	if it.ongoing != nil {
		run := func(goja.Value) goja.Value { return returnSteps() }
		it.ongoing = b.react(it.ongoing, run, run)
	} else {
		it.ongoing = returnSteps()
	}
	// Steps 11-13.
	return b.react(it.ongoing, func(goja.Value) goja.Value { return b.iterResult(value, true) }, nil)
}

// iteratorReadRequest is the read request of the get the next iteration result steps
// (https://streams.spec.whatwg.org/#rs-asynciterator-prototype-next).
type iteratorReadRequest struct {
	b      *binding
	reader *defaultReader
	p      *promise
}

func (q iteratorReadRequest) chunkSteps(chunk goja.Value) { q.p.resolve(chunk) }

func (q iteratorReadRequest) closeSteps() {
	q.reader.release()
	q.p.resolve(q.b.end)
}

func (q iteratorReadRequest) errorSteps(e goja.Value) {
	q.reader.release()
	q.p.reject(e)
}

// nextIterationResult runs ReadableStream's get the next iteration result steps
// (https://streams.spec.whatwg.org/#rs-asynciterator-prototype-next).
func (b *binding) nextIterationResult(it *asyncIterator) *goja.Object {
	p := b.newPromise()
	it.reader.read(iteratorReadRequest{b: b, reader: it.reader, p: p})
	return p.obj
}

// iteratorReturnSteps runs ReadableStream's asynchronous iterator return steps
// (https://streams.spec.whatwg.org/#rs-asynciterator-prototype-return).
func (b *binding) iteratorReturnSteps(it *asyncIterator, arg goja.Value) *goja.Object {
	rd := it.reader
	// Step 4.
	if !it.preventCancel {
		result := rd.genericCancel(arg)
		rd.release()
		return result
	}
	// Steps 5-6.
	rd.release()
	return b.resolvedPromise(goja.Undefined()).obj
}
