package events

import (
	"encoding/json"
	"testing"
)

// ifaceShape is what an interface's IDL says about its JavaScript shape.
type ifaceShape struct {
	Name        string            `json:"name"`
	Parent      string            `json:"parent"` // "" for none
	Length      int               `json:"length"`
	Constructs  string            `json:"constructs"` // expression creating an instance, "" if none
	Readonly    []string          `json:"readonly"`
	Writable    []string          `json:"writable"`
	Unforgeable []string          `json:"unforgeable"`
	Ops         map[string]int    `json:"ops"`       // name -> length
	Constants   map[string]uint16 `json:"constants"` // name -> value
}

var shapes = []ifaceShape{
	{Name: "Event", Length: 1, Constructs: `new Event("x")`,
		Readonly:    []string{"type", "target", "srcElement", "currentTarget", "eventPhase", "bubbles", "cancelable", "defaultPrevented", "composed", "timeStamp"},
		Writable:    []string{"cancelBubble", "returnValue"},
		Unforgeable: []string{"isTrusted"},
		Ops:         map[string]int{"composedPath": 0, "stopPropagation": 0, "stopImmediatePropagation": 0, "preventDefault": 0, "initEvent": 1},
		Constants:   map[string]uint16{"NONE": 0, "CAPTURING_PHASE": 1, "AT_TARGET": 2, "BUBBLING_PHASE": 3}},
	{Name: "CustomEvent", Parent: "Event", Length: 1, Constructs: `new CustomEvent("x")`,
		Readonly: []string{"detail"}, Ops: map[string]int{"initCustomEvent": 1}},
	{Name: "EventTarget", Length: 0, Constructs: `new EventTarget()`,
		Ops: map[string]int{"addEventListener": 2, "removeEventListener": 2, "dispatchEvent": 1}},
	{Name: "ErrorEvent", Parent: "Event", Length: 1, Constructs: `new ErrorEvent("x")`,
		Readonly: []string{"message", "filename", "lineno", "colno", "error"}},
	{Name: "MessageEvent", Parent: "Event", Length: 1, Constructs: `new MessageEvent("x")`,
		Readonly: []string{"data", "origin", "lastEventId", "source", "ports"}, Ops: map[string]int{"initMessageEvent": 1}},
	{Name: "PromiseRejectionEvent", Parent: "Event", Length: 2, Constructs: `new PromiseRejectionEvent("x", {promise: Promise.resolve()})`,
		Readonly: []string{"promise", "reason"}},
	{Name: "CloseEvent", Parent: "Event", Length: 1, Constructs: `new CloseEvent("x")`,
		Readonly: []string{"wasClean", "code", "reason"}},
	{Name: "ProgressEvent", Parent: "Event", Length: 1, Constructs: `new ProgressEvent("x")`,
		Readonly: []string{"lengthComputable", "loaded", "total"}},
}

