package webidl

import (
	"math"
	"reflect"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// The conversions in this file implement Web IDL's "JavaScript type mapping"
// (https://webidl.spec.whatwg.org/#js-type-mapping), from JavaScript values to
// IDL values. They throw (panic with) the JavaScript exception the standard
// prescribes, like goja native functions do, so they must be called while goja
// runs a native function (or inside goja.Runtime.Try). Exceptions thrown by
// user code they call (valueOf, toString, getters, iterators) propagate
// unchanged.

// Ext holds the extended attributes that change integer conversions.
type Ext uint8

const (
	// EnforceRange ([EnforceRange]) throws a TypeError for values that are
	// not finite or, once truncated, out of the type's range.
	EnforceRange Ext = 1 << iota
	// Clamp ([Clamp]) clamps values to the type's range, rounding to the
	// nearest integer, ties to even.
	Clamp
)

// IsNullish reports whether v is undefined or null (or a nil Value). Use it for
// nullable types ("T?", https://webidl.spec.whatwg.org/#js-nullable-type): such
// a value converts to IDL null.
func IsNullish(v goja.Value) bool {
	return v == nil || goja.IsUndefined(v) || goja.IsNull(v)
}

// ToAny converts v to the IDL any type
// (https://webidl.spec.whatwg.org/#js-any): the value itself, with a nil Value
// meaning undefined.
func ToAny(v goja.Value) goja.Value {
	if v == nil {
		return goja.Undefined()
	}
	return v
}

// ToBoolean converts v to the IDL boolean type
// (https://webidl.spec.whatwg.org/#js-boolean, ToBoolean).
func ToBoolean(v goja.Value) bool {
	if v == nil {
		return false
	}
	return v.ToBoolean()
}

// toNumber is ECMA-262 ToNumber, throwing a TypeError for Symbols and BigInts.
func (r *Realm) toNumber(v goja.Value) float64 {
	if v == nil {
		return math.NaN()
	}
	return v.ToFloat()
}

// integerPart is ECMA-262 IntegerPart: truncation towards zero.
func integerPart(x float64) float64 { return math.Trunc(x) }

// convertToInt implements ConvertToInt(V, bitLength, signedness)
// (https://webidl.spec.whatwg.org/#abstract-opdef-converttoint).
// It returns the result as an int64 for signed types and as a uint64 for
// unsigned ones (both are set; callers pick the matching one).
func (r *Realm) convertToInt(v goja.Value, bits uint, signed bool, ext Ext, typ string) (int64, uint64) {
	// Steps 1-3: the bounds.
	var lower, upper float64
	switch {
	case bits == 64 && signed:
		lower, upper = -(1<<53)+1, (1<<53)-1
	case bits == 64:
		lower, upper = 0, (1<<53)-1
	case signed:
		lower, upper = -math.Ldexp(1, int(bits)-1), math.Ldexp(1, int(bits)-1)-1
	default:
		lower, upper = 0, math.Ldexp(1, int(bits))-1
	}
	// Step 4: x = ToNumber(V).
	x := r.toNumber(v)
	// Step 5: -0 becomes +0.
	if x == 0 {
		x = 0
	}
	// Step 6: [EnforceRange].
	if ext&EnforceRange != 0 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			r.ThrowTypeError("Value is not a finite number and cannot be converted to '%s'.", typ)
		}
		x = integerPart(x)
		if x < lower || x > upper {
			r.ThrowTypeError("Value is outside the '%s' value range.", typ)
		}
		return int64(x), uint64(int64(x))
	}
	// Step 7: [Clamp].
	if !math.IsNaN(x) && ext&Clamp != 0 {
		x = math.Min(math.Max(x, lower), upper)
		x = math.RoundToEven(x)
		if x == 0 {
			x = 0
		}
		return int64(x), uint64(int64(x))
	}
	// Step 8: NaN, +0, -0, +Inf, -Inf become +0.
	if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
		return 0, 0
	}
	// Step 9: IntegerPart.
	x = integerPart(x)
	// Steps 10-11: x modulo 2^bitLength, then to the signed range.
	u := modulo64(x)
	if bits < 64 {
		u &= (1 << bits) - 1
	}
	if signed && bits < 64 && u >= 1<<(bits-1) {
		return int64(u) - int64(1)<<bits, u
	}
	return int64(u), u
}

// modulo64 returns the integral float x modulo 2^64, exactly.
func modulo64(x float64) uint64 {
	if math.Abs(x) < 1<<63 {
		return uint64(int64(x))
	}
	// |x| >= 2^63: math.Mod is exact, and its result has the sign of x.
	m := math.Mod(x, 1<<64)
	switch {
	case m >= 0 && m < 1<<63:
		return uint64(int64(m))
	case m >= 0:
		return uint64(m)
	case m > -(1 << 63):
		return uint64(int64(m))
	default:
		return -uint64(-m)
	}
}

