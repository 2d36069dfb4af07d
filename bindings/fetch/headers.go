package fetch

import (
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// guard is a headers guard (https://fetch.spec.whatwg.org/#headers-guard).
type guard int

const (
	guardNone guard = iota
	guardRequest
	guardRequestNoCORS
	guardResponse
	guardImmutable
)

// headersImpl holds the internal slots of a Headers object: its header list
// (shared with the request or response it belongs to) and guard, plus the
// sorted and combined list its iterators walk, cached until the list
// changes.
type headersImpl struct {
	list  *headerList
	guard guard

	sorted        []header
	sortedVersion uint64
	sortedValid   bool
}

// pairs returns the value pairs to iterate over
// (https://fetch.spec.whatwg.org/#headers-class): the header list, sorted and
// combined.
func (h *headersImpl) pairs() []header {
	if !h.sortedValid || h.sortedVersion != h.list.version {
		h.sorted = h.list.sortAndCombine(h.sorted[:0])
		h.sortedVersion, h.sortedValid = h.list.version, true
	}
	return h.sorted
}

// headersInit is a converted HeadersInit: (sequence<sequence<ByteString>>
// or record<ByteString, ByteString>).
type headersInit struct {
	seq [][]string
	rec []webidl.RecordEntry[string, string]
}

var headersInitUnion = &webidl.Union{Sequence: true, Record: true}

func (b *binding) toHeadersInit(v goja.Value) *headersInit {
	r := b.r
	m := r.MatchUnion(v, headersInitUnion)
	if m.Kind == webidl.MatchSequence {
		o := v.(*goja.Object)
		return &headersInit{seq: webidl.SequenceFromMethod(r, o, m.Method, func(v goja.Value) []string {
			return webidl.ToSequence(r, v, r.ToByteString)
		})}
	}
	return &headersInit{rec: webidl.ToRecord(r, v, r.ToByteString, r.ToByteString)}
}

// validate implements "validate" a header for a Headers object
// (https://fetch.spec.whatwg.org/#headers-validate): it
// throws for an invalid header or an immutable guard and reports whether
// the guard lets the header in.
func (b *binding) validate(h *headersImpl, name, value string) bool {
	// Step 1.
	if !isToken(name) {
		b.r.ThrowTypeError("Invalid header name %q.", name)
	}
	if !isHeaderValue(value) {
		b.r.ThrowTypeError("Invalid value for header %q.", name)
	}
	switch {
	case h.guard == guardImmutable:
		// Step 2.
		b.r.ThrowTypeError("Headers are immutable.")
	case h.guard == guardRequest && isForbiddenRequestHeader(name, value):
		// Step 3.
		return false
	case h.guard == guardResponse && isForbiddenResponseHeaderName(name):
		// Step 4.
		return false
	}
	// Step 5.
	return true
}

// appendHeader implements "append" a header to a Headers object
// (https://fetch.spec.whatwg.org/#concept-headers-append).
func (b *binding) appendHeader(h *headersImpl, name, value string) {
	// Steps 1-2.
	value = normalizeValue(value)
	if !b.validate(h, name, value) {
		return
	}
	// Step 3: a request-no-cors guard only lets safelisted values in,
	// judged together with the values already there.
	if h.guard == guardRequestNoCORS {
		temp, ok := h.list.get(name)
		if !ok {
			temp = value
		} else {
			temp += ", " + value
		}
		if !isNoCORSSafelisted(name, temp) {
			return
		}
	}
	// Step 4.
	h.list.append(name, value)
	// Step 5.
	if h.guard == guardRequestNoCORS {
		removePrivilegedNoCORS(h)
	}
}

// fill implements "fill" a Headers object
// (https://fetch.spec.whatwg.org/#concept-headers-fill).
func (b *binding) fill(h *headersImpl, init *headersInit) {
	// Step 1: a sequence of pairs.
	for _, pair := range init.seq {
		if len(pair) != 2 {
			b.r.ThrowTypeError("Failed to construct 'Headers': a header must be a sequence of exactly two items, a name and a value.")
		}
		b.appendHeader(h, pair[0], pair[1])
	}
	// Step 2: a record.
	for _, e := range init.rec {
		b.appendHeader(h, e.Key, e.Value)
	}
}

// removePrivilegedNoCORS implements "remove privileged no-CORS request-headers"
// (https://fetch.spec.whatwg.org/#concept-headers-remove-privileged-no-cors-request-headers).
func removePrivilegedNoCORS(h *headersImpl) {
	h.list.delete("Range")
}

// newHeaders creates a Headers object for list with guard g.
func (b *binding) newHeaders(list *headerList, g guard) (*goja.Object, *headersImpl) {
	h := &headersImpl{list: list, guard: g}
	return b.r.New("Headers", h), h
}

// headersInterface describes Headers
// (https://fetch.spec.whatwg.org/#headers-class).
func (b *binding) headersInterface() *webidl.Interface {
	r := b.r
	get := func(c webidl.Call) *headersImpl { return c.Impl.(*headersImpl) }
	return &webidl.Interface{
		Name:   "Headers",
		Length: 0,
		// constructor(optional HeadersInit init)
		Constructor: func(c webidl.Call) any {
			var init *headersInit
			if v := c.Arg(0); !goja.IsUndefined(v) {
				init = b.toHeadersInit(v)
			}
			// Step 1.
			h := &headersImpl{list: &headerList{}, guard: guardNone}
			// Step 2.
			if init != nil {
				b.fill(h, init)
			}
			return h
		},
		Operations: []webidl.Operation{
			{Name: "append", Length: 2, Func: func(c webidl.Call) goja.Value {
				name, value := r.ToByteString(c.Arg(0)), r.ToByteString(c.Arg(1))
				b.appendHeader(get(c), name, value)
				return nil
			}},
			{Name: "delete", Length: 1, Func: func(c webidl.Call) goja.Value {
				name := r.ToByteString(c.Arg(0))
				h := get(c)
				// Step 1: a dummy value validates the name and guard.
				if !b.validate(h, name, "") {
					return nil
				}
				// Step 2.
				if h.guard == guardRequestNoCORS && !isNoCORSSafelistedName(name) && !isPrivilegedNoCORSName(name) {
					return nil
				}
				// Step 3.
				if !h.list.contains(name) {
					return nil
				}
				// Steps 4-5.
				h.list.delete(name)
				if h.guard == guardRequestNoCORS {
					removePrivilegedNoCORS(h)
				}
				return nil
			}},
			{Name: "get", Length: 1, Func: func(c webidl.Call) goja.Value {
				name := r.ToByteString(c.Arg(0))
				if !isToken(name) {
					r.ThrowTypeError("Invalid header name %q.", name)
				}
				v, ok := get(c).list.get(name)
				if !ok {
					return goja.Null()
				}
				return b.byteString(v)
			}},
			{Name: "getSetCookie", Length: 0, Func: func(c webidl.Call) goja.Value {
				values := get(c).list.values("Set-Cookie")
				out := make([]any, len(values))
				for i, v := range values {
					out[i] = b.byteString(v)
				}
				return r.VM().NewArray(out...)
			}},
			{Name: "has", Length: 1, Func: func(c webidl.Call) goja.Value {
				name := r.ToByteString(c.Arg(0))
				if !isToken(name) {
					r.ThrowTypeError("Invalid header name %q.", name)
				}
				return r.VM().ToValue(get(c).list.contains(name))
			}},
			{Name: "set", Length: 2, Func: func(c webidl.Call) goja.Value {
				name, value := r.ToByteString(c.Arg(0)), r.ToByteString(c.Arg(1))
				h := get(c)
				// Steps 1-2.
				value = normalizeValue(value)
				if !b.validate(h, name, value) {
					return nil
				}
				// Step 3.
				if h.guard == guardRequestNoCORS && !isNoCORSSafelisted(name, value) {
					return nil
				}
				// Steps 4-5.
				h.list.set(name, value)
				if h.guard == guardRequestNoCORS {
					removePrivilegedNoCORS(h)
				}
				return nil
			}},
			// iterable<ByteString, ByteString>
			// (https://webidl.spec.whatwg.org/#js-iterable).
			{Name: "entries", Length: 0, Func: func(c webidl.Call) goja.Value { return b.newIterator(get(c), kindEntries) }},
			{Name: "keys", Length: 0, Func: func(c webidl.Call) goja.Value { return b.newIterator(get(c), kindKeys) }},
			{Name: "values", Length: 0, Func: func(c webidl.Call) goja.Value { return b.newIterator(get(c), kindValues) }},
			{Name: "forEach", Length: 1, Func: func(c webidl.Call) goja.Value {
				b.forEach(c, get(c))
				return nil
			}},
		},
	}
}

// byteString converts a byte string to a JavaScript string with one code
// unit per byte (isomorphic decoding).
func (b *binding) byteString(s string) goja.Value {
	return b.r.VM().ToValue(isomorphicDecode(s))
}

// isomorphicDecode maps each byte of s to the code point of the same value,
// returned as UTF-8.
func isomorphicDecode(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			out := make([]byte, 0, len(s)+len(s)/2)
			for j := 0; j < len(s); j++ {
				out = utf8.AppendRune(out, rune(s[j]))
			}
			return string(out)
		}
	}
	return s
}

