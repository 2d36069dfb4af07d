package runtime

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// IDLFunc returns a function for a Module that converts its arguments as a
// web API operation converts its own (https://webidl.spec.whatwg.org/#js-type-mapping),
// then calls fn with them. name is the operation's name in error messages.
// fn's parameter types are the IDL types:
//
//	bool                  boolean
//	string                DOMString, as a USVString (lone surrogates become U+FFFD)
//	goja.String           DOMString, exactly
//	int8, uint8           byte, octet
//	int16, uint16         short, unsigned short
//	int32, uint32         long, unsigned long (ToInt32, ToUint32)
//	int64, int            long long
//	uint64, uint          unsigned long long
//	float32, float64      float, double (NaN and infinities are a TypeError)
//	goja.Value            any
//	[]T                   sequence<T>
//	map[string]T          record<DOMString, T>
//	a struct              a dictionary (see below)
//	*T                    T? (nullable): nil for null and undefined
//
// params, if given, has one entry per parameter of fn: the parameter's name
// (for the reader: a call never uses it), then, comma-separated, its extended
// attributes and properties, as in "by,optional,default=1": "enforcerange" or
// "clamp" ([EnforceRange], [Clamp]) for an integer, "unrestricted" for a float
// (unrestricted float and double), and "optional" for an optional argument,
// which only trailing parameters may be; "default=V" gives an optional
// argument that is missing or undefined the value V, as IDL writes it
// (42, 1.5, true, or a string without quotes); without a default it gets Go's
// zero value, except a dictionary, which is converted from undefined (its
// members take their defaults). A missing argument that is not optional is
// the TypeError of a call with too few arguments.
//
// A struct is converted as a dictionary: each exported field is a member,
// named by its tag `idl:"name,..."` or else by the field's name with its
// leading capitals in lower case (Tags is "tags", TTL "ttl", URLPath
// "urlPath"), and converted in the order of the names. The tag takes
// the same words as params, with "required" for a required member; "-" skips
// the field. A member that is undefined keeps its zero value, or its default.
//
// fn may return nothing, a value, an error, or a value and an error. The value
// is converted with goja's Runtime.ToValue; an error that is not nil is thrown
// (as a GoError). The function may be called only by the scripts of a
// Runtime, whose web APIs it shares conversions with. IDLFunc panics if fn is not a function, or a type or a word
// of params or a tag is not one of the above.
func IDLFunc(name string, fn any, params ...string) func(goja.FunctionCall, *goja.Runtime) goja.Value {
	f := reflect.ValueOf(fn)
	t := f.Type()
	if t.Kind() != reflect.Func || t.IsVariadic() {
		panic(fmt.Sprintf("runtime: IDLFunc(%q): %v is not a function of fixed arity", name, t))
	}
	if len(params) != 0 && len(params) != t.NumIn() {
		panic(fmt.Sprintf("runtime: IDLFunc(%q): %d params for %d parameters", name, len(params), t.NumIn()))
	}
	convs := make([]idlConv, t.NumIn())
	required, optional := 0, false
	for i := range convs {
		var a idlAttrs
		if len(params) > 0 {
			if w, _, _ := strings.Cut(params[i], ","); isIDLWord(w) {
				// "enforcerange" alone would name the parameter and apply nothing.
				panic(fmt.Sprintf("runtime: IDLFunc(%q): %q starts with a word, not a name", name, params[i]))
			}
			a = parseIDLAttrs(name, params[i])
			a.optional = a.optional || a.def != nil
		}
		switch {
		case a.optional:
			optional = true
		case optional:
			panic(fmt.Sprintf("runtime: IDLFunc(%q): required parameter %d after an optional one", name, i+1))
		default:
			required = i + 1
		}
		if t.In(i).Kind() == reflect.Struct {
			// A missing dictionary argument is converted from undefined,
			// its members taking their defaults, as if its default were {}
			// (https://webidl.spec.whatwg.org/#dfn-optional-argument-default-value).
			a.optional = false
		}
		convs[i] = newIDLConv(name, t.In(i), a)
	}
	returnsErr := t.NumOut() > 0 && t.Out(t.NumOut()-1) == errorType
	return func(c goja.FunctionCall, vm *goja.Runtime) goja.Value {
		r := webidl.RealmOf(vm)
		if r == nil {
			panic(vm.NewTypeError(fmt.Sprintf("Failed to execute '%s': not called by a wsjs Runtime's script.", name)))
		}
		if len(c.Arguments) < required {
			r.ThrowTypeError("Failed to execute '%s': %d argument(s) required, but only %d present.", name, required, len(c.Arguments))
		}
		args := make([]reflect.Value, len(convs))
		for i, conv := range convs {
			args[i] = conv(r, webidl.ToAny(c.Argument(i)))
		}
		out := f.Call(args)
		if returnsErr {
			if err, _ := out[len(out)-1].Interface().(error); err != nil {
				panic(vm.NewGoError(err))
			}
			out = out[:len(out)-1]
		}
		if len(out) == 0 {
			return goja.Undefined()
		}
		return vm.ToValue(out[0].Interface())
	}
}

