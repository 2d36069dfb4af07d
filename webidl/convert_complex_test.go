package webidl

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func TestSequence(t *testing.T) {
	vm, r := newRealm(t)
	conv := func(v goja.Value) any {
		return fmt.Sprint(ToSequence(r, v, func(e goja.Value) int32 { return r.ToLong(e, 0) }))
	}
	checkConversions(t, vm, "sequence<long>", []convCase{
		{"[1, 2, 3]", "[1 2 3]", ""},
		{"[]", "[]", ""},
		{"new Set([4, 5])", "[4 5]", ""},
		{"'12'", nil, "TypeError"}, // not an object
		{"({})", nil, "TypeError"}, // no @@iterator
		{"({[Symbol.iterator]: 1})", nil, "TypeError"},
		{"({[Symbol.iterator]() { return 1 }})", nil, "TypeError"},
		{"({[Symbol.iterator]() { return {next() { return 1 }} }})", nil, "TypeError"},
		{"({*[Symbol.iterator]() { yield '7'; yield 8.9 }})", "[7 8]", ""},
		{"({*[Symbol.iterator]() { yield 1; throw new RangeError('stop') }})", nil, "RangeError"},
		{"[1, Symbol()]", nil, "TypeError"},
		{"(() => { const a = [1]; a[Symbol.iterator] = function* () { yield 9 }; return a })()", "[9]", ""},
	}, conv, equal)

	// The iterator protocol is followed exactly: @@iterator is read once,
	// next is read once, done before value.
	run(t, vm, `
		var log = [];
		var iterable = {
			get [Symbol.iterator]() { log.push("get @@iterator"); return function () {
				let i = 0;
				return { get next() { log.push("get next"); return () => {
					i++;
					return { get done() { log.push("done " + i); return i > 2 }, get value() { log.push("value " + i); return i } };
				} } };
			} },
		};`)
	got := ToSequence(r, vm.Get("iterable"), func(e goja.Value) int64 { return e.ToInteger() })
	if !reflect.DeepEqual(got, []int64{1, 2}) {
		t.Errorf("sequence = %v", got)
	}
	assertJS(t, vm, `log.join() === "get @@iterator,get next,done 1,value 1,done 2,value 2,done 3"`)
}

func TestRecord(t *testing.T) {
	vm, r := newRealm(t)
	conv := func(v goja.Value) any {
		rec := ToRecord(r, v, func(k goja.Value) string { return r.ToUSVString(k) }, func(e goja.Value) string { return r.ToUSVString(e) })
		var b strings.Builder
		for _, e := range rec {
			fmt.Fprintf(&b, "%s=%s;", e.Key, e.Value)
		}
		return b.String()
	}
	checkConversions(t, vm, "record<USVString, USVString>", []convCase{
		{"({a: 1, b: 'x'})", "a=1;b=x;", ""},
		{"({b: 1, a: 2, 1: 3})", "1=3;b=1;a=2;", ""},
		{"Object.defineProperty({a: 1}, 'hidden', {value: 2, enumerable: false})", "a=1;", ""},
		{"Object.create({inherited: 1})", "", ""},
		{"1", nil, "TypeError"},
		{"null", nil, "TypeError"},
		{"({'\\uD800': 1, '\\uDC00': 2})", "\uFFFD=2;", ""},
		{"({[Symbol()]: 1})", nil, "TypeError"},
		{"({get a() { throw new RangeError() }})", nil, "RangeError"},
		{"new Proxy({a: 1}, {ownKeys() { return ['b', 'a'] }, getOwnPropertyDescriptor(t, k) { return {value: k, enumerable: true, configurable: true} }, get(t, k) { return k + '!' }})", "b=b!;a=a!;", ""},
	}, conv, equal)
}

type eventInit struct {
	Bubbles, Cancelable, Composed bool
}

type closeInit struct {
	eventInit
	WasClean bool
	Code     uint16
	Reason   string
	Log      []string
	Req      string
	HasReq   bool
}

var testEventInit = &Dictionary[closeInit]{
	Name: "EventInit",
	Members: []DictionaryMember[closeInit]{
		{Name: "composed", Convert: func(r *Realm, v goja.Value, o *closeInit) {
			o.Composed = ToBoolean(v)
			o.Log = append(o.Log, "composed")
		}},
		{Name: "bubbles", Convert: func(r *Realm, v goja.Value, o *closeInit) { o.Bubbles = ToBoolean(v); o.Log = append(o.Log, "bubbles") }},
		{Name: "cancelable", Convert: func(r *Realm, v goja.Value, o *closeInit) {
			o.Cancelable = ToBoolean(v)
			o.Log = append(o.Log, "cancelable")
		}},
	},
}

