package subprocess

import (
	"context"
	"testing"

	"github.com/wsjs/wsjs/runtime"
)

// BenchmarkCall measures one call of a small function in process
// (runtime.Runtime.Call) and out of process (Process.Call), in the same run.
func BenchmarkCall(b *testing.B) {
	ctx := context.Background()
	b.Run("in-process", func(b *testing.B) {
		s, err := runtime.Compile(runtime.CompileOptions{Path: "plugin.js", Source: plugin})
		if err != nil {
			b.Fatal(err)
		}
		rt, err := runtime.New(runtime.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer rt.Close()
		if err := rt.Start(ctx, s); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := rt.Call(ctx, "add", 1, 2); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("out-of-process", func(b *testing.B) {
		p := start(b, Config{})
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Call(ctx, "add", 1, 2); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("out-of-process-parallel", func(b *testing.B) {
		p := start(b, Config{})
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := p.Call(ctx, "add", 1, 2); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkStart measures starting a child and closing it.
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		p, err := Start(context.Background(), Config{Path: "plugin.js", Source: plugin})
		if err != nil {
			b.Fatal(err)
		}
		p.Close()
	}
}
