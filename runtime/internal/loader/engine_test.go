package loader

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/dop251/goja"
)

// parserPanics are scripts on which goja's parser panics (see engine.go).
var parserPanics = []struct{ src, want string }{
	{`'\u{10FFFF}'.length`, "2"},
	{`"a\u{10FFFF}b".length + " " + "a\u{10FFFF}".codePointAt(1)`, "4 1114111"},
	{"`\\u{10FFFF}`.length", "2"},
}

// TestLegacyOctalEscapes checks the scripts goja's lexer would misread
// (see misreadOctal), loaded and compiled as classic scripts.
func TestLegacyOctalEscapes(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		src, want string
		misread   bool // a regular expression's is not, but costs only a transform
	}{
		{`"\400" + "|" + '\777'.length`, " 0|2", true},
		{`"\\400".length + " " + /\400/.source`, "4 \\400", true},
		{`"\\400" + "\47\101\3777"`, "\\400'A\u00ff7", false},
	} {
		if got := misreadOctal(c.src); got != c.misread {
			t.Errorf("misreadOctal(%s) = %v", c.src, got)
		}
		src, err := NewSource("x.js", filepath.Join(dir, "x.js"), c.src, false)
		if err != nil {
			t.Fatal(err)
		}
		loaded, err := Load(&Config{Dir: dir}, src)
		if err != nil {
			t.Fatalf("Load(%s): %v", c.src, err)
		}
		fetched, err := CompileClassic("http://example.test/o.js", c.src)
		if err != nil {
			t.Fatalf("CompileClassic(%s): %v", c.src, err)
		}
		for _, prg := range []*goja.Program{loaded.Program, fetched} {
			if v, err := goja.New().RunProgram(prg); err != nil || v.String() != c.want {
				t.Errorf("%s: got %q, %v; want %q", c.src, v, err, c.want)
			}
		}
	}
}

func TestParserPanicContained(t *testing.T) {
	for _, c := range parserPanics {
		if _, _, err := parse("x.js", c.src); !errors.As(err, new(*EngineError)) {
			t.Errorf("%s: parse gave %v, want an *EngineError (has goja's parser been fixed? then engine.go's workaround can go)", c.src, err)
		}
	}
}

func TestParserPanicScriptsRun(t *testing.T) {
	dir := t.TempDir()
	for _, c := range parserPanics {
		src, err := NewSource("x.js", filepath.Join(dir, "x.js"), c.src, false)
		if err != nil {
			t.Fatal(err)
		}
		loaded, err := Load(&Config{Dir: dir}, src)
		if err != nil {
			t.Errorf("Load(%s): %v", c.src, err)
			continue
		}
		fetched, err := CompileClassic("http://example.test/w.js", c.src)
		if err != nil {
			t.Errorf("CompileClassic(%s): %v", c.src, err)
			continue
		}
		for _, prg := range []*goja.Program{loaded.Program, fetched} {
			v, err := goja.New().RunProgram(prg)
			if err != nil || v.String() != c.want {
				t.Errorf("%s: got %v, %v; want %s", c.src, v, err, c.want)
			}
		}
	}
}
