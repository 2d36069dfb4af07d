package webidl

import (
	"math"
	"math/big"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
)

type convCase struct {
	expr string // JavaScript expression giving the value to convert
	want any    // expected Go result, or nil when err is set
	err  string // expected JS error name, "" for none
}

// checkConversions evaluates each case's expression, converts it with conv
// and compares the result.
func checkConversions(t *testing.T, vm *goja.Runtime, name string, cases []convCase, conv func(goja.Value) any, eq func(a, b any) bool) {
	t.Helper()
	for _, c := range cases {
		v := run(t, vm, "("+c.expr+")")
		var got any
		errName := throws(vm, func() { got = conv(v) })
		if errName != c.err {
			t.Errorf("%s(%s): error %q, want %q (result %v)", name, c.expr, errName, c.err, got)
			continue
		}
		if c.err == "" && !eq(got, c.want) {
			t.Errorf("%s(%s) = %#v, want %#v", name, c.expr, got, c.want)
		}
	}
}

func equal(a, b any) bool { return a == b }

func TestIntegerConversions(t *testing.T) {
	vm, r := newRealm(t)
	type intTest struct {
		name  string
		conv  func(goja.Value) any
		cases []convCase
	}
	tests := []intTest{
		{"byte", func(v goja.Value) any { return r.ToByte(v, 0) }, []convCase{
			{"0", int8(0), ""}, {"-0", int8(0), ""}, {"127", int8(127), ""}, {"128", int8(-128), ""},
			{"255", int8(-1), ""}, {"256", int8(0), ""}, {"-129", int8(127), ""}, {"NaN", int8(0), ""},
			{"Infinity", int8(0), ""}, {"-Infinity", int8(0), ""}, {"-1.9", int8(-1), ""},
		}},
		{"byte clamp", func(v goja.Value) any { return r.ToByte(v, Clamp) }, []convCase{
			{"200", int8(127), ""}, {"-200", int8(-128), ""}, {"NaN", int8(0), ""}, {"-Infinity", int8(-128), ""},
			{"1.5", int8(2), ""}, {"2.5", int8(2), ""}, {"-2.5", int8(-2), ""}, {"-0.4", int8(0), ""},
		}},
		{"byte enforce", func(v goja.Value) any { return r.ToByte(v, EnforceRange) }, []convCase{
			{"127", int8(127), ""}, {"127.9", int8(127), ""}, {"128", nil, "TypeError"}, {"-128.5", int8(-128), ""},
			{"-129", nil, "TypeError"}, {"NaN", nil, "TypeError"}, {"Infinity", nil, "TypeError"}, {"undefined", nil, "TypeError"},
		}},
		{"octet", func(v goja.Value) any { return r.ToOctet(v, 0) }, []convCase{
			{"255", uint8(255), ""}, {"256", uint8(0), ""}, {"-1", uint8(255), ""}, {"300", uint8(44), ""},
			{"'12'", uint8(12), ""}, {"true", uint8(1), ""}, {"null", uint8(0), ""}, {"({valueOf() { return 7 }})", uint8(7), ""},
		}},
		{"octet clamp", func(v goja.Value) any { return r.ToOctet(v, Clamp) }, []convCase{
			{"300", uint8(255), ""}, {"-5", uint8(0), ""}, {"254.5", uint8(254), ""}, {"253.5", uint8(254), ""},
		}},
		{"short", func(v goja.Value) any { return r.ToShort(v, 0) }, []convCase{
			{"32767", int16(32767), ""}, {"32768", int16(-32768), ""}, {"65535", int16(-1), ""}, {"-32769", int16(32767), ""},
		}},
		{"unsigned short", func(v goja.Value) any { return r.ToUnsignedShort(v, 0) }, []convCase{
			{"65535", uint16(65535), ""}, {"65536", uint16(0), ""}, {"65537", uint16(1), ""}, {"-1", uint16(65535), ""},
			{"2**53", uint16(0), ""}, {"2**64", uint16(0), ""}, {"1000.999", uint16(1000), ""},
		}},
		{"unsigned short clamp", func(v goja.Value) any { return r.ToUnsignedShort(v, Clamp) }, []convCase{
			{"65537", uint16(65535), ""}, {"-1", uint16(0), ""}, {"Infinity", uint16(65535), ""}, {"NaN", uint16(0), ""},
		}},
		{"unsigned short enforce", func(v goja.Value) any { return r.ToUnsignedShort(v, EnforceRange) }, []convCase{
			{"65535", uint16(65535), ""}, {"65536", nil, "TypeError"}, {"-1", nil, "TypeError"}, {"-0.9", uint16(0), ""},
		}},
		{"long", func(v goja.Value) any { return r.ToLong(v, 0) }, []convCase{
			{"2**31 - 1", int32(math.MaxInt32), ""}, {"2**31", int32(math.MinInt32), ""}, {"2**32", int32(0), ""},
			{"2**32 + 1", int32(1), ""}, {"4294967295", int32(-1), ""}, {"-(2**31) - 1", int32(math.MaxInt32), ""},
			{"2**53", int32(0), ""}, {"2**53 + 2", int32(2), ""}, {"2**64", int32(0), ""}, {"3.7", int32(3), ""}, {"-3.7", int32(-3), ""},
			{"'0x10'", int32(16), ""}, {"'  42  '", int32(42), ""}, {"'abc'", int32(0), ""}, {"[5]", int32(5), ""}, {"({})", int32(0), ""},
			{"Symbol()", nil, "TypeError"}, {"10n", nil, "TypeError"}, {"({valueOf() { throw new RangeError('x') }})", nil, "RangeError"},
		}},
		{"long enforce", func(v goja.Value) any { return r.ToLong(v, EnforceRange) }, []convCase{
			{"2**31 - 1", int32(math.MaxInt32), ""}, {"2**31", nil, "TypeError"}, {"-(2**31)", int32(math.MinInt32), ""},
			{"-(2**31) - 1", nil, "TypeError"}, {"-Infinity", nil, "TypeError"},
		}},
		{"long clamp", func(v goja.Value) any { return r.ToLong(v, Clamp) }, []convCase{
			{"2**31", int32(math.MaxInt32), ""}, {"-Infinity", int32(math.MinInt32), ""}, {"0.5", int32(0), ""}, {"1.5", int32(2), ""},
		}},
		{"unsigned long", func(v goja.Value) any { return r.ToUnsignedLong(v, 0) }, []convCase{
			{"-1", uint32(math.MaxUint32), ""}, {"2**32 + 5", uint32(5), ""}, {"2**31", uint32(1 << 31), ""}, {"-(2**32)", uint32(0), ""},
		}},
		{"long long", func(v goja.Value) any { return r.ToLongLong(v, 0) }, []convCase{
			{"2**53", int64(1 << 53), ""}, {"2**63", int64(math.MinInt64), ""}, {"2**64", int64(0), ""}, {"-1", int64(-1), ""},
			{"2**64 + 2**12", int64(4096), ""}, {"-(2**64)", int64(0), ""}, {"-(2**63)", int64(math.MinInt64), ""},
			{"1e20", int64(7766279631452241920), ""}, {"-1e20", int64(-7766279631452241920), ""}, {"-0", int64(0), ""},
			{"Number.MAX_VALUE", int64(0), ""}, {"2**63 + 2**11", int64(math.MinInt64 + 2048), ""},
		}},
		{"long long enforce", func(v goja.Value) any { return r.ToLongLong(v, EnforceRange) }, []convCase{
			{"2**53 - 1", int64(1<<53 - 1), ""}, {"2**53", nil, "TypeError"}, {"-(2**53) + 1", int64(-(1<<53 - 1)), ""},
			{"-(2**53)", nil, "TypeError"},
		}},
		{"long long clamp", func(v goja.Value) any { return r.ToLongLong(v, Clamp) }, []convCase{
			{"2**60", int64(1<<53 - 1), ""}, {"-(2**60)", int64(-(1<<53 - 1)), ""},
		}},
		{"unsigned long long", func(v goja.Value) any { return r.ToUnsignedLongLong(v, 0) }, []convCase{
			{"-1", uint64(math.MaxUint64), ""}, {"2**64 - 2048", uint64(18446744073709549568), ""},
			{"1e20", uint64(7766279631452241920), ""}, {"-1e20", uint64(10680464442257309696), ""},
			{"2**63", uint64(1 << 63), ""}, {"2**64", uint64(0), ""},
		}},
		{"unsigned long long clamp", func(v goja.Value) any { return r.ToUnsignedLongLong(v, Clamp) }, []convCase{
			{"2**60", uint64(1<<53 - 1), ""}, {"-5", uint64(0), ""},
		}},
		{"unsigned long long enforce", func(v goja.Value) any { return r.ToUnsignedLongLong(v, EnforceRange) }, []convCase{
			{"2**53 - 1", uint64(1<<53 - 1), ""}, {"2**53", nil, "TypeError"}, {"-1", nil, "TypeError"},
		}},
	}
	for _, tt := range tests {
		checkConversions(t, vm, tt.name, tt.cases, tt.conv, equal)
	}
}

