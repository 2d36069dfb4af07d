package console

import (
	"github.com/wsjs/wsjs/bindings"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/webidl"
	"golang.org/x/text/width"
)

// inspectOptions control the console's "generic JavaScript object formatting"
// (https://console.spec.whatwg.org/#generic-javascript-object-formatting).
// The layout follows the conventions of Node.js and Deno so that output reads
// the same.
type inspectOptions struct {
	depth           int // nesting levels below the top shown in full
	breakLength     int // width beyond which entries go on separate lines
	maxArrayLength  int // elements shown of arrays, typed arrays, maps and sets
	maxStringLength int // code units shown of strings nested in objects
}

var defaultInspect = inspectOptions{depth: 2, breakLength: 80, maxArrayLength: 100, maxStringLength: 10000}

const (
	unlimited        = math.MaxInt32 // depth showing everything
	maxLevels        = 100           // nesting shown even with unlimited depth
	compactLevels    = 3             // innermost nesting levels that may share one line
	minLineWidth     = 16            // strings shorter than this are never split
	maxBufferBytes   = 50            // bytes of an ArrayBuffer shown
	keysWithoutProbe = 10000         // arrays longer than this: non-index keys not listed
	maxHoleProbe     = 10000         // consecutive holes probed before listing keys
)

// inspector formats one value. It never runs script code: getters are
// shown as [Getter], proxies as their targets.
type inspector struct {
	in       *intrinsics
	opts     inspectOptions
	indent   int // columns the current value is indented by
	curDepth int // nesting level of the object whose entries were formatted last
	seen     []*goja.Object
	circular map[*goja.Object]int
}

// intrinsicsKey finds, with webidl.Realm.Data, the intrinsics Register captured.
type intrinsicsKey struct{}

// Inspect formats v as console.log formats an argument that is not a format
// string: a string as it is, any other value with the console's generic
// JavaScript object formatting (https://console.spec.whatwg.org/#generic-javascript-object-formatting),
// which follows Node.js's and Deno's layout. It runs no script code (getters
// show as [Getter], proxies as their targets). realm must have the console
// installed; otherwise v is formatted as String(v) would be, or as a plain
// description.
func Inspect(realm *webidl.Realm, v goja.Value) string {
	if _, ok := realm.Data(intrinsicsKey{}).(*intrinsics); !ok {
		// The runtime reports errors with it, whether or not script has
		// used the console.
		_ = bindings.Require(realm, Binding)
	}
	in, ok := realm.Data(intrinsicsKey{}).(*intrinsics)
	if !ok {
		return fallbackString(v)
	}
	if s, ok := v.(goja.String); ok {
		return s.String()
	}
	return in.inspect(v, defaultInspect)
}

// fallbackString describes v without the console's intrinsics.
func fallbackString(v goja.Value) (s string) {
	defer func() {
		if recover() != nil {
			s = "[object]"
		}
	}()
	if _, ok := v.(*goja.Object); ok {
		return "[object]"
	}
	return v.String()
}

// inspect returns v with generic JavaScript object formatting applied.
func (in *intrinsics) inspect(v goja.Value, opts inspectOptions) string {
	s := inspector{in: in, opts: opts}
	return s.value(v, 0)
}

func (s *inspector) value(v goja.Value, level int) string {
	o, ok := v.(*goja.Object)
	if !ok {
		return s.primitive(v)
	}
	for s.in.isProxy(o) {
		o = o.Export().(goja.Proxy).Target()
		if o == nil {
			return "<Revoked Proxy>"
		}
	}
	if slices.Contains(s.seen, o) {
		n, ok := s.circular[o]
		if !ok {
			if s.circular == nil {
				s.circular = make(map[*goja.Object]int)
			}
			n = len(s.circular) + 1
			s.circular[o] = n
		}
		return "[Circular *" + strconv.Itoa(n) + "]"
	}
	return s.object(o, level)
}

