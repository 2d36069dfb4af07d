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

// shapes holds every shape made, each complete, under shapesMu; published
// is a copy of it that does not change once stored, for lookups without the
// lock, copied again once the lookups it missed since the last copy come to
// half its size (a process meets a hundred or so types).
var (
	shapesMu  sync.Mutex
	shapes    = make(map[reflect.Type]*shape)
	missed    int
	published atomic.Pointer[map[reflect.Type]*shape]
)

// shapeOf returns the shape of t.
func shapeOf(t reflect.Type) *shape {
	if m := published.Load(); m != nil {
		if s, ok := (*m)[t]; ok {
			return s
		}
	}
	shapesMu.Lock()
	defer shapesMu.Unlock()
	s := makeShape(t, shapes)
	missed++
	if m := published.Load(); m == nil || missed >= len(*m)/2+8 {
		m := maps.Clone(shapes)
		published.Store(&m)
		missed = 0
	}
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