// referenceModulo computes ConvertToInt without extended attributes with
// exact arithmetic, to check convertToInt against.
func referenceModulo(x float64, bits uint, signed bool) *big.Int {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return new(big.Int)
	}
	i, _ := big.NewFloat(math.Trunc(x)).Int(nil)
	mod := new(big.Int).Lsh(big.NewInt(1), bits)
	i.Mod(i, mod) // Euclidean: non-negative
	if signed && i.Cmp(new(big.Int).Rsh(mod, 1)) >= 0 {
		i.Sub(i, mod)
	}
	return i
}

func FuzzConvertToInt(f *testing.F) {
	for _, x := range []float64{0, -1, 1 << 53, 1 << 63, -(1 << 63), 1 << 64, 1e20, -1e20, 1.5, math.MaxFloat64, -math.SmallestNonzeroFloat64, 4294967295.5} {
		f.Add(x)
	}
	vm, r := newRealm(f)
	f.Fuzz(func(t *testing.T, x float64) {
		v := vm.ToValue(x)
		for _, bits := range []uint{8, 16, 32, 64} {
			for _, signed := range []bool{true, false} {
				i, u := r.convertToInt(v, bits, signed, 0, "t")
				want := referenceModulo(x, bits, signed)
				var got *big.Int
				if signed {
					got = big.NewInt(i)
				} else {
					got = new(big.Int).SetUint64(u)
				}
				if got.Cmp(want) != 0 {
					t.Fatalf("convertToInt(%v, %d, %v) = %v, want %v", x, bits, signed, got, want)
				}
			}
		}
	})
}

