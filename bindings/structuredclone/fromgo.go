package structuredclone

import (
	"cmp"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/dop251/goja"
)

// A DataCloneError reports a value that cannot be cloned where no script
// runs to throw the "DataCloneError" DOMException: a Go value FromGo cannot
// convert, or a serialized value that cannot leave its process.
type DataCloneError struct {
	Message string // what could not be cloned, and why
}

func (e *DataCloneError) Error() string { return "DataCloneError: " + e.Message }

// FromGo serializes a Go value as if goja's Runtime.ToValue had made a
// JavaScript value of it and StructuredSerialize had serialized that, except
// that what ToValue wraps is copied: the result is a snapshot, and script
// that deserializes it changes nothing of v. So:
//
//   - nil, and nil pointers, maps, functions and interfaces, are null; a nil slice is
//     an empty Array, as ToValue makes it;
//   - booleans, strings, integers and floats are primitives, numbers
//     made as ToValue makes them; a *big.Int is a BigInt;
//   - a time.Time is a Date (to the millisecond);
//   - a []byte is a Uint8Array over a copy of its bytes;
//   - other slices and arrays are Arrays;
//   - a map with string or integer keys is an Object with a property for
//     each entry, in key order;
//   - a struct, or a pointer to one, is an Object with a property for each
//     exported field (promoted ones included), named as Go names it, as
//     goja shows it without a field name mapper; methods are left out;
//   - pointers are followed; the same pointer, map or slice met twice is the
//     same object, so shared references and cycles are kept.
//
// Functions, channels, complex numbers, unsafe pointers and goja's own
// values (which belong to a runtime) are a *DataCloneError naming the Go
// type, as are values nested more than 100000 levels deep.
func FromGo(v any) (*Serialized, error) {
	g := &goSerializer{vm: prims(), seen: make(map[goRef]*record)}
	out, err := g.value(reflect.ValueOf(v))
	if err != nil {
		return nil, err
	}
	return &Serialized{v: out}, nil
}

// A goSerializer runs FromGo.
type goSerializer struct {
	vm    *goja.Runtime
	seen  map[goRef]*record // what pointers, maps and slices became
	depth int
}

// A goRef identifies a pointer, a map or a slice.
type goRef struct {
	p uintptr
	t reflect.Type
	n int
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	bigIntType    = reflect.TypeFor[*big.Int]()
	gojaValueType = reflect.TypeFor[goja.Value]()
	bufferType    = reflect.TypeFor[goja.ArrayBuffer]()
)

func (g *goSerializer) prim(x any) value { return value{prim: g.vm.ToValue(x)} }

