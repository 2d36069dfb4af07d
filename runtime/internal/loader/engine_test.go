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
	for _, c := range []struct {
		src, want string
		misread   bool // a regular expression's is not, but costs only a transform
	}{
		{`"\400" + "|" + '\777'.length`, " 0|2", true},
		{`"\\400".length + " " + /\400/.source`, "4 \\400", true},
		{`"\\400" + "\47\101\3777"`, "\\400'A\u00ff7", false},
		{`"a\\" + "\\\\" + "\7"`, "a\\\\\\\a", false},
	} {
		if got := misreadOctal(c.src); got != c.misread {
			t.Errorf("misreadOctal(%s) = %v", c.src, got)
		}
		runClassic(t, c.src, c.want)
	}
}

// runClassic loads src as a user's classic script (Load) and compiles it as
// a fetched one (CompileClassic), runs each in a plain goja runtime, and
// reports where what either evaluates to is not want.
func runClassic(t *testing.T, src, want string) {
	t.Helper()
	dir := t.TempDir()
	source, err := NewSource("x.js", filepath.Join(dir, "x.js"), src, false)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(&Config{Dir: dir}, source)
	if err != nil {
		t.Errorf("Load(%s): %v", src, err)
		return
	}
	fetched, err := CompileClassic("http://example.test/x.js", src)
	if err != nil {
		t.Errorf("CompileClassic(%s): %v", src, err)
		return
	}
	for _, prg := range []*goja.Program{loaded.Program, fetched} {
		if v, err := goja.New().RunProgram(prg); err != nil || v.String() != want {
			t.Errorf("%s: got %v, %v; want %q", src, v, err, want)
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
	for _, c := range parserPanics {
		runClassic(t, c.src, c.want)
	}
}