func floatEqual(a, b any) bool {
	switch x := a.(type) {
	case float32:
		y := b.(float32)
		return math.Float32bits(x) == math.Float32bits(y) || (x != x && y != y)
	case float64:
		y := b.(float64)
		return math.Float64bits(x) == math.Float64bits(y) || (x != x && y != y)
	}
	return false
}

func TestFloatConversions(t *testing.T) {
	vm, r := newRealm(t)
	negZero32 := float32(math.Copysign(0, -1))
	negZero64 := math.Copysign(0, -1)
	checkConversions(t, vm, "float", []convCase{
		{"1.1", float32(1.1), ""}, {"-0", negZero32, ""}, {"1e-50", float32(0), ""}, {"-1e-50", negZero32, ""},
		{"NaN", nil, "TypeError"}, {"Infinity", nil, "TypeError"}, {"3.5e38", nil, "TypeError"},
		{"3.4028235e38", float32(math.MaxFloat32), ""}, {"2**128 - 2**103", nil, "TypeError"}, {"'2.5'", float32(2.5), ""},
	}, func(v goja.Value) any { return r.ToFloat(v) }, floatEqual)
	checkConversions(t, vm, "unrestricted float", []convCase{
		{"NaN", float32(math.NaN()), ""}, {"3.5e38", float32(math.Inf(1)), ""}, {"-3.5e38", float32(math.Inf(-1)), ""},
		{"-Infinity", float32(math.Inf(-1)), ""}, {"-0", negZero32, ""},
	}, func(v goja.Value) any { return r.ToUnrestrictedFloat(v) }, floatEqual)
	checkConversions(t, vm, "double", []convCase{
		{"1.5", 1.5, ""}, {"-0", negZero64, ""}, {"NaN", nil, "TypeError"}, {"-Infinity", nil, "TypeError"},
		{"2**53 + 1", float64(1 << 53), ""}, {"Number.MAX_VALUE", math.MaxFloat64, ""}, {"undefined", nil, "TypeError"},
		{"null", 0.0, ""}, {"Symbol.iterator", nil, "TypeError"},
	}, func(v goja.Value) any { return r.ToDouble(v) }, floatEqual)
	checkConversions(t, vm, "unrestricted double", []convCase{
		{"NaN", math.NaN(), ""}, {"Infinity", math.Inf(1), ""}, {"undefined", math.NaN(), ""}, {"-0", negZero64, ""},
	}, func(v goja.Value) any { return r.ToUnrestrictedDouble(v) }, floatEqual)
}

