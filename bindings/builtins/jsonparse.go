package builtins

import (
	"strconv"

	"github.com/dop251/goja"
)

// parse replaces JSON.parse (https://tc39.es/ecma262/#sec-json.parse): the
// text is parsed here (jsontext.go), not by goja.
func (j *jsonBound) parse(nativeFunc) nativeFunc {
	return func(c goja.FunctionCall) goja.Value {
		text := stringBound{realm: j.realm}.toString(c.Argument(0))
		reviver, revived := goja.AssertFunction(c.Argument(1))
		unfiltered, rec := j.parseJSON(text, revived)
		if !revived {
			return unfiltered
		}
		root := j.vm.NewObject()
		_ = root.DefineDataProperty("", unfiltered, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		return j.internalize(root, j.vm.ToValue(""), reviver, 0, rec)
	}
}

// internalize is InternalizeJSONProperty
// (https://tc39.es/proposal-json-parse-with-source/#sec-internalizejsonproperty),
// depth levels down, with the parse record of the value as the text had it
// (nil where there is none).
func (j *jsonBound) internalize(holder *goja.Object, name goja.Value, reviver goja.Callable, depth int, rec *parseRecord) goja.Value {
	j.poll.Step()
	val := call(j.get, goja.Undefined(), holder, name)
	context := j.vm.NewObject()
	if rec != nil && rec.value.SameAs(val) {
		if _, ok := val.(*goja.Object); !ok {
			_ = context.Set("source", rec.source)
		}
	} else {
		rec = nil
	}
	if o, ok := val.(*goja.Object); ok {
		if j.maxDepth > 0 && depth >= j.maxDepth {
			j.tooDeep()
		}
		if call(j.isArray, goja.Undefined(), o).ToBoolean() {
			n := toLength(o.Get("length").ToNumber())
			for i := int64(0); i < n; i++ {
				var e *parseRecord
				if rec != nil && i < int64(len(rec.elements)) {
					e = rec.elements[i]
				}
				j.revise(o, j.vm.ToValue(strconv.FormatInt(i, 10)), reviver, depth, e)
			}
		} else {
			keys := call(j.keys, goja.Undefined(), o).(*goja.Object)
			n := keys.Get("length").ToInteger()
			for i := int64(0); i < n; i++ {
				p := keys.Get(strconv.FormatInt(i, 10))
				var e *parseRecord
				if rec != nil {
					e = rec.entries[p.String()]
				}
				j.revise(o, p, reviver, depth, e)
			}
		}
	}
	return call(reviver, holder, name, val, context)
}

// revise is step 2.b.ii or 2.c.ii of InternalizeJSONProperty: the element or
// property p of o, revived, replaces the original or, if undefined, deletes it.
func (j *jsonBound) revise(o *goja.Object, p goja.Value, reviver goja.Callable, depth int, rec *parseRecord) {
	v := j.internalize(o, p, reviver, depth+1, rec)
	if goja.IsUndefined(v) {
		call(j.remove, goja.Undefined(), o, p)
		return
	}
	createDataProperty(j.vm, j.define, o, p, v, false)
}

// createDataProperty is CreateDataProperty, or CreateDataPropertyOrThrow
// when orThrow (https://tc39.es/ecma262/#sec-createdataproperty).
func createDataProperty(vm *goja.Runtime, define goja.Callable, o *goja.Object, p, v goja.Value, orThrow bool) {
	desc := vm.NewObject()
	for _, field := range []struct {
		k string
		v goja.Value
	}{{"value", v}, {"writable", vm.ToValue(true)}, {"enumerable", vm.ToValue(true)}, {"configurable", vm.ToValue(true)}} {
		_ = desc.DefineDataProperty(field.k, field.v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	if !call(define, goja.Undefined(), o, p, desc).ToBoolean() && orThrow {
		panic(vm.NewTypeError("Cannot add property %s, object is not extensible", p))
	}
}
