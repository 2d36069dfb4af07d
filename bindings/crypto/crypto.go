package crypto

import (
	"crypto/rand"
	"fmt"
	"reflect"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// maxRandomBytes is the largest byteLength getRandomValues fills
// (https://w3c.github.io/webcrypto/#Crypto-method-getRandomValues).
const maxRandomBytes = 65536

// Binding installs the Crypto interface and the global crypto attribute.
var Binding = &bindings.Binding{Name: "crypto", Register: Register}

// Register defines the Crypto interface and the global crypto attribute in
// env.Realm. The runtime counts as a secure context, so randomUUID is
// exposed.
func Register(env *bindings.Env) error {
	r := env.Realm
	vm := r.VM()
	byteLength, ok := goja.AssertFunction(webidl.Intrinsics{VM: vm}.Value("Uint8Array", "prototype", "[[Prototype]]", "get byteLength"))
	if !ok {
		return fmt.Errorf("crypto: %%TypedArray%%.prototype.byteLength is not a getter")
	}
	// [Exposed=(Window,Worker)] interface Crypto {
	//   ArrayBufferView getRandomValues(ArrayBufferView array);
	//   [SecureContext] DOMString randomUUID();
	// };
	err := r.DefineInterface(&webidl.Interface{
		Name: "Crypto",
		Operations: []webidl.Operation{{
			Name:   "getRandomValues",
			Length: 1,
			Func: func(c webidl.Call) goja.Value {
				c.RequireArgs("Crypto.getRandomValues", 1)
				return getRandomValues(r, byteLength, c.Arg(0))
			},
		}, {
			Name: "randomUUID",
			Func: func(webidl.Call) goja.Value { return vm.ToValue(RandomUUID()) },
		}},
	})
	if err != nil {
		return fmt.Errorf("crypto: %w", err)
	}
	// The WindowOrWorkerGlobalScope attribute [SameObject] readonly
	// attribute Crypto crypto
	// (https://w3c.github.io/webcrypto/#crypto-interface).
	crypto := r.New("Crypto", struct{}{})
	return r.DefineGlobalMembers([]webidl.Attribute{{
		Name: "crypto", Get: func(webidl.Call) goja.Value { return crypto },
	}}, nil)
}

// integerArrays are the export types of the typed arrays getRandomValues
// accepts: Int8Array, Uint8Array, Uint8ClampedArray (both []uint8),
// Int16Array, Uint16Array, Int32Array, Uint32Array, BigInt64Array and
// BigUint64Array.
var integerArrays = map[reflect.Type]bool{
	reflect.TypeOf([]int8(nil)):   true,
	reflect.TypeOf([]uint8(nil)):  true,
	reflect.TypeOf([]int16(nil)):  true,
	reflect.TypeOf([]uint16(nil)): true,
	reflect.TypeOf([]int32(nil)):  true,
	reflect.TypeOf([]uint32(nil)): true,
	reflect.TypeOf([]int64(nil)):  true,
	reflect.TypeOf([]uint64(nil)): true,
}

// getRandomValues(array) (https://w3c.github.io/webcrypto/#Crypto-method-getRandomValues).
func getRandomValues(r *webidl.Realm, byteLength goja.Callable, v goja.Value) goja.Value {
	// ArrayBufferView conversion
	// (https://webidl.spec.whatwg.org/#js-buffer-source-types): anything
	// else is a TypeError.
	if !r.IsArrayBufferView(v) {
		r.ThrowTypeError("Failed to execute 'getRandomValues' on 'Crypto': parameter 1 is not of type 'ArrayBufferView'.")
	}
	array := v.(*goja.Object)
	// 1. If array is not an Int8Array, Uint8Array, Uint8ClampedArray,
	// Int16Array, Uint16Array, Int32Array, Uint32Array, BigInt64Array, or
	// BigUint64Array, then throw a TypeMismatchError.
	if !integerArrays[array.ExportType()] {
		r.ThrowDOMException("TypeMismatchError", "Failed to execute 'getRandomValues' on 'Crypto': The provided ArrayBufferView is not an integer array type.")
	}
	// 2. If the byteLength of array is greater than 65536, throw a
	// QuotaExceededError.
	n, err := byteLength(array)
	if err != nil {
		panic(err)
	}
	if n.ToInteger() > maxRandomBytes {
		r.ThrowDOMException("QuotaExceededError", fmt.Sprintf("Failed to execute 'getRandomValues' on 'Crypto': The ArrayBufferView's byte length (%d) exceeds the number of bytes of entropy available via this API (%d).", n.ToInteger(), maxRandomBytes))
	}
	// 3. Overwrite all elements of array with cryptographically strong
	// random values of the appropriate type. (A view of a detached buffer
	// has no elements.)
	if n.ToInteger() > 0 {
		var b []byte
		if err := r.VM().ExportTo(array, &b); err != nil {
			panic(r.VM().NewGoError(err))
		}
		_, _ = rand.Read(b) // never fails (crypto/rand.Read)
	}
	// 4. Return array.
	return array
}

// RandomUUID generates a random UUID (https://w3c.github.io/webcrypto/#Crypto-method-randomUUID):
// a version 4 UUID (RFC 9562 section 5.4,
// https://www.rfc-editor.org/rfc/rfc9562#section-5.4) in lowercase
// hexadecimal.
func RandomUUID() string {
	// 1-2. Let bytes be 16 cryptographically secure random bytes.
	var b [16]byte
	_, _ = rand.Read(b[:])
	// 3. Set the 4 most significant bits of bytes[6] to 0100.
	b[6] = b[6]&0x0f | 0x40
	// 4. Set the 2 most significant bits of bytes[8] to 10.
	b[8] = b[8]&0x3f | 0x80
	// 5. Return the hexadecimal bytes, grouped 4-2-2-2-6.
	const hex = "0123456789abcdef"
	var s [36]byte
	j := 0
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s[j] = '-'
			j++
		}
		s[j], s[j+1] = hex[c>>4], hex[c&15]
		j += 2
	}
	return string(s[:])
}
