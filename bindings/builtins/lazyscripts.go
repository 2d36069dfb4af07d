package builtins

import (
	"errors"
	"strings"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// Some scripts only add methods to objects that exist from the start
// (Object.groupBy, Math.sumPrecise, Iterator.zip...), which most scripts
// never call. Compiling them would cost every process, and evaluating them
// every realm, for nothing. So a realm defines each of their methods at once
// as a built-in function of the same name and length (not a constructor,
// shown as native code, as the script's method is): the first call of any
// of them in the realm evaluates the script, compiled once per process when
// first needed, and each then calls the method the script made, with the
// same this and arguments. Script sees the same properties, the same
// function objects and the same results from the start.
//
// The script is given what it takes when evaluated (Reflect.apply, Map's own
// methods...) as the realm had them when it started, so that evaluating it
// late does not see what a script has put in their place: its second
// argument holds each under its path joined with dots ("Map.prototype.get").
// Its es.define records the methods rather than defining them.

// A lazyScript is one of the scripts whose methods are defined at once and
// made on first call.
type lazyScript struct {
	program func() *goja.Program
	// defines are the script's calls of es.define, in order.
	defines []lazyDefine
	// intrinsics are the paths, from the global object, of what the script
	// takes when evaluated.
	intrinsics []string
	// args returns what the script is called with after es and the
	// intrinsics, if anything.
	args func(realm *webidl.Realm) ([]goja.Value, error)
}

// A lazyDefine is a call of es.define: the object it defines methods on, and
// their names and lengths.
type lazyDefine struct {
	target  func(realm *webidl.Realm) *goja.Object
	methods []lazyMethod
}

type lazyMethod struct {
	name   string
	length int
}

// global returns the target of a lazyDefine at path from the global object.
func global(path ...string) func(*webidl.Realm) *goja.Object {
	return func(realm *webidl.Realm) *goja.Object {
		o, _ := lookupPath(realm.VM(), path).(*goja.Object)
		return o
	}
}

func lookupPath(vm *goja.Runtime, path []string) goja.Value {
	v := goja.Value(vm.GlobalObject())
	for _, name := range path {
		o, ok := v.(*goja.Object)
		if !ok {
			return goja.Undefined()
		}
		v = o.Get(name)
	}
	return v
}

// lazyState is a lazyScript's state in one realm.
type lazyState struct {
	s          *lazyScript
	realm      *webidl.Realm
	intrinsics *goja.Object
	// methods are, once the script is evaluated, the methods of each of its
	// calls of es.define.
	methods []*goja.Object
}

// capture returns an object that holds, under each of paths, the value at
// that path from the global object now.
func capture(vm *goja.Runtime, paths []string) (*goja.Object, error) {
	o := vm.NewObject()
	for _, path := range paths {
		if err := o.Set(path, lookupPath(vm, strings.Split(path, "."))); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// install defines the script's methods in realm.
func (s *lazyScript) install(realm *webidl.Realm) error {
	intrinsics, err := capture(realm.VM(), s.intrinsics)
	if err != nil {
		return err
	}
	st := &lazyState{s: s, realm: realm, intrinsics: intrinsics}
	vm := realm.VM()
	for i, d := range s.defines {
		target := d.target(realm)
		if target == nil {
			return errors.New("builtins: the object a script adds methods to is missing")
		}
		for _, m := range d.methods {
			f := webidl.NewFunction(vm, m.name, m.length, st.forward(i, m.name))
			if err := target.DefineDataProperty(m.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
				return err
			}
		}
	}
	return nil
}

// forward returns the body of the built-in function of method name of the
// i-th call of es.define.
func (st *lazyState) forward(i int, name string) func(goja.FunctionCall) goja.Value {
	var method goja.Callable
	return func(c goja.FunctionCall) goja.Value {
		if method == nil {
			if err := st.evaluate(); err != nil {
				panic(err)
			}
			method, _ = goja.AssertFunction(st.methods[i].Get(name))
			if method == nil {
				panic(st.realm.VM().NewTypeError("builtins: a script did not make %s", name))
			}
		}
		v, err := method(c.This, c.Arguments...)
		if err != nil {
			panic(err)
		}
		return v
	}
}

// evaluate evaluates the script in the realm, once.
func (st *lazyState) evaluate() error {
	if st.methods != nil {
		return nil
	}
	vm := st.realm.VM()
	es, err := abstractOps(st.realm)
	if err != nil {
		return err
	}
	var methods []*goja.Object
	record := vm.CreateObject(es.(*goja.Object))
	err = record.Set("define", func(c goja.FunctionCall) goja.Value {
		m, _ := c.Argument(1).(*goja.Object)
		if m == nil {
			panic("builtins: es.define takes two objects")
		}
		methods = append(methods, m)
		return goja.Undefined()
	})
	if err != nil {
		return err
	}
	args := []goja.Value{st.intrinsics}
	if st.s.args != nil {
		more, err := st.s.args(st.realm)
		if err != nil {
			return err
		}
		args = append(args, more...)
	}
	if _, err := runScriptWith(st.realm, st.s.program(), record, args...); err != nil {
		return err
	}
	if len(methods) != len(st.s.defines) {
		return errors.New("builtins: a script defined other methods than it is listed with")
	}
	st.methods = methods
	return nil
}

// lazySteps is a script whose functions no script sees, only Go code that
// calls them in uncommon cases (js/arrays.js): it is compiled and evaluated
// in a realm when one of them is first called, and given, as its second
// argument, what it takes when evaluated as the realm had it when lazySteps
// was made.
type lazySteps struct {
	realm      *webidl.Realm
	program    func() *goja.Program
	intrinsics *goja.Object
	steps      *goja.Object // what the script returned, once evaluated
}

func newLazySteps(realm *webidl.Realm, program func() *goja.Program, intrinsics []string) (*lazySteps, error) {
	o, err := capture(realm.VM(), intrinsics)
	if err != nil {
		return nil, err
	}
	return &lazySteps{realm: realm, program: program, intrinsics: o}, nil
}

// step returns the function that calls the script's function name.
func (l *lazySteps) step(name string) goja.Callable {
	return func(this goja.Value, args ...goja.Value) (goja.Value, error) {
		if l.steps == nil {
			v, err := runScript(l.realm, l.program(), l.intrinsics)
			if err != nil {
				return nil, err
			}
			steps, ok := v.(*goja.Object)
			if !ok {
				return nil, errors.New("builtins: a script did not return its steps")
			}
			l.steps = steps
		}
		f, ok := goja.AssertFunction(l.steps.Get(name))
		if !ok {
			return nil, errors.New("builtins: a script has no step " + name)
		}
		return f(this, args...)
	}
}
