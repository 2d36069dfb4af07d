package blob

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

func TestInterfaces(t *testing.T) {
	vm, _ := newVM(t)
	checks := []string{
		`describe(globalThis, "Blob") === "value,writable,configurable" && describe(globalThis, "File") === "value,writable,configurable"`,
		`Blob.length === 0 && File.length === 2 && Blob.name === "Blob" && File.name === "File"`,
		`Object.getPrototypeOf(File) === Blob && Object.getPrototypeOf(File.prototype) === Blob.prototype`,
		`describe(Blob.prototype, "size") === "get,enumerable,configurable" && describe(Blob.prototype, "type") === "get,enumerable,configurable"`,
		`["slice", "text", "arrayBuffer", "bytes"].every(k => describe(Blob.prototype, k) === "value,writable,enumerable,configurable" && Blob.prototype[k].length === 0 && Blob.prototype[k].name === k)`,
		`describe(File.prototype, "name") === "get,enumerable,configurable" && describe(File.prototype, "lastModified") === "get,enumerable,configurable"`,
		`String(new Blob()) === "[object Blob]" && String(new File([], "f")) === "[object File]"`,
		`(() => { try { Blob(); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Object.getOwnPropertyDescriptor(Blob.prototype, "size").get.call({}); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Object.getOwnPropertyDescriptor(File.prototype, "name").get.call(new Blob()); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Blob.prototype.slice.call({}); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { class B extends Blob { constructor() { super(["ab"]) } } const b = new B(); return b instanceof B && b.size === 2 })()`,
	}
	for _, c := range checks {
		assertJS(t, vm, c)
	}
}

func TestConstructor(t *testing.T) {
	vm, _ := newVM(t)
	cases := []struct{ expr, want string }{
		{`new Blob().size + "|" + new Blob().type`, `0|`},
		{`new Blob(undefined, {type: "A/B"}).type`, `a/b`},
		{`new Blob([]).size`, `0`},
		{`new Blob(["abc", "€"]).size`, `6`},
		{`new Blob(["\uD800"]).size`, `3`},
		{`new Blob([1, true, null, undefined, {toString() { return "x" }}]).size`, `19`},
		{`new Blob(new Set(["a", "b"])).size`, `2`},
		{`new Blob(null)`, `throws TypeError`},
		{`new Blob("abc")`, `throws TypeError`},
		{`new Blob({})`, `throws TypeError`},
		{`new Blob(123)`, `throws TypeError`},
		{`new Blob([Symbol()])`, `throws TypeError`},
		{`new Blob([], null).type`, ``},
		{`new Blob([], 5)`, `throws TypeError`},
		{`new Blob([], {endings: "other"})`, `throws TypeError`},
		{`new Blob([], {type: "TEXT/Plain;Charset=UTF-8"}).type`, `text/plain;charset=utf-8`},
		{`new Blob([], {type: "text/pl\u00e1in"}).type`, ``},
		{`new Blob([], {type: "a\u0019b"}).type`, ``},
		{`new Blob([], {type: "a\u007fb"}).type`, ``},
		{`new Blob([], {type: " ~ "}).type`, ` ~ `},
		// Parts are converted while iterating, before the options.
		{`(() => { const log = []; new Blob([{toString() { log.push("part"); return "" }}], {get type() { log.push("type"); return "" }, get endings() { log.push("endings"); return "native" }}); return log.join() })()`, `part,endings,type`},
	}
	for _, c := range cases {
		if got := evalString(t, vm, c.expr); got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
	}
	// The bytes of Blobs made from various parts.
	blobs := []struct{ expr, want string }{
		{`new Blob([new Uint8Array([1, 2]), new Uint16Array([0x0403]).buffer, new DataView(new Uint8Array([5, 6, 7]).buffer, 1, 1)])`, `fulfilled:Uint8Array 1,2,3,4,6`},
		{`new Blob([new Blob(["a"]), "b", new File(["c"], "f")])`, `fulfilled:Uint8Array 97,98,99`},
		{`new Blob(["a\r\nb\rc\nd\r"], {endings: "native"})`, `fulfilled:Uint8Array 97,10,98,10,99,10,100,10`},
		{`new Blob(["a\r\nb"], {endings: "transparent"})`, `fulfilled:Uint8Array 97,13,10,98`},
		{`new Blob([new Uint8Array([13, 10])], {endings: "native"})`, `fulfilled:Uint8Array 13,10`},
		// Buffers are copied when the parts are processed, after the
		// options have been converted; later changes do not show.
		{`(() => { const u = new Uint8Array([1]); const b = new Blob([u], {get type() { u[0] = 2; return "" }}); u[0] = 3; return b })()`, `fulfilled:Uint8Array 2`},
	}
	for _, c := range blobs {
		if got := settle(t, vm, "("+c.expr+").bytes()"); got != c.want {
			t.Errorf("%s holds %q, want %q", c.expr, got, c.want)
		}
	}
}

