package runtime

import (
	"io"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// console implements the console namespace of the WHATWG Console Standard: Logger,
// Formatter and Printer (§2.2), counting (§1.2), grouping (§1.3) and timing (§1.4).
// Its methods run on the loop goroutine only.
type console struct {
	vm     *goja.Runtime
	stdout io.Writer
	stderr io.Writer
	buf    []byte // reused for every line written
	indent int    // group indentation, in levels
	counts map[string]int
	timers map[string]time.Time
	seen   []*goja.Object // objects being inspected, to detect cycles
}

func installConsole(vm *goja.Runtime, stdout, stderr io.Writer) *console {
	c := &console{vm: vm, stdout: stdout, stderr: stderr, counts: map[string]int{}, timers: map[string]time.Time{}}
	ns := vm.NewObject()
	def := func(name string, fn func(goja.FunctionCall) goja.Value) {
		f := vm.ToValue(fn).(*goja.Object)
		_ = f.DefineDataProperty("name", vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		_ = ns.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	logger := func(name string, w io.Writer) {
		def(name, func(call goja.FunctionCall) goja.Value {
			c.logger(w, call.Arguments)
			return goja.Undefined()
		})
	}
	logger("log", stdout)
	logger("info", stdout)
	logger("debug", stdout)
	logger("warn", stderr)
	logger("error", stderr)
	def("dir", func(call goja.FunctionCall) goja.Value {
		c.line(stdout, c.inspect(call.Argument(0), false))
		return goja.Undefined()
	})
	def("dirxml", func(call goja.FunctionCall) goja.Value {
		c.logger(stdout, call.Arguments)
		return goja.Undefined()
	})
	def("table", func(call goja.FunctionCall) goja.Value {
		c.logger(stdout, call.Arguments)
		return goja.Undefined()
	})
	def("assert", func(call goja.FunctionCall) goja.Value {
		// §1.1.1 assert(condition, ...data)
		if call.Argument(0).ToBoolean() {
			return goja.Undefined()
		}
		data := append([]goja.Value(nil), call.Arguments[min(1, len(call.Arguments)):]...)
		const message = "Assertion failed"
		if len(data) == 0 {
			data = append(data, vm.ToValue(message))
		} else if s, ok := data[0].Export().(string); ok && isString(data[0]) {
			data[0] = vm.ToValue(message + ": " + s)
		} else {
			data = append([]goja.Value{vm.ToValue(message)}, data...)
		}
		c.logger(stderr, data)
		return goja.Undefined()
	})
	def("trace", func(call goja.FunctionCall) goja.Value {
		// §1.1.9 trace(...data): the formatted data, then the stack.
		label := "Trace"
		if len(call.Arguments) > 0 {
			label = "Trace: " + c.format(call.Arguments)
		}
		var sb strings.Builder
		sb.WriteString(label)
		for i, f := range vm.CaptureCallStack(0, nil) {
			if i == 0 && f.SrcName() == "<native>" {
				continue // trace itself
			}
			sb.WriteString("\n    at ")
			writeFrame(&sb, &f)
		}
		c.line(stderr, sb.String())
		return goja.Undefined()
	})
	def("count", func(call goja.FunctionCall) goja.Value {
		label := c.label(call)
		c.counts[label]++
		c.line(stdout, label+": "+strconv.Itoa(c.counts[label]))
		return goja.Undefined()
	})
	def("countReset", func(call goja.FunctionCall) goja.Value {
		label := c.label(call)
		if _, ok := c.counts[label]; !ok {
			c.line(stderr, "Count for '"+label+"' does not exist")
		} else {
			c.counts[label] = 0
		}
		return goja.Undefined()
	})
	group := func(call goja.FunctionCall) goja.Value {
		if len(call.Arguments) > 0 {
			c.logger(stdout, call.Arguments)
		}
		c.indent++
		return goja.Undefined()
	}
	def("group", group)
	def("groupCollapsed", group)
	def("groupEnd", func(goja.FunctionCall) goja.Value {
		if c.indent > 0 {
			c.indent--
		}
		return goja.Undefined()
	})
	def("time", func(call goja.FunctionCall) goja.Value {
		label := c.label(call)
		if _, ok := c.timers[label]; ok {
			c.line(stderr, "Timer '"+label+"' already exists")
		} else {
			c.timers[label] = time.Now()
		}
		return goja.Undefined()
	})
	timeLog := func(end bool) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			label := c.label(call)
			start, ok := c.timers[label]
			if !ok {
				c.line(stderr, "Timer '"+label+"' does not exist")
				return goja.Undefined()
			}
			msg := label + ": " + strconv.FormatFloat(float64(time.Since(start).Microseconds())/1000, 'f', 3, 64) + "ms"
			if end {
				delete(c.timers, label)
			} else if len(call.Arguments) > 1 {
				msg += " " + c.format(call.Arguments[1:])
			}
			c.line(stdout, msg)
			return goja.Undefined()
		}
	}
	def("timeLog", timeLog(false))
	def("timeEnd", timeLog(true))
	def("clear", func(goja.FunctionCall) goja.Value {
		c.indent = 0
		return goja.Undefined()
	})
	_ = vm.GlobalObject().DefineDataProperty("console", ns, goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	return c
}

func (c *console) label(call goja.FunctionCall) string {
	v := call.Argument(0)
	if goja.IsUndefined(v) {
		return "default"
	}
	return v.String()
}

// logger implements Logger(logLevel, args) (§2.1).
func (c *console) logger(w io.Writer, args []goja.Value) {
	if len(args) == 0 {
		return
	}
	c.line(w, c.format(args))
}

// format applies Formatter (§2.2) when the first argument is a string with format
// specifiers, then joins what is left as Printer does.
func (c *console) format(args []goja.Value) string {
	var b strings.Builder
	rest := args
	if isString(args[0]) && len(args) > 1 {
		f := args[0].String()
		rest = args[1:]
		for {
			i := strings.IndexByte(f, '%')
			if i < 0 || i+1 >= len(f) {
				b.WriteString(f)
				break
			}
			b.WriteString(f[:i])
			spec := f[i+1]
			f = f[i+2:]
			if spec == '%' {
				b.WriteByte('%')
				continue
			}
			if len(rest) == 0 || !strings.ContainsRune("sdifoOc", rune(spec)) {
				b.WriteByte('%')
				b.WriteByte(spec)
				continue
			}
			cur := rest[0]
			rest = rest[1:]
			switch spec {
			case 's':
				if isString(cur) {
					b.WriteString(cur.String())
				} else {
					b.WriteString(c.inspect(cur, false))
				}
			case 'd', 'i':
				b.WriteString(c.number(cur, "parseInt"))
			case 'f':
				b.WriteString(c.number(cur, "parseFloat"))
			case 'o', 'O':
				b.WriteString(c.inspect(cur, false))
			case 'c':
				// CSS styling has no meaning on a terminal.
			}
		}
		if len(rest) > 0 {
			b.WriteByte(' ')
		}
	}
	for i, a := range rest {
		if i > 0 {
			b.WriteByte(' ')
		}
		if isString(a) {
			b.WriteString(a.String())
		} else {
			b.WriteString(c.inspect(a, false))
		}
	}
	return b.String()
}

// number converts for %d, %i and %f: Symbol gives NaN, else %parseInt%(v, 10) or
// %parseFloat%(v).
func (c *console) number(v goja.Value, fn string) string {
	if _, ok := v.(*goja.Symbol); ok {
		return "NaN"
	}
	if _, isObj := v.(*goja.Object); !isObj {
		if _, ok := v.Export().(*big.Int); ok {
			return v.String()
		}
	}
	f, _ := goja.AssertFunction(c.vm.Get(fn))
	var args []goja.Value
	if fn == "parseInt" {
		args = []goja.Value{v, c.vm.ToValue(10)}
	} else {
		args = []goja.Value{v}
	}
	var out goja.Value
	if exc := c.vm.Try(func() {
		var err error
		out, err = f(goja.Undefined(), args...)
		if err != nil {
			panic(err)
		}
	}); exc != nil {
		return "NaN"
	}
	return c.inspect(out, false)
}

// line writes s, indented for the current group, and a newline, in one Write.
func (c *console) line(w io.Writer, s string) {
	b := c.buf[:0]
	pad := strings.Repeat("  ", c.indent)
	if c.indent > 0 {
		b = append(b, pad...)
		s = strings.ReplaceAll(s, "\n", "\n"+pad)
	}
	b = append(b, s...)
	b = append(b, '\n')
	_, _ = w.Write(b)
	c.buf = b[:0]
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
func (c *console) inspect(v goja.Value, top bool) string {
	var b strings.Builder
	c.seen = c.seen[:0]
	if top && isString(v) {
		return v.String()
	}
	c.write(&b, v, 0)
	return b.String()
}

func (c *console) write(b *strings.Builder, v goja.Value, depth int) {
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
			b.WriteString(strconv.Quote(x))
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

func (c *console) ctorName(o *goja.Object) string {
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

func (c *console) writeList(b *strings.Builder, prefix string, o *goja.Object, depth int) {
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

func (c *console) writeCollection(b *strings.Builder, cls string, o *goja.Object, depth int) {
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

func (c *console) writeObject(b *strings.Builder, o *goja.Object, depth int) {
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
			b.WriteString(strconv.Quote(k))
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
