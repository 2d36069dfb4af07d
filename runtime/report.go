package runtime

import (
	"reflect"
	"regexp"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/console"
	"github.com/wsjs/wsjs/bindings/worker"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// An Error is an exception that script did not catch, or a promise rejection nothing
// handled, that stopped a run. It has already been reported to Options.Stderr.
type Error struct {
	// InPromise reports an unhandled promise rejection rather than an exception.
	InPromise bool
	// Message is the thrown value as a string, such as "TypeError: x is not a function".
	Message string
	// Stack is the JavaScript stack trace, positions mapped to the original sources,
	// one "    at ..." line per frame; empty if the value was not an Error object.
	Stack string
}

// Error returns the report's first line, such as "Uncaught TypeError: boom".
func (e *Error) Error() string {
	if e.InPromise {
		return "Uncaught (in promise) " + e.Message
	}
	return "Uncaught " + e.Message
}

// Report returns the whole report as printed: Error() and the stack trace.
func (e *Error) Report() string {
	if e.Stack == "" {
		return e.Error()
	}
	return e.Error() + "\n" + e.Stack
}

// reportException implements HTML "report an exception" (webappapis.html, "runtime
// script errors") for an exception nothing caught.
func (r *Runtime) reportException(exc *goja.Exception) {
	// Fire an "error" event (ErrorEvent) at the global object; if it was canceled the
	// exception is handled, else it is reported to the developer console.
	if r.fireError != nil && !r.fireError(exc) {
		return
	}
	e := r.describe(exc.Value(), exc)
	if r.child != nil && r.child.OnError != nil {
		// In a worker, the worker is told next
		// (https://html.spec.whatwg.org/multipage/workers.html#runtime-script-errors-2).
		r.child.OnError(exc, worker.ErrorReport{Message: e.Message, Stack: e.Stack})
		return
	}
	r.uncaught(e)
}

// reportRejection implements the reporting part of HTML "notify about rejected
// promises" for one promise still unhandled after a microtask checkpoint.
func (r *Runtime) reportRejection(p *goja.Promise) {
	// Fire an "unhandledrejection" event (PromiseRejectionEvent) at the global object;
	// if it was canceled the rejection is handled, else it is reported.
	if r.fireRejection != nil && !r.fireRejection(p) {
		return
	}
	e := r.describe(p.Result(), nil)
	e.InPromise = true
	r.uncaught(e)
}

// uncaught prints e, passes it to Options.OnError and, unless errors are to
// be survived, stops the loop with it.
func (r *Runtime) uncaught(e *Error) {
	b := append(r.buf[:0], e.Report()...)
	b = append(b, '\n')
	_, _ = r.stderr.Write(b)
	r.buf = b[:0]
	r.mu.Lock()
	goOn := r.opts.ContinueOnError || r.srv.started
	if !goOn && r.firstErr == nil {
		r.firstErr = e
	}
	r.mu.Unlock()
	if r.opts.OnError != nil {
		r.opts.OnError(e)
	}
	if !goOn {
		r.loop.Stop()
	}
}

// describe builds the report for a thrown value: the stack of an Error object, else
// the value rendered as developer consoles show it.
// Script code that throws or is interrupted meanwhile (a stack getter, a Proxy
// trap, toString) leaves out what it was to give.
func (r *Runtime) describe(v goja.Value, exc *goja.Exception) *Error {
	e := &Error{}
	if o, ok := v.(*goja.Object); ok && isError(o) {
		msg := safeString(r.vm, o)
		e.Message = msg
		eventloop.TryScript(r.vm, func() {
			if s := o.Get("stack"); s != nil && !goja.IsUndefined(s) {
				e.Stack = cleanStack(s.String(), msg)
			}
		})
		return e
	}
	if !eventloop.TryScript(r.vm, func() { e.Message = console.Inspect(r.realm, v) }) {
		e.Message = eventloop.PlainString(v)
	}
	if exc != nil {
		var sb strings.Builder
		frames := exc.Stack()
		for i, f := range frames {
			if file := f.Position().Filename; strings.HasSuffix(file, loader.BundleSuffix) || file == eventloop.FrameFile {
				continue
			}
			if i+1 < len(frames) && frames[i+1].Position().Filename == eventloop.FrameFile {
				continue // the native function the frame calls
			}
			if sb.Len() > 0 {
				sb.WriteByte('\n')
			}
			sb.WriteString("    at ")
			writeFrame(&sb, &f)
		}
		e.Stack = sb.String()
	}
	return e
}

func writeFrame(sb *strings.Builder, f *goja.StackFrame) {
	name := f.FuncName()
	if name == "<anonymous>" {
		name = ""
	}
	p := f.Position()
	if p.Filename == "" && p.Line == 0 {
		if name == "" {
			name = "native"
		}
		sb.WriteString(name)
		return
	}
	if name != "" {
		sb.WriteString(name)
		sb.WriteString(" (")
	}
	sb.WriteString(p.String())
	if name != "" {
		sb.WriteByte(')')
	}
}

// isError reports whether o is an Error object (has an [[ErrorData]] slot). A Proxy
// has none, and a revoked one no class to ask.
func isError(o *goja.Object) bool { return o.ExportType() != proxyType && o.ClassName() == "Error" }

var proxyType = reflect.TypeOf(goja.Proxy{})

// safeString converts v to a string, or describes it if that throws.
func safeString(vm *goja.Runtime, v goja.Value) (s string) {
	if !eventloop.TryScript(vm, func() { s = v.String() }) {
		return "<error converting to string>"
	}
	return s
}

// frameFile is how eventloop.Loop.Framed's frames show in a stack.
const frameFile = "at " + eventloop.FrameFile + ":"

// pcSuffix matches the program counter goja appends to positions in stacks;
// compiled when a stack is first reported, not when the process starts.
var pcSuffix = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`:(\d+):(\d+)\(\d+\)`) })

// cleanStack reformats a goja stack property: drops program counters, indents frames
// with four spaces and removes the first line when it repeats the message.
func cleanStack(stack, msg string) string {
	stack = strings.TrimRight(pcSuffix().ReplaceAllString(stack, ":$1:$2"), "\n")
	lines := strings.Split(stack, "\n")
	var out []string
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		if strings.HasPrefix(t, "at ") {
			if i+1 < len(lines) && strings.Contains(lines[i+1], frameFile) {
				continue // the native function the frame calls
			}
			if !strings.Contains(t, loader.BundleSuffix+":") && !strings.Contains(t, frameFile) {
				out = append(out, "    "+t)
			}
		} else if i > 0 || t != msg {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