// ToByte converts v to the IDL byte type (8-bit signed integer,
// https://webidl.spec.whatwg.org/#js-byte).
func (r *Realm) ToByte(v goja.Value, ext Ext) int8 {
	i, _ := r.convertToInt(v, 8, true, ext, "byte")
	return int8(i)
}

// ToOctet converts v to the IDL octet type (8-bit unsigned integer).
func (r *Realm) ToOctet(v goja.Value, ext Ext) uint8 {
	_, u := r.convertToInt(v, 8, false, ext, "octet")
	return uint8(u)
}

// ToShort converts v to the IDL short type (16-bit signed integer).
func (r *Realm) ToShort(v goja.Value, ext Ext) int16 {
	i, _ := r.convertToInt(v, 16, true, ext, "short")
	return int16(i)
}

// ToUnsignedShort converts v to the IDL unsigned short type.
func (r *Realm) ToUnsignedShort(v goja.Value, ext Ext) uint16 {
	_, u := r.convertToInt(v, 16, false, ext, "unsigned short")
	return uint16(u)
}

// ToLong converts v to the IDL long type (32-bit signed integer).
func (r *Realm) ToLong(v goja.Value, ext Ext) int32 {
	i, _ := r.convertToInt(v, 32, true, ext, "long")
	return int32(i)
}

// ToUnsignedLong converts v to the IDL unsigned long type.
func (r *Realm) ToUnsignedLong(v goja.Value, ext Ext) uint32 {
	_, u := r.convertToInt(v, 32, false, ext, "unsigned long")
	return uint32(u)
}

// ToLongLong converts v to the IDL long long type (64-bit signed integer).
func (r *Realm) ToLongLong(v goja.Value, ext Ext) int64 {
	i, _ := r.convertToInt(v, 64, true, ext, "long long")
	return i
}

// ToUnsignedLongLong converts v to the IDL unsigned long long type.
func (r *Realm) ToUnsignedLongLong(v goja.Value, ext Ext) uint64 {
	_, u := r.convertToInt(v, 64, false, ext, "unsigned long long")
	return u
}

// float32Overflow is 2^128 - 2^103, the smallest magnitude that rounds to 2^128
// (and so to infinity) in the single precision rounding of
// https://webidl.spec.whatwg.org/#js-float.
const float32Overflow = 0x1.ffffffp127

// toFloat32 rounds x to the nearest float, ties to even, with ±Inf for
// values whose rounding would be ±2^128.
func toFloat32(x float64) float32 {
	switch {
	case x >= float32Overflow:
		return float32(math.Inf(1))
	case x <= -float32Overflow:
		return float32(math.Inf(-1))
	}
	return float32(x)
}

// ToFloat converts v to the IDL float type
// (https://webidl.spec.whatwg.org/#js-float): NaN, infinities and values too
// large for a float are a TypeError.
func (r *Realm) ToFloat(v goja.Value) float32 {
	y := toFloat32(r.toFinite(v))
	if math.IsInf(float64(y), 0) {
		r.ThrowTypeError("The provided value is outside the range of 'float'.")
	}
	return y
}

// ToUnrestrictedFloat converts v to the IDL unrestricted float type.
func (r *Realm) ToUnrestrictedFloat(v goja.Value) float32 {
	x := r.toNumber(v)
	if math.IsNaN(x) {
		return float32(math.NaN())
	}
	return toFloat32(x)
}

// ToDouble converts v to the IDL double type
// (https://webidl.spec.whatwg.org/#js-double): NaN and infinities are a
// TypeError.
func (r *Realm) ToDouble(v goja.Value) float64 {
	return r.toFinite(v)
}

// toFinite is ToNumber with NaN and infinities a TypeError, the first steps of
// the float and double conversions.
func (r *Realm) toFinite(v goja.Value) float64 {
	x := r.toNumber(v)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		r.ThrowTypeError("The provided value is non-finite.")
	}
	return x
}

// ToUnrestrictedDouble converts v to the IDL unrestricted double type.
func (r *Realm) ToUnrestrictedDouble(v goja.Value) float64 {
	return r.toNumber(v)
}

// toJSString is ECMA-262 ToString, throwing a TypeError for Symbols (also
// when an object's conversion to a primitive yields one).
func (r *Realm) toJSString(v goja.Value) goja.String {
	if v == nil {
		v = goja.Undefined()
	}
	if o, ok := v.(*goja.Object); ok {
		// goja's Object.ToString is ToPrimitive with hint string.
		v = o.ToString()
	}
	switch p := v.(type) {
	case goja.String:
		return p
	case *goja.Symbol:
		r.ThrowTypeError("Cannot convert a Symbol value to a string")
	}
	// Numbers, booleans, BigInts, null and undefined: their String() is
	// ECMA-262 ToString, and ASCII.
	return r.vm.ToValue(v.String()).(goja.String)
}

