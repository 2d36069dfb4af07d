package runtime

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// CompileClassic compiles src, a classic script named name (a file name or a
// URL), as the runtime compiles the scripts its workers fetch: as is when
// goja's parser takes it, first re-printed by esbuild when goja's parser would
// panic on it (as on some code-point escapes). It does not bundle imports.
// The program may run in any goja runtime; programs are cached by name and
// source. An error is a syntax error of the script.
func CompileClassic(name, src string) (*goja.Program, error) {
	return loader.CompileClassic(name, src)
}
