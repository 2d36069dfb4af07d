package runtime

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// The dictionaries of IDLFunc: Go struct types.

// idlDict is the conversion of a struct type as a dictionary
// (https://webidl.spec.whatwg.org/#js-dictionary).
type idlDict struct {
	name    string
	members []idlMember // in the order of their names
}

type idlMember struct {
	name     string
	index    []int
	required bool
	conv     idlConv // nil for a missing member: its default or zero value
}

var (
	idlDictsMu sync.Mutex
	idlDicts   = map[reflect.Type]*idlDict{}
)

// newIDLDictConv returns the conversion to the struct type t. The dictionary
// is made once per type; a type that contains itself (through a pointer, a
// slice or a map) refers to the one being made.
func newIDLDictConv(t reflect.Type) idlConv {
	d := idlDictOf(t)
	return func(r *webidl.Realm, v goja.Value) reflect.Value { return d.convert(r, v, t) }
}

func idlDictOf(t reflect.Type) *idlDict {
	idlDictsMu.Lock()
	d, ok := idlDicts[t]
	if ok {
		idlDictsMu.Unlock()
		return d
	}
	d = &idlDict{name: cmp.Or(t.Name(), "dictionary")}
	idlDicts[t] = d
	idlDictsMu.Unlock()
	var members []idlMember
	for _, f := range reflect.VisibleFields(t) {
		tag, ok := f.Tag.Lookup("idl")
		if !f.IsExported() || f.Anonymous || tag == "-" {
			continue
		}
		if !ok || strings.HasPrefix(tag, ",") {
			tag = idlMemberName(f.Name) + tag
		}
		what := t.String() + "." + f.Name
		a := parseIDLAttrs(what, tag)
		if a.optional {
			panic(fmt.Sprintf("runtime: %s: dictionary members are optional unless required", what))
		}
		a.optional = !a.required // a missing member is not converted
		members = append(members, idlMember{name: a.name, index: f.Index, required: a.required, conv: newIDLConv(what, f.Type, a)})
	}
	// Members in lexicographical order of their names
	// (https://webidl.spec.whatwg.org/#idl-dictionaries).
	slices.SortStableFunc(members, func(a, b idlMember) int { return strings.Compare(a.name, b.name) })
	idlDictsMu.Lock()
	d.members = members
	idlDictsMu.Unlock()
	return d
}

// convert follows the steps of https://webidl.spec.whatwg.org/#js-dictionary.
func (d *idlDict) convert(r *webidl.Realm, v goja.Value, t reflect.Type) reflect.Value {
	// Step 1: V must be undefined, null or an object.
	o, isObj := v.(*goja.Object)
	if !isObj && !webidl.IsNullish(v) {
		r.ThrowTypeError("Failed to convert value to '%s': the value is not an object.", d.name)
	}
	idlDictsMu.Lock()
	members := d.members
	idlDictsMu.Unlock()
	out := reflect.New(t).Elem()
	// Step 4: each member, in order.
	for _, m := range members {
		var mv goja.Value = goja.Undefined()
		if o != nil {
			mv = webidl.ToAny(o.Get(m.name))
		}
		if m.required && goja.IsUndefined(mv) {
			r.ThrowTypeError("Failed to read the '%s' property from '%s': Required member is undefined.", m.name, d.name)
		}
		out.FieldByIndex(m.index).Set(m.conv(r, mv))
	}
	return out
}

// idlMemberName is the member name of a field without a name in its tag: the
// field's name with its leading capitals in lower case, but for the last of
// them when a lower-case letter follows (URLPath is urlPath).
func idlMemberName(field string) string {
	n := 0
	for n < len(field) && 'A' <= field[n] && field[n] <= 'Z' {
		n++
	}
	if n > 1 && n < len(field) {
		n--
	}
	return strings.ToLower(field[:n]) + field[n:]
}
