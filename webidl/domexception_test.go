package webidl

import (
	"testing"
)

func TestDOMException(t *testing.T) {
	vm, r := newRealm(t)
	checks := []string{
		`DOMException.length === 0 && DOMException.name === "DOMException"`,
		`Object.getPrototypeOf(DOMException.prototype) === Error.prototype`,
		`Object.getPrototypeOf(DOMException) === Function.prototype`,
		`new DOMException() instanceof Error && new DOMException() instanceof DOMException`,
		`(() => { const e = new DOMException(); return e.name === "Error" && e.message === "" && e.code === 0 })()`,
		`(() => { const e = new DOMException("m", "NotFoundError"); return e.name === "NotFoundError" && e.message === "m" && e.code === 8 })()`,
		`new DOMException("m", "SyntaxError").code === 12 && new DOMException("m", "DataCloneError").code === 25`,
		`new DOMException("m", "ValidationError").code === 0 && new DOMException("m", "NotAllowedError").code === 0`,
		`new DOMException(undefined, undefined).name === "Error" && new DOMException(null, null).message === "null"`,
		`Object.prototype.toString.call(new DOMException()) === "[object DOMException]"`,
		`String(new DOMException("boom", "AbortError")) === "AbortError: boom"`,
		`DOMException.INDEX_SIZE_ERR === 1 && DOMException.prototype.DATA_CLONE_ERR === 25 && DOMException.VALIDATION_ERR === 16`,
		`(() => { const d = Object.getOwnPropertyDescriptor(DOMException, "NOT_FOUND_ERR"); return d.value === 8 && !d.writable && d.enumerable && !d.configurable })()`,
		`(() => { const d = Object.getOwnPropertyDescriptor(DOMException.prototype, "name"); return d.get && !d.set && d.enumerable && d.configurable })()`,
		`(() => { const e = new DOMException("m"); return typeof e.stack === "string" && Object.getOwnPropertyNames(e).includes("stack") })()`,
		`!Object.prototype.hasOwnProperty.call(new DOMException("m"), "message")`,
		`(() => { try { DOMException(); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { DOMException.prototype.name; return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new DOMException(Symbol()); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { class E extends DOMException { constructor() { super("sub", "TimeoutError") } } const e = new E(); return e instanceof E && e.code === 23 && e.message === "sub" && Object.getPrototypeOf(e) === E.prototype })()`,
		`new DOMException("\uD800", "x").message === "\uD800"`,
	}
	for _, c := range checks {
		assertJS(t, vm, c)
	}

	e := r.NewDOMException("InvalidStateError", "not open")
	vm.Set("goErr", e)
	assertJS(t, vm, `goErr instanceof DOMException && goErr.code === 11 && goErr.message === "not open"`)
	name, msg, ok := r.DOMExceptionInfo(e)
	if !ok || name != "InvalidStateError" || msg != "not open" {
		t.Fatalf("DOMExceptionInfo = %q %q %v", name, msg, ok)
	}
	if _, _, ok := r.DOMExceptionInfo(vm.NewObject()); ok {
		t.Fatal("plain object reported as DOMException")
	}
	vm.Set("throwIt", func() { r.ThrowDOMException("SyntaxError", "bad") })
	assertJS(t, vm, `(() => { try { throwIt(); return false } catch (e) { return e instanceof DOMException && e.name === "SyntaxError" && e.code === 12 } })()`)
	if RealmOf(vm) != r || NewRealm(vm) != r {
		t.Fatal("RealmOf does not find the realm")
	}
}
