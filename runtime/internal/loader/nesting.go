package loader

import (
	"errors"
	"fmt"

	"github.com/wsjs/wsjs/bindings/jsnest"
)

// Every text the loader reads (an entry, a module of a graph, a file esbuild
// bundles, a classic script) is checked by package jsnest before goja's
// parser, esbuild's or the loader's own passes see it: each of them recurses
// in Go once per level of nesting, and text nested a million deep would
// exhaust the goroutine's stack, which ends the process.

// checkNesting returns a *LoadError if text, the file name, nests too deeply.
func checkNesting(name, text string) error {
	if p := nestingProblem(text); p != nil {
		p.File = name
		return &LoadError{Problems: []Problem{*p}}
	}
	return nil
}

// nestingProblem returns where text nests too deeply, with no file name, or
// nil.
func nestingProblem(text string) *Problem {
	var e *jsnest.Error
	if !errors.As(jsnest.Check(text), &e) {
		return nil
	}
	return &Problem{Line: e.Line, Column: e.Column, Text: fmt.Sprintf("the code nests too deeply (more than %d levels)", jsnest.MaxDepth)}
}
