package builtins

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// BenchmarkRegister measures what installing the built-ins adds to a realm's
// start, with the options a runtime gives them.
func BenchmarkRegister(b *testing.B) {
	opts := Options{ArrayBufferBytes: 1 << 30, StringLength: 1 << 29, JoinDepth: 1000, NestingDepth: 1000, Interruptible: true, DynamicFunctions: true}
	b.ReportAllocs()
	envs := make([]*bindings.Env, b.N)
	for i := range envs {
		envs[i] = bindings.NewEnv(webidl.NewRealm(goja.New()), nil)
		envs[i].Global = bindings.Window
		bindings.Configure(envs[i], opts)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := bindings.Install(envs[i], Binding); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompileScripts measures compiling each script of js/, which a
// process does once for each script it needs (see precompile.go and
// lazyscripts.go).
func BenchmarkCompileScripts(b *testing.B) {
	files, err := filepath.Glob("js/*.js")
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(f), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				compileBuiltin(f, string(src))
			}
		})
	}
}