// checkShape is a JavaScript function returning the list of problems with
// an interface's properties and their descriptors
// (https://webidl.spec.whatwg.org/#js-interfaces).
const checkShape = `(function (s) {
	const errs = [], I = globalThis[s.name];
	const fail = m => errs.push(s.name + ": " + m);
	const g = Object.getOwnPropertyDescriptor(globalThis, s.name);
	if (!g || !g.writable || g.enumerable || !g.configurable) fail("global property descriptor");
	if (typeof I !== "function") { fail("not a function"); return errs }
	const parent = s.parent ? globalThis[s.parent] : Function.prototype;
	if (Object.getPrototypeOf(I) !== parent) fail("interface object [[Prototype]]");
	const parentProto = s.parent ? globalThis[s.parent].prototype : Object.prototype;
	if (Object.getPrototypeOf(I.prototype) !== parentProto) fail("prototype [[Prototype]]");
	for (const [k, v] of [["length", s.length], ["name", s.name]]) {
		const d = Object.getOwnPropertyDescriptor(I, k);
		if (!d || d.value !== v || d.writable || d.enumerable || !d.configurable) fail("interface object " + k);
	}
	const pd = Object.getOwnPropertyDescriptor(I, "prototype");
	if (pd.writable || pd.enumerable || pd.configurable) fail("prototype descriptor");
	const cd = Object.getOwnPropertyDescriptor(I.prototype, "constructor");
	if (!cd || cd.value !== I || !cd.writable || cd.enumerable || !cd.configurable) fail("constructor descriptor");
	const td = Object.getOwnPropertyDescriptor(I.prototype, Symbol.toStringTag);
	if (!td || td.value !== s.name || td.writable || td.enumerable || !td.configurable) fail("@@toStringTag");
	try { I(); fail("callable without new") } catch (e) { if (!(e instanceof TypeError)) fail("call throws " + e) }
	const own = new Set(Object.getOwnPropertyNames(I.prototype));
	const expected = new Set(["constructor", ...(s.readonly || []), ...(s.writable || []), ...Object.keys(s.ops || {}), ...Object.keys(s.constants || {})]);
	for (const k of own) if (!expected.has(k)) fail("unexpected prototype property " + k);
	for (const k of expected) if (!own.has(k)) fail("missing prototype property " + k);
	for (const [list, ro] of [[s.readonly || [], true], [s.writable || [], false]]) {
		for (const k of list) {
			const d = Object.getOwnPropertyDescriptor(I.prototype, k);
			if (!d || !d.enumerable || !d.configurable || typeof d.get !== "function") { fail("attribute " + k); continue }
			if (d.get.name !== "get " + k || d.get.length !== 0) fail("getter of " + k);
			if (ro ? d.set !== undefined : (typeof d.set !== "function" || d.set.name !== "set " + k || d.set.length !== 1)) fail("setter of " + k);
			try { d.get.call({}); fail(k + " getter accepts a plain object") } catch (e) { if (!(e instanceof TypeError)) fail(k + " getter throws " + e) }
			try { I.prototype[k]; fail(k + " readable on the prototype") } catch (e) { if (!(e instanceof TypeError)) fail(k + " on prototype throws " + e) }
		}
	}
	for (const [k, n] of Object.entries(s.ops || {})) {
		const d = Object.getOwnPropertyDescriptor(I.prototype, k);
		if (!d || !d.writable || !d.enumerable || !d.configurable || typeof d.value !== "function") { fail("operation " + k); continue }
		if (d.value.name !== k || d.value.length !== n) fail("operation " + k + " name/length " + d.value.name + "/" + d.value.length);
		try { d.value.call({}); fail(k + " accepts a plain object") } catch (e) { if (!(e instanceof TypeError)) fail(k + " throws " + e) }
		try { new d.value(); fail(k + " is a constructor") } catch (e) { if (!(e instanceof TypeError)) fail("new " + k + " throws " + e) }
	}
	for (const [k, v] of Object.entries(s.constants || {})) {
		for (const o of [I, I.prototype]) {
			const d = Object.getOwnPropertyDescriptor(o, k);
			if (!d || d.value !== v || d.writable || !d.enumerable || d.configurable) fail("constant " + k);
		}
	}
	if (s.constructs) {
		const x = eval(s.constructs);
		if (Object.getPrototypeOf(x) !== I.prototype) fail("instance prototype");
		if (Object.prototype.toString.call(x) !== "[object " + s.name + "]") fail("class string");
		for (const k of s.unforgeable || []) {
			const d = Object.getOwnPropertyDescriptor(x, k);
			if (!d || d.configurable || !d.enumerable || typeof d.get !== "function" || d.set !== undefined) fail("unforgeable " + k);
		}
		let proto = I.prototype;
		while (proto) { for (const k of s.unforgeable || []) if (Object.prototype.hasOwnProperty.call(proto, k)) fail(k + " on a prototype"); proto = Object.getPrototypeOf(proto) }
		const keys = Object.keys(x), inherited = [];
		for (let p = Object.getPrototypeOf(x); p; p = Object.getPrototypeOf(p)) if (p.constructor && p.constructor.name === "Event") inherited.push("isTrusted");
		if (keys.join() !== inherited.join()) fail("instance own keys " + keys.join());
	}
	return errs;
})`

func TestInterfaceShapes(t *testing.T) {
	e := newEnv(t)
	check := e.run(t, checkShape)
	for _, s := range shapes {
		js, _ := json.Marshal(s)
		e.vm.Set("shapeJSON", string(js))
		e.vm.Set("checkShape", check)
		res := e.run(t, `checkShape(JSON.parse(shapeJSON)).join("\n")`).String()
		if res != "" {
			t.Errorf("%s:\n%s", s.Name, res)
		}
	}
}

