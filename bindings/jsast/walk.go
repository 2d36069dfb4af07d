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
}

// Walk calls visit with every pointer under prg, in source order but for a
// few nodes, and descends into what it points to when visit says so.
func Walk(prg *ast.Program, visit func(v reflect.Value) (descend bool)) {
	WalkNode(prg, visit)
}

// WalkNode walks the tree under n, a node, as Walk walks a program's.
func WalkNode(n ast.Node, visit func(v reflect.Value) (descend bool)) {
	w := treeWalk{visit: visit, fields: make(map[reflect.Type][]int)}
	w.walk(reflect.ValueOf(n))
}

func (w *treeWalk) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
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