// ToDOMString converts v to the IDL DOMString type
// (https://webidl.spec.whatwg.org/#js-DOMString). The result keeps every UTF-16
// code unit, lone surrogates included.
func (r *Realm) ToDOMString(v goja.Value) goja.String {
	return r.toJSString(v)
}

// ToUSVString converts v to the IDL USVString type
// (https://webidl.spec.whatwg.org/#js-USVString): ToString, then lone
// surrogates replaced by U+FFFD. The result is valid UTF-8. A long string
// is converted in pieces, the realm's Poller seeing the interrupt between
// them: goja converts a string whole in one Go call, seconds for hundreds
// of megabytes.
func (r *Realm) ToUSVString(v goja.Value) string {
	s := r.toJSString(v)
	// An ASCII string goja returns as it is: only others are converted.
	if _, ascii := ASCII(s); ascii || s.Length() < longString {
		return USVString(s)
	}
	return r.usvStringInPieces(s)
}

// ASCII returns s as Go string bytes, one per code unit, and true, when goja
// holds it so: an ASCII string, which goja keeps as a Go string and hands
// out without a copy. Other strings it keeps as UTF-16.
func ASCII(s goja.String) (string, bool) {
	v := reflect.ValueOf(s)
	if v.Kind() != reflect.String || v.Len() != s.Length() {
		return "", false
	}
	return v.String(), true
}

// longString is the length from which ToUSVString converts a string in
// pieces of piece code units (goja converts 2^18 units in 10-30 ms).
const longString, piece = 1 << 18, 1 << 10

// PieceEnd returns where a piece of s of about size code units from i
// ends: after size units, or one more so as not to cut a surrogate pair,
// or at the end of s.
func PieceEnd(s goja.String, i, size int) int {
	n := s.Length()
	j := min(n, i+size)
	if c := s.CharAt(j - 1); j < n && c >= 0xD800 && c < 0xDC00 {
		j++
	}
	return j
}

func (r *Realm) usvStringInPieces(s goja.String) string {
	poll := r.Poller()
	n := s.Length()
	var b strings.Builder
	b.Grow(n)
	for i := 0; i < n; poll.Step() {
		j := PieceEnd(s, i, piece)
		b.WriteString(USVString(s.Substring(i, j)))
		i = j
	}
	return b.String()
}

// USVString returns s as UTF-8, with each lone surrogate replaced by U+FFFD
// (Infra "convert to a scalar value string").
func USVString(s goja.String) string {
	str := s.String()
	if utf8.ValidString(str) {
		return str
	}
	// Only strings created from invalid UTF-8 in Go get here; decode the
	// code units one by one.
	return decodeUTF16(s)
}

func decodeUTF16(s goja.String) string {
	n := s.Length()
	var b strings.Builder
	b.Grow(n)
	for i := 0; i < n; i++ {
		c := s.CharAt(i)
		switch {
		case utf16.IsSurrogate(rune(c)) && c < 0xDC00 && i+1 < n:
			if d := s.CharAt(i + 1); d >= 0xDC00 && d <= 0xDFFF {
				b.WriteRune(utf16.DecodeRune(rune(c), rune(d)))
				i++
				continue
			}
			b.WriteRune(utf8.RuneError)
		case utf16.IsSurrogate(rune(c)):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

// ToByteString converts v to the IDL ByteString type
// (https://webidl.spec.whatwg.org/#js-ByteString): a code unit above 0xFF is a
// TypeError. The result holds one byte per code unit.
func (r *Realm) ToByteString(v goja.Value) string {
	s := r.toJSString(v)
	n := s.Length()
	b := make([]byte, n)
	for i := 0; i < n; i++ {
		c := s.CharAt(i)
		if c > 0xFF {
			r.ThrowTypeError("Value is not a valid ByteString: the character at index %d has a value of %d, which is greater than 255.", i, c)
		}
		b[i] = byte(c)
	}
	return string(b)
}

// ToObject converts v to the IDL object type
// (https://webidl.spec.whatwg.org/#js-object): anything but an object is a
// TypeError.
func (r *Realm) ToObject(v goja.Value) *goja.Object {
	o, ok := v.(*goja.Object)
	if !ok {
		r.ThrowTypeError("Value is not an object.")
	}
	return o
}

// ToEnum converts v to an IDL enumeration type
// (https://webidl.spec.whatwg.org/#js-enumeration) whose values are values:
// ToString, then the string must be one of them (TypeError otherwise). typ
// names the enumeration in the error message.
func (r *Realm) ToEnum(v goja.Value, typ string, values ...string) string {
	s := r.toJSString(v)
	str := s.String()
	for _, e := range values {
		if e == str {
			return e
		}
	}
	r.ThrowTypeError("The provided value '%s' is not a valid enum value of type %s.", str, typ)
	return ""
}
