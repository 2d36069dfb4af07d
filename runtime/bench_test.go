package runtime

import (
	"context"
	"io"
	"testing"
)

// BenchmarkNew is creating a Runtime with every web API installed, and closing it.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		rt.Close()
	}
}

// BenchmarkRunEmpty is what the CLI does for an empty script once the process has
// started: create a Runtime, run the script to the end of the event loop, close.
func BenchmarkRunEmpty(b *testing.B) {
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		if err := rt.RunScript(ctx, "[eval].js", ""); err != nil {
			b.Fatal(err)
		}
		rt.Close()
	}
}