func TestStringConversions(t *testing.T) {
	vm, r := newRealm(t)
	utf16Of := func(v goja.Value) any {
		s := r.ToDOMString(v)
		units := make([]uint16, s.Length())
		for i := range units {
			units[i] = s.CharAt(i)
		}
		return string(utf16.Decode(units)) + "|" + string(rune(len(units)))
	}
	dom := func(s string, n int) string { return s + "|" + string(rune(n)) }
	checkConversions(t, vm, "DOMString", []convCase{
		{"'abc'", dom("abc", 3), ""}, {"5", dom("5", 1), ""}, {"-0", dom("0", 1), ""}, {"null", dom("null", 4), ""},
		{"undefined", dom("undefined", 9), ""}, {"true", dom("true", 4), ""}, {"1e21", dom("1e+21", 5), ""}, {"10n", dom("10", 2), ""},
		{"({toString() { return 'x' }})", dom("x", 1), ""}, {"[1, 2]", dom("1,2", 3), ""}, {"Symbol()", nil, "TypeError"},
		{"({toString() { return Symbol() }})", nil, "TypeError"}, {"'a\\uD800b'", dom("a\uFFFDb", 3), ""},
		{"'\\uD83D\\uDE00'", dom("😀", 2), ""},
	}, utf16Of, equal)
	// Lone surrogates are kept exactly by DOMString.
	v := run(t, vm, `"a\uD800b"`)
	if s := r.ToDOMString(v); s.Length() != 3 || s.CharAt(1) != 0xD800 {
		t.Errorf("DOMString lost a lone surrogate")
	}
	checkConversions(t, vm, "USVString", []convCase{
		{"'abc'", "abc", ""}, {"'a\\uD800b'", "a\uFFFDb", ""}, {"'\\uDC00\\uD800'", "\uFFFD\uFFFD", ""},
		{"'\\uD83D\\uDE00'", "😀", ""}, {"'\\uD83D'", "\uFFFD", ""}, {"'é'", "é", ""}, {"42", "42", ""},
		{"Symbol()", nil, "TypeError"},
	}, func(v goja.Value) any { return r.ToUSVString(v) }, equal)
	checkConversions(t, vm, "ByteString", []convCase{
		{"'abc'", "abc", ""}, {"'\\u00FF\\u0000'", "\xff\x00", ""}, {"'\\u0100'", nil, "TypeError"}, {"'é'", "\xe9", ""},
		{"'😀'", nil, "TypeError"},
	}, func(v goja.Value) any { return r.ToByteString(v) }, equal)
	checkConversions(t, vm, "enum", []convCase{
		{"'blob'", "blob", ""}, {"'arraybuffer'", "arraybuffer", ""}, {"'Blob'", nil, "TypeError"},
		{"({toString() { return 'blob' }})", "blob", ""}, {"undefined", nil, "TypeError"},
	}, func(v goja.Value) any { return r.ToEnum(v, "BinaryType", "blob", "arraybuffer") }, equal)
}

