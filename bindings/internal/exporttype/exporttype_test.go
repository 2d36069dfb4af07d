package exporttype

import (
	"reflect"
	"testing"

	"github.com/dop251/goja"
)

// TestExportTypes checks, for the goja in use, the export type and class
// name of each kind of object this package names.
func TestExportTypes(t *testing.T) {
	vm := goja.New()
	for _, tt := range []struct {
		src   string
		typ   reflect.Type
		class string
	}{
		{`new Proxy({}, {})`, Proxy, ""},
		{`Promise.resolve()`, Promise, ""},
		{`new ArrayBuffer(1)`, ArrayBuffer, ""},
		{`new Date(0)`, Time, "Date"},
		{`new Map([[1, 2]])`, MapEntries, "Object"},
		{`new Set([1])`, Slice, "Object"},
		{`Object(1n)`, BigInt, "Object"},
		{`Object(Symbol())`, String, "Object"},
		{`({a: 1})`, Ordinary, "Object"},
	} {
		v, err := vm.RunString(tt.src)
		if err != nil {
			t.Fatal(err)
		}
		o := v.(*goja.Object)
		if o.ExportType() != tt.typ || tt.class != "" && o.ClassName() != tt.class {
			t.Errorf("%s: export type %v, class %q", tt.src, o.ExportType(), o.ClassName())
		}
	}
	for _, name := range []string{"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
		"Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"} {
		v, err := vm.RunString(`new ` + name + `(1)`)
		if err != nil {
			t.Fatal(err)
		}
		if o := v.(*goja.Object); !TypedArray(o.ExportType()) || o.ClassName() != "Object" {
			t.Errorf("%s: export type %v, class %q", name, o.ExportType(), o.ClassName())
		}
	}
	if v, _ := vm.RunString(`new DataView(new ArrayBuffer(1))`); TypedArray(v.ExportType()) {
		t.Error("a DataView counts as a typed array")
	}
}
