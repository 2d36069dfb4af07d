package webidl

import (
	"github.com/dop251/goja"
)

// domException holds the internal slots of a DOMException
// (https://webidl.spec.whatwg.org/#idl-DOMException): its name and message.
type domException struct {
	name    goja.String
	message goja.String
}

// legacyCodes is the error names table of Web IDL
// (https://webidl.spec.whatwg.org/#dfn-error-names-table): the names that have
// a legacy code. Every other name has code 0.
var legacyCodes = map[string]int{
	"IndexSizeError":             1,
	"HierarchyRequestError":      3,
	"WrongDocumentError":         4,
	"InvalidCharacterError":      5,
	"NoModificationAllowedError": 7,
	"NotFoundError":              8,
	"NotSupportedError":          9,
	"InUseAttributeError":        10,
	"InvalidStateError":          11,
	"SyntaxError":                12,
	"InvalidModificationError":   13,
	"NamespaceError":             14,
	"InvalidAccessError":         15,
	"TypeMismatchError":          17,
	"SecurityError":              18,
	"NetworkError":               19,
	"AbortError":                 20,
	"URLMismatchError":           21,
	"QuotaExceededError":         22,
	"TimeoutError":               23,
	"InvalidNodeTypeError":       24,
	"DataCloneError":             25,
}

// legacyConstants are the DOMException constants, in IDL order.
var legacyConstants = []Constant{
	{"INDEX_SIZE_ERR", 1},
	{"DOMSTRING_SIZE_ERR", 2},
	{"HIERARCHY_REQUEST_ERR", 3},
	{"WRONG_DOCUMENT_ERR", 4},
	{"INVALID_CHARACTER_ERR", 5},
	{"NO_DATA_ALLOWED_ERR", 6},
	{"NO_MODIFICATION_ALLOWED_ERR", 7},
	{"NOT_FOUND_ERR", 8},
	{"NOT_SUPPORTED_ERR", 9},
	{"INUSE_ATTRIBUTE_ERR", 10},
	{"INVALID_STATE_ERR", 11},
	{"SYNTAX_ERR", 12},
	{"INVALID_MODIFICATION_ERR", 13},
	{"NAMESPACE_ERR", 14},
	{"INVALID_ACCESS_ERR", 15},
	{"VALIDATION_ERR", 16},
	{"TYPE_MISMATCH_ERR", 17},
	{"SECURITY_ERR", 18},
	{"NETWORK_ERR", 19},
	{"ABORT_ERR", 20},
	{"URL_MISMATCH_ERR", 21},
	{"QUOTA_EXCEEDED_ERR", 22},
	{"TIMEOUT_ERR", 23},
	{"INVALID_NODE_TYPE_ERR", 24},
	{"DATA_CLONE_ERR", 25},
}

// defineDOMException defines the DOMException interface
// (https://webidl.spec.whatwg.org/#js-DOMException-specialness):
// its interface prototype object inherits from %Error.prototype% and its
// instances are error objects, so they carry a stack like other errors.
func (r *Realm) defineDOMException() {
	get := func(c Call) *domException { return c.Impl.(*domException) }
	d := &Interface{
		Name:   "DOMException",
		Length: 0,
		// constructor(optional DOMString message = "", optional DOMString name = "Error")
		Constructor: func(c Call) any {
			e := &domException{name: r.vm.ToValue("Error").(goja.String), message: stringEmpty}
			if v := c.Arg(0); !goja.IsUndefined(v) {
				e.message = r.ToDOMString(v)
			}
			if v := c.Arg(1); !goja.IsUndefined(v) {
				e.name = r.ToDOMString(v)
			}
			return e
		},
		Attributes: []Attribute{
			{Name: "name", Get: func(c Call) goja.Value { return get(c).name }},
			{Name: "message", Get: func(c Call) goja.Value { return get(c).message }},
			{Name: "code", Get: func(c Call) goja.Value {
				return r.vm.ToValue(legacyCodes[get(c).name.String()])
			}},
		},
		Constants: legacyConstants,
	}
	create := func(proto *goja.Object) *goja.Object {
		ifaceObj := r.ifaces["DOMException"].obj
		o, err := r.intr().errorCtor(ifaceObj)
		if err != nil {
			panic(err)
		}
		if o.Prototype() != proto {
			o.SetPrototype(proto)
		}
		return o
	}
	if _, err := r.defineInterface(d, r.intr().errorProto, create); err != nil {
		panic(err)
	}
}

var stringEmpty = goja.StringFromUTF16(nil)

// NewDOMException creates a DOMException with the given name and message, as
// "create a DOMException" does in prose
// (https://webidl.spec.whatwg.org/#dfn-create-exception).
func (r *Realm) NewDOMException(name, message string) *goja.Object {
	return r.New("DOMException", &domException{
		name:    r.vm.ToValue(name).(goja.String),
		message: r.vm.ToValue(message).(goja.String),
	})
}

// ThrowDOMException throws a new DOMException by panicking, the way goja
// native functions throw; name is an error name such as "SyntaxError" or
// "InvalidStateError".
func (r *Realm) ThrowDOMException(name, message string) {
	panic(r.NewDOMException(name, message))
}

// DOMExceptionInfo returns the name and message of v if v is a DOMException.
func (r *Realm) DOMExceptionInfo(v goja.Value) (name, message string, ok bool) {
	impl, ok := r.Impl(v, "DOMException")
	if !ok {
		return "", "", false
	}
	e := impl.(*domException)
	return e.name.String(), e.message.String(), true
}