// The iteration of Headers: Web IDL's iterable declarations
// (https://webidl.spec.whatwg.org/#js-iterable: the iterable declaration's
// properties, default iterator objects and their prototype), which the webidl
// package leaves to the binding.

type iterKind int

const (
	kindEntries iterKind = iota // "key+value"
	kindKeys                    // "key"
	kindValues                  // "value"
)

// pairIterator holds the internal slots of a default iterator object.
type pairIterator struct {
	target *headersImpl
	kind   iterKind
	index  int
}

// defineIterable completes Headers's iterable declaration: @@iterator is the
// entries function
// (https://webidl.spec.whatwg.org/#define-the-iteration-methods), and the
// iterator prototype object
// (https://webidl.spec.whatwg.org/#js-iterator-prototype-object) inherits from
// %IteratorPrototype% and has next and the class string "Headers Iterator".
func (b *binding) defineIterable() error {
	vm := b.r.VM()
	proto := b.r.Prototype("Headers")
	if err := proto.DefineDataPropertySymbol(goja.SymIterator, proto.Get("entries"), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	// %IteratorPrototype% is the prototype of %ArrayIteratorPrototype%.
	it, err := vm.RunString("Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))")
	if err != nil {
		return err
	}
	b.iterProto = vm.NewObject()
	b.iterProto.SetPrototype(it.(*goja.Object))
	next := vm.ToValue(b.iteratorNext).(*goja.Object)
	if err := setNameLength(vm, next, "next", 0); err != nil {
		return err
	}
	if err := b.iterProto.DefineDataProperty("next", next, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return err
	}
	return b.iterProto.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue("Headers Iterator"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// setNameLength gives a built-in function its name and length properties:
// not writable, not enumerable, configurable.
func setNameLength(vm *goja.Runtime, f *goja.Object, name string, length int) error {
	if err := f.DefineDataProperty("length", vm.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	return f.DefineDataProperty("name", vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// newIterator creates a default iterator object
// (https://webidl.spec.whatwg.org/#js-default-iterator-object) with index 0.
func (b *binding) newIterator(target *headersImpl, kind iterKind) *goja.Object {
	o := b.r.VM().CreateObject(b.iterProto)
	b.iters.Set(o, &pairIterator{target: target, kind: kind})
	return o
}

// iteratorNext is the next method of the iterator prototype object
// (https://webidl.spec.whatwg.org/#js-iterator-prototype-object).
func (b *binding) iteratorNext(fc goja.FunctionCall) goja.Value {
	vm := b.r.VM()
	// Steps 1-4: this must be a default iterator object for Headers.
	var it *pairIterator
	o, ok := fc.This.(*goja.Object)
	if ok {
		it, ok = b.iters.Get(o)
	}
	if !ok {
		b.r.ThrowTypeError("next method called on an object that is not a Headers Iterator")
	}
	// Steps 5-8: the pairs are computed afresh (from the cache while the
	// list is unchanged).
	pairs := it.target.pairs()
	if it.index >= len(pairs) {
		return iterResult(vm, goja.Undefined(), true)
	}
	// Steps 9-11.
	p := pairs[it.index]
	it.index++
	var v goja.Value
	switch it.kind {
	case kindKeys:
		v = b.byteString(p.name)
	case kindValues:
		v = b.byteString(p.value)
	default:
		v = vm.NewArray(b.byteString(p.name), b.byteString(p.value))
	}
	return iterResult(vm, v, false)
}

// iterResult is ECMA-262 CreateIterResultObject.
func iterResult(vm *goja.Runtime, value goja.Value, done bool) *goja.Object {
	o := vm.NewObject()
	_ = o.Set("value", value)
	_ = o.Set("done", done)
	return o
}

// forEach runs the forEach steps
// (https://webidl.spec.whatwg.org/#define-the-iteration-methods): the pairs are
// recomputed after every call, so changes made by the callback are seen.
func (b *binding) forEach(c webidl.Call, h *headersImpl) {
	cb := b.r.ToCallbackFunction(c.Arg(0))
	thisArg := c.Arg(1)
	for i := 0; i < len(h.pairs()); i++ {
		p := h.pairs()[i]
		if _, err := cb.Invoke(thisArg, b.byteString(p.value), b.byteString(p.name), c.This); err != nil {
			panic(err)
		}
	}
}
