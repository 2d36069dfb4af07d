package runtime

import (
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// inspector renders thrown values that are not Error objects in uncaught error
// reports, the way developer consoles show values. It never runs script: getters
// that throw are shown as [Thrown]. It is used on the loop goroutine only.
type inspector struct {
	vm   *goja.Runtime
	seen []*goja.Object // objects being rendered, to detect cycles
}

func isString(v goja.Value) bool {
	if v == nil {
		return false
	}
	switch v.(type) {
	case *goja.Object, *goja.Symbol:
		return false
	}
	_, ok := v.Export().(string)
	return ok
}

const maxDepth = 2

// inspect renders v the way developer consoles do ("optimally useful formatting").
// top strings are shown without quotes.
func (c *inspector) inspect(v goja.Value, top bool) string {
	var b strings.Builder
	c.seen = c.seen[:0]
	if top && isString(v) {
		return v.String()
	}
	c.write(&b, v, 0)
	return b.String()
}

func (c *inspector) write(b *strings.Builder, v goja.Value, depth int) {
	switch {
	case v == nil || goja.IsUndefined(v):
		b.WriteString("undefined")
		return
	case goja.IsNull(v):
		b.WriteString("null")
		return
	}
	o, ok := v.(*goja.Object)
	if !ok {
		if sym, ok := v.(*goja.Symbol); ok {
			b.WriteString("Symbol(" + sym.String() + ")")
			return
		}
		switch x := v.Export().(type) {
		case string:
			b.WriteString(jsQuote(x))
		case float64:
			if x == 0 && math.Signbit(x) {
				b.WriteString("-0")
			} else {
				b.WriteString(v.String())
			}
		case *big.Int:
			b.WriteString(x.String())
			b.WriteByte('n')
		default:
			b.WriteString(v.String())
		}
		return
	}
	for _, s := range c.seen {
		if s == o {
			b.WriteString("[Circular]")
			return
		}
	}
	c.seen = append(c.seen, o)
	defer func() { c.seen = c.seen[:len(c.seen)-1] }()

	if _, isFn := goja.AssertFunction(o); isFn {
		name := safeGet(c.vm, o, "name")
		if src := safeString(c.vm, o); strings.HasPrefix(src, "class") {
			b.WriteString("[class " + orAnonymous(name) + "]")
		} else {
			b.WriteString("[Function: " + orAnonymous(name) + "]")
		}
		return
	}
	switch cls := o.ClassName(); cls {
	case "Error":
		msg := safeString(c.vm, o)
		if s := safeGet(c.vm, o, "stack"); s != "" {
			b.WriteString(msg)
			if st := cleanStack(s, msg); st != "" {
				b.WriteByte('\n')
				b.WriteString(st)
			}
		} else {
			b.WriteString(msg)
		}
		return
	case "Date", "RegExp":
		if cls == "Date" {
			if f, ok := goja.AssertFunction(o.Get("toISOString")); ok {
				if s, err := f(o); err == nil {
					b.WriteString(s.String())
					return
				}
			}
			b.WriteString("Invalid Date")
			return
		}
		b.WriteString(safeString(c.vm, o))
		return
	case "String", "Number", "Boolean", "BigInt", "Symbol":
		b.WriteString("[" + cls + ": ")
		if f, ok := goja.AssertFunction(o.Get("valueOf")); ok {
			if pv, err := f(o); err == nil {
				c.write(b, pv, depth+1)
			}
		}
		b.WriteString("]")
		return
	}
	if x, ok := promiseOf(o); ok {
		b.WriteString("Promise { ")
		switch x.State() {
		case goja.PromiseStatePending:
			b.WriteString("<pending>")
		case goja.PromiseStateRejected:
			b.WriteString("<rejected> ")
			c.write(b, x.Result(), depth+1)
		default:
			c.write(b, x.Result(), depth+1)
		}
		b.WriteString(" }")
		return
	}
	if depth > maxDepth {
		if isArray(o) {
			b.WriteString("[Array]")
		} else {
			b.WriteString("[Object]")
		}
		return
	}
	if isArray(o) {
		c.writeList(b, "", o, depth)
		return
	}
	switch cls := c.ctorName(o); cls {
	case "Map", "Set":
		c.writeCollection(b, cls, o, depth)
		return
	case "Uint8Array", "Int8Array", "Uint8ClampedArray", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array":
		c.writeList(b, cls, o, depth)
		return
	case "ArrayBuffer":
		b.WriteString("ArrayBuffer { byteLength: " + safeGet(c.vm, o, "byteLength") + " }")
		return
	}
	c.writeObject(b, o, depth)
}

var promiseType = reflect.TypeOf((*goja.Promise)(nil))

// promiseOf returns the promise o is, without exporting other objects (which would
// run their getters).
func promiseOf(o *goja.Object) (*goja.Promise, bool) {
	if o.ExportType() != promiseType {
		return nil, false
	}
	p, ok := o.Export().(*goja.Promise)
	return p, ok
}

func orAnonymous(name string) string {
	if name == "" {
		return "(anonymous)"
	}
	return name
}

func isArray(o *goja.Object) bool { return o.ClassName() == "Array" }

func (c *inspector) ctorName(o *goja.Object) string {
	var name string
	_ = c.vm.Try(func() {
		ctor, ok := o.Get("constructor").(*goja.Object)
		if !ok {
			return
		}
		if n := ctor.Get("name"); n != nil {
			name = n.String()
		}
	})
	return name
}

func safeGet(vm *goja.Runtime, o *goja.Object, key string) (s string) {
	_ = vm.Try(func() {
		v := o.Get(key)
		if v != nil && !goja.IsUndefined(v) {
			s = v.String()
		}
	})
	return s
}

const maxItems = 100

func (c *inspector) writeList(b *strings.Builder, prefix string, o *goja.Object, depth int) {
	n := int(o.Get("length").ToInteger())
	if prefix != "" {
		b.WriteString(prefix + "(" + strconv.Itoa(n) + ") ")
	}
	if n == 0 {
		b.WriteString("[]")
		return
	}
	b.WriteString("[ ")
	for i := 0; i < n && i < maxItems; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		var el goja.Value
		_ = c.vm.Try(func() { el = o.Get(strconv.Itoa(i)) })
		c.write(b, el, depth+1)
	}
	if n > maxItems {
		b.WriteString(", ... " + strconv.Itoa(n-maxItems) + " more items")
	}
	b.WriteString(" ]")
}

