package runtime

import (
	"fmt"
	"reflect"
	"strconv"
	"sync"

	"github.com/dop251/goja"
)

// goja's Value.Export recurses on the Go stack through arrays, plain objects,
// Maps and Sets, and loops without end on a Map or Set that holds itself
// (`m.set("self", m)`) until Go's stack overflow ends the process, which no
// recover can stop; an array of length 2**32-1 is allocated whole. Values a
// script hands the host (Call's results, AsyncFunc's arguments) are exported
// by export instead: the same Go values as Export gives, built by a walk of
// its own that keeps the values it has made (a cycle gives back the same Go
// map or slice, as Export does for objects and arrays) and stops with an
// error past maxExportDepth levels or maxExportLength elements.

// maxExportDepth and maxExportLength bound export: V8's structured clone
// meets its stack limit at a depth of some thousands too.
const (
	maxExportDepth  = 2500
	maxExportLength = 1 << 24
)

// exporter is one export of a value; its iterators were taken before any
// script ran (see Runtime.exportIterators).
type exporter struct {
	it   *exportIterators
	seen map[*goja.Object]any
	// open are the Maps and Sets being exported, and cycles whether one
	// met again while open is an error (see checkExport).
	open   map[*goja.Object]bool
	cycles bool
}

// exportIterators are the built-in iteration functions export uses: the
// entries of a Map, the values of a Set, and their iterators' next.
type exportIterators struct {
	mapEntries, setValues, mapNext, setNext goja.Callable
}

var (
	typeMap    = reflect.TypeOf(map[string]any(nil))
	typeSlice  = reflect.TypeOf([]any(nil))
	typeMapAny = reflect.TypeOf([][2]any(nil))
)

// exportIteratorsProgram evaluates to the functions of exportIterators.
var exportIteratorsProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:export.js", `[Map.prototype.entries, Set.prototype.values,
		Object.getPrototypeOf(new Map().entries()).next, Object.getPrototypeOf(new Set().values()).next]`, true)
})

// newExportIterators takes the built-ins from vm; it must run before
// script does.
func newExportIterators(vm *goja.Runtime) (*exportIterators, error) {
	v, err := vm.RunProgram(exportIteratorsProgram())
	if err != nil {
		return nil, err
	}
	o := v.(*goja.Object)
	fns := make([]goja.Callable, 4)
	for i := range fns {
		f, ok := goja.AssertFunction(o.Get(strconv.Itoa(i)))
		if !ok {
			return nil, fmt.Errorf("runtime: a built-in iterator is missing")
		}
		fns[i] = f
	}
	return &exportIterators{mapEntries: fns[0], setValues: fns[1], mapNext: fns[2], setNext: fns[3]}, nil
}

// exportValue is v.Export() made safe, as the package comment above says;
// it runs on the loop goroutine and may run script (getters), as Export
// does.
func exportValue(it *exportIterators, v goja.Value) (any, error) {
	e := exporter{it: it, seen: make(map[*goja.Object]any)}
	return e.value(v, 0)
}

// checkExport returns an error for a value goja's Export cannot take: one
// with a Map or Set that holds itself, at any depth, or nested or long
// beyond export's bounds.
func checkExport(it *exportIterators, v goja.Value) error {
	e := exporter{it: it, seen: make(map[*goja.Object]any), open: make(map[*goja.Object]bool), cycles: true}
	_, err := e.value(v, 0)
	return err
}

func (e *exporter) value(v goja.Value, depth int) (any, error) {
	if v == nil {
		return nil, nil
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return v.Export(), nil
	}
	if e.cycles && e.open[o] {
		return nil, fmt.Errorf("runtime: a Map or Set that holds itself cannot be given to a Go function")
	}
	if out, ok := e.seen[o]; ok {
		return out, nil
	}
	if depth > maxExportDepth {
		return nil, fmt.Errorf("runtime: the value is nested more than %d levels deep to export", maxExportDepth)
	}
	// goja names the class of Maps and Sets "Object"; their export types
	// tell them apart, and a Go value wrapped as a JS object, whose Export
	// is that value, is neither (start throws for it: Export then).
	switch t, class := o.ExportType(), o.ClassName(); {
	case class == "Object" && t == typeMapAny:
		return e.collection(o, depth, e.it.mapEntries, e.it.mapNext, true)
	case class == "Object" && t == typeSlice:
		return e.collection(o, depth, e.it.setValues, e.it.setNext, false)
	case class == "Array" && t == typeSlice:
		return e.array(o, depth)
	case t == typeMap:
		out := make(map[string]any)
		e.seen[o] = out
		for _, k := range o.Keys() {
			if class == "String" && isIndex(k) {
				continue // a String object's characters, which Export leaves out
			}
			x, err := e.value(o.Get(k), depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = x
		}
		return out, nil
	}
	return o.Export(), nil // not a container: Export does not recurse
}

func (e *exporter) array(o *goja.Object, depth int) (any, error) {
	n := o.Get("length").ToInteger()
	if n > maxExportLength {
		return nil, fmt.Errorf("runtime: an array of %d elements is too long to export", n)
	}
	out := make([]any, n)
	e.seen[o] = out
	for i := range out {
		x, err := e.value(o.Get(strconv.Itoa(i)), depth+1)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

// collection exports the Map (entries) or Set o, walking it with start
// and next; for an object that is neither, Export.
func (e *exporter) collection(o *goja.Object, depth int, start, next goja.Callable, entries bool) (any, error) {
	iter, err := start(o)
	if err != nil {
		return o.Export(), nil
	}
	if e.cycles {
		e.open[o] = true
		defer delete(e.open, o)
	}
	var pairs [][2]any
	var values []any
	switch {
	case e.cycles:
		// Not seen: goja's Export walks a Map or Set again each time it
		// meets one, which is harmless but where it holds itself.
	case entries:
		e.seen[o] = pairs // one that holds itself gets an empty copy of itself
	default:
		e.seen[o] = values
	}
	for n := 0; ; n++ {
		if n > maxExportLength {
			return nil, fmt.Errorf("runtime: a collection of more than %d entries is too large to export", maxExportLength)
		}
		r, err := next(iter)
		if err != nil {
			return nil, err
		}
		res := r.(*goja.Object)
		if res.Get("done").ToBoolean() {
			break
		}
		v := res.Get("value")
		if !entries {
			x, err := e.value(v, depth+1)
			if err != nil {
				return nil, err
			}
			values = append(values, x)
			continue
		}
		pair := v.(*goja.Object)
		k, err := e.value(pair.Get("0"), depth+1)
		if err != nil {
			return nil, err
		}
		x, err := e.value(pair.Get("1"), depth+1)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, [2]any{k, x})
	}
	if entries {
		if pairs == nil {
			pairs = [][2]any{}
		}
		return pairs, nil
	}
	if values == nil {
		values = []any{}
	}
	return values, nil
}

// isIndex reports whether k is an array index in canonical form.
func isIndex(k string) bool {
	n, err := strconv.ParseUint(k, 10, 32)
	return err == nil && strconv.FormatUint(n, 10) == k
}
