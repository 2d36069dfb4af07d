package runtime

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wsjs/wsjs/bindings/encoding"
)

// A script that is not UTF-8 is decoded as HTML decodes a fetched script: each
// invalid sequence becomes U+FFFD. These bytes made esbuild's source map writer
// loop forever (found by FuzzLoad).
func TestScriptsThatAreNotUTF8(t *testing.T) {
	bad := "'\xb89\xf0\xf1\xf4\x9e\xba\x91X\"\x0e\xc0\xf0^\xfe\x9a^\x94.\xb4\xacm\x17O\x18\x95\xcd\xe5'"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lib.ts"), []byte("export const s: string = "+bad+";\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.ts"), []byte("import { s } from './lib';\nconsole.log([...s].filter(c => c === '\\ufffd').length, "+bad+".length);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		run  func(rt *Runtime, ctx context.Context) error
	}{
		{"RunScript", func(rt *Runtime, ctx context.Context) error {
			return rt.RunScript(ctx, "bad.js", "console.log([..."+bad+"].filter(c => c === '\\ufffd').length)")
		}},
		{"RunFile importing a file", func(rt *Runtime, ctx context.Context) error {
			return rt.RunFile(ctx, filepath.Join(dir, "main.ts"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out syncBuffer
			rt, err := New(Options{Stdout: &out, Stderr: &syncBuffer{}})
			if err != nil {
				t.Fatal(err)
			}
			defer rt.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := tc.run(rt, ctx); err != nil {
				t.Fatal(err)
			}
			// As many U+FFFD as the Encoding Standard's decoder makes of the bytes.
			want := strconv.Itoa(strings.Count(encoding.UTF8DecodeWithoutBOM([]byte(bad)), "\uFFFD"))
			if got := strings.Fields(out.String()); len(got) == 0 || got[0] != want {
				t.Errorf("printed %q: want %s U+FFFD characters", out.String(), want)
			}
		})
	}
}
