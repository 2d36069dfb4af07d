package websocketstream

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/internal/wsapi"
	"github.com/wsjs/wsjs/webidl"
)

// errorInfo holds the internal slots WebSocketError
// (https://whatpr.org/websockets/48.html#the-websocketevent-interface in the
// WebSocketStream draft) adds to DOMException: closeCode (wsapi.NoCode for null) and
// reason.
//
// A WebSocketError's own slots are a DOMException's (its name and message, which
// DOMException's getters read), obtained from the webidl package; closeCode and reason
// live in a table keyed weakly by the object.
type errorInfo struct {
	code   int
	reason string
}

func (b *binding) errorInterface() *webidl.Interface {
	r := b.realm
	info := func(c webidl.Call) *errorInfo {
		i, ok := b.errors.Get(c.This)
		if !ok {
			r.ThrowTypeError("Illegal invocation")
		}
		return i
	}
	return &webidl.Interface{
		Name:   "WebSocketError",
		Parent: "DOMException",
		Length: 0,
		// new WebSocketError(message, init).
		Constructor: func(c webidl.Call) any {
			message := ""
			if v := c.Arg(0); !goja.IsUndefined(v) {
				message = r.ToDOMString(v).String()
			}
			init := toCloseInfo(r, c.Arg(1))
			// Steps 3-5.
			code, reason := init.code, init.reason
			if err := wsapi.CheckClose(code, reason); err != nil {
				b.throwFor(err, "Failed to construct 'WebSocketError': "+closeMessage(err))
			}
			// Step 6: a reason without a code goes with 1000.
			if reason != "" && code == wsapi.NoCode {
				code = 1000
			}
			// Steps 1-2 and 7-8.
			b.errors.Set(c.This, &errorInfo{code: code, reason: reason})
			return b.domExceptionSlots(message)
		},
		Attributes: []webidl.Attribute{
			{Name: "closeCode", Get: func(c webidl.Call) goja.Value {
				if i := info(c); i.code != wsapi.NoCode {
					return b.vm.ToValue(i.code)
				}
				return goja.Null()
			}},
			{Name: "reason", Get: func(c webidl.Call) goja.Value { return b.vm.ToValue(info(c).reason) }},
		},
	}
}

// domExceptionSlots returns the internal slots of a DOMException named
// "WebSocketError" with message.
func (b *binding) domExceptionSlots(message string) any {
	impl, _, _ := b.realm.ImplOf(b.realm.NewDOMException("WebSocketError", message))
	return impl
}

// newError creates a WebSocketError whose closeCode is code and reason is reason, as
// the standard's prose does (no validation: the code may come from the server).
func (b *binding) newError(code int, reason string) *goja.Object {
	o := b.realm.New("WebSocketError", b.domExceptionSlots(""))
	b.errors.Set(o, &errorInfo{code: code, reason: reason})
	return o
}

// errorInfoOf returns the closeCode and reason of v if it implements WebSocketError.
func (b *binding) errorInfoOf(v goja.Value) (*errorInfo, bool) {
	if !b.realm.Implements(v, "WebSocketError") {
		return nil, false
	}
	return b.errors.Get(v.(*goja.Object))
}
