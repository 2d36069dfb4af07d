package builtins

import (
	"runtime"
	"strings"
	"sync"
	"weak"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/jsregexp"
)

// regexpSlots are a RegExp object's [[OriginalSource]], [[OriginalFlags]]
// and [[RegExpMatcher]] (https://tc39.es/ecma262/#sec-regexpinitialize).
type regexpSlots struct {
	source goja.String
	flags  string
	m      *regexpMatcher
}

// slotTable maps a realm's RegExp objects to their slots without keeping them
// alive: an entry goes when its object is collected.
type slotTable struct {
	mu sync.Mutex
	m  map[weak.Pointer[goja.Object]]*regexpSlots
}

func (t *slotTable) get(o *goja.Object) *regexpSlots {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.m[weak.Make(o)]
}

func (t *slotTable) set(o *goja.Object, s *regexpSlots) {
	p := weak.Make(o)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[weak.Pointer[goja.Object]]*regexpSlots{}
	}
	if _, ok := t.m[p]; !ok {
		// The cleanup refers to the table and the object only weakly: a
		// cleanup's function and argument are roots until it runs, and the
		// table's slots lead to the realm, and so back to o, which would
		// then never be collected, nor the runtime with it.
		runtime.AddCleanup(o, dropSlots, slotsKey{weak.Make(t), p})
	}
	t.m[p] = s
}

// slotsKey names an entry of a slot table without keeping either alive.
type slotsKey struct {
	table weak.Pointer[slotTable]
	obj   weak.Pointer[goja.Object]
}

// dropSlots removes the entry of a collected RegExp object.
func dropSlots(k slotsKey) {
	t := k.table.Value()
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.m, k.obj)
}

// gojaFlagLetters name goja's flag getters, whose values make the flags of a
// RegExp object goja made itself.
var gojaFlagLetters = []struct{ getter, letter string }{
	{"global", "g"}, {"ignoreCase", "i"}, {"multiline", "m"}, {"dotAll", "s"}, {"unicode", "u"}, {"sticky", "y"},
}

// slotsOf returns v's slots, or nil if v is not a RegExp object. A RegExp
// object goja made (a literal's) gets them from goja's getters, once.
func (x *regexpRealm) slotsOf(v goja.Value) *regexpSlots {
	o, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	if s := x.slots.get(o); s != nil {
		return s
	}
	if o.ClassName() != "RegExp" || o == x.proto {
		return nil
	}
	src, err := x.gojaGetters["source"](o)
	if err != nil {
		return nil
	}
	var flags strings.Builder
	for _, f := range gojaFlagLetters {
		if v, err := x.gojaGetters[f.getter](o); err == nil && v.ToBoolean() {
			flags.WriteString(f.letter)
		}
	}
	// The pattern is compiled when first matched: goja has parsed it.
	s := &regexpSlots{source: src.(goja.String), flags: flags.String()}
	x.slots.set(o, s)
	return s
}

// matcher returns the matcher of s, compiling the pattern of a RegExp object
// goja made the first time.
func (x *regexpRealm) matcher(s *regexpSlots) *regexpMatcher {
	if s.m == nil {
		c, msg := x.initialize(s.source, s.flags)
		if c == nil {
			panic(x.syntaxError(msg))
		}
		s.m = c.m
	}
	return s.m
}

// thisSlots is RequireInternalSlot(this, [[RegExpMatcher]]).
func (x *regexpRealm) thisSlots(v goja.Value, method string) *regexpSlots {
	s := x.slotsOf(v)
	if s == nil {
		panic(x.vm.NewTypeError("Method RegExp.prototype.%s called on incompatible receiver %s", method, v.String()))
	}
	return s
}

// initialize compiles source and flags into slots, or returns the
// SyntaxError's message (https://tc39.es/ecma262/#sec-regexpinitialize
// steps 3-12). Nothing the pattern holds makes it panic: a panic is the
// SyntaxError.
func (x *regexpRealm) initialize(source goja.String, flags string) (s *regexpSlots, msg string) {
	defer func() {
		if p := recover(); p != nil {
			s, msg = nil, "Invalid regular expression: "+toMessage(p)
		}
	}()
	f, ok := jsregexp.ParseFlags(flags)
	if !ok {
		return nil, "Invalid flags supplied to RegExp constructor '" + flags + "'"
	}
	m, err := compileMatcher(stringUnits(source, nil), f)
	if err != nil {
		return nil, err.Error()
	}
	return &regexpSlots{source: source, flags: flags, m: m}, ""
}

