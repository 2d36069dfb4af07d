package linker

import (
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// A Host is what a Linker needs of the runtime it works for.
type Host interface {
	// HostModule returns the module object of the host module name
	// (what "host:name" imports), or an error that the import throws.
	HostModule(name string) (goja.Value, error)
	// Load calls load off the event loop, unless it is nil, then done as a
	// task of the event loop, which stays alive in between.
	Load(load func(), done func())
}

// A Linker is a runtime's module map and what links and evaluates its
// modules. Its methods are called on the goroutine of the runtime's event
// loop.
type Linker struct {
	vm      *goja.Runtime
	host    Host
	records map[string]*record   // by module key
	scripts map[string]*scriptOf // the classic scripts that call import(), by program name
	// asyncCount is the agent's [[AsyncEvaluationCount]].
	asyncCount int
	in         intrinsics
	hostFn     goja.Value // what CommonJS modules call to require host modules
}

// scriptOf is a classic script as a referrer of import().
type scriptOf struct {
	g *loader.Graph
}

// intrinsics are the built-ins the linker uses, as they were before any
// script could change them.
type intrinsics struct {
	then, next, throw, preventExtensions, jsonParse  goja.Callable
	syntaxError, referenceError, promise, uint8Array goja.Value
}

// New returns the module map of vm; call it before vm runs any script.
func New(vm *goja.Runtime, host Host) (*Linker, error) {
	l := &Linker{vm: vm, host: host, records: map[string]*record{}, scripts: map[string]*scriptOf{}}
	v, err := vm.RunProgram(intrinsicsProgram())
	if err != nil {
		return nil, fmt.Errorf("linker: %w", err)
	}
	o := v.ToObject(vm)
	fn := func(name string) goja.Callable {
		f, _ := goja.AssertFunction(o.Get(name))
		return f
	}
	l.in = intrinsics{
		then: fn("then"), next: fn("next"), throw: fn("throw"), preventExtensions: fn("preventExtensions"), jsonParse: fn("parse"),
		syntaxError: o.Get("SyntaxError"), referenceError: o.Get("ReferenceError"), promise: o.Get("Promise"), uint8Array: o.Get("Uint8Array"),
	}
	if l.in.then == nil || l.in.next == nil || l.in.throw == nil || l.in.preventExtensions == nil || l.in.jsonParse == nil {
		return nil, fmt.Errorf("linker: missing intrinsics")
	}
	l.hostFn = vm.ToValue(func(c goja.FunctionCall) goja.Value {
		v, err := host.HostModule(c.Argument(0).String())
		if err != nil {
			panic(vm.NewTypeError(err.Error()))
		}
		return v
	})
	return l, nil
}

var intrinsicsProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("linker-intrinsics.js", `({
		then: Promise.prototype.then,
		next: Object.getPrototypeOf(function* () {}).prototype.next,
		throw: Object.getPrototypeOf(function* () {}).prototype.throw,
		preventExtensions: Object.preventExtensions,
		parse: JSON.parse,
		SyntaxError, ReferenceError, Promise, Uint8Array,
	})`, true)
})

// Run links and evaluates the entry module of g, a new instance of it,
// and returns its namespace object. If evaluation completes at once, done
// is true and err is what it threw, if anything; else promise settles when
// it completes (top-level await), as Evaluate's promise does.
func (l *Linker) Run(g *loader.Graph) (ns *goja.Object, promise *goja.Promise, err error) {
	delete(l.records, g.Entry.Key)
	r := l.record(g.Entry)
	if err := l.link(r); err != nil {
		return nil, nil, err
	}
	p := l.evaluate(r)
	switch p.State() {
	case goja.PromiseStateRejected:
		l.handled(p)
		return nil, nil, l.exception(p.Result())
	case goja.PromiseStateFulfilled:
		return l.namespace(r), nil, nil
	}
	return l.namespace(r), p, nil
}

// Script makes import() work in the classic script whose program is
// named name: g holds the modules it imports.
func (l *Linker) Script(name string, g *loader.Graph) {
	l.scripts[name] = &scriptOf{g: g}
	l.installImport()
}

// record returns the record of m in the module map, made if need be with
// the records of the modules m imports.
func (l *Linker) record(m *loader.Module) *record {
	if r, ok := l.records[m.Key]; ok {
		return r
	}
	r := &record{m: m}
	l.records[m.Key] = r
	for _, d := range m.Deps {
		r.deps = append(r.deps, l.record(d))
	}
	return r
}

// exception returns v, a thrown value, as an exception.
func (l *Linker) exception(v goja.Value) *goja.Exception {
	return l.vm.Try(func() { panic(v) })
}

// handled marks the rejected promise p as handled, for it is reported
// otherwise.
func (l *Linker) handled(p *goja.Promise) {
	_, _ = l.in.then(l.vm.ToValue(p), goja.Undefined(), l.vm.ToValue(func(goja.FunctionCall) goja.Value { return goja.Undefined() }))
}

// newError returns a new error made by the constructor ctor.
func (l *Linker) newError(ctor goja.Value, msg string) *goja.Object {
	o, err := l.vm.New(ctor, l.vm.ToValue(msg))
	if err != nil {
		return l.vm.NewTypeError(msg)
	}
	return o
}
