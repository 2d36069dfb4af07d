package bigintguard

import (
	"errors"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/wsjs/wsjs/bindings/directeval"
)

// FuzzEdits checks that a script goja parses still parses once its
// operators are guarded, or Edits says why not.
func FuzzEdits(f *testing.F) {
	for _, src := range sameCases {
		f.Add(src)
	}
	f.Add(`a ** (b) ** ((c)) << ((d)) >> e; o[(k)] **= (f)(); (x).y.z **= 2n`)
	f.Add("0**/ /c") // a regular expression literal ends the source (jsast.MendRegExpLiteral)
	f.Add("0**(#n)") // a private name where the grammar has none
	f.Fuzz(func(t *testing.T, src string) {
		prg, err := parseQuietly(src)
		if err != nil {
			return
		}
		ins, err := Edits(src, prg)
		if err != nil {
			return // a line comment between an operand's parentheses
		}
		out := directeval.Apply(src, 0, ins)
		if _, err := parseQuietly(out); err != nil {
			t.Fatalf("%q rewritten as %q: %v", src, out, err)
		}
	})
}

var errPanic = errors.New("the parser panicked")

func parseQuietly(src string) (prg *ast.Program, err error) {
	defer func() {
		if recover() != nil {
			prg, err = nil, errPanic
		}
	}()
	return parser.ParseFile(nil, "", src, 0)
}
