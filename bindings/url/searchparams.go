package url

import (
	"slices"
	"sort"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// initUnion is the type of the URLSearchParams constructor's argument:
// (sequence<sequence<USVString>> or record<USVString, USVString> or
// USVString).
var initUnion = &webidl.Union{Sequence: true, Record: true, String: true}

// paramsInterface describes URLSearchParams
// (https://url.spec.whatwg.org/#interface-urlsearchparams).
func (b *binding) paramsInterface() *webidl.Interface {
	r, vm := b.r, b.vm
	get := func(c webidl.Call) *paramsImpl { return c.Impl.(*paramsImpl) }
	usv := r.ToUSVString
	// iterable<USVString, USVString>: the pairs of the list.
	iterable := &webidl.PairIterable{
		Len: func(impl any) int { return len(impl.(*paramsImpl).list) },
		Pair: func(impl any, i int) (goja.Value, goja.Value) {
			p := impl.(*paramsImpl).list[i]
			return vm.ToValue(p.name), vm.ToValue(p.value)
		},
	}
	return &webidl.Interface{
		Name:     "URLSearchParams",
		Length:   0,
		Iterable: iterable,
		// constructor(optional (sequence<sequence<USVString>> or
		// record<USVString, USVString> or USVString) init = "")
		Constructor: func(c webidl.Call) any {
			p := &paramsImpl{}
			init := c.Arg(0)
			if goja.IsUndefined(init) {
				return p
			}
			m := r.MatchUnion(init, initUnion)
			switch m.Kind {
			case webidl.MatchSequence:
				seq := webidl.SequenceFromMethod(r, init.(*goja.Object), m.Method, func(v goja.Value) []string {
					return webidl.ToSequence(r, v, usv)
				})
				// Initialize, sequence: each inner sequence is a pair.
				for _, inner := range seq {
					if len(inner) != 2 {
						r.ThrowTypeError("Failed to construct 'URLSearchParams': The provided value cannot be converted to a sequence of pairs: a sequence has %d elements, not 2.", len(inner))
					}
					p.list = append(p.list, pair{inner[0], inner[1]})
				}
			case webidl.MatchRecord:
				for _, e := range webidl.ToRecord(r, init, usv, usv) {
					p.list = append(p.list, pair{e.Key, e.Value})
				}
			default:
				// Step 1: a leading "?" is removed; then the string
				// is parsed as application/x-www-form-urlencoded.
				s := usv(init)
				if len(s) > 0 && s[0] == '?' {
					s = s[1:]
				}
				p.list = parseURLEncoded(nil, s)
			}
			return p
		},
		Attributes: []webidl.Attribute{
			{Name: "size", Get: func(c webidl.Call) goja.Value { return vm.ToValue(len(get(c).list)) }},
		},
		Operations: slices.Concat([]webidl.Operation{
			{Name: "append", Length: 2, Func: func(c webidl.Call) goja.Value {
				c.RequireArgs("append", 2)
				name, value := usv(c.Arg(0)), usv(c.Arg(1))
				p := get(c)
				p.list = append(p.list, pair{name, value})
				p.update()
				return nil
			}},
			{Name: "delete", Length: 1, Func: func(c webidl.Call) goja.Value {
				c.RequireArgs("delete", 1)
				name := usv(c.Arg(0))
				value, hasValue := optionalUSV(r, c.Arg(1))
				// Remove every tuple named name (with that value, if
				// one is given), then update.
				p := get(c)
				kept := p.list[:0]
				for _, t := range p.list {
					if t.name == name && (!hasValue || t.value == value) {
						continue
					}
					kept = append(kept, t)
				}
				clear(p.list[len(kept):])
				p.list = kept
				p.update()
				return nil
			}},
			{Name: "get", Length: 1, Func: func(c webidl.Call) goja.Value {
				c.RequireArgs("get", 1)
				name := usv(c.Arg(0))
				for _, t := range get(c).list {
					if t.name == name {
						return vm.ToValue(t.value)
					}
				}
				return goja.Null()
			}},
			{Name: "getAll", Length: 1, Func: func(c webidl.Call) goja.Value {
				c.RequireArgs("getAll", 1)
				name := usv(c.Arg(0))
				var values []any
				for _, t := range get(c).list {
					if t.name == name {
						values = append(values, t.value)
					}
				}
				return vm.NewArray(values...)
			}},
			{Name: "has", Length: 1, Func: func(c webidl.Call) goja.Value {
				c.RequireArgs("has", 1)
				name := usv(c.Arg(0))
				value, hasValue := optionalUSV(r, c.Arg(1))
				for _, t := range get(c).list {
					if t.name == name && (!hasValue || t.value == value) {
						return vm.ToValue(true)
					}
				}
				return vm.ToValue(false)
			}},
			{Name: "set", Length: 2, Func: func(c webidl.Call) goja.Value {
				c.RequireArgs("set", 2)
				name, value := usv(c.Arg(0)), usv(c.Arg(1))
				// The first tuple named name gets the value and the
				// others are removed; with none, append. Then update.
				p := get(c)
				found := false
				kept := p.list[:0]
				for _, t := range p.list {
					if t.name == name {
						if found {
							continue
						}
						found = true
						t.value = value
					}
					kept = append(kept, t)
				}
				clear(p.list[len(kept):])
				p.list = kept
				if !found {
					p.list = append(p.list, pair{name, value})
				}
				p.update()
				return nil
			}},
			{Name: "sort", Func: func(c webidl.Call) goja.Value {
				// A stable sort by name, in code unit order.
				p := get(c)
				sort.SliceStable(p.list, func(i, j int) bool { return lessUTF16(p.list[i].name, p.list[j].name) })
				p.update()
				return nil
			}},
		}, iterable.Operations(), []webidl.Operation{
			// The stringifier: the serialization of the list.
			{Name: "toString", Func: func(c webidl.Call) goja.Value {
				return vm.ToValue(serializeURLEncoded(get(c).list))
			}},
		}),
	}
}

// optionalUSV converts an optional USVString argument.
func optionalUSV(r *webidl.Realm, v goja.Value) (string, bool) {
	if goja.IsUndefined(v) {
		return "", false
	}
	return r.ToUSVString(v), true
}

// lessUTF16 reports whether a sorts before b when both are compared as
// sequences of UTF-16 code units (Infra "code unit less than"). For
// scalar values this differs from code point order only between
// supplementary characters and U+E000 to U+FFFF.
func lessUTF16(a, b string) bool {
	for len(a) > 0 && len(b) > 0 {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return utf16Key(ra) < utf16Key(rb)
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) == 0 && len(b) > 0
}

// utf16Key orders runes as their UTF-16 encodings do: the first code unit
// in the high half, the second (if any) in the low half.
func utf16Key(r rune) uint32 {
	if r < 0x10000 {
		return uint32(r) << 16
	}
	r -= 0x10000
	return (0xD800+uint32(r>>10))<<16 | (0xDC00 + uint32(r&0x3FF))
}