func (s *inspector) primitive(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	case goja.IsString(v):
		return s.string(v.(goja.String))
	case goja.IsNumber(v):
		return formatNumber(v)
	case goja.IsBigInt(v):
		return v.String() + "n"
	}
	if sym, ok := v.(*goja.Symbol); ok {
		return s.in.symbolString(sym)
	}
	return v.String() // boolean
}

func formatNumber(v goja.Value) string {
	if f := v.ToFloat(); f == 0 && math.Signbit(f) {
		return "-0"
	}
	return v.String()
}

func (in *intrinsics) symbolString(sym *goja.Symbol) string {
	v, err := in.symbolToString(sym)
	if err != nil {
		return "Symbol()"
	}
	return v.String()
}

// string formats a string nested in an object: quoted, escaped, truncated
// to maxStringLength and split after line breaks if it is long.
func (s *inspector) string(str goja.String) string {
	n := str.Length()
	trailer := ""
	if max := s.opts.maxStringLength; max >= 0 && n > max {
		trailer = "... " + plural(n-max, "more character")
		str = str.Substring(0, max)
		n = max
	}
	if n > minLineWidth && n > s.opts.breakLength-s.indent-4 {
		var parts []string
		start := 0
		for i := 0; i < n; i++ {
			if str.CharAt(i) == '\n' && i+1 < n {
				parts = append(parts, quote(str.Substring(start, i+1)))
				start = i + 1
			}
		}
		if len(parts) > 0 {
			parts = append(parts, quote(str.Substring(start, n)))
			return strings.Join(parts, " +\n"+spaces(s.indent+2)) + trailer
		}
	}
	return quote(str) + trailer
}

// quote returns str as a JavaScript string literal, preferring single
// quotes, then double quotes, then backticks, whichever needs no escaping.
func quote(str goja.String) string {
	n := str.Length()
	hasSingle, hasDouble, hasBacktick := false, false, false
	for i := 0; i < n; i++ {
		switch str.CharAt(i) {
		case '\'':
			hasSingle = true
		case '"':
			hasDouble = true
		case '`', '$':
			hasBacktick = true
		}
	}
	q := uint16('\'')
	if hasSingle {
		if !hasDouble {
			q = '"'
		} else if !hasBacktick {
			q = '`'
		}
	}
	var b strings.Builder
	b.Grow(n + 2)
	b.WriteByte(byte(q))
	for i := 0; i < n; i++ {
		c := str.CharAt(i)
		switch {
		case c == q || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(byte(c))
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(hex2(byte(c)))
		case utf16.IsSurrogate(rune(c)):
			if c < 0xdc00 && i+1 < n {
				if r := utf16.DecodeRune(rune(c), rune(str.CharAt(i+1))); r != unicode.ReplacementChar {
					b.WriteRune(r)
					i++
					continue
				}
			}
			b.WriteString(`\u`)
			b.WriteString(strings.ToUpper(strconv.FormatUint(uint64(c), 16)))
		default:
			b.WriteRune(rune(c))
		}
	}
	b.WriteByte(byte(q))
	return b.String()
}

func hex2(c byte) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// key formats a property key.
func (s *inspector) key(k goja.Value) string {
	if sym, ok := k.(*goja.Symbol); ok {
		return "[" + s.in.symbolString(sym) + "]"
	}
	name := k.String()
	if name == "__proto__" {
		return "['__proto__']"
	}
	if isIdentifier(name) {
		return name
	}
	return quote(k.(goja.String))
}

func isIdentifier(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9' {
			continue
		}
		return false
	}
	return true
}

// arrayIndex reports whether k is an array index
// (https://tc39.es/ecma262/#sec-object-type).
func arrayIndex(k goja.Value) (int64, bool) {
	if !goja.IsString(k) {
		return 0, false
	}
	name := k.String()
	if name == "" || len(name) > 10 || len(name) > 1 && name[0] == '0' {
		return 0, false
	}
	n, err := strconv.ParseUint(name, 10, 64)
	if err != nil || n >= math.MaxUint32 {
		return 0, false
	}
	return int64(n), true
}

