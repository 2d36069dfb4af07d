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
// operations of the WindowOrWorkerGlobalScope mixin: writable, enumerable,
// configurable functions of length 1.
func Register(env *bindings.Env) error {
	r := env.Realm
	vm := r.VM()
	ops := []struct {
		name string
		fn   func(goja.FunctionCall) goja.Value
	}{
		{"btoa", func(c goja.FunctionCall) goja.Value { return btoa(r, c) }},
		{"atob", func(c goja.FunctionCall) goja.Value { return atob(r, c) }},
	}
	for _, op := range ops {
		f := vm.ToValue(op.fn).(*goja.Object)
		if err := f.DefineDataProperty("length", vm.ToValue(1), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
		if err := f.DefineDataProperty("name", vm.ToValue(op.name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
		if err := r.Global().DefineDataProperty(op.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("base64: defining %s: %w", op.name, err)
		}
	}
	return nil
}

// argument converts the only argument of atob and btoa, a DOMString.
func argument(r *webidl.Realm, c goja.FunctionCall, name string) goja.String {
	if len(c.Arguments) < 1 {
		r.ThrowTypeError("Failed to execute '%s': 1 argument required, but only 0 present.", name)
	}
	return r.ToDOMString(c.Arguments[0])
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

// btoa(data) (HTML §8.3).
func btoa(r *webidl.Realm, c goja.FunctionCall) goja.Value {
	data := argument(r, c, "btoa")
	bp := getBuffer()
	n := data.Length()
	// 1. If data contains any code point whose value is greater than
	// U+00FF, throw an "InvalidCharacterError" DOMException. (A code point
	// above U+00FF is exactly a code unit above 0xFF, surrogates included.)
	// 2. Let byteSequence be the byte whose nth byte is the eight-bit
	// representation of the nth code point of data.
	bytes := (*bp)[:0]
	for i := 0; i < n; i++ {
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

// atob(data) (HTML §8.3).
func atob(r *webidl.Realm, c goja.FunctionCall) goja.Value {
	data := argument(r, c, "atob")
	bp := getBuffer()
	// 1. Let decodedData be the result of running forgiving-base64 decode
	// on data.
	decoded, ok := forgivingDecode((*bp)[:0], data)
	// 2. If decodedData is failure, throw an "InvalidCharacterError"
	// DOMException.
	if !ok {
		putBuffer(bp, decoded)
		r.ThrowDOMException("InvalidCharacterError", "Failed to execute 'atob': The string to be decoded is not correctly encoded.")
	}
	// 3. Return decodedData, as a ByteString: one code unit per byte.
	v := byteString(r.VM(), decoded)
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

// forgivingDecode is the forgiving-base64 decode of the Infra Standard
// (§4.4): it appends the bytes data encodes to dst, or reports false if
// data is not base64.
func forgivingDecode(dst []byte, data codeUnits) ([]byte, bool) {
	start := len(dst)
	// 1. Remove all ASCII whitespace from data. The remaining code points
	// are collected at the end of dst; any other non-ASCII code point fails
	// step 4 below (or step 3 first), so it fails right away.
	n := data.Length()
	for i := 0; i < n; i++ {
		switch u := data.CharAt(i); {
		case u == '\t' || u == '\n' || u == '\f' || u == '\r' || u == ' ':
		case u >= 0x80:
			return dst[:start], false
		default:
			dst = append(dst, byte(u))
		}
	}
	clean := dst[start:]
	// 2. If data's code point length divides by 4 leaving no remainder,
	// then: if data ends with one or two U+003D (=) code points, then
	// remove them from data.
	if len(clean)%4 == 0 {
		for k := 0; k < 2 && len(clean) > 0 && clean[len(clean)-1] == '='; k++ {
			clean = clean[:len(clean)-1]
		}
	}
	// 3. If data's code point length divides by 4 leaving a remainder of
	// 1, return failure.
	if len(clean)%4 == 1 {
		return dst[:start], false
	}
	// 4. If data contains a code point that is not one of U+002B (+),
	// U+002F (/), ASCII alphanumeric, then return failure.
	for _, c := range clean {
		if decodeTable[c] == invalid {
			return dst[:start], false
		}
	}
	// 5-9. Take the code points six bits at a time; every 24 bits make
	// three bytes. The bytes are written over the code points already read.
	out := dst[:start]
	var buffer uint32
	bits := 0
	for _, c := range clean {
		buffer = buffer<<6 | uint32(decodeTable[c])
		bits += 6
		if bits == 24 {
			out = append(out, byte(buffer>>16), byte(buffer>>8), byte(buffer))
			buffer, bits = 0, 0
		}
	}
	// 9. If buffer is not empty, it contains either 12 or 18 bits: discard
	// the last 4 or 2 and keep one or two bytes.
	switch bits {
	case 12:
		out = append(out, byte(buffer>>4))
	case 18:
		out = append(out, byte(buffer>>10), byte(buffer>>2))
	}
	return out, true
}

const invalid = 0xFF

// decodeTable maps the characters of the standard base64 alphabet (RFC 4648
// Table 1) to their values; everything else is invalid.
var decodeTable = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range t {
		t[i] = invalid
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()
