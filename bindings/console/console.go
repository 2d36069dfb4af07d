package console

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// Binding installs the console namespace object.
var Binding = &bindings.Binding{Name: "console", Register: Register}

// Register installs the console namespace object
// (https://console.spec.whatwg.org/#console-namespace) as the global property
// "console" of env.Realm. Each call of a console method writes its whole
// output with a single Write, ending in a newline: log, info, debug, dir,
// dirxml, table, count, group labels and timer output to env.Out(); warn,
// error, trace, failed assertions and the console's own warnings (such as an
// unknown timer label) to env.Err().
//
// Register must be called on the goroutine that runs the realm's runtime,
// before scripts replace any built-ins: the console formats values with the
// built-ins it finds at registration.
func Register(env *bindings.Env) error {
	vm := env.Realm.VM()
	in, err := captureIntrinsics(vm)
	if err != nil {
		return err
	}
	env.Realm.SetData(intrinsicsKey{}, in)
	c := &console{
		vm:     vm,
		in:     in,
		stdout: env.Out(),
		stderr: env.Err(),
		counts: make(map[string]int),
		timers: make(map[string]time.Time),
	}
	return c.install()
}

// console holds the state of the namespace object: the count map is
// https://console.spec.whatwg.org/#count-map and the timer table https://console.spec.whatwg.org/#timer-table.
type console struct {
	vm             *goja.Runtime
	in             *intrinsics
	stdout, stderr io.Writer
	groupDepth     int                  // length of the group stack
	counts         map[string]int       // the count map
	timers         map[string]time.Time // the timer table
}