var (
	errorType   = reflect.TypeFor[error]()
	valueType   = reflect.TypeFor[goja.Value]()
	jsStrType   = reflect.TypeFor[goja.String]()
	idlIntNames = map[reflect.Kind]string{
		reflect.Int8: "byte", reflect.Uint8: "octet", reflect.Int16: "short", reflect.Uint16: "unsigned short",
		reflect.Int32: "long", reflect.Uint32: "unsigned long", reflect.Int64: "long long", reflect.Int: "long long",
		reflect.Uint64: "unsigned long long", reflect.Uint: "unsigned long long",
	}
)

// idlConv converts a JavaScript value (never nil) to a Go value of its type,
// throwing a TypeError as Web IDL does.
type idlConv func(r *webidl.Realm, v goja.Value) reflect.Value

// idlAttrs are the words of a parameter's or member's declaration.
type idlAttrs struct {
	name         string
	ext          webidl.Ext
	unrestricted bool
	optional     bool
	required     bool
	def          *string // the default, as written
}

// parseIDLAttrs parses "name,word,..."; what says whose words they are.
func parseIDLAttrs(what, s string) idlAttrs {
	words := strings.Split(s, ",")
	a := idlAttrs{name: words[0]}
	for _, w := range words[1:] {
		switch {
		case w == "enforcerange":
			a.ext |= webidl.EnforceRange
		case w == "clamp":
			a.ext |= webidl.Clamp
		case w == "unrestricted":
			a.unrestricted = true
		case w == "optional":
			a.optional = true
		case w == "required":
			a.required = true
		case strings.HasPrefix(w, "default="):
			d := strings.TrimPrefix(w, "default=")
			a.def = &d
		default:
			panic(fmt.Sprintf("runtime: %s: unknown word %q in %q", what, w, s))
		}
	}
	return a
}

// isIDLWord reports whether w is one of the words of parseIDLAttrs.
func isIDLWord(w string) bool {
	switch w {
	case "enforcerange", "clamp", "unrestricted", "optional", "required":
		return true
	}
	return strings.HasPrefix(w, "default=")
}

// newIDLConv returns the conversion to t with the attributes a, for the
// declaration what (for panics); a missing optional value is undefined.
func newIDLConv(what string, t reflect.Type, a idlAttrs) idlConv {
	conv := newIDLTypeConv(what, t, a)
	if !a.optional && a.def == nil {
		return conv
	}
	// An optional argument or a dictionary member that is missing or
	// undefined is not converted: it takes its default, or Go's zero value.
	def := reflect.Zero(t)
	if a.def != nil {
		def = parseIDLDefault(what, t, *a.def)
	}
	return func(r *webidl.Realm, v goja.Value) reflect.Value {
		if goja.IsUndefined(v) {
			return def
		}
		return conv(r, v)
	}
}

// newIDLTypeConv returns the conversion to t, undefined included.
func newIDLTypeConv(what string, t reflect.Type, a idlAttrs) idlConv {
	switch t {
	case valueType:
		return func(_ *webidl.Realm, v goja.Value) reflect.Value { return reflect.ValueOf(&v).Elem() }
	case jsStrType:
		return func(r *webidl.Realm, v goja.Value) reflect.Value {
			s := r.ToDOMString(v)
			return reflect.ValueOf(&s).Elem()
		}
	}
	if a.ext != 0 && idlIntNames[t.Kind()] == "" || a.unrestricted && t.Kind() != reflect.Float32 && t.Kind() != reflect.Float64 {
		panic(fmt.Sprintf("runtime: %s: extended attributes that do not apply to %v", what, t))
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(_ *webidl.Realm, v goja.Value) reflect.Value {
			return reflect.ValueOf(webidl.ToBoolean(v)).Convert(t)
		}
	case reflect.String:
		return func(r *webidl.Realm, v goja.Value) reflect.Value { return reflect.ValueOf(r.ToUSVString(v)).Convert(t) }
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int,
		reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		return idlIntConv(t, a.ext)
	case reflect.Float32, reflect.Float64:
		return idlFloatConv(t, a.unrestricted)
	case reflect.Pointer:
		elem := newIDLTypeConv(what, t.Elem(), a)
		return func(r *webidl.Realm, v goja.Value) reflect.Value {
			if webidl.IsNullish(v) {
				return reflect.Zero(t)
			}
			p := reflect.New(t.Elem())
			p.Elem().Set(elem(r, v))
			return p
		}
	case reflect.Slice:
		elem := newIDLTypeConv(what, t.Elem(), idlAttrs{})
		return func(r *webidl.Realm, v goja.Value) reflect.Value {
			vs := webidl.ToSequence(r, v, func(e goja.Value) reflect.Value { return elem(r, e) })
			s := reflect.MakeSlice(t, len(vs), len(vs))
			for i, e := range vs {
				s.Index(i).Set(e)
			}
			return s
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			break
		}
		elem := newIDLTypeConv(what, t.Elem(), idlAttrs{})
		return func(r *webidl.Realm, v goja.Value) reflect.Value {
			entries := webidl.ToRecord(r, v, r.ToDOMString, func(e goja.Value) reflect.Value { return elem(r, e) })
			m := reflect.MakeMapWithSize(t, len(entries))
			for _, e := range entries {
				m.SetMapIndex(reflect.ValueOf(e.Key.String()).Convert(t.Key()), e.Value)
			}
			return m
		}
	case reflect.Struct:
		return newIDLDictConv(t)
	}
	panic(fmt.Sprintf("runtime: %s: no IDL type for %v", what, t))
}

