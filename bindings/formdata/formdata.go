package formdata

import (
	"slices"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/webidl"
)

// Binding installs the FormData interface, whose entries hold Files.
var Binding = &bindings.Binding{
	Name:     "formdata",
	Needs:    []*bindings.Binding{blob.Binding},
	Register: Register,
}

// entry is an entry of an entry list
// (https://xhr.spec.whatwg.org/#concept-formdata-entry-list): a name and a
// value that is a scalar value string or, when file is not nil, a File.
type entry struct {
	name  string
	value string
	file  *goja.Object
}

// formData holds the internal slots of a FormData: its entry list.
type formData struct{ list []entry }

// binding holds what the interface of one realm needs.
type binding struct {
	r      *webidl.Realm
	budget *bindings.Budget
}

// bindingKey is the key of a realm's binding in its data.
type bindingKey struct{}

func bindingOf(r *webidl.Realm) *binding {
	b, _ := r.Data(bindingKey{}).(*binding)
	return b
}

// Register installs the FormData interface on the global object of
// env.Realm. The blob binding must be installed first.
func Register(env *bindings.Env) error {
	r := env.Realm
	b := &binding{r: r, budget: env.Memory()}
	if err := r.DefineInterface(b.formDataInterface()); err != nil {
		return err
	}
	r.SetData(bindingKey{}, b)
	return nil
}

// formDataInterface describes FormData
// (https://xhr.spec.whatwg.org/#interface-formdata).
func (b *binding) formDataInterface() *webidl.Interface {
	r := b.r
	vm := r.VM()
	get := func(c webidl.Call) *formData { return c.Impl.(*formData) }
	// iterable<USVString, FormDataEntryValue>: the entries of the list.
	iterable := &webidl.PairIterable{
		Len: func(impl any) int { return len(impl.(*formData).list) },
		Pair: func(impl any, i int) (goja.Value, goja.Value) {
			e := impl.(*formData).list[i]
			return vm.ToValue(e.name), e.entryValue(vm)
		},
	}
	return &webidl.Interface{
		Name:     "FormData",
		Length:   0,
		Iterable: iterable,
		// The entries hold Files, objects that script can give
		// properties leading back to the FormData.
		SlotsReferToObject: true,
		// constructor(optional HTMLFormElement form, optional HTMLElement? submitter = null)
		Constructor: func(c webidl.Call) any {
			// No value implements HTMLFormElement or HTMLElement here: any
			// form given, and any submitter but null, fails to convert.
			if !goja.IsUndefined(c.Arg(0)) {
				r.ThrowTypeError("Failed to construct 'FormData': parameter 1 is not of type 'HTMLFormElement'.")
			}
			if !webidl.IsNullish(c.Arg(1)) {
				r.ThrowTypeError("Failed to construct 'FormData': parameter 2 is not of type 'HTMLElement'.")
			}
			// The constructor steps (https://xhr.spec.whatwg.org/#dom-formdata):
			// without a form, the entry list stays empty.
			return &formData{}
		},
		Operations: slices.Concat([]webidl.Operation{
			{Name: "append", Length: 2, Func: func(c webidl.Call) goja.Value {
				// https://xhr.spec.whatwg.org/#dom-formdata-append
				e := b.entryArgs(c, "append")
				fd := get(c)
				fd.list = append(fd.list, e)
				return nil
			}},
			{Name: "delete", Length: 1, Func: func(c webidl.Call) goja.Value {
				// https://xhr.spec.whatwg.org/#dom-formdata-delete
				c.RequireArgs("delete", 1)
				name := r.ToUSVString(c.Arg(0))
				fd := get(c)
				fd.list = slices.DeleteFunc(fd.list, func(e entry) bool { return e.name == name })
				return nil
			}},
			{Name: "get", Length: 1, Func: func(c webidl.Call) goja.Value {
				// https://xhr.spec.whatwg.org/#dom-formdata-get
				c.RequireArgs("get", 1)
				name := r.ToUSVString(c.Arg(0))
				for _, e := range get(c).list {
					if e.name == name {
						return e.entryValue(vm)
					}
				}
				return goja.Null()
			}},
			{Name: "getAll", Length: 1, Func: func(c webidl.Call) goja.Value {
				// https://xhr.spec.whatwg.org/#dom-formdata-getall
				c.RequireArgs("getAll", 1)
				name := r.ToUSVString(c.Arg(0))
				values := []any{}
				for _, e := range get(c).list {
					if e.name == name {
						values = append(values, e.entryValue(vm))
					}
				}
				return vm.NewArray(values...)
			}},
			{Name: "has", Length: 1, Func: func(c webidl.Call) goja.Value {
				// https://xhr.spec.whatwg.org/#dom-formdata-has
				c.RequireArgs("has", 1)
				name := r.ToUSVString(c.Arg(0))
				return vm.ToValue(slices.ContainsFunc(get(c).list, func(e entry) bool { return e.name == name }))
			}},
			{Name: "set", Length: 2, Func: func(c webidl.Call) goja.Value {
				// https://xhr.spec.whatwg.org/#dom-formdata-set: replace the
				// first entry named name and remove the others, or append.
				e := b.entryArgs(c, "set")
				fd := get(c)
				i := slices.IndexFunc(fd.list, func(x entry) bool { return x.name == e.name })
				if i < 0 {
					fd.list = append(fd.list, e)
					return nil
				}
				fd.list[i] = e
				rest := slices.DeleteFunc(fd.list[i+1:], func(x entry) bool { return x.name == e.name })
				fd.list = fd.list[:i+1+len(rest)]
				return nil
			}},
		}, iterable.Operations()),
	}
}

