package loader

import (
	"encoding/json"
	"path"
	"reflect"
	"regexp"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/token"
	"github.com/go-sourcemap/sourcemap"

	"github.com/wsjs/wsjs/bindings/jsast"
	"github.com/wsjs/wsjs/bindings/jsnest"
)

// An ES module is compiled from the code esbuild prints for it alone (its
// imports are not bundled) into a program that evaluates to its module
// function:
//
//	(function (__wsjs$imports, __wsjs$import, __wsjs$meta, __wsjs$host) {
//	  with (__wsjs$imports) return function* () { "use strict"; yield {accessors};
//	  ...the module's code, its import and export declarations blanked out...
//	}; })
//
// Called with the module's import object, the function that stands for
// import(), the import.meta object and the lookup of host modules (which
// the CommonJS modules of npm packages may require), it returns the module's generator
// function. Calling that does what InitializeEnvironment does
// (https://tc39.es/ecma262/#sec-source-text-module-record-initialize-environment):
// the module's function declarations are instantiated, its var
// declarations initialized to undefined and its let, const and class
// declarations left uninitialized. The first step of the generator yields
// the accessors, an object with an arrow function returning each local
// binding that the module exports, by local name; the next runs the module's
// code (ExecuteModule, https://tc39.es/ecma262/#sec-source-text-module-record-execute-module).
// Its top-level awaits are yields: the linker resumes the generator with
// each awaited value once it settles, as await would.
//
// The import object has an accessor property for each imported binding,
// whose getter is the exporting module's accessor of the binding it
// resolves to, and no setter, and a data property for each imported
// namespace: code that is not in the with statement's object resolves
// through it to the live binding of the other module, throws a
// ReferenceError while that is uninitialized, and a TypeError when assigned
// in strict mode code, as an immutable import binding does. Free names that
// it does not hold resolve as they would without it: the object has no
// prototype. An import of a binding that never changes once initialized
// (stable.go) becomes a read-only data property then, which costs no call.
//
// The module's code is parsed as the body of an async function, for await
// to be parsed, and then made a generator: its awaits become yields.
//
// esbuild turns `export default` of an anonymous function or class into a
// declaration named after the file, which gives it that name, and an
// `export default` expression into a var, which needs no initialization:
// adjustDefault gives them what ECMAScript does, the name "default" and a
// binding that is uninitialized until evaluated.

// moduleHeader is the first line of a module program; the accessors and the
// rest of it follow.
const moduleHeader = "(function (__wsjs$imports, " + importFunc + ", " + metaName + ", " + hostFunc +
	") { with (__wsjs$imports) return async function () { \"use strict\"; await "

// moduleFooter ends a module program.
const moduleFooter = "\n}; })"

// moduleCode returns the code of the program name of a module whose code
// (edited) exports locals.
func moduleCode(name, code string, locals []string) string {
	var b strings.Builder
	b.Grow(len(moduleHeader) + len(code) + len(moduleFooter) + 16*len(locals))
	b.WriteString(moduleHeader)
	b.WriteByte('{')
	for i, l := range locals {
		if i > 0 {
			b.WriteString(", ")
		}
		k, _ := json.Marshal(l)
		b.Write(k)
		b.WriteString(": () => ")
		b.WriteString(l)
	}
	b.WriteString("};\n")
	b.WriteString(code)
	b.WriteString(moduleFooter)
	b.WriteString(mapComment(name))
	return b.String()
}

// mapComment is the comment that has goja look for the source map of the
// program name, which the loader gives it.
func mapComment(name string) string {
	return "\n//# sourceMappingURL=" + path.Base(name) + ".map\n"
}

// moduleFunc returns the module's generator function in prg, parsed from
// moduleCode: the function that the outer function returns.
func moduleFunc(prg *ast.Program) *ast.FunctionLiteral {
	if len(prg.Body) != 1 {
		return nil
	}
	st, ok := prg.Body[0].(*ast.ExpressionStatement)
	if !ok {
		return nil
	}
	outer, ok := st.Expression.(*ast.FunctionLiteral)
	if !ok || len(outer.Body.List) != 1 {
		return nil
	}
	with, ok := outer.Body.List[0].(*ast.WithStatement)
	if !ok {
		return nil
	}
	ret, ok := with.Body.(*ast.ReturnStatement)
	if !ok {
		return nil
	}
	fn, _ := ret.Argument.(*ast.FunctionLiteral)
	return fn
}

