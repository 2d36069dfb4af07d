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

// BenchmarkJSONParse measures JSON.parse (jsontext.go) of an array of 2^16
// numbers and of 2^12 small objects, ASCII and not. goja's own parse took
// about five times as long for the numbers.
func BenchmarkJSONParse(b *testing.B) {
	vm := newVM(b, Options{NestingDepth: 1000, Interruptible: true})
	for _, c := range []struct{ name, text string }{
		{"numbers", `"[" + "12,".repeat(2**16) + "0]"`},
		{"objects", `"[" + '{"id":1,"name":"item","tags":["a","b"],"v":0.5,"ok":true},'.repeat(2**12) + "0]"`},
		{"objects-utf16", `"[" + '{"id":1,"name":"é","tags":["a","b"],"v":0.5,"ok":true},'.repeat(2**12) + "0]"`},
	} {
		b.Run(c.name, func(b *testing.B) {
			text, err := vm.RunString(c.text)
			if err != nil {
				b.Fatal(err)
			}
			parse, _ := goja.AssertFunction(vm.Get("JSON").(*goja.Object).Get("parse"))
			b.SetBytes(int64(len(text.String())))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parse(goja.Undefined(), text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
