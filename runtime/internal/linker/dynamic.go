package linker

import (
	"errors"
	"reflect"
	"slices"
	"strings"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// importName is the global function that stands for import() in classic
// scripts (the loader's name for it).
const importName = "__wsjs$import"

// importFunc returns the function that stands for import() in the module
// of r.
func (l *Linker) importFunc(r *record) goja.Value {
	return l.vm.ToValue(func(c goja.FunctionCall) goja.Value {
		return l.importCall(r.m, r.m.Graph(), c.Argument(0), c.Argument(1))
	})
}

// installImport defines the global function that stands for import() in
// classic scripts; the referrer is the script whose code calls it, found
// by the name of the program on the call stack.
func (l *Linker) installImport() {
	g := l.vm.GlobalObject()
	if v := g.Get(importName); v != nil {
		return
	}
	f := l.vm.ToValue(func(c goja.FunctionCall) goja.Value {
		var s *scriptOf
		for _, fr := range l.vm.CaptureCallStack(4, nil) {
			if s = l.scripts[fr.SrcName()]; s != nil {
				break
			}
		}
		if s == nil {
			p, _, reject := l.vm.NewPromise()
			_ = reject(l.vm.NewTypeError("import() is not available here"))
			return l.vm.ToValue(p)
		}
		return l.importCall(nil, s.g, c.Argument(0), c.Argument(1))
	})
	_ = g.DefineDataProperty(importName, f, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
}

// importCall is EvaluateImportCall
// (https://tc39.es/ecma262/#sec-evaluate-import-call) once the arguments
// are evaluated: the module from (nil for a classic script of g) imports
// specifier with options.
func (l *Linker) importCall(from *loader.Module, g *loader.Graph, specifier, options goja.Value) goja.Value {
	c := l.newCapability()
	promise := l.vm.ToValue(c.promise)
	var spec string
	if ex := l.vm.Try(func() { spec = specifier.String() }); ex != nil {
		_ = c.reject(ex.Value())
		return promise
	}
	attrs, ex := l.importAttributes(options)
	if ex != nil {
		_ = c.reject(ex.Value())
		return promise
	}
	req := loader.Request{Specifier: spec, Attributes: attrs}
	if m, err, ok := g.Loaded(from, req); ok {
		l.host.Load(nil, func() { l.continueImport(c, m, err) })
		return promise
	}
	var m *loader.Module
	var err error
	l.host.Load(func() { m, err = g.Import(from, req) }, func() { l.continueImport(c, m, err) })
	return promise
}

// importAttributes returns the attributes of the options of import(),
// sorted by key, or the TypeError to reject it with.
func (l *Linker) importAttributes(options goja.Value) (attrs []loader.Attribute, ex *goja.Exception) {
	if options == nil || goja.IsUndefined(options) {
		return nil, nil
	}
	typeError := func(msg string) *goja.Exception { return l.exception(l.vm.NewTypeError(msg)) }
	o, ok := options.(*goja.Object)
	if !ok {
		return nil, typeError("The second argument of import() must be an object")
	}
	var with goja.Value
	if ex := l.vm.Try(func() { with = o.Get("with") }); ex != nil {
		return nil, ex
	}
	if with == nil || goja.IsUndefined(with) {
		return nil, nil
	}
	wo, ok := with.(*goja.Object)
	if !ok {
		return nil, typeError("The 'with' option of import() must be an object")
	}
	ex = l.vm.Try(func() {
		// EnumerableOwnProperties(attributesObj, key+value)
		for _, k := range wo.Keys() {
			v := wo.Get(k)
			if t := v.ExportType(); t == nil || t.Kind() != reflect.String {
				panic(l.vm.NewTypeError("Import attribute values must be strings"))
			}
			attrs = append(attrs, loader.Attribute{Key: k, Value: v.String()})
		}
	})
	if ex != nil {
		return nil, ex
	}
	for _, a := range attrs {
		if a.Key != "type" {
			return nil, typeError("Unsupported import attribute " + a.Key)
		}
	}
	slices.SortFunc(attrs, func(a, b loader.Attribute) int { return strings.Compare(a.Key, b.Key) })
	return attrs, nil
}

// continueImport is ContinueDynamicImport
// (https://tc39.es/ecma262/#sec-ContinueDynamicImport) once the module m
// and its graph are loaded, or failed to with err.
func (l *Linker) continueImport(c *capability, m *loader.Module, err error) {
	if err != nil {
		if loader.IsUnresolved(err) {
			_ = c.reject(l.vm.NewTypeError(importMessage(err)))
			return
		}
		_ = c.reject(l.newError(l.in.syntaxError, importMessage(err)))
		return
	}
	r := l.record(m)
	if err := l.link(r); err != nil {
		_ = c.reject(asException(l, err).Value())
		return
	}
	p := l.evaluate(r)
	onFulfilled := l.vm.ToValue(func(goja.FunctionCall) goja.Value {
		_ = c.resolve(l.namespace(r))
		return goja.Undefined()
	})
	onRejected := l.vm.ToValue(func(call goja.FunctionCall) goja.Value {
		_ = c.reject(call.Argument(0))
		return goja.Undefined()
	})
	_, _ = l.in.then(l.vm.ToValue(p), onFulfilled, onRejected)
}

// importMessage is the message of the error that rejects import() when
// the module graph does not load.
func importMessage(err error) string {
	var le *loader.LoadError
	if errors.As(err, &le) && len(le.Problems) == 1 {
		p := le.Problems[0]
		if strings.HasPrefix(p.Text, "Could not resolve ") {
			return "Failed to resolve module specifier " + strings.TrimPrefix(p.Text, "Could not resolve ")
		}
	}
	return err.Error()
}

// importMeta returns the import.meta object of r: HostGetImportMetaProperties
// gives it url.
func (l *Linker) importMeta(r *record) goja.Value {
	o := l.vm.NewObject()
	_ = o.SetPrototype(nil)
	_ = o.Set("url", r.m.URL())
	return o
}