var testCloseInit = &Dictionary[closeInit]{
	Name:   "CloseEventInit",
	Parent: testEventInit,
	Members: []DictionaryMember[closeInit]{
		{Name: "wasClean", Convert: func(r *Realm, v goja.Value, o *closeInit) {
			o.WasClean = ToBoolean(v)
			o.Log = append(o.Log, "wasClean")
		}},
		{Name: "reason", Convert: func(r *Realm, v goja.Value, o *closeInit) {
			o.Reason = r.ToUSVString(v)
			o.Log = append(o.Log, "reason")
		},
			Default: func(o *closeInit) { o.Reason = "default" }},
		{Name: "code", Convert: func(r *Realm, v goja.Value, o *closeInit) {
			o.Code = r.ToUnsignedShort(v, 0)
			o.Log = append(o.Log, "code")
		}},
	},
}

var testRequired = &Dictionary[closeInit]{
	Name:   "Req",
	Parent: testCloseInit,
	Members: []DictionaryMember[closeInit]{
		{Name: "req", Required: true, Convert: func(r *Realm, v goja.Value, o *closeInit) { o.Req = r.ToUSVString(v); o.HasReq = true }},
	},
}

func TestDictionary(t *testing.T) {
	vm, r := newRealm(t)
	conv := func(d *Dictionary[closeInit]) func(v goja.Value) any {
		return func(v goja.Value) any {
			var out closeInit
			ToDictionary(r, v, d, &out)
			return fmt.Sprintf("%v %v %v %v %d %q %v %q", out.Bubbles, out.Cancelable, out.Composed, out.WasClean, out.Code, out.Reason, out.Log, out.Req)
		}
	}
	checkConversions(t, vm, "CloseEventInit", []convCase{
		{"undefined", `false false false false 0 "default" [] ""`, ""},
		{"null", `false false false false 0 "default" [] ""`, ""},
		{"({})", `false false false false 0 "default" [] ""`, ""},
		// Inherited members first, each dictionary in lexicographical order.
		{"({code: 65537, reason: 'r', wasClean: 1, bubbles: 1, cancelable: 0, composed: 'x'})", `true false true true 1 "r" [bubbles cancelable composed code reason wasClean] ""`, ""},
		{"({code: undefined, reason: undefined})", `false false false false 0 "default" [] ""`, ""},
		{"Object.create({bubbles: true})", `true false false false 0 "default" [bubbles] ""`, ""},
		{"(function () {})", `false false false false 0 "default" [] ""`, ""},
		{"1", nil, "TypeError"},
		{"'str'", nil, "TypeError"},
		{"true", nil, "TypeError"},
		{"({get bubbles() { throw new RangeError() }})", nil, "RangeError"},
		{"({code: Symbol()})", nil, "TypeError"},
	}, conv(testCloseInit), equal)
	checkConversions(t, vm, "Req", []convCase{
		{"({req: 'x'})", `false false false false 0 "default" [] "x"`, ""},
		{"({})", nil, "TypeError"},
		{"undefined", nil, "TypeError"},
		{"({req: undefined})", nil, "TypeError"},
	}, conv(testRequired), equal)

	// Members are read in order, each exactly once.
	run(t, vm, `var seen = []; var init = new Proxy({}, {get(t, k) { seen.push(String(k)); return undefined }});`)
	var out closeInit
	_ = throws(vm, func() { ToDictionary(r, vm.Get("init"), testRequired, &out) })
	assertJS(t, vm, `seen.slice(0, 6).join() === "bubbles,cancelable,composed,code,reason,wasClean"`)
}