func (g *goSerializer) value(rv reflect.Value) (value, error) {
	if !rv.IsValid() {
		return value{prim: goja.Null()}, nil
	}
	t := rv.Type()
	switch {
	case t == bigIntType:
		return g.prim(rv.Interface()), nil
	case t == timeType:
		ms := rv.Interface().(time.Time).UnixMilli()
		return value{ref: &record{kind: kindDate, prim: g.vm.ToValue(ms)}}, nil
	case t == bufferType || t.Implements(gojaValueType):
		return value{}, &DataCloneError{Message: t.String() + " belongs to a runtime and could not be cloned"}
	}
	switch rv.Kind() {
	case reflect.Bool:
		return g.prim(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return g.prim(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return g.prim(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return g.prim(rv.Float()), nil
	case reflect.String:
		return g.prim(rv.String()), nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return value{prim: goja.Null()}, nil
		}
		if rv.Kind() == reflect.Interface {
			return g.value(rv.Elem())
		}
	case reflect.Map:
		if rv.IsNil() {
			return value{prim: goja.Null()}, nil
		}
	case reflect.Slice, reflect.Array, reflect.Struct:
	case reflect.Func:
		if rv.IsNil() {
			return value{prim: goja.Null()}, nil
		}
		fallthrough
	default:
		return value{}, &DataCloneError{Message: t.String() + " could not be cloned"}
	}
	return g.object(rv)
}

// object serializes a pointer, a map, a slice, an array or a struct.
func (g *goSerializer) object(rv reflect.Value) (value, error) {
	var key goRef
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map:
		key = goRef{p: rv.Pointer(), t: rv.Type()}
	case reflect.Slice:
		if rv.Len() > 0 {
			key = goRef{p: rv.Pointer(), t: rv.Type(), n: rv.Len()}
		}
	}
	if r := g.seen[key]; key.p != 0 && r != nil {
		return value{ref: r}, nil
	}
	if g.depth++; g.depth > maxDepth {
		return value{}, &DataCloneError{Message: "a value nested more than " + strconv.Itoa(maxDepth) + " levels deep could not be cloned"}
	}
	defer func() { g.depth-- }()
	if rv.Kind() == reflect.Pointer {
		// A pointer to a struct or an array is the object, recorded under
		// the pointer; any other is followed.
		rv = rv.Elem()
		if k := rv.Kind(); k != reflect.Struct && k != reflect.Array {
			return g.value(rv)
		}
	}
	r := &record{}
	if key.p != 0 {
		g.seen[key] = r
	}
	var err error
	switch {
	case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8:
		data := slices.Clone(rv.Bytes())
		if data == nil {
			data = []byte{}
		}
		buffer := &record{kind: kindArrayBuffer, data: data}
		*r = record{kind: kindArrayBufferView, view: "Uint8Array", buffer: buffer, arrayLength: int64(len(data))}
	case rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array:
		r.kind, r.length = kindArray, int64(rv.Len())
		r.properties = make([]property, rv.Len())
		for i := range r.properties {
			r.properties[i].key = g.vm.ToValue(strconv.Itoa(i))
			if r.properties[i].value, err = g.value(rv.Index(i)); err != nil {
				return value{}, err
			}
		}
	case rv.Kind() == reflect.Map:
		err = g.mapObject(rv, r)
	default:
		err = g.structObject(rv, r)
	}
	return value{ref: r}, err
}

// mapObject fills r with an Object of the entries of the map rv.
func (g *goSerializer) mapObject(rv reflect.Value, r *record) error {
	type kv struct {
		k string
		v reflect.Value
	}
	var entries []kv
	for it := rv.MapRange(); it.Next(); {
		k := it.Key()
		var name string
		switch k.Kind() {
		case reflect.String:
			name = k.String()
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			name = strconv.FormatInt(k.Int(), 10)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			name = strconv.FormatUint(k.Uint(), 10)
		default:
			return &DataCloneError{Message: rv.Type().String() + " (a map with keys neither strings nor integers) could not be cloned"}
		}
		entries = append(entries, kv{name, it.Value()})
	}
	slices.SortFunc(entries, func(a, b kv) int { return cmp.Compare(a.k, b.k) })
	r.kind = kindObject
	r.properties = make([]property, len(entries))
	for i, e := range entries {
		v, err := g.value(e.v)
		if err != nil {
			return err
		}
		r.properties[i] = property{key: g.vm.ToValue(e.k), value: v}
	}
	return nil
}

// structObject fills r with an Object of the exported fields of the struct rv.
func (g *goSerializer) structObject(rv reflect.Value, r *record) error {
	r.kind = kindObject
	for _, f := range reflect.VisibleFields(rv.Type()) {
		if !f.IsExported() || f.Anonymous && f.Type.Kind() == reflect.Struct {
			continue
		}
		fv, err := rv.FieldByIndexErr(f.Index)
		var v value
		if err != nil {
			v = value{prim: goja.Null()} // promoted through a nil embedded pointer
		} else if v, err = g.value(fv); err != nil {
			return err
		}
		r.properties = append(r.properties, property{key: g.vm.ToValue(f.Name), value: v})
	}
	return nil
}
