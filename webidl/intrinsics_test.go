package webidl

import (
	"runtime"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func TestIntrinsics(t *testing.T) {
	vm := goja.New()
	in := Intrinsics{VM: vm}
	if v, _ := in.Func("Math", "max")(goja.Undefined(), vm.ToValue(1), vm.ToValue(3)); v.ToInteger() != 3 {
		t.Fatalf("Math.max gave %v", v)
	}
	if in.Getter(in.Object("Map", "prototype"), vm.ToValue("size")) == nil || in.Func("Map", "prototype", "get size") == nil {
		t.Fatal("no getter for Map.prototype.size")
	}
	if in.Getter(in.Object("Map", "prototype"), vm.ToValue("get")) != nil {
		t.Fatal("a getter for a data property")
	}
	if in.ProtoOf("(function* () {})") == nil || in.ProtoOf("(") != nil {
		t.Fatal("ProtoOf")
	}
	for _, path := range [][]string{{"NoSuchThing", "prototype"}, {"Math", "PI", "x"}} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "intrinsic") {
					t.Errorf("%v: recovered %v", path, r)
				}
			}()
			in.Func(path...)
		}()
	}
}

func TestWeakTable(t *testing.T) {
	vm := goja.New()
	tab := NewWeakTable[int]()
	keep := vm.NewObject()
	tab.Set(keep, 1)
	func() { tab.Set(vm.NewObject(), 2) }()
	if v, ok := tab.Get(keep); !ok || v != 1 {
		t.Fatalf("Get = %v, %v", v, ok)
	}
	if _, ok := tab.Get(vm.NewObject()); ok {
		t.Fatal("Get found an object never set")
	}
	for i := 0; i < 20 && tab.Len() > 1; i++ {
		runtime.GC()
	}
	if n := tab.Len(); n != 1 {
		t.Fatalf("Len = %d after the other object was collected, want 1", n)
	}
	runtime.KeepAlive(keep)
}
