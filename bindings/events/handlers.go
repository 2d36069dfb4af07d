package events

import (
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// The event handler map of a Target
// (https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-map)
// lives in its listener list: an event handler whose value is not null has a
// listener there, one with no callback and the handler's value, and nothing
// else about it is kept. A handler whose value is null has no listener
// ("deactivate an event handler" removes it) and, as there are no content
// attributes, no state: its entry is absent.

// HandlerAttribute returns the description of the event handler IDL attribute
// name, such as "onmessage" for events of type "message", for an interface
// inheriting from EventTarget
// (https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-idl-attributes).
// Its getter returns the handler or null; its setter stores a function or any
// other object, and null for anything else. The handler's listener takes its
// place in the listener list when the handler is first set to non-null, keeps
// that place when the handler changes, and is removed when it is set to null.
func HandlerAttribute(name string) webidl.Attribute {
	typ := handlerType(name)
	return webidl.Attribute{
		Name: name,
		Get: func(c webidl.Call) goja.Value {
			return getHandler(targetOf(c), typ)
		},
		Set: func(c webidl.Call, v goja.Value) {
			setHandler(c.Realm, targetOf(c), typ, v)
		},
	}
}

// handlerType is the event type of the event handler called name, "message"
// for "onmessage". Strings belong to no runtime, so every realm's objects
// share it.
func handlerType(name string) goja.String {
	return goja.StringFromUTF16(utf16.Encode([]rune(strings.TrimPrefix(name, "on"))))
}

// handlerListener returns the listener of t's event handler for events of
// type typ, or nil if the handler is null.
func (t *Target) handlerListener(typ goja.String) *listener {
	for _, l := range t.listeners {
		if l.callback == nil && l.typ.StrictEquals(typ) {
			return l
		}
	}
	return nil
}

// getHandler is HTML's "getting the current value of the event handler"
// (https://html.spec.whatwg.org/multipage/webappapis.html#getting-the-current-value-of-the-event-handler)
// for handlers without content attributes.
func getHandler(t *Target, typ goja.String) goja.Value {
	if l := t.handlerListener(typ); l != nil {
		return l.handler.Object
	}
	return goja.Null()
}

// setHandler is the event handler IDL attribute setter
// (https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-idl-attributes).
func setHandler(r *webidl.Realm, t *Target, typ goja.String, v goja.Value) {
	// EventHandler is EventHandlerNonNull? with
	// [LegacyTreatNonObjectAsNull]: non-objects are null.
	cb := r.ToCallbackFunctionOrNull(v)
	l := t.handlerListener(typ)
	if cb == nil {
		// "Deactivate an event handler"
		// (https://html.spec.whatwg.org/multipage/webappapis.html#deactivate-an-event-handler):
		// the value becomes null and the listener, if any, is removed.
		if l != nil {
			l.handler = nil
			t.remove(l)
		}
		return
	}
	// Set the value, then "activate an event handler"
	// (https://html.spec.whatwg.org/multipage/webappapis.html#activate-an-event-handler):
	// a listener is added only if there is none.
	if l != nil {
		l.handler = cb
		return
	}
	t.listeners = append(t.listeners, &listener{typ: typ, handler: cb})
}

// processHandler is HTML's "the event handler processing algorithm"
// (https://html.spec.whatwg.org/multipage/webappapis.html#the-event-handler-processing-algorithm).
// An exception thrown by the handler is returned, for inner invoke to
// report.
func (s *state) processHandler(cb *webidl.CallbackFunction, evObj *goja.Object, impl eventImpl) error {
	// Steps 1-2: the handler's value, null if it was deactivated.
	if cb == nil {
		return nil
	}
	ev := impl.base()
	// Step 3: special error event handling for ErrorEvents named "error"
	// at the global object.
	ee, special := impl.(*errorEvent)
	special = special && ev.typ.String() == "error" && ev.currentTarget == s.realm.Global()
	// Step 4: invoke the callback with currentTarget as this.
	var ret goja.Value
	var err error
	if special {
		vm := s.realm.VM()
		ret, err = cb.Invoke(ev.currentTarget, ee.message, ee.filename, vm.ToValue(ee.lineno), vm.ToValue(ee.colno), webidl.ToAny(ee.err))
	} else {
		ret, err = cb.Invoke(ev.currentTarget, evObj)
	}
	if err != nil {
		return err
	}
	// Step 5: process the return value.
	if special {
		if ret != nil && ret.StrictEquals(s.realm.VM().ToValue(true)) {
			ev.setCanceled()
		}
	} else if ret != nil && ret.StrictEquals(s.realm.VM().ToValue(false)) {
		ev.setCanceled()
	}
	return nil
}

// globalHandlers are the event handlers InstallGlobal defines as members of
// the global object's interface, where the realm keeps them
// (webidl.Realm.DefineGlobalMembers): onerror and the rejection handlers.
var globalHandlers = []string{"onerror", "onunhandledrejection", "onrejectionhandled"}

// InstallGlobal makes the realm's global object an EventTarget: it gets
// EventTarget internal slots, its prototype chain leads to
// EventTarget.prototype (so addEventListener and friends work on it and with
// no this), and it gets the event handler attributes onerror,
// onunhandledrejection and onrejectionhandled. Register must have run.
func InstallGlobal(r *webidl.Realm) error {
	return InstallGlobalAs(r, "EventTarget")
}

// InstallGlobalAs is InstallGlobal for a global object implementing the
// interface called iface, which must inherit from EventTarget (such as a
// DedicatedWorkerGlobalScope the embedder defines): the global object gets
// iface's internal slots, a Target, and iface's prototype.
func InstallGlobalAs(r *webidl.Realm, iface string) error {
	if _, err := stateOf(r); err != nil {
		return err
	}
	proto := r.Prototype(iface)
	if proto == nil {
		return fmt.Errorf("events: interface %q is not defined", iface)
	}
	g := r.Global()
	if err := r.SetImpl(g, iface, &Target{}); err != nil {
		return err
	}
	if !r.Implements(g, "EventTarget") {
		return fmt.Errorf("events: interface %q does not inherit from EventTarget", iface)
	}
	if err := g.SetPrototype(proto); err != nil {
		return err
	}
	// They are members of the global object's interface, which only the
	// global object implements.
	attrs := make([]webidl.Attribute, len(globalHandlers))
	for k, name := range globalHandlers {
		typ := handlerType(name)
		attrs[k] = webidl.Attribute{
			Name: name,
			Get: func(c webidl.Call) goja.Value {
				return getHandler(c.Impl.(TargetImpl).EventTarget(), typ)
			},
			Set: func(c webidl.Call, v goja.Value) {
				setHandler(r, c.Impl.(TargetImpl).EventTarget(), typ, v)
			},
		}
	}
	return r.DefineGlobalMembers(attrs, nil)
}

// CurrentEvent returns the current event of the realm's global object
// (https://html.spec.whatwg.org/multipage/webappapis.html#current-event), the
// value of Window's event attribute
// (https://html.spec.whatwg.org/multipage/nav-history-apis.html#dom-window-event):
// the event whose listener runs, or undefined. Only a global object that
// InstallGlobalAs made a Window has one (the package keeps it for any, so
// that the global object can become a Window while a listener runs).
func CurrentEvent(r *webidl.Realm) goja.Value {
	s, err := stateOf(r)
	if err != nil || s.currentEvent == nil || !r.Implements(r.Global(), "Window") {
		return goja.Undefined()
	}
	return s.currentEvent
}

// ReportException implements the event part of HTML's "report an exception"
// (https://html.spec.whatwg.org/multipage/webappapis.html#report-an-exception)
// for the realm's global object: it fires a trusted, cancelable ErrorEvent
// named "error" at the global object, with the exception's message, location
// and value, and returns true if the event was canceled (the exception is
// handled; otherwise the caller should print it). While a report is being
// handled, a nested one fires nothing and returns false.
func ReportException(r *webidl.Realm, exc error) (handled bool) {
	s, err := stateOf(r)
	if err != nil || s.inErrorReporting {
		return false
	}
	vm := r.VM()
	init := ErrorEventInit{EventInit: EventInit{Cancelable: true}}
	if e, ok := exc.(*goja.Exception); ok {
		init.Error = e.Value()
		init.Message = "Uncaught " + exceptionString(vm, e)
		for _, f := range e.Stack() {
			if p := f.Position(); p.Line > 0 {
				// The position's file name is the original one when a source
				// map applies; SrcName is the name of the compiled script.
				init.Filename = p.Filename
				if init.Filename == "" {
					init.Filename = f.SrcName()
				}
				init.Lineno = uint32(p.Line)
				init.Colno = uint32(p.Column)
				break
			}
		}
	} else {
		init.Error = vm.NewGoError(exc)
		init.Message = "Uncaught " + exc.Error()
	}
	obj, impl := s.newErrorEvent(vm.ToValue("error").(goja.String), init)
	s.inErrorReporting = true
	defer func() { s.inErrorReporting = false }()
	notCanceled, err := s.fire(r.Global(), obj, impl)
	return err == nil && !notCanceled
}

// exceptionString describes the thrown value like String(value) does,
// without letting a throwing toString escape: when script code throws (a
// toString, a getter, a Proxy trap), the value is described without it.
func exceptionString(vm *goja.Runtime, e *goja.Exception) string {
	return eventloop.SafeString(vm, e.Value())
}

// ReportUnhandledRejection fires a trusted, cancelable PromiseRejectionEvent
// named "unhandledrejection" at the realm's global object (HTML "notify about
// rejected promises",
// https://html.spec.whatwg.org/multipage/webappapis.html#notify-about-rejected-promises)
// and returns true if it was canceled (handled; otherwise the caller should
// print it).
func ReportUnhandledRejection(r *webidl.Realm, promise *goja.Object, reason goja.Value) (handled bool) {
	s, err := stateOf(r)
	if err != nil {
		return false
	}
	obj, impl := s.newPromiseRejectionEvent(r.VM().ToValue("unhandledrejection").(goja.String), PromiseRejectionEventInit{
		EventInit: EventInit{Cancelable: true}, Promise: promise, Reason: reason,
	})
	notCanceled, err := s.fire(r.Global(), obj, impl)
	return err == nil && !notCanceled
}

// ReportRejectionHandled fires a trusted PromiseRejectionEvent named
// "rejectionhandled" at the realm's global object, for a promise reported
// unhandled that got a handler later
// (https://html.spec.whatwg.org/multipage/webappapis.html#unhandled-promise-rejections).
func ReportRejectionHandled(r *webidl.Realm, promise *goja.Object, reason goja.Value) {
	s, err := stateOf(r)
	if err != nil {
		return
	}
	obj, impl := s.newPromiseRejectionEvent(r.VM().ToValue("rejectionhandled").(goja.String), PromiseRejectionEventInit{Promise: promise, Reason: reason})
	s.fire(r.Global(), obj, impl)
}
