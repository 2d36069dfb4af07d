package webidl

import (
	"runtime"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// pairList is the internal slots of the test interface PairList.
type pairList struct{ keys, values []string }

func definePairList(t *testing.T, r *Realm) *PairIterable {
	t.Helper()
	vm := r.VM()
	it := &PairIterable{
		Len: func(impl any) int { return len(impl.(*pairList).keys) },
		Pair: func(impl any, i int) (goja.Value, goja.Value) {
			l := impl.(*pairList)
			return vm.ToValue(l.keys[i]), vm.ToValue(l.values[i])
		},
	}
	err := r.DefineInterface(&Interface{
		Name: "PairList",
		Constructor: func(c Call) any {
			l := &pairList{}
			for _, kv := range strings.Split(c.Arg(0).String(), ",") {
				k, v, _ := strings.Cut(kv, "=")
				l.keys, l.values = append(l.keys, k), append(l.values, v)
			}
			return l
		},
		Length:   1,
		Iterable: it,
		Operations: append([]Operation{{Name: "drop", Func: func(c Call) goja.Value {
			l := c.Impl.(*pairList)
			l.keys, l.values = l.keys[1:], l.values[1:]
			return nil
		}}}, it.Operations()...),
	})
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func TestPairIterable(t *testing.T) {
	vm, r := newRealm(t)
	definePairList(t, r)
	for _, check := range []string{
		// The operations and @@iterator
		// (https://webidl.spec.whatwg.org/#js-iterable).
		`Object.getOwnPropertyNames(PairList.prototype).join() === "constructor,drop,entries,keys,values,forEach"`,
		`PairList.prototype[Symbol.iterator] === PairList.prototype.entries`,
		`(() => { const d = Object.getOwnPropertyDescriptor(PairList.prototype, Symbol.iterator); return d.writable && !d.enumerable && d.configurable })()`,
		`PairList.prototype.forEach.length === 1 && PairList.prototype.entries.length === 0 && PairList.prototype.keys.name === "keys"`,
		// The iterator prototype object
		// (https://webidl.spec.whatwg.org/#js-iterator-prototype-object).
		`(() => {
			const proto = Object.getPrototypeOf(new PairList("a=1").keys());
			const iterProto = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
			return Object.getPrototypeOf(proto) === iterProto && proto[Symbol.toStringTag] === "PairList Iterator" &&
				proto.next.length === 0 && Object.getOwnPropertyDescriptor(proto, "next").enumerable
		})()`,
		`(() => { try { Object.getPrototypeOf(new PairList("a=1").keys()).next.call({}); return false } catch (e) { return e instanceof TypeError } })()`,
		// Iteration by kind, seeing changes made meanwhile.
		`JSON.stringify([...new PairList("a=1,b=2")]) === '[["a","1"],["b","2"]]'`,
		`[...new PairList("a=1,b=2").keys()].join() === "a,b" && [...new PairList("a=1,b=2").values()].join() === "1,2"`,
		`(() => { const l = new PairList("a=1,b=2,c=3"); const it = l.keys(); it.next(); l.drop(); return it.next().value === "c" && it.next().done })()`,
		`(() => { const r = new PairList("a=1").entries(); r.next(); const end = r.next(); return end.done === true && end.value === undefined })()`,
		// forEach: value, key, object and thisArg; changes are seen.
		`(() => { const l = new PairList("a=1,b=2"); const self = {}; const seen = []; l.forEach(function (v, k, o) { seen.push(k + v + (o === l) + (this === self)) }, self); return seen.join() === "a1truetrue,b2truetrue" })()`,
		`(() => { const l = new PairList("a=1,b=2,c=3"); const seen = []; l.forEach(k => { seen.push(k); if (k === "1") l.drop() }); return seen.join() === "1,3" })()`,
		`(() => { try { new PairList("a=1").forEach(); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new PairList("a=1").forEach(() => { throw new RangeError("x") }); return false } catch (e) { return e instanceof RangeError } })()`,
	} {
		assertJS(t, vm, check)
	}
}

// TestPairIteratorCollected checks that a default iterator object's slots go
// with the object.
func TestPairIteratorCollected(t *testing.T) {
	vm, r := newRealm(t)
	it := definePairList(t, r)
	run(t, vm, `(() => { new PairList("a=1").keys() })()`)
	table := r.pairIters[it].slots
	if table.Len() != 1 {
		t.Fatalf("%d iterators in the table, want 1", table.Len())
	}
	for i := 0; i < 20 && table.Len() != 0; i++ {
		runtime.GC()
	}
	if n := table.Len(); n != 0 {
		t.Errorf("%d unreachable iterators are still in the table", n)
	}
	runtime.KeepAlive(vm)
}

func TestPairIterableWithoutOperations(t *testing.T) {
	_, r := newRealm(t)
	it := &PairIterable{Len: func(any) int { return 0 }, Pair: func(any, int) (goja.Value, goja.Value) { return nil, nil }}
	if err := r.DefineInterface(&Interface{Name: "X", Iterable: it}); err == nil {
		t.Error("an Iterable without its operations was accepted")
	}
}