// entries is what formatting an object produces before layout.
type entries struct {
	base        string   // text before the braces, such as "[Function: f]"
	open, close string   // braces, including any prefix
	items       []string // formatted entries
	arrayLike   bool     // items are elements, which may be grouped in columns
	numeric     bool     // all items are numbers or bigints (right-aligned)
	moreItems   bool     // the last item is "... n more items"
}

func (s *inspector) object(o *goja.Object, level int) string {
	in := s.in
	k := in.kindOf(o)
	ctor, hasCtor := s.constructorName(o)
	tag := s.toStringTag(o, ctor)
	e := entries{open: "{", close: "}"}
	var props []property // own enumerable properties shown as "key: value"
	var elements func(e *entries, level int)

	switch k {
	case kindFunction:
		e.base = s.functionBase(o, ctor, hasCtor, tag)
		props = in.ownProperties(o, true)
		if len(props) == 0 {
			return e.base
		}
	case kindArray, kindArguments:
		length := o.Get("length").ToInteger()
		if k == kindArguments {
			e.open = "[Arguments] ["
		} else if ctor != "Array" || !hasCtor || tag != "" {
			e.open = prefix(ctor, hasCtor, tag, "Array", "("+strconv.FormatInt(length, 10)+")") + "["
		} else {
			e.open = "["
		}
		e.close = "]"
		e.arrayLike = true
		props = s.nonIndexProperties(o, length)
		if length == 0 && len(props) == 0 {
			return e.open + "]"
		}
		elements = func(e *entries, level int) { s.arrayElements(e, o, length, level) }
	case kindTypedArray:
		name := in.call(in.typedArrayTag, o).String()
		length := in.call(in.typedArrayLen, o).ToInteger()
		e.open = prefix(ctor, hasCtor, tag, name, "("+strconv.FormatInt(length, 10)+")") + "["
		e.close = "]"
		e.arrayLike = true
		props = s.nonIndexProperties(o, length)
		if length == 0 && len(props) == 0 {
			return e.open + "]"
		}
		elements = func(e *entries, level int) { s.typedArrayElements(e, o, length, level) }
	case kindMap, kindSet:
		fallback, size := "Map", in.call(in.mapSize, o).ToInteger()
		if k == kindSet {
			fallback, size = "Set", in.call(in.setSize, o).ToInteger()
		}
		p := prefix(ctor, hasCtor, tag, fallback, "("+strconv.FormatInt(size, 10)+")")
		props = in.ownProperties(o, true)
		if size == 0 && len(props) == 0 {
			return p + "{}"
		}
		e.open = p + "{"
		elements = func(e *entries, level int) { s.collectionElements(e, o, k == kindMap, size, level) }
	case kindWeakMap, kindWeakSet:
		fallback := "WeakMap"
		if k == kindWeakSet {
			fallback = "WeakSet"
		}
		e.open = prefix(ctor, hasCtor, tag, fallback, "") + "{"
		props = in.ownProperties(o, true)
		elements = func(e *entries, level int) { e.items = append(e.items, "<items unknown>") }
	case kindPromise:
		e.open = prefix(ctor, hasCtor, tag, "Promise", "") + "{"
		props = in.ownProperties(o, true)
		elements = func(e *entries, level int) { s.promiseState(e, o, level) }
	case kindArrayBuffer:
		e.open = prefix(ctor, hasCtor, tag, "ArrayBuffer", "") + "{"
		props = in.ownProperties(o, true)
		elements = func(e *entries, level int) { s.bufferContents(e, o) }
	case kindDataView:
		e.open = prefix(ctor, hasCtor, tag, "DataView", "") + "{"
		props = in.ownProperties(o, true)
		elements = func(e *entries, level int) {
			s.indent += 2
			e.items = append(e.items,
				"byteLength: "+formatNumber(in.call(in.dataViewLength, o)),
				"byteOffset: "+formatNumber(in.call(in.dataViewOffset, o)),
				"buffer: "+s.value(in.call(in.dataViewBuffer, o), level))
			s.indent -= 2
		}
	case kindDate:
		t := in.call(in.dateGetTime, o)
		if math.IsNaN(t.ToFloat()) {
			e.base = "Invalid Date"
		} else {
			e.base = in.call(in.dateToISOString, o).String()
		}
		if p := prefix(ctor, hasCtor, tag, "Date", ""); p != "Date " {
			e.base = p + e.base
		}
		props = in.ownProperties(o, true)
		if len(props) == 0 {
			return e.base
		}
	case kindRegExp:
		e.base = in.call(in.regexpToString, o).String()
		if p := prefix(ctor, hasCtor, tag, "RegExp", ""); p != "RegExp " {
			e.base = p + e.base
		}
		props = in.ownProperties(o, true)
		if len(props) == 0 {
			return e.base
		}
	case kindError:
		e.base = s.errorBase(o)
		props = in.ownProperties(o, true)
		if cause, ok := in.ownProperty(o, s.in.vm.ToValue("cause")); ok && !cause.enumerable {
			props = append([]property{cause}, props...)
		}
		if len(props) == 0 {
			return e.base
		}
	case kindNumber, kindString, kindBoolean, kindBigInt, kindSymbol:
		var typ string
		var prim goja.Value
		props = in.ownProperties(o, true)
		switch k {
		case kindNumber:
			typ, prim = "Number", in.call(in.numberValueOf, o)
		case kindString:
			typ, prim = "String", in.call(in.stringValueOf, o)
			n := int64(0)
			if str, ok := prim.(goja.String); ok {
				n = int64(str.Length())
			}
			props = slices.DeleteFunc(props, func(p property) bool {
				i, ok := arrayIndex(p.key)
				return ok && i < n
			})
		case kindBoolean:
			typ, prim = "Boolean", in.call(in.booleanValueOf, o)
		case kindBigInt:
			typ, prim = "BigInt", in.call(in.bigintValueOf, o)
		case kindSymbol:
			typ, prim = "Symbol", in.call(in.symbolValueOf, o)
		}
		base := "[" + typ
		if !hasCtor {
			base += " (null prototype)"
		} else if ctor != typ {
			base += " (" + ctor + ")"
		}
		base += ": " + s.primitive(prim) + "]"
		if tag != "" && tag != ctor {
			base += " [" + tag + "]"
		}
		e.base = base
		if len(props) == 0 {
			return e.base
		}
	default:
		props = append(s.platformAttributes(o), in.ownProperties(o, true)...)
		if !hasCtor || ctor != "Object" || tag != "" {
			e.open = prefix(ctor, hasCtor, tag, "Object", "") + "{"
		}
		if len(props) == 0 {
			return e.open + "}"
		}
	}

	if level > s.opts.depth || level > maxLevels {
		if !hasCtor {
			return "[Object: null prototype]"
		}
		return "[" + strings.TrimSuffix(prefix(ctor, hasCtor, tag, "Object", ""), " ") + "]"
	}

	level++
	s.seen = append(s.seen, o)
	s.curDepth = level
	if elements != nil {
		elements(&e, level)
	}
	for _, p := range props {
		e.items = append(e.items, s.property(p, level))
	}
	s.seen = s.seen[:len(s.seen)-1]

	res := s.layout(&e, level)
	if n, ok := s.circular[o]; ok {
		res = "<ref *" + strconv.Itoa(n) + "> " + res
	}
	return res
}