// install defines the namespace object as Web IDL describes it
// (https://webidl.spec.whatwg.org/#namespace-object), with the Console
// Standard's twist: its [[Prototype]] is an empty object whose [[Prototype]]
// is %Object.prototype%.
func (c *console) install() error {
	vm := c.vm
	ns := vm.CreateObject(vm.NewObject())
	ops := []struct {
		name   string
		length int
		fn     func(goja.FunctionCall) goja.Value
	}{
		{"assert", 0, c.assert},
		{"clear", 0, c.clear},
		{"debug", 0, c.logTo(c.stdout)},
		{"error", 0, c.logTo(c.stderr)},
		{"info", 0, c.logTo(c.stdout)},
		{"log", 0, c.logTo(c.stdout)},
		{"table", 0, c.table},
		{"trace", 0, c.trace},
		{"warn", 0, c.logTo(c.stderr)},
		{"dir", 0, c.dir},
		{"dirxml", 0, c.logTo(c.stdout)},
		{"count", 0, c.count},
		{"countReset", 0, c.countReset},
		{"group", 0, c.group},
		{"groupCollapsed", 0, c.group},
		{"groupEnd", 0, c.groupEnd},
		{"time", 0, c.time},
		{"timeLog", 0, c.timeLog},
		{"timeEnd", 0, c.timeEnd},
	}
	for _, op := range ops {
		f := webidl.NewFunction(vm, op.name, op.length, op.fn)
		if err := ns.DefineDataProperty(op.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return err
		}
	}
	if err := ns.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue("console"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	return vm.GlobalObject().DefineDataProperty("console", ns, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// logTo returns the steps of debug, error, info, log, warn and dirxml:
// Logger(logLevel, data) (https://console.spec.whatwg.org/#logging).
func (c *console) logTo(w io.Writer) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		c.logger(w, call.Arguments)
		return goja.Undefined()
	}
}

// assert (https://console.spec.whatwg.org/#assert).
func (c *console) assert(call goja.FunctionCall) goja.Value {
	// 1. If condition is true, return.
	if call.Argument(0).ToBoolean() {
		return goja.Undefined()
	}
	// 2. Let message be a string without any formatting specifiers
	// indicating generically an assertion failure.
	const message = "Assertion failed"
	var data []goja.Value
	if len(call.Arguments) > 1 {
		data = append(data, call.Arguments[1:]...)
	}
	switch {
	case len(data) == 0:
		// 3. If data is empty, append message to data.
		data = append(data, c.vm.ToValue(message))
	case !goja.IsString(data[0]):
		// 4.2. If first is not a String, prepend message to data.
		data = append([]goja.Value{c.vm.ToValue(message)}, data...)
	default:
		// 4.3. Let concat be message, U+003A (:), U+0020 SPACE, and first.
		data[0] = c.vm.ToValue(message + ": ").(goja.String).Concat(data[0].(goja.String))
	}
	// 5. Perform Logger("assert", data).
	c.logger(c.stderr, data)
	return goja.Undefined()
}

// clear (https://console.spec.whatwg.org/#clear): empty the group stack.
// Output already written to a writer cannot be taken back.
func (c *console) clear(goja.FunctionCall) goja.Value {
	c.groupDepth = 0
	return goja.Undefined()
}

// trace (https://console.spec.whatwg.org/#trace): print "Trace", the
// formatted data as a label, and the call stack.
func (c *console) trace(call goja.FunctionCall) goja.Value {
	b := getBuffer()
	defer putBuffer(b)
	b.WriteString("Trace")
	if len(call.Arguments) > 0 {
		b.WriteString(": ")
		c.formatData(b, call.Arguments)
	}
	frames := c.vm.CaptureCallStack(0, nil)
	if len(frames) > 0 && frames[0].SrcName() == "<native>" {
		frames = frames[1:] // console.trace itself
	}
	for _, f := range frames {
		b.WriteString("\n    at ")
		name := f.FuncName()
		pos := f.Position()
		loc := pos.Filename // the original file when a source map applies
		if loc == "" {
			loc = f.SrcName()
		}
		if pos.Line > 0 {
			loc = fmt.Sprintf("%s:%d:%d", loc, pos.Line, pos.Column)
		}
		if name == "" || name == "<anonymous>" {
			b.WriteString(loc)
		} else {
			b.WriteString(name + " (" + loc + ")")
		}
	}
	c.print(c.stderr, b.Bytes())
	return goja.Undefined()
}

// dir (https://console.spec.whatwg.org/#dir): item with generic JavaScript
// object formatting. The options object's depth property sets the nesting
// depth shown, null for all of it.
func (c *console) dir(call goja.FunctionCall) goja.Value {
	opts := defaultInspect
	// optional object? options
	switch o := call.Argument(1).(type) {
	case *goja.Object:
		switch d := o.Get("depth"); {
		case d == nil || goja.IsUndefined(d):
		case goja.IsNull(d):
			opts.depth = unlimited
		default:
			if f := d.ToFloat(); !math.IsNaN(f) {
				opts.depth = int(max(min(f, unlimited), -1))
			}
		}
	default:
		if v := call.Argument(1); !goja.IsUndefined(v) && !goja.IsNull(v) {
			panic(c.vm.NewTypeError("Failed to execute 'dir' on 'console': parameter 2 is not of type 'object'."))
		}
	}
	b := getBuffer()
	defer putBuffer(b)
	b.WriteString(c.in.inspect(call.Argument(0), opts))
	c.print(c.stdout, b.Bytes())
	return goja.Undefined()
}

// label converts the optional DOMString label argument of count,
// countReset, time, timeLog and timeEnd (default "default").
func (c *console) label(call goja.FunctionCall, method string) string {
	v := call.Argument(0)
	if goja.IsUndefined(v) {
		return "default"
	}
	if _, ok := v.(*goja.Symbol); ok {
		panic(c.vm.NewTypeError("Failed to execute '" + method + "' on 'console': Cannot convert a Symbol value to a string"))
	}
	return v.String()
}

// count (https://console.spec.whatwg.org/#count).
func (c *console) count(call goja.FunctionCall) goja.Value {
	label := c.label(call, "count")
	// 2-3. Increment map[label], or set it to 1.
	c.counts[label]++
	// 4-5. Logger("count", « label: count »).
	c.logger(c.stdout, []goja.Value{c.vm.ToValue(fmt.Sprintf("%s: %d", label, c.counts[label]))})
	return goja.Undefined()
}

// countReset (https://console.spec.whatwg.org/#countreset).
func (c *console) countReset(call goja.FunctionCall) goja.Value {
	label := c.label(call, "countReset")
	if _, ok := c.counts[label]; ok {
		c.counts[label] = 0
	} else {
		c.warn(fmt.Sprintf("Count for '%s' does not exist", label))
	}
	return goja.Undefined()
}

// group and groupCollapsed (https://console.spec.whatwg.org/#group,
// https://console.spec.whatwg.org/#groupcollapsed): print the label, then
// indent what follows.
func (c *console) group(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) > 0 {
		c.logger(c.stdout, call.Arguments)
	}
	c.groupDepth++
	return goja.Undefined()
}

// groupEnd (https://console.spec.whatwg.org/#groupend).
func (c *console) groupEnd(goja.FunctionCall) goja.Value {
	if c.groupDepth > 0 {
		c.groupDepth--
	}
	return goja.Undefined()
}

// time (https://console.spec.whatwg.org/#time).
func (c *console) time(call goja.FunctionCall) goja.Value {
	label := c.label(call, "time")
	if _, ok := c.timers[label]; ok {
		c.warn(fmt.Sprintf("Label '%s' already exists for console.time()", label))
		return goja.Undefined()
	}
	c.timers[label] = time.Now()
	return goja.Undefined()
}