func toMessage(p any) string {
	if e, ok := p.(error); ok {
		return e.Error()
	}
	if s, ok := p.(string); ok {
		return s
	}
	return "internal error"
}

func (x *regexpRealm) syntaxError(msg string) *goja.Object {
	o, err := x.syntaxErrorCtor(nil, x.vm.ToValue(msg))
	if err != nil {
		panic(err)
	}
	return o
}

// flagGetter is the getter of one flag's property, RegExpHasFlag
// (https://tc39.es/ecma262/#sec-regexphasflag).
func (x *regexpRealm) flagGetter(name string, letter byte) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		R, ok := call.This.(*goja.Object)
		if !ok {
			panic(x.vm.NewTypeError("RegExp.prototype.%s getter called on non-object %s", name, call.This.String()))
		}
		s := x.slotsOf(R)
		if s == nil {
			if R == x.proto {
				return goja.Undefined()
			}
			panic(x.vm.NewTypeError("RegExp.prototype.%s getter called on non-RegExp object", name))
		}
		return x.vm.ToValue(strings.IndexByte(s.flags, letter) >= 0)
	}
}

// getSource is get RegExp.prototype.source
// (https://tc39.es/ecma262/#sec-get-regexp.prototype.source).
func (x *regexpRealm) getSource(call goja.FunctionCall) goja.Value {
	R, ok := call.This.(*goja.Object)
	if !ok {
		panic(x.vm.NewTypeError("RegExp.prototype.source getter called on non-object %s", call.This.String()))
	}
	s := x.slotsOf(R)
	if s == nil {
		if R == x.proto {
			return x.vm.ToValue("(?:)")
		}
		panic(x.vm.NewTypeError("RegExp.prototype.source getter called on non-RegExp object"))
	}
	return escapeSource(s.source)
}

// getFlags is get RegExp.prototype.flags
// (https://tc39.es/ecma262/#sec-get-regexp.prototype.flags).
func (x *regexpRealm) getFlags(call goja.FunctionCall) goja.Value {
	R, ok := call.This.(*goja.Object)
	if !ok {
		panic(x.vm.NewTypeError("RegExp.prototype.flags getter called on non-object %s", call.This.String()))
	}
	var b strings.Builder
	for _, f := range []struct{ name, letter string }{
		{"hasIndices", "d"}, {"global", "g"}, {"ignoreCase", "i"}, {"multiline", "m"},
		{"dotAll", "s"}, {"unicode", "u"}, {"unicodeSets", "v"}, {"sticky", "y"},
	} {
		if v := R.Get(f.name); v != nil && v.ToBoolean() {
			b.WriteString(f.letter)
		}
	}
	return x.vm.ToValue(b.String())
}

// escapeSource is EscapeRegExpPattern
// (https://tc39.es/ecma262/#sec-escaperegexppattern): "/" outside classes
// and line terminators are escaped, and the empty pattern is "(?:)".
func escapeSource(s goja.String) goja.Value {
	if s.Length() == 0 {
		return goja.StringFromUTF16([]uint16{'(', '?', ':', ')'})
	}
	units := stringUnits(s, nil)
	var out []uint16
	inClass, changed := false, false
	for i := 0; i < len(units); i++ {
		c := units[i]
		switch {
		case c == '\\' && i+1 < len(units):
			out = append(out, c)
			i++
			c = units[i]
			if esc, ok := lineTerminatorEscape(c); ok {
				out = append(out, esc[1:]...)
				changed = true
				continue
			}
		case c == '[':
			inClass = true
		case c == ']':
			inClass = false
		case c == '/' && !inClass:
			out = append(out, '\\')
			changed = true
		default:
			if esc, ok := lineTerminatorEscape(c); ok {
				out = append(out, esc...)
				changed = true
				continue
			}
		}
		out = append(out, c)
	}
	if !changed {
		return s
	}
	return goja.StringFromUTF16(out)
}

func lineTerminatorEscape(c uint16) ([]uint16, bool) {
	switch c {
	case '\n':
		return []uint16{'\\', 'n'}, true
	case '\r':
		return []uint16{'\\', 'r'}, true
	case 0x2028:
		return []uint16{'\\', 'u', '2', '0', '2', '8'}, true
	case 0x2029:
		return []uint16{'\\', 'u', '2', '0', '2', '9'}, true
	}
	return nil, false
}