func TestSimpleConversions(t *testing.T) {
	vm, r := newRealm(t)
	checkConversions(t, vm, "boolean", []convCase{
		{"0", false, ""}, {"-0", false, ""}, {"NaN", false, ""}, {"''", false, ""}, {"'0'", true, ""}, {"({})", true, ""},
		{"null", false, ""}, {"undefined", false, ""}, {"0n", false, ""}, {"1n", true, ""}, {"Symbol()", true, ""},
	}, func(v goja.Value) any { return ToBoolean(v) }, equal)
	checkConversions(t, vm, "object", []convCase{
		{"({})", true, ""}, {"[]", true, ""}, {"(function () {})", true, ""}, {"1", nil, "TypeError"},
		{"null", nil, "TypeError"}, {"'s'", nil, "TypeError"},
	}, func(v goja.Value) any { return r.ToObject(v) != nil }, equal)
	if !IsNullish(nil) || !IsNullish(goja.Undefined()) || !IsNullish(goja.Null()) || IsNullish(vm.ToValue(0)) {
		t.Error("IsNullish")
	}
	if !goja.IsUndefined(ToAny(nil)) {
		t.Error("ToAny(nil) is not undefined")
	}
}

// referenceUSV decodes UTF-16 code units to UTF-8 with U+FFFD for lone
// surrogates, independently of the code under test.
func referenceUSV(units []uint16) string {
	var b []byte
	for i := 0; i < len(units); i++ {
		c := rune(units[i])
		if c >= 0xD800 && c <= 0xDBFF && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF {
			c = 0x10000 + (c-0xD800)<<10 + rune(units[i+1]) - 0xDC00
			i++
		} else if c >= 0xD800 && c <= 0xDFFF {
			c = 0xFFFD
		}
		b = utf8.AppendRune(b, c)
	}
	return string(b)
}

func FuzzUSVString(f *testing.F) {
	f.Add([]byte("hello"))
	f.Add([]byte{0x00, 0xD8, 0x41, 0x00})             // lone high surrogate, 'A'
	f.Add([]byte{0x3D, 0xD8, 0x00, 0xDE})             // U+1F600
	f.Add([]byte{0x00, 0xDC, 0x00, 0xD8})             // reversed pair
	f.Add([]byte{0xE9, 0x00, 0xFF, 0xFF, 0x00, 0xD8}) // é, U+FFFF, trailing lone surrogate
	vm, r := newRealm(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		units := make([]uint16, len(data)/2)
		for i := range units {
			units[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
		}
		want := referenceUSV(units)
		s := goja.StringFromUTF16(units)
		if got := r.ToUSVString(s); got != want {
			t.Fatalf("ToUSVString(%x) = %q, want %q", units, got, want)
		}
		if got := decodeUTF16(s); got != want {
			t.Fatalf("decodeUTF16(%x) = %q, want %q", units, got, want)
		}
		// A JavaScript string built from the same code units converts the same.
		js := vm.ToValue(s)
		if got := r.ToUSVString(js); got != want {
			t.Fatalf("ToUSVString(js %x) = %q, want %q", units, got, want)
		}
		// The Go string, given back to JavaScript, has the scalar values.
		back := r.ToDOMString(vm.ToValue(want))
		if referenceUSV(codeUnits(back)) != want {
			t.Fatalf("round trip of %q changed it", want)
		}
		// ByteString accepts exactly the strings of code units <= 0xFF.
		latin1 := true
		for _, u := range units {
			latin1 = latin1 && u <= 0xFF
		}
		if name := throws(vm, func() { r.ToByteString(s) }); (name == "") != latin1 {
			t.Fatalf("ToByteString(%x) threw %q", units, name)
		}
	})
}

func codeUnits(s goja.String) []uint16 {
	u := make([]uint16, s.Length())
	for i := range u {
		u[i] = s.CharAt(i)
	}
	return u
}
