package wstest

import (
	"bytes"
	"testing"

	"github.com/gobwas/ws"
)

func masked(fin bool, op ws.OpCode, p string) []byte {
	f := ws.NewFrame(op, fin, []byte(p))
	f = ws.MaskFrameInPlace(f)
	var b bytes.Buffer
	_ = ws.WriteFrame(&b, f)
	return b.Bytes()
}

func TestNext(t *testing.T) {
	var in bytes.Buffer
	in.Write(masked(false, ws.OpText, "ab"))
	in.Write(masked(true, ws.OpPing, "p"))
	in.Write(masked(false, ws.OpContinuation, "cd"))
	in.Write(masked(true, ws.OpContinuation, "e"))
	in.Write(masked(true, ws.OpBinary, "x"))
	r := NewReader(&in)
	for _, want := range []struct {
		op   ws.OpCode
		data string
	}{{ws.OpPing, "p"}, {ws.OpText, "abcde"}, {ws.OpBinary, "x"}} {
		f, err := r.Next()
		if err != nil || f.Header.OpCode != want.op || string(f.Payload) != want.data || !f.Header.Fin || f.Header.Length != int64(len(want.data)) {
			t.Fatalf("got %v %q %v, want %v %q", f.Header, f.Payload, err, want.op, want.data)
		}
	}
	if _, err := r.Next(); err == nil {
		t.Fatal("no error at the end of the input")
	}
}

func TestNextErrors(t *testing.T) {
	for name, in := range map[string][]byte{
		"unmasked": func() []byte {
			var b bytes.Buffer
			_ = ws.WriteFrame(&b, ws.NewTextFrame([]byte("a")))
			return b.Bytes()
		}(),
		"continuation first":   masked(true, ws.OpContinuation, "a"),
		"message in a message": append(masked(false, ws.OpText, "a"), masked(true, ws.OpText, "b")...),
	} {
		if _, err := NewReader(bytes.NewReader(in)).Next(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