func TestUnion(t *testing.T) {
	vm, r := newRealm(t)
	defineTestInterfaces(t, r)
	kinds := map[UnionKind]string{
		MatchUndefined: "undefined", MatchNull: "null", MatchInterface: "interface", MatchObject: "object",
		MatchArrayBuffer: "ArrayBuffer", MatchArrayBufferView: "ArrayBufferView", MatchCallback: "callback",
		MatchSequence: "sequence", MatchDictionary: "dictionary", MatchRecord: "record", MatchCallbackIface: "callback interface",
		MatchBoolean: "boolean", MatchNumeric: "numeric", MatchBigInt: "bigint", MatchString: "string",
	}
	conv := func(u *Union) func(goja.Value) any {
		return func(v goja.Value) any {
			m := r.MatchUnion(v, u)
			if m.Kind == MatchInterface {
				return "interface " + m.Interface
			}
			return kinds[m.Kind]
		}
	}
	// (BufferSource or Blob or USVString), with Base standing in for Blob.
	send := &Union{ArrayBuffer: true, ArrayBufferView: true, Interfaces: []string{"Base"}, String: true}
	checkConversions(t, vm, "(BufferSource or Base or USVString)", []convCase{
		{"new ArrayBuffer(1)", "ArrayBuffer", ""}, {"new Uint8Array(1)", "ArrayBufferView", ""},
		{"new DataView(new ArrayBuffer(1))", "ArrayBufferView", ""}, {"new Float64Array(1)", "ArrayBufferView", ""},
		{"new Base()", "interface Base", ""}, {"new Derived(1)", "interface Base", ""}, {"'s'", "string", ""},
		{"1", "string", ""}, {"null", "string", ""}, {"undefined", "string", ""}, {"({})", "string", ""},
	}, conv(send), equal)
	// (DOMString or sequence<DOMString>)
	protocols := &Union{String: true, Sequence: true}
	checkConversions(t, vm, "(DOMString or sequence<DOMString>)", []convCase{
		{"'chat'", "string", ""}, {"['a', 'b']", "sequence", ""}, {"new Set()", "sequence", ""}, {"({})", "string", ""},
		{"undefined", "string", ""}, {"({[Symbol.iterator]: 5})", nil, "TypeError"}, {"new String('x')", "sequence", ""},
	}, conv(protocols), equal)
	// (AddEventListenerOptions or boolean)
	options := &Union{Dictionary: true, Boolean: true}
	checkConversions(t, vm, "(AddEventListenerOptions or boolean)", []convCase{
		{"true", "boolean", ""}, {"({})", "dictionary", ""}, {"undefined", "dictionary", ""}, {"null", "dictionary", ""},
		{"1", "boolean", ""}, {"'x'", "boolean", ""}, {"(() => 1)", "dictionary", ""},
	}, conv(options), equal)
	checkConversions(t, vm, "(long or boolean)?", []convCase{
		{"null", "null", ""}, {"undefined", "null", ""}, {"true", "boolean", ""}, {"2", "numeric", ""}, {"'2'", "numeric", ""},
		{"2n", "numeric", ""},
	}, conv(&Union{Nullable: true, Numeric: true, Boolean: true}), equal)
	checkConversions(t, vm, "(Base or undefined or Function or object)", []convCase{
		{"undefined", "undefined", ""}, {"(() => 1)", "callback", ""}, {"({})", "object", ""}, {"new Base()", "interface Base", ""},
		{"1", nil, "TypeError"}, {"new Uint8Array()", "object", ""},
	}, conv(&Union{Undefined: true, Interfaces: []string{"Base"}, Callback: true, Object: true}), equal)
	checkConversions(t, vm, "(record or bigint)", []convCase{
		{"({})", "record", ""}, {"1n", "bigint", ""}, {"1", "bigint", ""},
	}, conv(&Union{Record: true, BigInt: true}), equal)
	checkConversions(t, vm, "(EventListener or Base)", []convCase{
		{"({})", "callback interface", ""}, {"new Base()", "interface Base", ""}, {"1", nil, "TypeError"},
	}, conv(&Union{CallbackIface: true, Interfaces: []string{"Base"}}), equal)

	// A sequence member uses the method MatchUnion got.
	v := run(t, vm, `["x", "y"]`)
	m := r.MatchUnion(v, protocols)
	seq := SequenceFromMethod(r, v.(*goja.Object), m.Method, func(e goja.Value) string { return r.ToUSVString(e) })
	if !reflect.DeepEqual(seq, []string{"x", "y"}) {
		t.Errorf("sequence from union = %v", seq)
	}
}