// settle evaluates expr, a promise, and returns how it settled once the
// microtask checkpoint after the script has run.
func settle(t *testing.T, vm *goja.Runtime, expr string) string {
	t.Helper()
	if _, err := vm.RunString("settled(" + expr + ")"); err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return vm.Get("result").String()
}

func TestSlice(t *testing.T) {
	vm, r := newVM(t)
	if _, err := vm.RunString(`const b = new Blob(["0123456789"], {type: "text/plain"});
		function s(...args) { const x = b.slice(...args); globalThis.last = x; return x.type }`); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ expr, want string }{
		{`s()`, `|0123456789`},
		{`s(2)`, `|23456789`},
		{`s(-3)`, `|789`},
		{`s(2, 5)`, `|234`},
		{`s(5, 2)`, `|`},
		{`s(-100, 3)`, `|012`},
		{`s(0, -1)`, `|012345678`},
		{`s(-3, -1)`, `|78`},
		{`s(100)`, `|`},
		{`s(0, 1e20)`, `|0123456789`},
		{`s(-1e20)`, `|0123456789`},
		{`s(NaN, NaN)`, `|`},
		{`s(1.5)`, `|23456789`},
		{`s(2.5)`, `|23456789`},
		{`s(undefined, 2)`, `|01`},
		{`s(0, 3, "Foo/BAR")`, `foo/bar|012`},
		{`s(0, 3, "f\u00e9")`, `|012`},
		{`s(0, 3, null)`, `null|012`},
		{`b.slice(0, 0, Symbol())`, `throws TypeError`},
		{`b.slice(1, 3) instanceof Blob && !(new File(["ab"], "f").slice() instanceof File)`, `true`},
		{`b.slice(2).slice(1, 3).size`, `2`},
	}
	for _, c := range cases {
		got := evalString(t, vm, c.expr)
		if strings.HasPrefix(c.expr, "s(") {
			got += "|" + strings.TrimPrefix(settle(t, vm, "last.text()"), "fulfilled:")
		}
		if got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
	}
	// Slices share the bytes of the Blob they come from.
	whole, ok := Bytes(r, vm.Get("b"))
	if !ok {
		t.Fatal("Bytes(b) failed")
	}
	part, ok := Bytes(r, evalValue(t, vm, `b.slice(2, 5).slice(1)`))
	if !ok || string(part) != "34" || &part[0] != &whole[3] {
		t.Fatalf("slice does not share bytes: %q", part)
	}
	// Appending to a slice cannot write into the Blob.
	_ = append(part, 'x')
	if string(whole) != "0123456789" {
		t.Fatalf("blob changed: %q", whole)
	}
}