// idlIntConv converts to the integer type t as ConvertToInt
// (https://webidl.spec.whatwg.org/#abstract-opdef-converttoint) does.
func idlIntConv(t reflect.Type, ext webidl.Ext) idlConv {
	to := map[reflect.Kind]func(r *webidl.Realm, v goja.Value) any{
		reflect.Int8:   func(r *webidl.Realm, v goja.Value) any { return r.ToByte(v, ext) },
		reflect.Uint8:  func(r *webidl.Realm, v goja.Value) any { return r.ToOctet(v, ext) },
		reflect.Int16:  func(r *webidl.Realm, v goja.Value) any { return r.ToShort(v, ext) },
		reflect.Uint16: func(r *webidl.Realm, v goja.Value) any { return r.ToUnsignedShort(v, ext) },
		reflect.Int32:  func(r *webidl.Realm, v goja.Value) any { return r.ToLong(v, ext) },
		reflect.Uint32: func(r *webidl.Realm, v goja.Value) any { return r.ToUnsignedLong(v, ext) },
		reflect.Int64:  func(r *webidl.Realm, v goja.Value) any { return r.ToLongLong(v, ext) },
		reflect.Int:    func(r *webidl.Realm, v goja.Value) any { return r.ToLongLong(v, ext) },
		reflect.Uint64: func(r *webidl.Realm, v goja.Value) any { return r.ToUnsignedLongLong(v, ext) },
		reflect.Uint:   func(r *webidl.Realm, v goja.Value) any { return r.ToUnsignedLongLong(v, ext) },
	}[t.Kind()]
	return func(r *webidl.Realm, v goja.Value) reflect.Value { return reflect.ValueOf(to(r, v)).Convert(t) }
}

// idlFloatConv converts to float (float32) or double (float64), restricted
// or not.
func idlFloatConv(t reflect.Type, unrestricted bool) idlConv {
	var to func(r *webidl.Realm, v goja.Value) any
	switch {
	case t.Kind() == reflect.Float32 && unrestricted:
		to = func(r *webidl.Realm, v goja.Value) any { return r.ToUnrestrictedFloat(v) }
	case t.Kind() == reflect.Float32:
		to = func(r *webidl.Realm, v goja.Value) any { return r.ToFloat(v) }
	case unrestricted:
		to = func(r *webidl.Realm, v goja.Value) any { return r.ToUnrestrictedDouble(v) }
	default:
		to = func(r *webidl.Realm, v goja.Value) any { return r.ToDouble(v) }
	}
	return func(r *webidl.Realm, v goja.Value) reflect.Value { return reflect.ValueOf(to(r, v)).Convert(t) }
}

// parseIDLDefault parses the default s of a value of type t.
func parseIDLDefault(what string, t reflect.Type, s string) reflect.Value {
	v := reflect.New(t).Elem()
	var err error
	switch t.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		var b bool
		b, err = strconv.ParseBool(s)
		v.SetBool(b)
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		var n int64
		if n, err = strconv.ParseInt(s, 0, t.Bits()); err == nil {
			v.SetInt(n)
		}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		var n uint64
		if n, err = strconv.ParseUint(s, 0, t.Bits()); err == nil {
			v.SetUint(n)
		}
	case reflect.Float32, reflect.Float64:
		var f float64
		if f, err = strconv.ParseFloat(s, t.Bits()); err == nil {
			v.SetFloat(f)
		}
	default:
		err = fmt.Errorf("no default for %v", t)
	}
	if err != nil {
		panic(fmt.Sprintf("runtime: %s: default %q: %v", what, s, err))
	}
	return v
}