func (c *inspector) writeCollection(b *strings.Builder, cls string, o *goja.Object, depth int) {
	var entries [][2]goja.Value
	_ = c.vm.Try(func() {
		forEach, ok := goja.AssertFunction(o.Get("forEach"))
		if !ok {
			return
		}
		_, _ = forEach(o, c.vm.ToValue(func(call goja.FunctionCall) goja.Value {
			entries = append(entries, [2]goja.Value{call.Argument(1), call.Argument(0)})
			return goja.Undefined()
		}))
	})
	b.WriteString(cls + "(" + strconv.Itoa(len(entries)) + ") ")
	if len(entries) == 0 {
		b.WriteString("{}")
		return
	}
	b.WriteString("{ ")
	for i, e := range entries {
		if i > 0 {
			b.WriteString(", ")
		}
		if cls == "Map" {
			c.write(b, e[0], depth+1)
			b.WriteString(" => ")
			c.write(b, e[1], depth+1)
		} else {
			c.write(b, e[1], depth+1)
		}
	}
	b.WriteString(" }")
}

func (c *inspector) writeObject(b *strings.Builder, o *goja.Object, depth int) {
	keys := o.Keys()
	name := c.ctorName(o)
	if name != "" && name != "Object" {
		b.WriteString(name + " ")
	} else if o.Prototype() == nil {
		b.WriteString("[Object: null prototype] ")
	}
	if len(keys) == 0 {
		b.WriteString("{}")
		return
	}
	b.WriteString("{ ")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		if i == maxItems {
			b.WriteString("... " + strconv.Itoa(len(keys)-maxItems) + " more items")
			break
		}
		if isIdentifier(k) {
			b.WriteString(k)
		} else {
			b.WriteString(jsQuote(k))
		}
		b.WriteString(": ")
		var v goja.Value
		if exc := c.vm.Try(func() { v = o.Get(k) }); exc != nil {
			b.WriteString("[Thrown]")
			continue
		}
		c.write(b, v, depth+1)
	}
	b.WriteString(" }")
}

func isIdentifier(k string) bool {
	if k == "" {
		return false
	}
	for i, r := range k {
		if r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f || i > 0 && r >= '0' && r <= '9' {
			continue
		}
		return false
	}
	return true
}

// jsQuote writes s as a JavaScript string literal in single quotes, or in double
// quotes if s has single quotes but no double quotes, as Node.js and Deno show strings.
func jsQuote(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatInt(int64(r)+0x100, 16)[1:])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}