// makeGenerator turns fn, an async function, into a generator whose yields
// are its awaits, and reports how many there were.
func makeGenerator(fn *ast.FunctionLiteral) int {
	fn.Async, fn.Generator = false, true
	n := 0
	jsast.Walk(&ast.Program{Body: fn.Body.List}, func(v reflect.Value) bool {
		switch v.Interface().(type) {
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
			return false // its awaits, if any, are its own
		}
		if v.Elem().Kind() != reflect.Struct {
			return true
		}
		s := v.Elem()
		for i := range s.NumField() {
			f := s.Field(i)
			switch {
			case f.Kind() == reflect.Interface:
				n += yieldFor(f)
			case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Interface:
				for j := range f.Len() {
					n += yieldFor(f.Index(j))
				}
			}
		}
		return true
	})
	return n
}

// makeHeaderGenerator turns fn, an async function whose only await is the
// header's, after its "use strict", into a generator.
func makeHeaderGenerator(fn *ast.FunctionLiteral) {
	fn.Async, fn.Generator = false, true
	for _, st := range fn.Body.List[:min(2, len(fn.Body.List))] {
		if st, ok := st.(*ast.ExpressionStatement); ok && yieldFor(reflect.ValueOf(st).Elem().FieldByName("Expression")) == 1 {
			return
		}
	}
}

// yieldFor replaces an await expression in f with a yield.
func yieldFor(f reflect.Value) int {
	a, ok := f.Interface().(*ast.AwaitExpression)
	if !ok || !f.CanSet() {
		return 0
	}
	f.Set(reflect.ValueOf(&ast.YieldExpression{Yield: a.Await, Argument: a.Argument}))
	return 1
}

// generatedDefault matches the names esbuild gives an anonymous default
// export: the file's name made an identifier, "_default", perhaps a number.
var generatedDefault = regexp.MustCompile(`_default\d*$`)

// adjustDefault gives the binding local of an anonymous default export in
// fn its ECMAScript semantics (see above), if esbuild made it: its name
// maps, in smap, to the default keyword. It reports whether local is a
// function declaration, which the linker names "default".
func adjustDefault(fn *ast.FunctionLiteral, local string, code string, smap []byte) (namedFunc bool) {
	if !generatedDefault.MatchString(local) {
		return false
	}
	var consumer *sourcemap.Consumer
	generated := func(id *ast.Identifier) bool {
		if consumer == nil {
			c, err := sourcemap.Parse("", smap)
			if err != nil {
				return false
			}
			consumer = c
		}
		return mapsToDefault(consumer, code, id.Idx)
	}
	list := fn.Body.List
	for i, st := range list {
		switch st := st.(type) {
		case *ast.FunctionDeclaration:
			if id := st.Function.Name; id != nil && string(id.Name) == local {
				return generated(id)
			}
		case *ast.ClassDeclaration:
			if id := st.Class.Name; id != nil && string(id.Name) == local && generated(id) {
				st.Class.Name = nil
				list[i] = letDefault(st.Class.Class, id, st.Class)
				return false
			}
		case *ast.VariableStatement:
			if len(st.List) != 1 {
				continue
			}
			id, ok := st.List[0].Target.(*ast.Identifier)
			if !ok || string(id.Name) != local || !generated(id) {
				continue
			}
			list[i] = letDefault(st.Var, id, st.List[0].Initializer)
			decls := fn.DeclarationList[:0]
			for _, d := range fn.DeclarationList {
				if len(d.List) == 0 || d.List[0] != st.List[0] {
					decls = append(decls, d)
				}
			}
			fn.DeclarationList = decls
			return false
		}
	}
	return false
}

// mapsToDefault reports whether the identifier at idx in code maps to a
// default keyword in its original source.
func mapsToDefault(c *sourcemap.Consumer, code string, idx file.Idx) bool {
	at := int(idx) - 1
	if at < 0 || at > len(code) {
		return false
	}
	line := 1 + strings.Count(code[:at], "\n")
	col := utf16Len(code[strings.LastIndexByte(code[:at], '\n')+1 : at])
	src, _, oline, ocol, ok := c.Source(line, col)
	if !ok {
		return false
	}
	text := newLineIndex(c.SourceContent(src))
	o := text.offset(oline, ocol)
	return o >= 0 && strings.HasPrefix(text.text[o:], "default") &&
		jsnest.NameEnd(text.text, o) == o+7
}

