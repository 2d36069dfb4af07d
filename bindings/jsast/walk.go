package jsast

import (
	"reflect"
	"strings"

	"github.com/dop251/goja/ast"
)

// goja's ast package has no walker. Walk visits a tree through reflection:
// the nodes are pointers, found in the exported fields of goja's ast types,
// in slices and in interfaces.

// treeWalk is one walk of a tree.
type treeWalk struct {
	visit  func(v reflect.Value) (descend bool)
	fields map[reflect.Type][]int // treeFields by struct type
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
	w := treeWalk{visit: visit, fields: make(map[reflect.Type][]int)}
	w.walk(reflect.ValueOf(n))
}

// ReplaceExpressions walks prg as Walk does and puts replace(e) in place of
// each expression e the tree holds where replace returns another one. It
// does not descend into what it puts.
func ReplaceExpressions(prg *ast.Program, replace func(ast.Expression) ast.Expression) {
	w := treeWalk{visit: func(reflect.Value) bool { return true }, fields: make(map[reflect.Type][]int), replace: replace}
	w.walk(reflect.ValueOf(prg))
}

func (w *treeWalk) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Interface && w.replace != nil && v.CanSet() {
			if e, ok := v.Interface().(ast.Expression); ok {
				if r := w.replace(e); r != nil && r != e && reflect.TypeOf(r).AssignableTo(v.Type()) {
					v.Set(reflect.ValueOf(r))
					return
				}
			}
		}
		if v.Kind() == reflect.Pointer && !w.visit(v) {
			return
		}
		w.walk(v.Elem())
	case reflect.Struct:
		for _, i := range w.treeFields(v.Type()) {
			w.walk(v.Field(i))
		}
	case reflect.Slice:
		if !mayHoldTree(v.Type().Elem()) {
			return
		}
		for i := range v.Len() {
			w.walk(v.Index(i))
		}
	}
}

// treeFields returns the indexes of the exported fields of the struct type
// t that may hold nodes.
func (w *treeWalk) treeFields(t reflect.Type) []int {
	if f, ok := w.fields[t]; ok {
		return f
	}
	var fields []int
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && mayHoldTree(f.Type) {
			fields = append(fields, i)
		}
	}
	w.fields[t] = fields
	return fields
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
