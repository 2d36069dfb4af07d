package jsast

import (
	"testing"

	"github.com/dop251/goja/parser"
)

func TestIsDirective(t *testing.T) {
	prg, err := parser.ParseFile(nil, "", `"use strict"; 'a'; "b" + 1; x;`, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []bool{true, true, false, false}
	for i, s := range prg.Body {
		if got := IsDirective(s); got != want[i] {
			t.Errorf("statement %d: IsDirective = %v, want %v", i, got, want[i])
		}
	}
}
