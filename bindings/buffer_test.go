package bindings

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

func TestBuffer(t *testing.T) {
	const limit = 1 << 20
	cases := []struct {
		name  string
		fill  func(b *Buffer) error
		err   error
		n     int   // bytes gathered
		held  int64 // charged while the buffer is held
		after int64 // charged once the buffer is dropped and collected
	}{
		{
			name: "writes within", n: 3000, held: 4000,
			fill: func(b *Buffer) error {
				for range 3 {
					if _, err := b.Write(make([]byte, 1000)); err != nil {
						return err
					}
				}
				return nil
			},
		},
		{
			name: "write beyond", err: ErrMemory, n: 1 << 19, held: 1 << 19,
			fill: func(b *Buffer) error {
				if _, err := b.Write(make([]byte, 1<<19)); err != nil {
					return err
				}
				_, err := b.Write(make([]byte, 1<<19+1))
				return err
			},
		},
		{
			name: "exactly the budget", n: limit, held: limit,
			fill: func(b *Buffer) error {
				_, err := b.ReadFrom(iotest.OneByteReader(bytes.NewReader(make([]byte, limit))))
				return err
			},
		},
		{
			name: "reader beyond", err: ErrMemory, n: limit, held: limit,
			fill: func(b *Buffer) error {
				_, err := b.ReadFrom(strings.NewReader(strings.Repeat("x", limit+1)))
				return err
			},
		},
		{
			name: "reader error", err: io.ErrUnexpectedEOF, n: 10, held: minGrowth,
			fill: func(b *Buffer) error {
				_, err := b.ReadFrom(io.MultiReader(strings.NewReader("0123456789"), iotest.ErrReader(io.ErrUnexpectedEOF)))
				return err
			},
		},
		{
			name: "free", n: 0, held: 0,
			fill: func(b *Buffer) error {
				_, err := b.Write(make([]byte, 1<<19))
				b.Free()
				return err
			},
		},
		{
			name: "reset keeps the array", n: 100, held: 1 << 19, after: 0,
			fill: func(b *Buffer) error {
				if _, err := b.Write(make([]byte, 1<<19)); err != nil {
					return err
				}
				b.Reset()
				_, err := b.Write(make([]byte, 100))
				return err
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			budget := NewBudget(limit)
			b := &Buffer{Budget: budget}
			if err := c.fill(b); !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v", err, c.err)
			}
			if b.Len() != c.n || len(b.Bytes()) != c.n {
				t.Errorf("Len() = %d, want %d", b.Len(), c.n)
			}
			if budget.Used() != c.held {
				t.Errorf("Used() = %d, want %d", budget.Used(), c.held)
			}
			runtime.KeepAlive(b)
			b = nil
			waitUsed(t, budget, c.after)
		})
	}
}

// The bytes of a Buffer stay charged while they are in use after the
// Buffer is dropped.
func TestBufferBytesOutliveIt(t *testing.T) {
	budget := NewBudget(1 << 20)
	b := &Buffer{Budget: budget}
	if _, err := b.Write(make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	kept := b.Bytes()
	b = nil
	runtime.GC()
	if budget.Used() != 1000 {
		t.Errorf("Used() = %d with the bytes in use", budget.Used())
	}
	runtime.KeepAlive(kept)
	kept = nil
	waitUsed(t, budget, 0)
}

func TestBufferNoBudget(t *testing.T) {
	var b Buffer
	if _, err := b.ReadFrom(strings.NewReader(strings.Repeat("y", 5000))); err != nil || b.Len() != 5000 {
		t.Fatalf("ReadFrom: %d bytes, %v", b.Len(), err)
	}
	b.Free()
	if b.Len() != 0 {
		t.Error("Free kept bytes")
	}
}
