package runtime

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	goruntime "runtime"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// syncBuffer is a bytes.Buffer safe for the loop goroutine to write while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// writeFiles creates files (relative path -> contents) under a new temporary directory.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, contents := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(contents), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type result struct {
	stdout, stderr string
	err            error
	dir            string
}

// runFiles writes files and runs entry with opts (Dir, Stdout and Stderr are set).
func runFiles(t testing.TB, files map[string]string, entry string, opts Options) result {
	t.Helper()
	dir := writeFiles(t, files)
	var out, errOut syncBuffer
	opts.Dir, opts.Stdout, opts.Stderr = dir, &out, &errOut
	rt, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = rt.RunFile(ctx, entry)
	return result{stdout: out.String(), stderr: errOut.String(), err: err, dir: dir}
}

// runSrc runs one script held in memory.
func runSrc(t testing.TB, name, src string, opts Options) result {
	t.Helper()
	var out, errOut syncBuffer
	opts.Stdout, opts.Stderr = &out, &errOut
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	rt, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = rt.RunScript(ctx, name, src)
	return result{stdout: out.String(), stderr: errOut.String(), err: err, dir: opts.Dir}
}

func toValues(vm interface{ ToValue(any) goja.Value }, vals ...any) []goja.Value {
	out := make([]goja.Value, len(vals))
	for i, v := range vals {
		out[i] = vm.ToValue(v)
	}
	return out
}

// checkGoroutines fails t if more goroutines are running than before, once
// the scheduler has had a bounded number of turns: a worker's goroutine has
// ended its work when Close returns, but may not have returned yet.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	after := goruntime.NumGoroutine()
	for deadline := time.Now().Add(5 * time.Second); after > before && time.Now().Before(deadline); after = goruntime.NumGoroutine() {
		goruntime.Gosched()
	}
	if after > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines before, %d after Close:\n%s", before, after, buf[:goruntime.Stack(buf, true)])
	}
}