// entryValue returns e's value as a FormDataEntryValue: (File or USVString).
func (e entry) entryValue(vm *goja.Runtime) goja.Value {
	if e.file != nil {
		return e.file
	}
	return vm.ToValue(e.value)
}

// entryArgs converts the arguments of append() or set(), whose overloads
// are (USVString name, USVString value) and (USVString name, Blob blobValue,
// optional USVString filename), by Web IDL's overload resolution
// (https://webidl.spec.whatwg.org/#es-overloads): with three arguments only
// the Blob overload applies; with two, a Blob selects it. It returns the
// entry that "create an entry" makes of them.
func (b *binding) entryArgs(c webidl.Call, op string) entry {
	r := b.r
	c.RequireArgs(op, 2)
	name := r.ToUSVString(c.Arg(0))
	value := c.Arg(1)
	isBlob := r.Implements(value, "Blob")
	if len(c.Args) < 3 && !isBlob {
		return entry{name: name, value: r.ToUSVString(value)}
	}
	if !isBlob {
		r.ThrowTypeError("Failed to execute '%s' on 'FormData': parameter 2 is not of type 'Blob'.", op)
	}
	var filename *string
	if len(c.Args) >= 3 && !goja.IsUndefined(c.Args[2]) {
		s := r.ToUSVString(c.Args[2])
		filename = &s
	}
	return entry{name: name, file: b.entryFile(value.(*goja.Object), filename)}
}

// entryFile implements step 3 of "create an entry"
// (https://xhr.spec.whatwg.org/#create-an-entry) for a Blob value: a Blob
// that is not a File becomes a File named "blob", and a filename, if given,
// names a new File; both represent the same bytes and keep the type.
func (b *binding) entryFile(v *goja.Object, filename *string) *goja.Object {
	r := b.r
	name, lastModified, isFile := blob.FileName(r, v)
	if isFile && filename == nil {
		return v
	}
	if !isFile {
		name, lastModified = "blob", time.Now().UnixMilli()
	}
	if filename != nil {
		name = *filename
	}
	data, _ := blob.Bytes(r, v)
	typ, _ := blob.Type(r, v)
	return blob.NewFile(r, data, typ, name, lastModified)
}
