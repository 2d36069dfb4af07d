package jsast

import (
	"reflect"

	"github.com/dop251/goja/ast"
)

// goja's ast package has no walker. Walk visits a tree through reflection:
// the nodes are pointers, found in the exported fields of goja's ast types,
// in slices and in interfaces. What a walk needs to know of each type is
// worked out once per process (shape.go).

// treeWalk is one walk of a tree.
type treeWalk struct {
	visit func(v reflect.Value) (descend bool)
	// replace, if set, is asked for each expression the tree holds
	// (see ReplaceExpressions).
	replace func(ast.Expression) ast.Expression
}

// Walk calls visit with every pointer under prg, in source order but for a
// few nodes, and descends into what it points to when visit says so.
func Walk(prg *ast.Program, visit func(v reflect.Value) (descend bool)) {
	WalkNode(prg, visit)
}

// WalkNode is Walk from n, a pointer to any node of a tree.
func WalkNode(n any, visit func(v reflect.Value) (descend bool)) {
	w := treeWalk{visit: visit}
	v := reflect.ValueOf(n)
	w.walk(v, shapeOf(v.Type()))
}

// ReplaceExpressions walks prg as Walk does and puts replace(e) in place of
// each expression e the tree holds where replace returns another one. It
// does not descend into what it puts.
func ReplaceExpressions(prg *ast.Program, replace func(ast.Expression) ast.Expression) {
	w := treeWalk{visit: func(reflect.Value) bool { return true }, replace: replace}
	v := reflect.ValueOf(prg)
	w.walk(v, shapeOf(v.Type()))
}

// walk walks v, whose type has shape s.
func (w *treeWalk) walk(v reflect.Value, s *shape) {
	switch s.kind {
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		if w.replace != nil && v.CanSet() {
			if e, ok := v.Interface().(ast.Expression); ok {
				if r := w.replace(e); r != nil && r != e && reflect.TypeOf(r).AssignableTo(v.Type()) {
					v.Set(reflect.ValueOf(r))
					return
				}
			}
		}
		e := v.Elem()
		w.walk(e, shapeOf(e.Type()))
	case reflect.Pointer:
		if v.IsNil() || !w.visit(v) {
			return
		}
		w.walk(v.Elem(), s.elem)
	case reflect.Struct:
		for _, f := range s.fields {
			w.walk(v.Field(f.index), f.shape)
		}
	case reflect.Slice:
		if s.elem == nil {
			return
		}
		for i := range v.Len() {
			w.walk(v.Index(i), s.elem)
		}
	}
}
