package builtins

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/wsjs/wsjs/bindings/bigintguard"
	"github.com/wsjs/wsjs/bindings/directeval"
	"github.com/wsjs/wsjs/bindings/jsnest"
	"github.com/wsjs/wsjs/webidl"
)

// Source that eval or a Function constructor is about to give goja's parser
// goes through prepare first: source that nests too deeply for parsers that
// recurse in Go is a SyntaxError (bindings/jsnest), the escape goja's parser panics on is
// rewritten (escapes.go), and the direct eval calls in it are rewritten
// (bindings/directeval), which needs its syntax tree, so it is parsed once
// more where it may hold one (or name the hooks, which refuses it), and so
// are its awaits (awaits.go), in one more parse where it holds both. A
// panic of that parse, or a source that names the hooks, is a SyntaxError
// here, before goja parses the source where no caller could recover.

// dynamicCode is what a realm's eval and Function constructors share.
type dynamicCode struct {
	realm *webidl.Realm
	vm    *goja.Runtime
}

// throwSyntaxError throws a SyntaxError with the message.
func (d *dynamicCode) throwSyntaxError(format string, args ...any) {
	panic(d.realm.NewSyntaxError(fmt.Sprintf(format, args...)))
}

// prepared is source ready for goja's parser.
type prepared struct {
	text    string // the source as goja's parser sees it
	changed bool   // text is not what the source read
}

// prepare returns src ready for goja's parser. With mustParse it parses it
// whatever it holds: a direct eval cannot recover from a panic of the
// parser, so the parse must be known to succeed.
func (d *dynamicCode) prepare(src goja.String, mustParse bool) prepared {
	src, changed := rewriteEscapes(src, true)
	text, lossy := sourceText(src)
	// Before any parse: goja's parser and compiler recurse in Go once per
	// level of nesting, and a stack past Go's limit ends the process.
	if err := jsnest.Check(text); err != nil {
		d.throwSyntaxError("%v", err)
	}
	p := prepared{text: text, changed: changed || lossy}
	// Eval code's regular expression literals have early errors too.
	if msg := regExpLiteralError(p.text, 0); msg != "" {
		d.throwSyntaxError("%s", msg)
	}
	if mustParse || mayCallEval(text) {
		if ins := d.evalCalls(text); len(ins) > 0 {
			p.text, p.changed = directeval.Apply(text, 0, ins), true
		}
	}
	// The awaits are found in the text the eval calls' rewrite made, which
	// names the hooks the rewrite of text refuses.
	if mayAwait(p.text) {
		if ins := d.awaitCalls(p.text); len(ins) > 0 {
			p.text, p.changed = directeval.Apply(p.text, 0, ins), true
		}
	}
	if mayFold(p.text) {
		if ins := d.foldedLeaves(p.text); len(ins) > 0 {
			p.text, p.changed = directeval.Apply(p.text, 0, ins), true
		}
	}
	if bigintguard.Might(p.text) {
		if ins := d.bigIntOps(p.text); len(ins) > 0 {
			p.text, p.changed = directeval.Apply(p.text, 0, ins), true
		}
	}
	return p
}

// bigIntOps returns the insertions that guard the BigInt operators of text
// (bindings/bigintguard), or none where it is no script goja parses; a text
// whose tree the guard cannot match (a line comment between an operand's
// parentheses) is a SyntaxError.
func (d *dynamicCode) bigIntOps(text string) []directeval.Insertion {
	prg := d.parse(text)
	if prg == nil {
		return nil
	}
	ins, err := bigintguard.Edits(text, prg)
	if err != nil {
		d.throwSyntaxError("%v", err)
	}
	return ins
}

// evalCalls returns the insertions that rewrite the direct eval calls of
// text; it throws a SyntaxError where text names the hooks.
func (d *dynamicCode) evalCalls(text string) []directeval.Insertion {
	prg := d.parse(text)
	if prg == nil {
		return nil // a syntax error, which goja reports as its own
	}
	ins, err := directeval.RewriteSource(text, prg)
	if err != nil {
		d.throwSyntaxError("Unexpected identifier '%s' (reserved by wsjs)", directeval.Hooks)
	}
	return ins
}

// mayCallEval reports whether text may call eval or name the hooks: it
// holds "eval", or an escape that could spell it.
func mayCallEval(text string) bool {
	return strings.Contains(text, "eval") || strings.Contains(text, `\u`)
}

// parse parses text as goja's eval does, without source maps, or returns
// nil for a syntax error; a panic of the parser is thrown as a SyntaxError.
func (d *dynamicCode) parse(text string) *ast.Program {
	prg, panicked := parseRecovering(text)
	if panicked != nil {
		d.throwSyntaxError("Invalid or unexpected token (%v)", panicked)
	}
	return prg
}

func parseRecovering(text string) (prg *ast.Program, panicked any) {
	defer func() {
		if p := recover(); p != nil {
			prg, panicked = nil, p
		}
	}()
	prg, err := parser.ParseFile(nil, "", text, 0, parser.WithDisableSourceMaps)
	if err != nil {
		return nil, nil
	}
	return prg, nil
}

// sourceText returns s as UTF-8, and whether that is not s.String(): a lone
// surrogate is written as the escape \uXXXX, replacing the backslash that
// escapes it if there is one, which in a string or template literal, where
// alone it could be, is the same string.
func sourceText(s goja.String) (string, bool) {
	n := s.Length()
	lone := -1
	for i := 0; i < n; i++ {
		c := s.CharAt(i)
		if utf16.IsSurrogate(rune(c)) {
			if c < 0xDC00 && i+1 < n && s.CharAt(i+1) >= 0xDC00 && s.CharAt(i+1) <= 0xDFFF {
				i++
				continue
			}
			lone = i
			break
		}
	}
	if lone < 0 {
		return s.String(), false
	}
	b := make([]byte, 0, n)
	backslashes := 0
	for i := 0; i < n; i++ {
		c := rune(s.CharAt(i))
		switch {
		case c >= 0xD800 && c < 0xDC00 && i+1 < n && s.CharAt(i+1) >= 0xDC00 && s.CharAt(i+1) <= 0xDFFF:
			b = utf8.AppendRune(b, utf16.DecodeRune(c, rune(s.CharAt(i+1))))
			i++
		case utf16.IsSurrogate(c):
			if backslashes%2 == 1 {
				b = b[:len(b)-1]
			}
			b = fmt.Appendf(b, `\u%04X`, c)
		default:
			b = utf8.AppendRune(b, c)
		}
		if c == '\\' {
			backslashes++
		} else {
			backslashes = 0
		}
	}
	return string(b), true
}