func TestCallbacks(t *testing.T) {
	vm, r := newRealm(t)
	if name := throws(vm, func() { r.ToCallbackFunction(vm.ToValue(1)) }); name != "TypeError" {
		t.Errorf("ToCallbackFunction(1) threw %q", name)
	}
	if name := throws(vm, func() { r.ToCallbackFunction(vm.NewObject()) }); name != "TypeError" {
		t.Errorf("ToCallbackFunction({}) threw %q", name)
	}
	f := r.ToCallbackFunction(run(t, vm, `(function (a, b) { "use strict"; return [this, a + b] })`))
	res, err := f.Invoke(vm.ToValue("me"), vm.ToValue(1), vm.ToValue(2))
	if err != nil || res.(*goja.Object).Get("0").String() != "me" || res.(*goja.Object).Get("1").ToInteger() != 3 {
		t.Errorf("Invoke = %v, %v", res, err)
	}
	f = r.ToCallbackFunction(run(t, vm, `(() => { throw new RangeError("cb") })`))
	if _, err := f.Invoke(nil); err == nil || !strings.Contains(err.Error(), "RangeError: cb") {
		t.Errorf("Invoke of a throwing callback: %v", err)
	}
	if r.ToCallbackFunctionOrNull(vm.ToValue(3)) != nil || r.ToCallbackFunctionOrNull(goja.Null()) != nil {
		t.Error("[LegacyTreatNonObjectAsNull] non-object is not null")
	}
	nc := r.ToCallbackFunctionOrNull(vm.NewObject())
	// Step 4 of "invoke a callback function"
	// (https://webidl.spec.whatwg.org/#invoke-a-callback-function): a
	// non-callable object is not called; the result is undefined.
	if res, err := nc.Invoke(nil); err != nil || !goja.IsUndefined(res) {
		t.Errorf("invoking a non-callable object: %v, %v", res, err)
	}

	// Callback interfaces: functions are called with the given this, other
	// objects have handleEvent looked up at call time with the object as this.
	if name := throws(vm, func() { r.ToCallbackInterface(vm.ToValue("x")) }); name != "TypeError" {
		t.Errorf("ToCallbackInterface('x') threw %q", name)
	}
	run(t, vm, `var calls = []; var listener = { handleEvent(e) { calls.push([this === listener, e]) } };`)
	ci := r.ToCallbackInterface(vm.Get("listener"))
	if _, err := ci.Call("handleEvent", vm.ToValue("ignored"), vm.ToValue(1)); err != nil {
		t.Fatal(err)
	}
	run(t, vm, `listener.handleEvent = function (e) { calls.push(["replaced", e]) }`)
	if _, err := ci.Call("handleEvent", nil, vm.ToValue(2)); err != nil {
		t.Fatal(err)
	}
	assertJS(t, vm, `JSON.stringify(calls) === '[[true,1],["replaced",2]]'`)
	run(t, vm, `listener.handleEvent = 5`)
	if _, err := ci.Call("handleEvent", nil); err == nil || !strings.Contains(err.Error(), "TypeError") {
		t.Errorf("non-callable handleEvent: %v", err)
	}
	run(t, vm, `var getterThrows = { get handleEvent() { throw new RangeError("get") } }`)
	if _, err := r.ToCallbackInterface(vm.Get("getterThrows")).Call("handleEvent", nil); err == nil || !strings.Contains(err.Error(), "RangeError") {
		t.Errorf("throwing getter: %v", err)
	}
	fn := r.ToCallbackInterface(run(t, vm, `(function () { "use strict"; return this })`))
	if res, err := fn.Call("handleEvent", vm.ToValue("t")); err != nil || res.String() != "t" {
		t.Errorf("callable callback interface: %v %v", res, err)
	}
}

