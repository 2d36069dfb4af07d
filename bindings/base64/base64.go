package base64

import (
	"encoding/base64"
	"fmt"
	"sync"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// Binding installs atob and btoa.
var Binding = &bindings.Binding{Name: "base64", Register: Register}

// Register defines atob and btoa on the global object of env.Realm as
// operations of the WindowOrWorkerGlobalScope mixin (webidl's
// DefineGlobalMembers): writable, enumerable, configurable functions of
// length 1 that only the global object may be this of.
func Register(env *bindings.Env) error {
	r := env.Realm
	err := r.DefineGlobalMembers(nil, []webidl.Operation{
		{Name: "btoa", Length: 1, Func: func(c webidl.Call) goja.Value { return btoa(r, c) }},
		{Name: "atob", Length: 1, Func: func(c webidl.Call) goja.Value { return atob(r, c) }},
	})
	if err != nil {
		return fmt.Errorf("base64: %w", err)
	}
	return nil
}

// argument converts the only argument of atob and btoa, a DOMString (its
// presence is checked before).
func argument(r *webidl.Realm, c webidl.Call) goja.String {
	return r.ToDOMString(c.Args[0])
}

// buffers holds scratch space for the bytes of btoa and atob.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func getBuffer() *[]byte { return buffers.Get().(*[]byte) }

// putBuffer returns b (grown to hold used) to the pool, unless it is large.
func putBuffer(b *[]byte, used []byte) {
	if cap(used) > 64<<10 {
		return
	}
	*b = used[:0]
	buffers.Put(b)
}

// btoa(data) (https://html.spec.whatwg.org/multipage/webappapis.html#dom-btoa).
func btoa(r *webidl.Realm, c webidl.Call) goja.Value {
	data := argument(r, c)
	bp := getBuffer()
	n := data.Length()
	// 1. If data contains any code point whose value is greater than
	// U+00FF, throw an "InvalidCharacterError" DOMException. (A code point
	// above U+00FF is exactly a code unit above 0xFF, surrogates included.)
	// 2. Let byteSequence be the byte whose nth byte is the eight-bit
	// representation of the nth code point of data.
	bytes := (*bp)[:0]
	poll := r.Poller() // a string of hundreds of megabytes takes seconds
	for i := 0; i < n; i++ {
		poll.Step()
		u := data.CharAt(i)
		if u > 0xFF {
			r.ThrowDOMException("InvalidCharacterError", "Failed to execute 'btoa': The string to be encoded contains characters outside of the Latin1 range.")
		}
		bytes = append(bytes, byte(u))
	}
	// 3. Return the result of forgiving-base64 encoding byteSequence.
	out := base64.StdEncoding.AppendEncode(bytes, bytes)
	v := r.VM().ToValue(string(out[len(bytes):]))
	putBuffer(bp, out)
	return v
}

// atob(data) (https://html.spec.whatwg.org/multipage/webappapis.html#dom-atob).
func atob(r *webidl.Realm, c webidl.Call) goja.Value {
	data := argument(r, c)
	bp := getBuffer()
	// 1. Let decodedData be the result of running forgiving-base64 decode
	// on data.
	encoded, ok := appendASCII((*bp)[:0], data, r.Poller())
	decoded := encoded
	if ok {
		decoded, ok = appendForgivingDecode(encoded, encoded)
	}
	// 2. If decodedData is failure, throw an "InvalidCharacterError"
	// DOMException.
	if !ok {
		putBuffer(bp, decoded)
		r.ThrowDOMException("InvalidCharacterError", "Failed to execute 'atob': The string to be decoded is not correctly encoded.")
	}
	// 3. Return decodedData, as a ByteString: one code unit per byte.
	v := byteString(r.VM(), decoded[len(encoded):])
	putBuffer(bp, decoded)
	return v
}

func byteString(vm *goja.Runtime, b []byte) goja.Value {
	for _, c := range b {
		if c >= 0x80 {
			units := make([]uint16, len(b))
			for i, c := range b {
				units[i] = uint16(c)
			}
			return goja.StringFromUTF16(units)
		}
	}
	return vm.ToValue(string(b))
}

// codeUnits is a UTF-16 string, such as a goja.String.
type codeUnits interface {
	Length() int
	CharAt(int) uint16
}

// appendASCII appends the code units of data to dst as bytes, or reports
// false if one is not ASCII. Forgiving-base64 decode fails on such a code
// point: it is neither ASCII whitespace nor in the base64 alphabet. Each
// unit is a step of poll.
func appendASCII(dst []byte, data codeUnits, poll *webidl.Poller) ([]byte, bool) {
	n := data.Length()
	for i := 0; i < n; i++ {
		poll.Step()
		u := data.CharAt(i)
		if u >= 0x80 {
			return dst, false
		}
		dst = append(dst, byte(u))
	}
	return dst, true
}