// letDefault returns the declaration let id = value, where value, if an
// anonymous function or class, is given the name "default" as
// NamedEvaluation would: it is the value of a property named so.
func letDefault(at file.Idx, id *ast.Identifier, value ast.Expression) ast.Statement {
	if anonymousFunction(value) {
		value = &ast.DotExpression{
			Left: &ast.ObjectLiteral{LeftBrace: at, RightBrace: at, Value: []ast.Property{&ast.PropertyKeyed{
				Key:   &ast.StringLiteral{Idx: at, Literal: `"default"`, Value: "default"},
				Kind:  ast.PropertyKindValue,
				Value: value,
			}}},
			Identifier: ast.Identifier{Name: "default", Idx: at},
		}
	}
	return &ast.LexicalDeclaration{Idx: at, Token: token.LET, List: []*ast.Binding{{Target: id, Initializer: value}}}
}

// anonymousFunction is IsAnonymousFunctionDefinition
// (https://tc39.es/ecma262/#sec-isanonymousfunctiondefinition).
func anonymousFunction(e ast.Expression) bool {
	switch e := e.(type) {
	case *ast.FunctionLiteral:
		return e.Name == nil
	case *ast.ClassLiteral:
		return e.Name == nil
	case *ast.ArrowFunctionLiteral:
		return true
	}
	return false
}

// duplicateDeclaration returns the identifier of a declaration at the top
// level of the module function fn whose name another declares, which is
// an early error of a module
// (https://tc39.es/ecma262/#sec-module-semantics-static-semantics-early-errors)
// though not of a function body: in a module, function declarations are
// lexical declarations.
func duplicateDeclaration(fn *ast.FunctionLiteral) *ast.Identifier {
	vars := map[string]bool{}
	for _, d := range fn.DeclarationList {
		for _, b := range d.List {
			for _, id := range boundNames(b.Target) {
				vars[string(id.Name)] = true
			}
		}
	}
	lexical := map[string]bool{}
	declare := func(id *ast.Identifier) *ast.Identifier {
		if id == nil {
			return nil
		}
		n := string(id.Name)
		if lexical[n] || vars[n] {
			return id
		}
		lexical[n] = true
		return nil
	}
	for _, st := range fn.Body.List {
		var dup *ast.Identifier
		switch st := st.(type) {
		case *ast.FunctionDeclaration:
			dup = declare(st.Function.Name)
		case *ast.ClassDeclaration:
			dup = declare(st.Class.Name)
		case *ast.LexicalDeclaration:
			for _, b := range st.List {
				for _, id := range boundNames(b.Target) {
					if dup == nil {
						dup = declare(id)
					}
				}
			}
		}
		if dup != nil {
			return dup
		}
	}
	return nil
}

// boundNames returns the identifiers a binding target binds.
func boundNames(t ast.BindingTarget) []*ast.Identifier {
	switch t := t.(type) {
	case *ast.Identifier:
		return []*ast.Identifier{t}
	case *ast.ArrayPattern:
		var ids []*ast.Identifier
		for _, e := range t.Elements {
			ids = append(ids, patternNames(e)...)
		}
		return append(ids, patternNames(t.Rest)...)
	case *ast.ObjectPattern:
		var ids []*ast.Identifier
		for _, p := range t.Properties {
			switch p := p.(type) {
			case *ast.PropertyShort:
				ids = append(ids, &p.Name)
			case *ast.PropertyKeyed:
				ids = append(ids, patternNames(p.Value)...)
			}
		}
		return append(ids, patternNames(t.Rest)...)
	}
	return nil
}

// patternNames returns the identifiers an element of a pattern binds.
func patternNames(e ast.Expression) []*ast.Identifier {
	switch e := e.(type) {
	case nil:
		return nil
	case *ast.AssignExpression:
		return patternNames(e.Left)
	case ast.BindingTarget:
		return boundNames(e)
	}
	return nil
}
