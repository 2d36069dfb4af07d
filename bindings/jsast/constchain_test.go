package jsast

import (
	"slices"
	"testing"

	"github.com/dop251/goja/parser"
)

func TestFoldedLeaves(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string // the leaves' text
	}{
		{"1 && 1", nil},
		{"1 && 1 && 1", []string{"1"}},
		{"x && 1 && 1", nil},
		{"(1 && 1) || (2 && 2)", []string{"1"}},
		{"!0 && !0 && f()", []string{"0"}},
		{"'a' + 'b' ?? 1 ?? 2", []string{"'a'"}},
		{"a = (1 && 1 && 1) && 2", []string{"1"}},
		{"f(1 || 0 || 2, 3 ?? (4 ?? 5) ?? 6)", []string{"1", "3"}},
		{"1 + x && 1 && 1", nil},
	} {
		prg, err := parser.ParseFile(nil, "", c.src, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range FoldedLeaves(prg) {
			got = append(got, c.src[(*f).Idx0()-1:(*f).Idx1()-1])
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.src, got, c.want)
		}
	}
}