// platformAttributes returns the values of the attributes of a platform
// object (a WebSocket, an Event) as properties, the way Deno shows them:
// the enumerable getters of the interface prototype objects it inherits
// from, called with o as this. Attribute getters of platform objects run
// no script code. Getters that throw are left out.
func (s *inspector) platformAttributes(o *goja.Object) []property {
	in := s.in
	if o.Prototype() == in.objectProto {
		return nil // an ordinary object
	}
	realm := webidl.RealmOf(in.vm)
	if realm == nil {
		return nil
	}
	if _, _, ok := realm.ImplOf(o); !ok {
		return nil
	}
	var attrs []property
	seen := make(map[string]bool)
	ctorKey := in.vm.ToValue("constructor")
	for p := o.Prototype(); p != nil && p != in.objectProto; p = p.Prototype() {
		// Only interface prototype objects: not prototypes of script classes.
		c, ok := in.ownProperty(p, ctorKey)
		f, isObj := c.value.(*goja.Object)
		if !ok || c.accessor || !isObj || realm.Prototype(s.ownString(f, "name")) != p {
			break
		}
		for _, a := range in.ownProperties(p, true) {
			if !a.get || !goja.IsString(a.key) || seen[a.key.String()] {
				continue
			}
			seen[a.key.String()] = true
			get, _ := goja.AssertFunction(a.getter)
			v, err := get(o)
			if err != nil {
				continue
			}
			attrs = append(attrs, property{key: a.key, value: v, enumerable: true})
		}
	}
	return attrs
}

