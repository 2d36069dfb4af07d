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
	// iterable<ByteString, ByteString>: the sort and combine of the list,
	// computed afresh (from the cache while the list is unchanged).
	iterable := &webidl.PairIterable{
		Len: func(impl any) int { return len(impl.(*headersImpl).pairs()) },
		Pair: func(impl any, i int) (goja.Value, goja.Value) {
			p := impl.(*headersImpl).pairs()[i]
			return b.byteString(p.name), b.byteString(p.value)
		},
	}
	return &webidl.Interface{
		Name:     "Headers",
		Length:   0,
		Iterable: iterable,
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
		Operations: append([]webidl.Operation{
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
		}, iterable.Operations()...),
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
