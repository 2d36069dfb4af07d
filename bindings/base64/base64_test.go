package base64

import (
	"bytes"
	stdbase64 "encoding/base64"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

func newVM(t testing.TB) *goja.Runtime {
	t.Helper()
	vm, _ := jstest.NewRealm(t, Binding)
	return vm
}

// result runs expr and describes its value, or the exception it threw, as
// "ok:<JSON string of the value>" or "throws:<constructor name>:<name>".
const describe = `(f => { try { return 'ok:' + JSON.stringify(f()) } catch (e) { return 'throws:' + e.constructor.name + ':' + e.name } })`

func TestAtob(t *testing.T) {
	tests := []struct{ arg, want string }{
		{`''`, `ok:""`},
		{`'abcd'`, `ok:"i·\u001d"`},
		{`' abcd '`, `ok:"i·\u001d"`},
		{`'ab\tcd\n\f\r '`, `ok:"i·\u001d"`},
		{`'ab'`, `ok:"i"`},
		{`'abc'`, `ok:"i·"`},
		{`'ab=='`, `ok:"i"`},
		{`'abc='`, `ok:"i·"`},
		{`'ab= ='`, `ok:"i"`},
		{`'YQ'`, `ok:"a"`},
		{`'YR'`, `ok:"a"`},
		{`'/+//'`, `ok:"ÿïÿ"`},
		{`'AAAA'`, `ok:"\u0000\u0000\u0000"`},
		{`null`, "ok:\"\u009eée\""},
		{`12`, `ok:"×"`},
		{`{toString() { return 'YQ==' }}`, `ok:"a"`},
		{`'a'`, `throws:DOMException:InvalidCharacterError`},
		{`'abcde'`, `throws:DOMException:InvalidCharacterError`},
		{`'ab='`, `throws:DOMException:InvalidCharacterError`},
		{`'ab==='`, `throws:DOMException:InvalidCharacterError`},
		{`'a==='`, `throws:DOMException:InvalidCharacterError`},
		{`'===='`, `throws:DOMException:InvalidCharacterError`},
		{`'='`, `throws:DOMException:InvalidCharacterError`},
		{`'ab=c'`, `throws:DOMException:InvalidCharacterError`},
		{`'abc=='`, `throws:DOMException:InvalidCharacterError`},
		{`'ab\u00a0cd'`, `throws:DOMException:InvalidCharacterError`},
		{`'ab\vcd'`, `throws:DOMException:InvalidCharacterError`},
		{`'abc-'`, `throws:DOMException:InvalidCharacterError`},
		{`'ab_c'`, `throws:DOMException:InvalidCharacterError`},
		{`'\u0100bcd'`, `throws:DOMException:InvalidCharacterError`},
		{`'\ud800bcd'`, `throws:DOMException:InvalidCharacterError`},
		{`undefined`, `throws:DOMException:InvalidCharacterError`},
		{``, `throws:TypeError:TypeError`},
		{`Symbol()`, `throws:TypeError:TypeError`},
		{`{toString() { throw new RangeError() }}`, `throws:RangeError:RangeError`},
	}
	vm := newVM(t)
	for _, tt := range tests {
		v, err := vm.RunString(describe + `(() => atob(` + tt.arg + `))`)
		if err != nil {
			t.Fatal(err)
		}
		if v.String() != tt.want {
			t.Errorf("atob(%s): %s, want %s", tt.arg, v, tt.want)
		}
	}
}

func TestBtoa(t *testing.T) {
	tests := []struct{ arg, want string }{
		{`''`, `ok:""`},
		{`'a'`, `ok:"YQ=="`},
		{`'ab'`, `ok:"YWI="`},
		{`'abc'`, `ok:"YWJj"`},
		{`'\u00ff\u00fe'`, `ok:"//4="`},
		{`'\0'`, `ok:"AA=="`},
		{`undefined`, `ok:"dW5kZWZpbmVk"`},
		{`null`, `ok:"bnVsbA=="`},
		{`1.5`, `ok:"MS41"`},
		{`'\u0100'`, `throws:DOMException:InvalidCharacterError`},
		{`'a\ud800'`, `throws:DOMException:InvalidCharacterError`},
		{`'😀'`, `throws:DOMException:InvalidCharacterError`},
		{``, `throws:TypeError:TypeError`},
		{`Symbol()`, `throws:TypeError:TypeError`},
	}
	vm := newVM(t)
	for _, tt := range tests {
		v, err := vm.RunString(describe + `(() => btoa(` + tt.arg + `))`)
		if err != nil {
			t.Fatal(err)
		}
		if v.String() != tt.want {
			t.Errorf("btoa(%s): %s, want %s", tt.arg, v, tt.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	vm := newVM(t)
	v, err := vm.RunString(`
		let all = ''
		for (let i = 0; i < 256; i++) all += String.fromCharCode(i)
		let ok = true
		for (let n = 0; n <= 256; n++) {
			const s = all.slice(256 - n)
			ok = ok && atob(btoa(s)) === s
		}
		ok && btoa(all) === ` + "`" + stdbase64.StdEncoding.EncodeToString(allBytes()) + "`" + `
	`)
	if err != nil {
		t.Fatal(err)
	}
	if !v.ToBoolean() {
		t.Error("atob(btoa(s)) differs from s")
	}
}

func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func TestLargeInput(t *testing.T) {
	vm := newVM(t)
	v, err := vm.RunString(`const big = 'x'.repeat(1 << 20); atob(btoa(big)) === big && btoa(big).length`)
	if err != nil {
		t.Fatal(err)
	}
	if v.ToInteger() != 4*(1<<20+2)/3 {
		t.Errorf("btoa of 1 MiB: %v", v)
	}
}

func TestOperations(t *testing.T) {
	vm := newVM(t)
	for _, check := range []string{
		`atob.name === 'atob' && atob.length === 1 && btoa.name === 'btoa' && btoa.length === 1`,
		`['atob', 'btoa'].every(n => { const d = Object.getOwnPropertyDescriptor(globalThis, n); return d.writable && d.enumerable && d.configurable })`,
		`(() => { try { new atob('') } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { atob('a') } catch (e) { return e instanceof DOMException && e.code === 5 } })()`,
	} {
		v, err := vm.RunString(check)
		if err != nil {
			t.Fatal(err)
		}
		if !v.ToBoolean() {
			t.Errorf("%s is false", check)
		}
	}
}

// units adapts a []uint16 to codeUnits.
type units []uint16

func (u units) Length() int         { return len(u) }
func (u units) CharAt(i int) uint16 { return u[i] }

// reference is forgiving-base64 decode read literally, with the bit buffer
// of steps 5 to 9, on code points given as UTF-16 code units.
func reference(data []uint16) ([]byte, bool) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var clean []uint16
	for _, u := range data {
		if u > 0x20 || !strings.ContainsRune("\t\n\f\r ", rune(u)) {
			clean = append(clean, u)
		}
	}
	if len(clean)%4 == 0 {
		for k := 0; k < 2 && len(clean) > 0 && clean[len(clean)-1] == '='; k++ {
			clean = clean[:len(clean)-1]
		}
	}
	if len(clean)%4 == 1 {
		return nil, false
	}
	out := []byte{}
	var buffer uint32
	bits := 0
	for _, u := range clean {
		v := strings.IndexRune(alphabet, rune(u))
		if u >= 0x80 || v < 0 {
			return nil, false
		}
		buffer = buffer<<6 | uint32(v)
		bits += 6
		if bits == 24 {
			out = append(out, byte(buffer>>16), byte(buffer>>8), byte(buffer))
			buffer, bits = 0, 0
		}
	}
	switch bits {
	case 12:
		out = append(out, byte(buffer>>4))
	case 18:
		out = append(out, byte(buffer>>10), byte(buffer>>2))
	}
	return out, true
}

// FuzzForgivingDecode checks ForgivingDecode on the bytes of s, and atob's
// path on its UTF-16 code units, against the literal reading of the steps.
func FuzzForgivingDecode(f *testing.F) {
	for _, s := range []string{
		"", "abcd", " a b c d ", "ab==", "abc=", "ab=", "a", "====", "YR", "ab\u00a0cd", "\t\n\f\r", "/+/+", "AAAA\u0100",
		"SGk=", "SGk", "S G k =", "YQ==", "YQ=", "Y", "////", "a+b/", "a\xff==", "ab\v=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Bytes, one code point each.
		data := []byte(s)
		got, ok := ForgivingDecode(data)
		if string(data) != s {
			t.Fatalf("%q: input modified to %q", s, data)
		}
		points := make([]uint16, len(s))
		for i := range len(s) {
			points[i] = uint16(s[i])
		}
		want, wantOK := reference(points)
		if ok != wantOK || !bytes.Equal(got, want) {
			t.Fatalf("%q: got %q %v, want %q %v", s, got, ok, want, wantOK)
		}
		if ok {
			again, ok := ForgivingDecode([]byte(stdbase64.StdEncoding.EncodeToString(got)))
			if !ok || !bytes.Equal(again, got) {
				t.Fatalf("%q: re-encoding does not decode back", s)
			}
		}

		// UTF-16 code units, as atob has them, appended after a prefix.
		u := utf16.Encode([]rune(s))
		dst, ok := appendASCII([]byte("prefix"), units(u), nil)
		if ok {
			dst, ok = appendForgivingDecode(dst, dst[len("prefix"):])
		}
		if !strings.HasPrefix(string(dst), "prefix") {
			t.Fatalf("%q: dst prefix overwritten: %q", s, dst)
		}
		want, wantOK = reference(u)
		if ok != wantOK || ok && !bytes.Equal(dst[len("prefix")+len(u):], want) {
			t.Fatalf("%q as UTF-16: got %q %v, want %q %v", s, dst, ok, want, wantOK)
		}
	})
}

// TestInterruptible checks that btoa and atob of a long string see an
// interrupt that comes while they convert it: they loop over its code units
// in Go, a second for a few hundred megabytes.
func TestInterruptible(t *testing.T) {
	vm := newVM(t)
	long, err := vm.RunString(`"QUJD".repeat(2 ** 23)`) // 32 Mi units
	if err != nil {
		t.Fatal(err)
	}
	for _, expr := range []string{"btoa(input)", "atob(input)"} {
		jstest.InterruptInside(t, vm, expr, long, 100*time.Millisecond)
	}
}
