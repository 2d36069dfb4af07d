package webidl

import (
	"runtime"
	"testing"

	"github.com/dop251/goja"
)

// listenerSlots holds a script callback, as an event target's listeners do.
type listenerSlots struct{ cb goja.Value }

// With SlotsReferToObject, an object whose slots hold a callback that mentions
// the object is collected once script drops it, and its entry leaves the table;
// an object still referenced keeps its slots; the slots are not visible to script
// in any way; interfaces inheriting the flag get it too.
func TestSlotsReferringToTheirObjectAreCollected(t *testing.T) {
	vm, r := newRealm(t)
	hold := func(c Call) goja.Value {
		c.Impl.(*listenerSlots).cb = c.Arg(0)
		return goja.Undefined()
	}
	for _, d := range []*Interface{
		{Name: "Holder", SlotsReferToObject: true, Constructor: func(c Call) any { return &listenerSlots{} },
			Operations: []Operation{{Name: "hold", Length: 1, Func: hold}}},
		{Name: "SubHolder", Parent: "Holder", Constructor: func(c Call) any { return &listenerSlots{} }},
	} {
		if err := r.DefineInterface(d); err != nil {
			t.Fatal(err)
		}
	}
	before := r.slotTable().len()
	const n = 200
	run(t, vm, `for (let i = 0; i < 100; i++) { const h = new Holder(); h.hold(() => h); }
		for (let i = 0; i < 100; i++) { const h = new SubHolder(); h.hold(() => h); }`)
	if got := r.slotTable().len(); got < before+n {
		t.Fatalf("table has %d entries after creating %d objects", got, n)
	}
	limit := before + n/4
	for i := 0; i < 1000 && r.slotTable().len() > limit; i++ {
		runtime.GC()
		runtime.Gosched()
	}
	if got := r.slotTable().len(); got > limit {
		t.Fatalf("%d entries left after collections, want at most %d: objects held by their own slots leak", got, limit)
	}

	kept := run(t, vm, `globalThis.kept = new SubHolder(); kept.hold(() => kept); kept`)
	for range 3 {
		runtime.GC()
	}
	impl, ok := r.Impl(kept, "Holder")
	if !ok || impl.(*listenerSlots).cb == nil {
		t.Fatal("the slots of a live object were lost")
	}
	assertJS(t, vm, `Reflect.ownKeys(kept).length === 0 && Object.getOwnPropertySymbols(kept).length === 0 && JSON.stringify(kept) === "{}"`)
	assertJS(t, vm, `(() => { try { Holder.prototype.hold.call({}, 1); return false; } catch (e) { return e instanceof TypeError; } })()`)
	// Freezing the object later does not disturb its slots.
	run(t, vm, `Object.freeze(kept); kept.hold(() => 1)`)
	if impl, ok := r.Impl(kept, "SubHolder"); !ok || impl.(*listenerSlots).cb == nil {
		t.Fatal("slots lost after freezing")
	}
}