func TestBufferSource(t *testing.T) {
	vm, r := newRealm(t)
	conv := func(v goja.Value) any { return fmt.Sprintf("%x", r.ToBufferSource(v)) }
	checkConversions(t, vm, "BufferSource", []convCase{
		{"new Uint8Array([1, 2, 3]).buffer", "010203", ""},
		{"new Uint8Array([1, 2, 3])", "010203", ""},
		{"new Uint8Array([1, 2, 3, 4]).subarray(1, 3)", "0203", ""},
		{"new Uint16Array([0x0102, 0x0304])", "02010403", ""},
		{"new Uint16Array(new Uint8Array([1, 2, 3, 4, 5, 6]).buffer, 2, 1)", "0304", ""},
		{"new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2)", "0203", ""},
		{"new Float64Array([1])", "000000000000f03f", ""},
		{"new ArrayBuffer(0)", "", ""},
		{"(() => { const a = new Uint8Array([9]); Object.defineProperty(a, 'byteOffset', {value: 5}); return a })()", "09", ""},
		{"[1, 2]", nil, "TypeError"},
		{"'abc'", nil, "TypeError"},
		{"({byteLength: 1})", nil, "TypeError"},
	}, conv, equal)
	checkConversions(t, vm, "ArrayBuffer", []convCase{
		{"new Uint8Array([7]).buffer", "07", ""}, {"new Uint8Array([7])", nil, "TypeError"}, {"1", nil, "TypeError"},
	}, func(v goja.Value) any { return fmt.Sprintf("%x", r.ToArrayBuffer(v)) }, equal)
	checkConversions(t, vm, "ArrayBufferView", []convCase{
		{"new Int8Array([-1])", "ff", ""}, {"new DataView(new ArrayBuffer(2))", "0000", ""}, {"new ArrayBuffer(1)", nil, "TypeError"},
		{"[1]", nil, "TypeError"},
	}, func(v goja.Value) any { return fmt.Sprintf("%x", r.ToArrayBufferView(v)) }, equal)
	// The result is a copy.
	v := run(t, vm, `var shared = new Uint8Array([5]); shared`)
	b := r.ToBufferSource(v)
	b[0] = 6
	assertJS(t, vm, `shared[0] === 5`)
	// Detached buffers hold no bytes.
	ab := vm.NewArrayBuffer([]byte{1, 2})
	abv := vm.ToValue(ab)
	vm.Set("detached", abv)
	view := run(t, vm, `new Uint8Array(detached)`)
	dataView := run(t, vm, `new DataView(detached)`)
	ab.Detach()
	if got := r.ToBufferSource(abv); len(got) != 0 {
		t.Errorf("detached buffer gave %x", got)
	}
	if got := r.ToBufferSource(view); len(got) != 0 {
		t.Errorf("view of a detached buffer gave %x", got)
	}
	// A view alias is consulted for objects that are not goja views only: goja's
	// Export of a typed array over a detached buffer panics.
	r.AddViewAlias(func(o *goja.Object) *goja.Object {
		_ = o.Export()
		return nil
	})
	for _, v := range []goja.Value{view, dataView} {
		if got := r.ToBufferSource(v); len(got) != 0 || !r.IsArrayBufferView(v) {
			t.Errorf("view of a detached buffer, with an alias, gave %x", got)
		}
	}
	if got := r.AppendBufferSource([]byte("ab"), run(t, vm, `new Uint8Array([99])`)); !bytes.Equal(got, []byte("abc")) {
		t.Errorf("AppendBufferSource = %q", got)
	}
	if !r.IsArrayBuffer(r.NewArrayBuffer([]byte{1})) || r.IsArrayBufferView(r.NewArrayBuffer(nil)) || !r.IsArrayBufferView(view) {
		t.Error("IsArrayBuffer / IsArrayBufferView")
	}
}

func TestPromiseAndFrozenArray(t *testing.T) {
	vm, r := newRealm(t)
	p := r.ToPromise(vm.ToValue(5))
	vm.Set("p", p)
	run(t, vm, `var got; p.then(v => { got = v })`)
	assertJS(t, vm, `got === 5`)
	same := run(t, vm, `var q = Promise.resolve(1); q`)
	if r.ToPromise(same) != same.(*goja.Object) {
		t.Error("ToPromise of a promise is not the same promise")
	}
	run(t, vm, `Promise.resolve = () => { throw new Error("patched") }`)
	r.ToPromise(vm.ToValue(1)) // the captured intrinsic is used
	np, resolve, reject := r.NewPromise()
	vm.Set("np", np)
	run(t, vm, `var settled; np.then(v => { settled = v })`)
	resolve(vm.ToValue("done"))
	run(t, vm, `0`)
	assertJS(t, vm, `settled === "done"`)
	rp, _, reject2 := r.NewPromise()
	vm.Set("rp", rp)
	run(t, vm, `var why; rp.catch(e => { why = e })`)
	reject2(vm.ToValue("bad"))
	run(t, vm, `0`)
	assertJS(t, vm, `why === "bad"`)
	_ = reject

	a := r.FrozenArray(vm.ToValue(1), vm.ToValue("x"))
	vm.Set("fa", a)
	assertJS(t, vm, `Array.isArray(fa) && Object.isFrozen(fa) && fa.length === 2 && fa[1] === "x"`)
}
