package loader

import (
	"errors"
	"path/filepath"
	"strings"

	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"
)

// An entry esbuild takes for CommonJS is bundled as CommonJS, as Node.js
// runs it, only if it is: if it uses module, exports or require, or its
// name ends in .cjs or .cts. esbuild also takes a script for CommonJS
// because of a return statement outside any function, which in a classic
// script, as in a browser's <script> or a worker's, is an early error
// (https://tc39.es/ecma262/#sec-scripts-static-semantics-early-errors:
// ScriptBody must not contain a ReturnStatement outside a function).

// strayReturn returns the syntax error of the entry src if esbuild took it
// for CommonJS only because of a top-level return. goja's parser finds the
// return in the entry as esbuild prints it alone, whose source map gives
// its place in src.
func strayReturn(cfg *Config, src Source) error {
	switch strings.ToLower(filepath.Ext(src.path)) {
	case ".cjs", ".cts":
		return nil
	}
	t, err := transformModule(cfg, src, src, api.FormatDefault)
	if err != nil || usesCommonJS(t.code) {
		return nil
	}
	_, _, err = parse(src.name, t.code)
	var el parser.ErrorList
	if !errors.As(err, &el) {
		return nil
	}
	for _, e := range el {
		if e.Message == "Illegal return statement" {
			e.Message += ": a return outside any function (a script is run as CommonJS only if it uses module, exports or require)"
			return mapSyntaxError(src, bundleName(src), t.smap, parser.ErrorList{e})
		}
	}
	return nil
}

// usesCommonJS reports whether code names module, exports or require
// other than as a property name: a token check, not a scope analysis, so a
// script that declares such a name of its own stays CommonJS, as before.
func usesCommonJS(code string) bool {
	s := newScanner(code)
	dot := false
	for t := s.next(); t.kind != tokEOF; t = s.next() {
		if t.kind == tokName && !dot {
			switch code[t.from:t.to] {
			case "module", "exports", "require":
				return true
			}
		}
		dot = t.kind == tokPunct && (code[t.from:t.to] == "." || code[t.from:t.to] == "?.")
	}
	return false
}
