package crypto

import (
	"regexp"
	"testing"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

func newVM(t testing.TB) *goja.Runtime {
	t.Helper()
	vm, _ := jstest.NewRealm(t, Binding)
	return vm
}

const describe = `(f => { try { f(); return 'ok' } catch (e) { return e.constructor.name + ':' + e.name + (e.code ? ':' + e.code : '') } })`

func TestGetRandomValuesArguments(t *testing.T) {
	tests := []struct{ arg, want string }{
		{`new Int8Array(8)`, "ok"},
		{`new Uint8Array(8)`, "ok"},
		{`new Uint8ClampedArray(8)`, "ok"},
		{`new Int16Array(8)`, "ok"},
		{`new Uint16Array(8)`, "ok"},
		{`new Int32Array(8)`, "ok"},
		{`new Uint32Array(8)`, "ok"},
		{`new BigInt64Array(8)`, "ok"},
		{`new BigUint64Array(8)`, "ok"},
		{`new Uint8Array(0)`, "ok"},
		{`new Uint8Array(65536)`, "ok"},
		{`new Uint32Array(16384)`, "ok"},
		{`new Uint8Array(65537)`, "DOMException:QuotaExceededError:22"},
		{`new Uint32Array(16385)`, "DOMException:QuotaExceededError:22"},
		{`new BigInt64Array(8193)`, "DOMException:QuotaExceededError:22"},
		{`new Float32Array(8)`, "DOMException:TypeMismatchError:17"},
		{`new Float64Array(8)`, "DOMException:TypeMismatchError:17"},
		{`new Float64Array(1e5)`, "DOMException:TypeMismatchError:17"},
		{`new DataView(new ArrayBuffer(8))`, "DOMException:TypeMismatchError:17"},
		{`new ArrayBuffer(8)`, "TypeError:TypeError"},
		{`[1, 2]`, "TypeError:TypeError"},
		{`{}`, "TypeError:TypeError"},
		{`1`, "TypeError:TypeError"},
		{`null`, "TypeError:TypeError"},
		{`undefined`, "TypeError:TypeError"},
		{``, "TypeError:TypeError"},
	}
	vm := newVM(t)
	for _, tt := range tests {
		v, err := vm.RunString(describe + `(() => crypto.getRandomValues(` + tt.arg + `))`)
		if err != nil {
			t.Fatal(err)
		}
		if v.String() != tt.want {
			t.Errorf("getRandomValues(%s): %s, want %s", tt.arg, v, tt.want)
		}
	}
}

func TestGetRandomValuesFills(t *testing.T) {
	vm := newVM(t)
	for _, check := range []string{
		// The same object comes back, filled (all zero has probability 2^-128).
		`(() => { const a = new Uint8Array(16); return crypto.getRandomValues(a) === a && a.some(x => x !== 0) })()`,
		`(() => { const a = new BigUint64Array(2); crypto.getRandomValues(a); return typeof a[0] === 'bigint' && (a[0] | a[1]) !== 0n })()`,
		`(() => { const a = new Int16Array(64); crypto.getRandomValues(a); return a.some(x => x < 0) && a.some(x => x > 0) })()`,
		// Only the view's range is written.
		`(() => {
			const a = new Uint8Array(32)
			crypto.getRandomValues(a.subarray(8, 16))
			return a.slice(0, 8).every(x => x === 0) && a.slice(16).every(x => x === 0) && a.slice(8, 16).some(x => x !== 0)
		})()`,
		`(() => {
			const a = new Uint16Array(new ArrayBuffer(64), 2, 4)
			crypto.getRandomValues(a)
			const b = new Uint8Array(a.buffer)
			return b[0] === 0 && b[1] === 0 && b.slice(10).every(x => x === 0) && b.slice(2, 10).some(x => x !== 0)
		})()`,
		// Every byte value turns up in 64 KiB.
		`new Set(crypto.getRandomValues(new Uint8Array(65536))).size === 256`,
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

func TestGetRandomValuesDetached(t *testing.T) {
	vm := newVM(t)
	vm.Set("detach", func(b goja.ArrayBuffer) { b.Detach() })
	v, err := vm.RunString(`const a = new Uint8Array(8); detach(a.buffer); crypto.getRandomValues(a) === a`)
	if err != nil {
		t.Fatal(err)
	}
	if !v.ToBoolean() {
		t.Error("getRandomValues of a detached view did not return it")
	}
}

func TestRandomUUID(t *testing.T) {
	vm := newVM(t)
	v, err := vm.RunString(`Array.from({length: 1000}, () => crypto.randomUUID())`)
	if err != nil {
		t.Fatal(err)
	}
	var uuids []string
	if err := vm.ExportTo(v, &uuids); err != nil {
		t.Fatal(err)
	}
	format := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := make(map[string]bool)
	variants := make(map[byte]bool)
	for _, u := range uuids {
		if !format.MatchString(u) {
			t.Fatalf("%q is not a version 4 UUID", u)
		}
		if seen[u] {
			t.Fatalf("%q generated twice", u)
		}
		seen[u] = true
		variants[u[19]] = true
	}
	if len(variants) != 4 {
		t.Errorf("variant nibbles seen: %v, want all of 8, 9, a, b", variants)
	}
}

func TestInterface(t *testing.T) {
	vm := newVM(t)
	for _, check := range []string{
		`crypto instanceof Crypto`,
		`Object.prototype.toString.call(crypto) === '[object Crypto]'`,
		`crypto === crypto`,
		`(() => { try { new Crypto() } catch (e) { return e instanceof TypeError && e.message === 'Illegal constructor' } })()`,
		`(() => { try { Crypto() } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Crypto.prototype.randomUUID.call({}) } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Crypto.prototype.getRandomValues.call(null, new Uint8Array(1)) } catch (e) { return e instanceof TypeError } })()`,
		`Crypto.prototype.getRandomValues.length === 1 && Crypto.prototype.randomUUID.length === 0`,
		`Crypto.prototype.getRandomValues.name === 'getRandomValues'`,
		`Object.keys(Crypto.prototype).join() === 'getRandomValues,randomUUID'`,
		`(() => { const d = Object.getOwnPropertyDescriptor(globalThis, 'crypto'); return d.enumerable && d.configurable && d.set === undefined && d.get.name === 'get crypto' })()`,
		`(() => { try { Object.getOwnPropertyDescriptor(globalThis, 'crypto').get.call({}) } catch (e) { return e instanceof TypeError } })()`,
		`(() => { 'use strict'; try { crypto = 1 } catch (e) { return e instanceof TypeError && crypto instanceof Crypto } })()`,
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