func TestEventConstructors(t *testing.T) {
	e := newEnv(t)
	checks := []string{
		// Event.
		`(() => { const ev = new Event("x"); return ev.type === "x" && !ev.bubbles && !ev.cancelable && !ev.composed && !ev.isTrusted && ev.eventPhase === 0 && ev.target === null && ev.currentTarget === null && ev.srcElement === null && !ev.defaultPrevented && ev.returnValue && !ev.cancelBubble })()`,
		`(() => { const ev = new Event("x", {bubbles: 1, cancelable: "y", composed: {}}); return ev.bubbles && ev.cancelable && ev.composed })()`,
		`new Event(undefined).type === "undefined" && new Event(null).type === "null" && new Event(5).type === "5"`,
		`(() => { try { new Event(); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new Event("x", 5); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new Event(Symbol()); return false } catch (e) { return e instanceof TypeError } })()`,
		`new Event("x", null).type === "x"`,
		`(() => { const a = new Event("a").timeStamp, b = new Event("b").timeStamp; return typeof a === "number" && a >= 0 && b >= a })()`,
		`(() => { const ev = new Event("x"); ev.initEvent("y", true, true); return ev.type === "y" && ev.bubbles && ev.cancelable })()`,
		`(() => { const ev = new Event("x", {cancelable: true}); ev.preventDefault(); ev.initEvent("y"); return !ev.defaultPrevented && !ev.bubbles && !ev.cancelable })()`,
		`(() => { try { new Event("x").initEvent(); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { const t = new EventTarget(); let r; t.addEventListener("x", ev => { ev.initEvent("changed", true, true); r = ev.type }); const ev = new Event("x"); t.dispatchEvent(ev); return r === "x" && ev.type === "x" })()`,
		`(() => { const ev = new Event("x"); ev.preventDefault(); return !ev.defaultPrevented })()`,
		`(() => { const ev = new Event("x"); ev.stopPropagation(); return ev.cancelBubble })()`,
		`(() => { const ev = new Event("x"); ev.expando = 1; return ev.expando === 1 })()`,
		// isTrusted is [LegacyUnforgeable].
		`(() => { const ev = new Event("x"); Object.defineProperty(Event.prototype, "isTrusted", {get() { return true }, configurable: true}); return ev.isTrusted === false })()`,
		`(() => { const a = new Event("a"), b = new CloseEvent("b"); const ga = Object.getOwnPropertyDescriptor(a, "isTrusted").get, gb = Object.getOwnPropertyDescriptor(b, "isTrusted").get; return ga.call(b) === false && gb === ga })()`,
		`(() => { "use strict"; const ev = new Event("x"); try { ev.isTrusted = true; return false } catch (e) { return e instanceof TypeError && ev.isTrusted === false } })()`,
		`(() => { const ev = new Event("x"); return delete ev.isTrusted === false })()`,
		// CustomEvent.
		`new CustomEvent("x").detail === null && new CustomEvent("x", {detail: 5}).detail === 5 && new CustomEvent("x", {detail: undefined}).detail === null`,
		`(() => { const ev = new CustomEvent("x", {detail: 1}); ev.initCustomEvent("y", true, false, "d"); return ev.type === "y" && ev.bubbles && ev.detail === "d" })()`,
		`(() => { const ev = new CustomEvent("x", {detail: 1}); ev.initCustomEvent("y"); return ev.detail === null })()`,
		// CloseEvent
		// (https://websockets.spec.whatwg.org/#the-closeevent-interface).
		`String(new CloseEvent("close")) === "[object CloseEvent]"`,
		`new CloseEvent("close", {code: 65537}).code === 1`,
		`(() => { const ev = new CloseEvent("close"); return ev.wasClean === false && ev.code === 0 && ev.reason === "" && ev instanceof Event })()`,
		`(() => { const ev = new CloseEvent("close", {wasClean: true, code: 1000, reason: "bye\uD800", bubbles: true}); return ev.wasClean && ev.code === 1000 && ev.reason === "bye\uFFFD" && ev.bubbles })()`,
		`new CloseEvent("close", {code: -1}).code === 65535 && new CloseEvent("close", {code: "3000"}).code === 3000`,
		// ProgressEvent (https://xhr.spec.whatwg.org/#interface-progressevent).
		`String(new ProgressEvent("progress")) === "[object ProgressEvent]"`,
		`(() => { const ev = new ProgressEvent("progress"); return ev.lengthComputable === false && ev.loaded === 0 && ev.total === 0 && ev instanceof Event && !ev.isTrusted })()`,
		`(() => { const ev = new ProgressEvent("load", {lengthComputable: 1, loaded: 2.5, total: "10", cancelable: true}); return ev.lengthComputable === true && ev.loaded === 2.5 && ev.total === 10 && ev.cancelable && ev.type === "load" })()`,
		`(() => { try { new ProgressEvent("x", {loaded: NaN}); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new ProgressEvent("x", {total: Infinity}); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new ProgressEvent(); return false } catch (e) { return e instanceof TypeError } })()`,
		// ErrorEvent (HTML).
		`(() => { const ev = new ErrorEvent("error"); return ev.message === "" && ev.filename === "" && ev.lineno === 0 && ev.colno === 0 && ev.error === undefined })()`,
		`(() => { const err = new Error("e"); const ev = new ErrorEvent("error", {message: "m", filename: "f", lineno: 2 ** 32 + 3, colno: -1, error: err}); return ev.message === "m" && ev.filename === "f" && ev.lineno === 3 && ev.colno === 4294967295 && ev.error === err })()`,
		`new ErrorEvent("error", {error: null}).error === null`,
		// MessageEvent (HTML).
		`(() => { const ev = new MessageEvent("message"); return ev.data === null && ev.origin === "" && ev.lastEventId === "" && ev.source === null && Array.isArray(ev.ports) && ev.ports.length === 0 && Object.isFrozen(ev.ports) && ev.ports === ev.ports })()`,
		`(() => { const d = {}; const ev = new MessageEvent("message", {data: d, origin: "ws://a", lastEventId: "7", ports: []}); return ev.data === d && ev.origin === "ws://a" && ev.lastEventId === "7" })()`,
		`(() => { try { new MessageEvent("message", {source: {}}); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new MessageEvent("message", {ports: [1]}); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new MessageEvent("message", {ports: 1}); return false } catch (e) { return e instanceof TypeError } })()`,
		`new MessageEvent("message", {source: null, ports: new Set()}).source === null`,
		`(() => { const ev = new MessageEvent("x", {data: 1}); const before = ev.ports; ev.initMessageEvent("m", false, true, "d", "o", "id", null, []); return ev.type === "m" && ev.cancelable && ev.data === "d" && ev.origin === "o" && ev.lastEventId === "id" && ev.source === null && ev.ports !== before && ev.ports.length === 0 })()`,
		`(() => { const ev = new MessageEvent("x", {data: 1}); ev.initMessageEvent("m"); return ev.data === null && ev.origin === "" })()`,
		`(() => {
			const t = new EventTarget(), data = {payload: [1, 2]}; let got;
			t.addEventListener("message", ev => { got = ev });
			const ev = new MessageEvent("message", {data});
			return t.dispatchEvent(ev) && got === ev && got.data === data && got.target === t && !got.isTrusted })()`,
		// PromiseRejectionEvent (HTML).
		`(() => { const p = Promise.resolve(); const ev = new PromiseRejectionEvent("x", {promise: p, reason: 1}); return ev.promise === p && ev.reason === 1 })()`,
		`(() => { const p = Promise.resolve(); return new PromiseRejectionEvent("x", {promise: p}).reason === undefined })()`,
		`(() => { const o = {}; return new PromiseRejectionEvent("x", {promise: o}).promise === o })()`,
		`(() => { try { new PromiseRejectionEvent("x", {}); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new PromiseRejectionEvent("x"); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new PromiseRejectionEvent("x", {promise: 1}); return false } catch (e) { return e instanceof TypeError } })()`,
		// Subclasses keep their prototype.
		`(() => { class My extends Event { constructor() { super("my", {bubbles: true}) } } const m = new My(); return m instanceof My && m.type === "my" && m.bubbles && String(m) === "[object Event]" })()`,
	}
	for _, c := range checks {
		e.check(t, c)
	}
}