// prefix is the text put before the braces of an object whose
// constructor, [Symbol.toStringTag] or size is worth showing.
func prefix(ctor string, hasCtor bool, tag, fallback, size string) string {
	if !hasCtor {
		if tag != "" && tag != fallback {
			return "[" + fallback + size + ": null prototype] [" + tag + "] "
		}
		return "[" + fallback + size + ": null prototype] "
	}
	if tag != "" && tag != ctor {
		return ctor + size + " [" + tag + "] "
	}
	return ctor + size + " "
}

// property formats "key: value" for an own property.
func (s *inspector) property(p property, level int) string {
	var str string
	switch {
	case !p.accessor:
		s.indent += 2
		str = s.value(p.value, level)
		s.indent -= 2
	case p.get && p.set:
		str = "[Getter/Setter]"
	case p.get:
		str = "[Getter]"
	case p.set:
		str = "[Setter]"
	default:
		str = "undefined"
	}
	name := s.key(p.key)
	if !p.enumerable {
		name = "[" + name + "]"
	}
	return name + ": " + str
}

// constructorName finds the name of the nearest constructor on o's
// prototype chain whose prototype o inherits from. It reports false for
// objects with a null prototype or no such constructor.
func (s *inspector) constructorName(o *goja.Object) (string, bool) {
	in := s.in
	ctorKey := in.vm.ToValue("constructor")
	for obj, i := o, 0; obj != nil && i < 1000; obj, i = obj.Prototype(), i+1 {
		if in.isProxy(obj) {
			break
		}
		p, ok := in.ownProperty(obj, ctorKey)
		if !ok || p.accessor {
			continue
		}
		f, ok := p.value.(*goja.Object)
		if !ok {
			continue
		}
		if _, ok := goja.AssertFunction(f); !ok {
			continue
		}
		name := s.ownString(f, "name")
		if name == "" {
			continue
		}
		proto, ok := in.dataProperty(f, in.vm.ToValue("prototype"))
		if !ok || !in.inherits(o, proto) {
			continue
		}
		return name, true
	}
	return "", false
}

// inherits reports whether proto is on o's prototype chain.
func (in *intrinsics) inherits(o *goja.Object, proto goja.Value) bool {
	po, ok := proto.(*goja.Object)
	if !ok {
		return false
	}
	for p, i := o.Prototype(), 0; p != nil && i < 1000; p, i = p.Prototype(), i+1 {
		if p == po {
			return true
		}
		if in.isProxy(p) {
			return false
		}
	}
	return false
}

// ownString returns o's own data property name if it is a string.
func (s *inspector) ownString(o *goja.Object, name string) string {
	p, ok := s.in.ownProperty(o, s.in.vm.ToValue(name))
	if !ok || p.accessor || !goja.IsString(p.value) {
		return ""
	}
	return p.value.String()
}

// toStringTag returns o's inherited [Symbol.toStringTag] when it adds
// something to the constructor's name.
func (s *inspector) toStringTag(o *goja.Object, ctor string) string {
	v, ok := s.in.dataProperty(o, goja.SymToStringTag)
	if !ok || !goja.IsString(v) {
		return ""
	}
	tag := v.String()
	if tag == ctor {
		return ""
	}
	if p, ok := s.in.ownProperty(o, goja.SymToStringTag); ok && p.enumerable {
		return "" // shown as a property anyway
	}
	return tag
}