// timeLog (https://console.spec.whatwg.org/#timelog).
func (c *console) timeLog(call goja.FunctionCall) goja.Value {
	label := c.label(call, "timeLog")
	start, ok := c.timers[label]
	if !ok {
		c.warn(fmt.Sprintf("No such label '%s' for console.timeLog()", label))
		return goja.Undefined()
	}
	concat := label + ": " + formatDuration(time.Since(start))
	data := []goja.Value{c.vm.ToValue(concat)}
	if len(call.Arguments) > 1 {
		data = append(data, call.Arguments[1:]...)
	}
	b := getBuffer()
	defer putBuffer(b)
	c.printArgs(b, data)
	c.print(c.stdout, b.Bytes())
	return goja.Undefined()
}

// timeEnd (https://console.spec.whatwg.org/#timeend).
func (c *console) timeEnd(call goja.FunctionCall) goja.Value {
	label := c.label(call, "timeEnd")
	start, ok := c.timers[label]
	if !ok {
		c.warn(fmt.Sprintf("No such label '%s' for console.timeEnd()", label))
		return goja.Undefined()
	}
	delete(c.timers, label)
	b := getBuffer()
	defer putBuffer(b)
	b.WriteString(label + ": " + formatDuration(time.Since(start)))
	c.print(c.stdout, b.Bytes())
	return goja.Undefined()
}

// formatDuration writes d in milliseconds below a second, then in
// seconds, then as minutes:seconds.
func formatDuration(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 1000:
		return fmt.Sprintf("%.3fms", ms)
	case ms < 60000:
		return fmt.Sprintf("%.3fs", ms/1000)
	default:
		m := int(ms / 60000)
		s := (ms - float64(m)*60000) / 1000
		return fmt.Sprintf("%d:%06.3f (m:ss.mmm)", m, s)
	}
}

// warn reports a warning of the console itself on the error stream.
func (c *console) warn(msg string) {
	b := getBuffer()
	defer putBuffer(b)
	b.WriteString("Warning: " + msg)
	c.print(c.stderr, b.Bytes())
}

// logger is Logger(logLevel, args) (https://console.spec.whatwg.org/#logger);
// w stands for the level.
func (c *console) logger(w io.Writer, args []goja.Value) {
	// 1. If args is empty, return.
	if len(args) == 0 {
		return
	}
	b := getBuffer()
	defer putBuffer(b)
	c.formatData(b, args)
	c.print(w, b.Bytes())
}

// formatData writes what Logger passes to Printer: args themselves if the
// first is not a string with format specifiers (or is alone), else the
// result of Formatter(args).
func (c *console) formatData(b *bytes.Buffer, args []goja.Value) {
	first, ok := args[0].(goja.String)
	if len(args) == 1 || !ok || !hasSpecifier(first.String()) {
		c.printArgs(b, args)
		return
	}
	target, rest := c.formatter(first.String(), args[1:])
	b.WriteString(target)
	if len(rest) > 0 {
		b.WriteByte(' ')
		c.printArgs(b, rest)
	}
}

// printArgs writes args separated by spaces: strings as they are, other
// values with generic JavaScript object formatting.
func (c *console) printArgs(b *bytes.Buffer, args []goja.Value) {
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		if goja.IsString(a) {
			b.WriteString(a.String())
		} else {
			b.WriteString(c.in.inspect(a, defaultInspect))
		}
	}
}

// print is the Printer (https://console.spec.whatwg.org/#printer): it indents
// every line by the group depth and writes the text with a newline in one
// Write.
func (c *console) print(w io.Writer, text []byte) {
	out := getBuffer()
	defer putBuffer(out)
	indent := c.groupDepth * 2
	for {
		for range indent {
			out.WriteByte(' ')
		}
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			out.Write(text)
			break
		}
		out.Write(text[:i+1])
		text = text[i+1:]
	}
	out.WriteByte('\n')
	_, _ = w.Write(out.Bytes()) // a console cannot report its own write errors
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 64<<10 {
		return // let unusually large buffers go
	}
	b.Reset()
	buffers.Put(b)
}

// hasSpecifier reports whether s contains a format specifier
// (https://console.spec.whatwg.org/#formatting-specifiers).
func hasSpecifier(s string) bool {
	for i := strings.IndexByte(s, '%'); i >= 0 && i+1 < len(s); {
		switch s[i+1] {
		case 's', 'd', 'i', 'f', 'o', 'O', 'c', '%':
			return true
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}
