package subprocess

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"reflect"
	"testing"
)

func TestFrames(t *testing.T) {
	msgs := []*message{
		{Op: opStart, Start: &startConfig{Path: "a.js", Source: "export {}", MemoryLimit: 1 << 30}},
		{Op: opCall, ID: 7, Name: "default.fetch", Payload: []byte{1, 2, 3}},
		{Op: opResult, ID: 7, Err: &wireError{Kind: kindScript, Message: "Error: x", Stack: "    at f (a.js:1:1)"}},
		{Op: opStdout, Payload: []byte("\xff\x00bytes")},
	}
	var buf bytes.Buffer
	fw := newFrameWriter(&buf)
	for _, m := range msgs {
		if err := fw.write(m); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range msgs {
		got, err := readFrame(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	}
	if _, err := readFrame(&buf); err != io.EOF {
		t.Errorf("after the last frame: %v", err)
	}
}

func TestBadFrames(t *testing.T) {
	frame := func(body string) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(4+len(body)))
		b = binary.BigEndian.AppendUint32(b, uint32(len(body)))
		return append(b, body...)
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"short header", []byte{0, 0}},
		{"short body", frame(`{"op":"call"}`)[:8]},
		{"too long", binary.BigEndian.AppendUint32(nil, maxFrame+1)},
		{"not JSON", frame("{op")},
		{"no op", frame(`{"id":1}`)},
		{"no message length", []byte{0, 0, 0, 2, 0, 0}},
		{"message longer than the frame", append([]byte{0, 0, 0, 6, 0, 0, 0, 3}, `{}`...)},
	}
	for _, tt := range tests {
		if m, err := readFrame(bytes.NewReader(tt.in)); err == nil {
			t.Errorf("%s: read %+v", tt.name, m)
		}
	}
}

func TestValues(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{[]any{1, -2, 1.5, 1e300, uint64(1) << 63}, `[]interface {}{1, -2, 1.5, 1e+300, 9.223372036854776e+18}`},
		{map[string]any{"a": []any{true, nil, "s"}}, `map[string]interface {}{"a":[]interface {}{true, interface {}(nil), "s"}}`},
		{nil, `<nil>`},
	}
	for _, tt := range tests {
		b, err := encodeGo(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeGo(b)
		if err != nil || fmt.Sprintf("%#v", got) != tt.want && fmt.Sprint(got) != tt.want {
			t.Errorf("%#v crossed as %#v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func FuzzReadFrame(f *testing.F) {
	var buf bytes.Buffer
	args, _ := encodeGo([]any{1})
	newFrameWriter(&buf).write(&message{Op: opCall, ID: 1, Name: "f", Payload: args})
	f.Add(buf.Bytes())
	f.Add([]byte{0, 0, 0, 6, 0, 0, 0, 2, '{', '}'})
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := readFrame(bytes.NewReader(in))
		if err != nil {
			return
		}
		// Once written, what was read reads back alike (the first writing
		// may compact the JSON).
		once := roundTrip(t, m)
		if twice := roundTrip(t, once); !reflect.DeepEqual(once, twice) {
			t.Fatalf("round trip: %+v; want %+v", twice, once)
		}
		decodeArgs(m.Payload)
		decodeGo(m.Payload)
	})
}

func roundTrip(t *testing.T, m *message) *message {
	var b bytes.Buffer
	if err := newFrameWriter(&b).write(m); err != nil {
		t.Fatal(err)
	}
	m, err := readFrame(&b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