func (s *inspector) functionBase(o *goja.Object, ctor string, hasCtor bool, tag string) string {
	in := s.in
	src := in.call(in.funcToString, o).String()
	if strings.HasPrefix(src, "class") && (len(src) == 5 || !isIdentifier(src[5:6])) {
		name := s.ownString(o, "name")
		if name == "" {
			name = "(anonymous)"
		}
		base := "class " + name
		if hasCtor && ctor != "Function" {
			base += " [" + ctor + "]"
		}
		if tag != "" && tag != ctor {
			base += " [" + tag + "]"
		}
		if p := o.Prototype(); p == nil {
			base += " extends [null prototype]"
		} else if super := s.ownString(p, "name"); super != "" {
			base += " extends " + super
		}
		return "[" + base + "]"
	}
	typ := "Function"
	switch o.Prototype() {
	case nil:
	case in.asyncFuncProto:
		typ = "AsyncFunction"
	case in.genFuncProto:
		typ = "GeneratorFunction"
	case in.asyncGenFuncProto:
		typ = "AsyncGeneratorFunction"
	}
	base := "[" + typ
	if !hasCtor {
		base += " (null prototype)"
	}
	if name := s.ownString(o, "name"); name == "" {
		base += " (anonymous)"
	} else {
		base += ": " + name
	}
	base += "]"
	if hasCtor && ctor != typ && ctor != "Function" {
		base += " " + ctor
	}
	if tag != "" && tag != ctor {
		base += " [" + tag + "]"
	}
	return base
}

