package builtins

import (
	"slices"
	"strings"

	"github.com/wsjs/wsjs/bindings/directeval"
	"github.com/wsjs/wsjs/bindings/jsast"
)

// The source that eval and the Function constructors give goja's parser
// has the literals that would have goja's compiler fold a chain of logical
// operators in exponential time wrapped in a comma expression, (0, 1) for 1,
// as the loader does in a script's tree (jsast.FoldedLeaves). Source with
// few logical operators is not parsed for them: a chain of up to
// foldThreshold levels folds in a few milliseconds.

// foldThreshold is how many logical operators source holds before it is
// parsed for chains to hide from folding.
const foldThreshold = 12

// mayFold reports whether text holds foldThreshold logical operators.
func mayFold(text string) bool {
	return strings.Count(text, "&&")+strings.Count(text, "||")+strings.Count(text, "??") >= foldThreshold
}

// foldedLeaves returns the insertions that wrap the literals of text that
// jsast.FoldedLeaves finds, or none where it is no script goja parses.
func (d *dynamicCode) foldedLeaves(text string) []directeval.Insertion {
	prg := d.parse(text)
	if prg == nil {
		return nil
	}
	var ins []directeval.Insertion
	for _, f := range jsast.FoldedLeaves(prg) {
		ins = append(ins,
			directeval.Insertion{At: int((*f).Idx0()) - 1, Text: "(0, "},
			directeval.Insertion{At: int((*f).Idx1()) - 1, Text: ")"})
	}
	slices.SortStableFunc(ins, func(a, b directeval.Insertion) int { return a.At - b.At })
	return ins
}
