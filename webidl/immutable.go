package webidl

import (
	"github.com/dop251/goja"
)

// Immutable prototypes. A global platform object
// (https://webidl.spec.whatwg.org/#platform-object-setprototypeof), the
// interface prototype object of its [Global] interface and those of the
// interfaces it inherits from (https://webidl.spec.whatwg.org/#interface-prototype-object)
// are immutable prototype exotic objects
// (https://tc39.es/ecma262/#sec-immutable-prototype-exotic-objects): their
// [[SetPrototypeOf]] succeeds only for the prototype they have. goja gives
// that behaviour to its Object.prototype alone and has no hook to give it to
// another object, so the realm wraps the three built-ins through which
// script reaches [[SetPrototypeOf]]: Object.setPrototypeOf,
// Reflect.setPrototypeOf and the __proto__ setter of Object.prototype. Each
// wrapper checks its target against the realm's immutable objects first and
// otherwise calls goja's function. What still reaches the ordinary
// [[SetPrototypeOf]] of such an object is a Proxy without a setPrototypeOf
// trap whose target it is: goja forwards that to the target directly.

// immutableSetters are the built-ins wrapped, with what each does when
// SetImmutablePrototype (https://tc39.es/ecma262/#sec-set-immutable-prototype)
// returns false.
var immutableSetters = []struct {
	holder, name string
	length       int
	// throws: a TypeError (Object.setPrototypeOf, __proto__), or false
	// (Reflect.setPrototypeOf).
	throws bool
	// setter: the function is the set accessor of holder.prototype's property.
	setter bool
}{
	{"Object", "setPrototypeOf", 2, true, false},
	{"Reflect", "setPrototypeOf", 2, false, false},
	{"Object", "__proto__", 1, true, true},
}

// makeImmutablePrototype makes o an immutable prototype exotic object. The
// built-ins are wrapped at Prepare, before script runs, whether or not the
// realm has such an object yet: a global object whose interface is defined
// on first use registers its chain only then.
func (r *Realm) makeImmutablePrototype(o *goja.Object) {
	if r.immutable == nil {
		r.immutable = make(map[*goja.Object]bool)
	}
	r.immutable[o] = true
}

// refusesPrototype reports whether o is an immutable prototype exotic object
// whose [[SetPrototypeOf]](v) returns false: SetImmutablePrototype's step 2,
// comparing v with what o.[[GetPrototypeOf]]() returns.
func (r *Realm) refusesPrototype(o goja.Value, v goja.Value) bool {
	obj, ok := o.(*goja.Object)
	if !ok {
		return false
	}
	// The global object's interface, and so its chain, may be pending.
	r.g.resolvePrototype()
	if !r.immutable[obj] {
		return false
	}
	current := goja.Value(goja.Null())
	if p := obj.Prototype(); p != nil {
		current = p
	}
	return !v.SameAs(current)
}

func (r *Realm) wrapPrototypeSetters() {
	vm := r.vm
	root := r.g.target
	for _, w := range immutableSetters {
		holder := lookup(vm, root, []string{w.holder}).(*goja.Object)
		w := w
		var orig goja.Callable
		var get goja.Value
		if w.setter {
			holder = holder.Get("prototype").(*goja.Object)
			get, orig = accessorsOf(vm, root, holder, w.name)
		} else {
			orig, _ = goja.AssertFunction(holder.Get(w.name))
		}
		if orig == nil {
			continue // not there to wrap
		}
		name := w.name
		if w.setter {
			name = "set " + w.name
		}
		f := NewFunction(vm, name, w.length, func(c goja.FunctionCall) goja.Value {
			target, proto := c.This, c.Argument(0)
			if !w.setter {
				target, proto = c.Argument(0), c.Argument(1)
			}
			// Object.setPrototypeOf and the setter check their proto
			// argument's type before [[SetPrototypeOf]]; let goja's function
			// throw for a value that is neither an object nor null.
			if _, isObj := proto.(*goja.Object); (isObj || goja.IsNull(proto)) && r.refusesPrototype(target, proto) {
				if w.throws {
					panic(vm.NewTypeError("Immutable prototype object cannot have its prototype set"))
				}
				return vm.ToValue(false)
			}
			v, err := orig(c.This, c.Arguments...)
			if err != nil {
				panic(err)
			}
			return v
		})
		if w.setter {
			if err := holder.DefineAccessorProperty(w.name, get, f, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
				panic(err)
			}
			continue
		}
		if err := holder.DefineDataProperty(w.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			panic(err)
		}
	}
}

// accessorsOf returns the getter and the setter of o's own accessor property
// name, as Reflect.getOwnPropertyDescriptor gives them.
func accessorsOf(vm *goja.Runtime, root, o *goja.Object, name string) (goja.Value, goja.Callable) {
	gopd, _ := goja.AssertFunction(lookup(vm, root, []string{"Reflect", "getOwnPropertyDescriptor"}))
	d, err := gopd(goja.Undefined(), o, vm.ToValue(name))
	if err != nil {
		panic(err)
	}
	do, ok := d.(*goja.Object)
	if !ok {
		return nil, nil
	}
	set, _ := goja.AssertFunction(do.Get("set"))
	return do.Get("get"), set
}