// bytecodeOffset matches the "(pc)" goja appends to a frame's line:column;
// compiled when an error is first inspected, not when the process starts.
var bytecodeOffset = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(:\d+:\d+)\(\d+\)`) })

// errorBase is an error's stack, or "[Name: message]" if it has none.
func (s *inspector) errorBase(o *goja.Object) string {
	in := s.in
	var stack string
	if v, ok := in.dataProperty(o, in.vm.ToValue("stack")); ok && goja.IsString(v) {
		// goja indents stack frames with a tab and ends each position with the
		// bytecode offset in parentheses; show them the way other runtimes do.
		stack = strings.ReplaceAll(strings.TrimRight(v.String(), "\n"), "\n\tat ", "\n    at ")
		stack = bytecodeOffset().ReplaceAllString(stack, "$1")
	}
	if stack == "" {
		stack = "[" + in.call(in.errorToString, o).String() + "]"
	}
	if s.indent > 0 {
		stack = strings.ReplaceAll(stack, "\n", "\n"+spaces(s.indent))
	}
	return stack
}

// nonIndexProperties returns the own enumerable properties of an array
// or typed array that are not elements. For very long arrays it returns
// none rather than list millions of keys.
func (s *inspector) nonIndexProperties(o *goja.Object, length int64) []property {
	if length > keysWithoutProbe {
		return nil
	}
	props := s.in.ownProperties(o, true)
	return slices.DeleteFunc(props, func(p property) bool {
		_, ok := arrayIndex(p.key)
		return ok
	})
}

func (s *inspector) arrayElements(e *entries, o *goja.Object, length int64, level int) {
	in := s.in
	max := int64(s.opts.maxArrayLength)
	e.numeric = true
	var keys []int64 // index keys, listed once holes get long
	holes := func(from, to int64) {
		n := to - from
		e.items = append(e.items, "<"+plural64(n, "empty item")+">")
		e.numeric = false
	}
	i := int64(0)
	for i < length && int64(len(e.items)) < max {
		p, ok := in.ownProperty(o, in.vm.ToValue(strconv.FormatInt(i, 10)))
		if !ok {
			// A hole: find where it ends.
			j := i + 1
			for ; j < length && j-i < maxHoleProbe; j++ {
				if _, ok := in.ownProperty(o, in.vm.ToValue(strconv.FormatInt(j, 10))); ok {
					break
				}
			}
			if j < length && j-i >= maxHoleProbe {
				if keys == nil {
					keys = s.indexKeys(o)
				}
				k, _ := slices.BinarySearch(keys, j)
				if k < len(keys) {
					j = keys[k]
				} else {
					j = length
				}
			}
			holes(i, j)
			i = j
			continue
		}
		str := ""
		switch {
		case !p.accessor:
			s.indent += 2
			str = s.value(p.value, level)
			s.indent -= 2
			if !goja.IsNumber(p.value) && !goja.IsBigInt(p.value) {
				e.numeric = false
			}
		case p.get && p.set:
			str, e.numeric = "[Getter/Setter]", false
		case p.get:
			str, e.numeric = "[Getter]", false
		default:
			str, e.numeric = "[Setter]", false
		}
		e.items = append(e.items, str)
		i++
	}
	if i < length {
		e.items = append(e.items, "... "+plural64(length-i, "more item"))
		e.moreItems = true
	}
}

// indexKeys lists o's array index keys in ascending order.
func (s *inspector) indexKeys(o *goja.Object) []int64 {
	keysV, err := s.in.ownKeys(goja.Undefined(), o)
	if err != nil {
		return []int64{}
	}
	keys := keysV.(*goja.Object)
	n := int(keys.Get("length").ToInteger())
	idx := make([]int64, 0, n)
	for i := 0; i < n; i++ {
		if v, ok := arrayIndex(keys.Get(strconv.Itoa(i))); ok {
			idx = append(idx, v)
		}
	}
	slices.Sort(idx)
	return idx
}

func (s *inspector) typedArrayElements(e *entries, o *goja.Object, length int64, level int) {
	n := min(length, int64(s.opts.maxArrayLength))
	e.numeric = true
	for i := int64(0); i < n; i++ {
		e.items = append(e.items, s.primitive(o.Get(strconv.FormatInt(i, 10))))
	}
	if n < length {
		e.items = append(e.items, "... "+plural64(length-n, "more item"))
		e.moreItems = true
	}
}

// collectionElements formats the entries of a Map or Set, read with the
// original forEach so that no script code runs.
func (s *inspector) collectionElements(e *entries, o *goja.Object, isMap bool, size int64, level int) {
	in := s.in
	max := int64(s.opts.maxArrayLength)
	var keys, values []goja.Value
	cb := in.vm.ToValue(func(c goja.FunctionCall) goja.Value {
		if int64(len(values)) < max {
			values = append(values, c.Argument(0))
			keys = append(keys, c.Argument(1))
		}
		return goja.Undefined()
	})
	forEach := in.setForEach
	if isMap {
		forEach = in.mapForEach
	}
	if _, err := forEach(o, cb); err != nil {
		return
	}
	s.indent += 2
	for i := range values {
		if isMap {
			e.items = append(e.items, s.value(keys[i], level)+" => "+s.value(values[i], level))
		} else {
			e.items = append(e.items, s.value(values[i], level))
		}
	}
	s.indent -= 2
	if int64(len(values)) < size {
		e.items = append(e.items, "... "+plural64(size-int64(len(values)), "more item"))
		e.moreItems = true
	}
}

func (s *inspector) promiseState(e *entries, o *goja.Object, level int) {
	p := o.Export().(*goja.Promise)
	s.indent += 2
	switch p.State() {
	case goja.PromiseStatePending:
		e.items = append(e.items, "<pending>")
	case goja.PromiseStateRejected:
		e.items = append(e.items, "<rejected> "+s.value(p.Result(), level))
	default:
		e.items = append(e.items, s.value(p.Result(), level))
	}
	s.indent -= 2
}

func (s *inspector) bufferContents(e *entries, o *goja.Object) {
	ab := o.Export().(goja.ArrayBuffer)
	if ab.Detached() {
		e.items = append(e.items, "(detached)", "byteLength: 0")
		return
	}
	data := ab.Bytes()
	var b strings.Builder
	b.WriteString("[Uint8Contents]: <")
	for i, c := range data[:min(len(data), maxBufferBytes)] {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ToLower(hex2(c)))
	}
	if len(data) > maxBufferBytes {
		b.WriteString(" ... " + plural(len(data)-maxBufferBytes, "more byte"))
	}
	b.WriteByte('>')
	e.items = append(e.items, b.String(), "byteLength: "+strconv.Itoa(len(data)))
}

// layout puts the entries on one line if they are few, short and not
// deeply nested, or else one per line (or in columns, for arrays of short
// elements), indented below the opening brace.
func (s *inspector) layout(e *entries, level int) string {
	output := e.items
	if e.arrayLike && len(output) > 6 {
		output = s.groupElements(e)
	}
	base := ""
	if e.base != "" {
		base = e.base + " "
	}
	if s.curDepth-level < compactLevels && len(output) == len(e.items) {
		start := len(output) + s.indent + len(e.open) + len(e.base) + 10
		if s.fitsOnLine(output, start, e.base) {
			joined := strings.Join(output, ", ")
			if !strings.Contains(joined, "\n") {
				return base + e.open + " " + joined + " " + e.close
			}
		}
	}
	ind := "\n" + spaces(s.indent)
	return base + e.open + ind + "  " + strings.Join(output, ","+ind+"  ") + ind + e.close
}

func (s *inspector) fitsOnLine(output []string, start int, base string) bool {
	total := len(output) + start
	if total+len(output) > s.opts.breakLength {
		return false
	}
	for _, o := range output {
		total += textWidth(o)
		if total > s.opts.breakLength {
			return false
		}
	}
	return !strings.Contains(base, "\n")
}

// groupElements arranges many short array elements in aligned columns.
func (s *inspector) groupElements(e *entries) []string {
	output := e.items
	n := len(output)
	if e.moreItems {
		n--
	}
	const sep = 2 // ", "
	total, maxLen := 0, 0
	lens := make([]int, n)
	for i := 0; i < n; i++ {
		l := textWidth(output[i])
		lens[i] = l
		total += l + sep
		maxLen = max(maxLen, l)
	}
	actualMax := maxLen + sep
	if actualMax*3+s.indent >= s.opts.breakLength || (float64(total)/float64(actualMax) <= 5 && maxLen > 6) {
		return output
	}
	bias := math.Sqrt(float64(actualMax) - float64(total)/float64(len(output)))
	biasedMax := math.Max(float64(actualMax)-3-bias, 1)
	columns := min(
		int(math.Round(math.Sqrt(2.5*biasedMax*float64(n))/biasedMax)),
		(s.opts.breakLength-s.indent)/actualMax,
		compactLevels*4,
		15,
	)
	if columns <= 1 {
		return output
	}
	colWidth := make([]int, columns)
	for c := 0; c < columns; c++ {
		w := 0
		for j := c; j < n; j += columns {
			w = max(w, lens[j])
		}
		colWidth[c] = w + sep
	}
	var grouped []string
	for i := 0; i < n; i += columns {
		end := min(i+columns, n)
		var b strings.Builder
		for j := i; j < end; j++ {
			cell := output[j]
			fill := colWidth[j-i] - sep - lens[j]
			last := j == end-1
			if !last {
				cell += ", "
			}
			switch {
			case e.numeric:
				b.WriteString(spaces(fill))
				b.WriteString(cell)
			case last:
				b.WriteString(cell)
			default:
				b.WriteString(cell)
				b.WriteString(spaces(fill))
			}
		}
		grouped = append(grouped, b.String())
	}
	if e.moreItems {
		grouped = append(grouped, output[n])
	}
	return grouped
}

// textWidth is the number of terminal columns s occupies.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r < 0x20 || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == 0x200b:
		case width.LookupRune(r).Kind() == width.EastAsianWide || width.LookupRune(r).Kind() == width.EastAsianFullwidth:
			w += 2
		default:
			w++
		}
	}
	return w
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

func plural(n int, what string) string { return plural64(int64(n), what) }

func plural64(n int64, what string) string {
	s := strconv.FormatInt(n, 10) + " " + what
	if n != 1 {
		s += "s"
	}
	return s
}
