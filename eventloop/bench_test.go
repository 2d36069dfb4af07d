package eventloop

import (
	"context"
	"testing"

	"github.com/dop251/goja"
)

// BenchmarkQueue measures a task queued from another goroutine and run on the loop.
func BenchmarkQueue(b *testing.B) {
	l := New(goja.New(), Options{})
	defer l.Close()
	release := l.Hold()
	done := make(chan struct{})
	go func() { _ = l.Run(context.Background()); close(done) }()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	finished := make(chan struct{})
	for i := 0; i < b.N; i++ {
		l.Queue(func() {
			n++
			if n == b.N {
				close(finished)
			}
		})
	}
	<-finished
	b.StopTimer()
	release()
	<-done
}

// BenchmarkTimeout measures setTimeout(f, 0) through to the callback. The timers are
// set from one task: nested ones would be clamped to 4 ms after five levels.
func BenchmarkTimeout(b *testing.B) {
	vm := goja.New()
	l := New(vm, Options{})
	defer l.Close()
	_ = vm.Set("N", b.N)
	p := goja.MustCompile("bench.js", `let n = 0; const tick = () => { n++; }; for (let i = 0; i < N; i++) setTimeout(tick, 0);`, false)
	l.Queue(func() { _, _ = l.RunProgram(p) })
	b.ReportAllocs()
	b.ResetTimer()
	if err := l.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
}
