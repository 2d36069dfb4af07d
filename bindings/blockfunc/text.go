package blockfunc

import (
	"sort"
	"strconv"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"
	"github.com/dop251/goja/unistring"

	"github.com/wsjs/wsjs/bindings/jsnest"
)

// RewriteEval returns src, eval code, with the annex's semantics for the
// function declarations in its blocks written into it, and whether it
// changed anything. goja compiles eval code from its text, so the rewrite
// inserts text, on the lines where it goes, with names src does not contain:
//
//   - The code of each scope starts with what the scope needs, before its
//     directive prologue (one without "use strict", in which directives have
//     no effect), so that the code's completion value stays that of its own
//     statements.
//   - Eval code declares a hoisted name as a var only where no lexical
//     declaration of the caller's scopes has it, nor, in global code, a
//     global lexical declaration, and the global object can have it
//     (https://tc39.es/ecma262/#sec-web-compat-evaldeclarationinstantiation).
//     A direct eval of "var F" from the top level of the eval code takes
//     exactly those steps, or throws: the code starts with one for each
//     name, and makes the name's setter only if it declared the var.
//   - Function code in it gets the var declarations and setters Rewrite
//     adds, written out, which shows in the text Function.prototype.toString
//     gives those functions.
//   - Each hoisted declaration is followed by a lexical declaration whose
//     initializer calls the setter; a function declaration that is a clause
//     of an if statement is put in braces.
//
// The direct evals the eval code makes run their code as it is. Source goja
// cannot parse, source nested too deeply to parse (bindings/jsnest; the
// realm's eval refuses it next), and strict code are returned as they are.
func RewriteEval(src string) (string, bool) {
	if !strings.Contains(src, "function") || jsnest.Check(src) != nil {
		return src, false
	}
	prg, ok := parseEval(src)
	if !ok {
		return src, false
	}
	a := analyze(prg, evalCode, false)
	if len(a.scopes) == 0 && len(a.ifFuncs) == 0 {
		return src, false
	}
	t := &textRewrite{src: src, prefix: uniquePrefix(src)}
	for _, s := range a.scopes {
		if s.kind == evalCode && declaresEval(prg) {
			continue // the code's own eval would take the place of %eval%
		}
		t.scope(s)
	}
	for _, f := range a.ifFuncs {
		t.insert(offset(f.decl.Idx0()), "{")
		t.insert(offset(f.decl.Idx1()), "}")
	}
	if len(t.adds) == 0 {
		return src, false
	}
	return t.apply(src), true
}

// parseEval parses src as goja's eval does, recovering from a panic of its
// parser.
func parseEval(src string) (prg *ast.Program, ok bool) {
	defer func() {
		if recover() != nil {
			prg, ok = nil, false
		}
	}()
	prg, err := parser.ParseFile(nil, "", src, 0, parser.WithDisableSourceMaps)
	return prg, err == nil
}

// declaresEval tells whether the top level of eval code declares eval.
func declaresEval(prg *ast.Program) bool {
	ns := names{}
	for _, st := range prg.Body {
		ns.addLexical(st, true)
	}
	for _, d := range prg.DeclarationList {
		for _, b := range d.List {
			ns.addBound(b.Target)
		}
	}
	return ns["eval"] > 0
}

// textRewrite collects the text to insert into eval code.
type textRewrite struct {
	src    string
	prefix string
	n      int
	adds   []insertion
}

// An insertion is text to insert at a byte offset; those at the same offset
// keep the order they were made in.
type insertion struct {
	at   int
	text string
}

func (t *textRewrite) insert(at int, text string) {
	t.adds = append(t.adds, insertion{at, text})
}

// name returns a new name.
func (t *textRewrite) name() string {
	t.n++
	return t.prefix + strconv.Itoa(t.n)
}

// scope writes the prologue of s at the start of its code, and the copies
// after its hoisted declarations.
func (t *textRewrite) scope(s *varScope) {
	setters := map[unistring.String]string{}
	var prologue strings.Builder
	for _, f := range s.hoisted {
		if _, ok := setters[f.name]; ok {
			continue
		}
		F := f.name.String()
		set, v := t.name(), t.name()
		setters[f.name] = set
		if s.kind == functionCode {
			prologue.WriteString("var " + F + "; let " + set + " = (" + v + ") => { " + F + " = " + v + "; }; ")
		} else {
			prologue.WriteString("let " + set + " = null; try { eval(\"var " + F + "\"); " + set + " = (" + v + ") => { " + F + " = " + v + "; }; } catch {}; ")
		}
	}
	t.insert(t.start(s), prologue.String())
	for _, f := range s.hoisted {
		set, F := setters[f.name], f.name.String()
		call := set + "(" + F + ")"
		if s.kind != functionCode {
			call = set + " && " + call
		}
		t.insert(offset(f.decl.Idx1()), " let "+t.name()+" = "+call+";")
	}
}

// start returns where the prologue of s goes: at the start of its code,
// before the directives, if any, none of which is "use strict" (which would
// make the code strict); in eval code, after a hashbang comment.
func (t *textRewrite) start(s *varScope) int {
	switch fn := s.fn.(type) {
	case *ast.FunctionLiteral:
		return offset(fn.Body.LeftBrace) + 1
	case *ast.ArrowFunctionLiteral:
		return offset(fn.Body.(*ast.BlockStatement).LeftBrace) + 1
	}
	if strings.HasPrefix(t.src, "#!") {
		if i := strings.IndexAny(t.src, "\n\r\u2028\u2029"); i >= 0 {
			return i
		}
	}
	return 0
}

// apply returns src with the insertions.
func (t *textRewrite) apply(src string) string {
	sort.SliceStable(t.adds, func(i, j int) bool { return t.adds[i].at < t.adds[j].at })
	var b strings.Builder
	done := 0
	for _, a := range t.adds {
		b.WriteString(src[done:a.at])
		b.WriteString(a.text)
		done = a.at
	}
	b.WriteString(src[done:])
	return b.String()
}

// offset is the byte offset in the source of a position of goja's parser.
func offset(idx file.Idx) int { return int(idx) - 1 }

// uniquePrefix returns a prefix of names that src does not contain.
func uniquePrefix(src string) string {
	p := "$blockFunction"
	for strings.Contains(src, p) {
		p += "$"
	}
	return p + "$"
}
