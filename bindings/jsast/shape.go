package jsast

import (
	"maps"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
)

// A shape is what a walk needs to know of a type, worked out once per
// process: walking a tree then looks a type up only where an interface
// holds a node, and reads no struct field that cannot hold one.
type shape struct {
	kind reflect.Kind
	// fields are, for a struct, its exported fields that may hold nodes.
	fields []field
	// elem is, for a pointer, the shape of what it points to; for a slice,
	// that of its elements, or nil when they cannot hold nodes.
	elem *shape
}

type field struct {
	index int
	shape *shape
}

// shapes holds the shapes made so far, each complete, in a map that does not
// change once stored: shapeOf stores a new one, with the shapes of a type
// and of what it refers to, under shapesMu.
var (
	shapes   atomic.Pointer[map[reflect.Type]*shape]
	shapesMu sync.Mutex
)

// shapeOf returns the shape of t.
func shapeOf(t reflect.Type) *shape {
	if m := shapes.Load(); m != nil {
		if s, ok := (*m)[t]; ok {
			return s
		}
	}
	shapesMu.Lock()
	defer shapesMu.Unlock()
	old := shapes.Load()
	if old == nil {
		old = new(map[reflect.Type]*shape)
	}
	m := maps.Clone(*old)
	if m == nil {
		m = make(map[reflect.Type]*shape)
	}
	s := makeShape(t, m)
	shapes.Store(&m)
	return s
}

// makeShape makes the shape of t and of the types it refers to that have
// none yet, adding them to made (types may refer to themselves).
func makeShape(t reflect.Type, made map[reflect.Type]*shape) *shape {
	if s, ok := made[t]; ok {
		return s
	}
	s := &shape{kind: t.Kind()}
	made[t] = s
	switch s.kind {
	case reflect.Pointer:
		s.elem = makeShape(t.Elem(), made)
	case reflect.Slice:
		if mayHoldTree(t.Elem()) {
			s.elem = makeShape(t.Elem(), made)
		}
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && mayHoldTree(f.Type) {
				s.fields = append(s.fields, field{index: i, shape: makeShape(f.Type, made)})
			}
		}
	}
	return s
}

// mayHoldTree reports whether a value of type t may hold nodes.
func mayHoldTree(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice:
		return t.PkgPath() == "" || t.Kind() == reflect.Interface || strings.HasSuffix(t.PkgPath(), "/ast")
	case reflect.Struct:
		return strings.HasSuffix(t.PkgPath(), "/ast")
	}
	return false
}