func evalValue(t *testing.T, vm *goja.Runtime, src string) goja.Value {
	t.Helper()
	v, err := vm.RunString(src)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRead(t *testing.T) {
	vm, _ := newVM(t)
	cases := []struct{ expr, want string }{
		{`new Blob(["h\u00e9"]).text()`, `fulfilled:hé`},
		{`new Blob([new Uint8Array([0xEF, 0xBB, 0xBF, 0x61, 0xFF, 0xE2, 0x82])]).text()`, "fulfilled:a\uFFFD\uFFFD"},
		{`new Blob(["ab"]).arrayBuffer()`, `fulfilled:ArrayBuffer 97,98`},
		{`new Blob(["ab"]).bytes()`, `fulfilled:Uint8Array 97,98`},
		{`new Blob().bytes()`, `fulfilled:Uint8Array `},
		{`Blob.prototype.text.call({})`, `rejected:TypeError`},
		{`Blob.prototype.arrayBuffer.call(undefined)`, `rejected:TypeError`},
		{`Blob.prototype.bytes.call(1)`, `rejected:TypeError`},
		{`new File(["x"], "f").text()`, `fulfilled:x`},
	}
	for _, c := range cases {
		if _, err := vm.RunString(`settled(` + c.expr + `)`); err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := vm.Get("result").String(); got != c.want {
			t.Errorf("%s settled as %q, want %q", c.expr, got, c.want)
		}
	}
	assertJS(t, vm, `(() => { const b = new Blob(["ab"]); const p = b.arrayBuffer(); return p instanceof Promise && p !== b.arrayBuffer() })()`)
	// Changing one ArrayBuffer changes neither the Blob nor another read.
	assertJS(t, vm, `(() => { globalThis.b2 = new Blob(["ab"]); b2.bytes().then(u => { u[0] = 0; b2.text().then(s => globalThis.after = s) }); return true })()`)
	if got := vm.Get("after").String(); got != "ab" {
		t.Errorf("blob after modifying a read: %q", got)
	}
}

func TestFile(t *testing.T) {
	vm, _ := newVM(t)
	before := time.Now().UnixMilli()
	cases := []struct{ expr, want string }{
		{`(() => { const f = new File(["ab", "c"], "n.txt", {type: "Text/Plain", lastModified: 42}); return [f.name, f.size, f.type, f.lastModified].join("|") })()`, `n.txt|3|text/plain|42`},
		{`new File([], "\uD800").name === "\uFFFD"`, `true`},
		{`new File([], null).name`, `null`},
		{`new File([], "f", {lastModified: -1.9}).lastModified`, `-1`},
		{`new File([], "f", {lastModified: NaN}).lastModified`, `0`},
		{`new File([], "f", {lastModified: 2**64}).lastModified`, `0`},
		{`new File([], "f", {lastModified: Symbol()})`, `throws TypeError`},
		{`new File(["a"])`, `throws TypeError`},
		{`new File()`, `throws TypeError`},
		{`new File("ab", "f")`, `throws TypeError`},
		{`new File(["a"], "f") instanceof Blob`, `true`},
		{`(() => { const log = []; new File([], "f", {get type() { log.push("type") }, get endings() { log.push("endings") }, get lastModified() { log.push("lastModified") }}); return log.join() })()`, `endings,type,lastModified`},
	}
	for _, c := range cases {
		if got := evalString(t, vm, c.expr); got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
	}
	v := evalValue(t, vm, `new File([], "f").lastModified`).ToInteger()
	if after := time.Now().UnixMilli(); v < before || v > after {
		t.Errorf("default lastModified %d not between %d and %d", v, before, after)
	}
}

func TestGoAPI(t *testing.T) {
	vm, r := newVM(t)
	data := []byte("from Go")
	b := New(r, data, "Application/Octet-Stream")
	vm.Set("goBlob", b)
	assertJS(t, vm, `goBlob instanceof Blob && goBlob.size === 7 && goBlob.type === "application/octet-stream"`)
	if got := settle(t, vm, `goBlob.text()`); got != "fulfilled:from Go" {
		t.Errorf("goBlob.text() settled as %q", got)
	}
	assertJS(t, vm, `new Blob([goBlob], {type: "x/y"}).type === "x/y"`)
	if New(r, nil, "bad\x01").Get("type").String() != "" {
		t.Error("type with a control character kept")
	}
	got, ok := Bytes(r, b)
	if !ok || &got[0] != &data[0] {
		t.Fatalf("Bytes(New(data)) = %q, %v, not sharing data", got, ok)
	}
	// new Blob([blob]) shares the bytes too.
	same, ok := Bytes(r, evalValue(t, vm, `new Blob([goBlob])`))
	if !ok || &same[0] != &data[0] {
		t.Fatal("new Blob([blob]) copied the bytes")
	}
	for _, v := range []goja.Value{vm.ToValue("x"), vm.NewObject(), goja.Undefined(), nil} {
		if _, ok := Bytes(r, v); ok {
			t.Errorf("Bytes(%v) reported a Blob", v)
		}
	}
	f, ok := Bytes(r, evalValue(t, vm, `new File(["file"], "f")`))
	if !ok || string(f) != "file" {
		t.Errorf("Bytes(File) = %q, %v", f, ok)
	}
}

// TestQueue checks that with a queue the read promises settle in a task:
// after the current task's microtasks and after tasks queued before.
func TestQueue(t *testing.T) {
	vm := goja.New()
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	r := webidl.NewRealm(vm)
	if err := bindings.Install(bindings.NewEnv(r, loop), Binding); err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 1)
	vm.Set("done", func(s string) { done <- s })
	loop.Queue(func() {
		_, err := vm.RunString(`
			const log = [];
			setTimeout(() => log.push("timeout"), 0);
			new Blob(["text"]).text().then(v => log.push(v));
			new Blob(["ab"]).arrayBuffer().then(v => log.push(v.byteLength));
			Promise.resolve().then(() => log.push("microtask"));
			log.push("sync");
			setTimeout(() => done(log.join()), 5);
		`)
		if err != nil {
			t.Error(err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := loop.Run(ctx); err != nil {
		t.Fatal(err)
	}
	got := <-done
	// The timer task was queued when its 0 ms delay passed, which may be
	// before or after the read tasks; the microtask always comes first.
	if !strings.HasPrefix(got, "sync,microtask,") || !strings.Contains(got, "text,2") {
		t.Fatalf("order %q", got)
	}
}

func TestStructuredClone(t *testing.T) {
	vm, r := newVM(t)
	if err := bindings.Install(bindings.NewEnv(r, nil), structuredclone.Binding); err != nil {
		t.Fatal(err)
	}
	checks := []string{
		`(() => { const b = new Blob(["abc"], {type: "text/x"}); const c = structuredClone(b); return c !== b && c instanceof Blob && !(c instanceof File) && c.size === 3 && c.type === "text/x" })()`,
		`(() => { const f = new File(["ab"], "n.txt", {type: "a/b", lastModified: 7}); const c = structuredClone(f); return c !== f && c instanceof File && c.name === "n.txt" && c.lastModified === 7 && c.type === "a/b" && c.size === 2 })()`,
		`(() => { const b = new Blob(["x"]); const [c1, c2] = structuredClone([b, b]); return c1 === c2 && c1 !== b })()`,
		`(() => { const c = structuredClone({blob: new Blob(["0123"]).slice(1, 3)}); return c.blob.size === 2 })()`,
	}
	for _, c := range checks {
		assertJS(t, vm, c)
	}
	if got := settle(t, vm, `structuredClone(new Blob(["hi"]).slice(1)).text()`); got != "fulfilled:i" {
		t.Errorf("cloned slice reads %q", got)
	}
}

func TestFileList(t *testing.T) {
	vm, r := newVM(t)
	for _, c := range []string{
		`describe(globalThis, "FileList") === "value,writable,configurable" && FileList.length === 0 && String(FileList.prototype) === "[object FileList]"`,
		`(() => { try { new FileList(); return false } catch (e) { return e instanceof TypeError } })()`,
		`describe(FileList.prototype, "length") === "get,enumerable,configurable" && FileList.prototype.item.length === 1`,
	} {
		assertJS(t, vm, c)
	}
	// No script can make a FileList; one made here has its Files in order.
	f, err := vm.RunString(`new File(["a"], "a.txt")`)
	if err != nil {
		t.Fatal(err)
	}
	vm.Set("list", r.New("FileList", &fileList{files: []*goja.Object{f.ToObject(vm)}}))
	assertJS(t, vm, `list.length === 1 && list.item(0).name === "a.txt" && list.item(1) === null && list.item(-1) === null && list.item("0") === list.item(0)`)
}
