package events

import (
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// Options configure Register; hand them over with bindings.Configure.
type Options struct {
	// ReportException, if not nil, reports an exception thrown by an event
	// listener or event handler (HTML "report an exception") in place of
	// the Env's event loop.
	ReportException func(err error)
}

// state is the per-realm state of the binding.
type state struct {
	realm            *webidl.Realm
	report           func(error)
	inErrorReporting bool
	listenerBufs     sync.Pool              // *[]*listener, clones of listener lists
	strs             map[string]goja.String // goString's cache of event types and origins
	// currentEvent is the global object's current event
	// (https://html.spec.whatwg.org/multipage/webappapis.html#current-event)
	// if it is a Window: nil is undefined. It is kept whatever the global
	// object is, as only Window's event attribute reads it: the attribute
	// may be installed while a listener runs (bindings.Defer).
	currentEvent *goja.Object
}

// maxCachedStrings bounds goString's cache: bindings use a handful of event types and
// origins, and anything beyond is converted each time.
const maxCachedStrings = 64

type stateKey struct{}

var errNotRegistered = errors.New("events: Register has not been called for this realm")

func stateOf(r *webidl.Realm) (*state, error) {
	s, ok := r.Data(stateKey{}).(*state)
	if !ok {
		return nil, errNotRegistered
	}
	return s, nil
}

// Binding installs Event, EventTarget and the event interfaces other
// bindings fire.
var Binding = &bindings.Binding{Name: "events", Register: Register}

// Register defines the interfaces Event, CustomEvent, EventTarget,
// ErrorEvent, MessageEvent, PromiseRejectionEvent, CloseEvent and
// ProgressEvent in env.Realm, as properties of its global object. It does
// not make the global object an EventTarget: see InstallGlobal.
//
// An exception thrown by an event listener or event handler is reported
// (HTML "report an exception") with Options.ReportException, or else
// env.Loop.ReportException; dispatch never propagates it. Without either, it
// is reported with ReportException at the realm's global object and, if no
// error handler canceled the event, written to env.Err().
func Register(env *bindings.Env) error {
	r := env.Realm
	if _, err := stateOf(r); err == nil {
		return errors.New("events: already registered in this realm")
	}
	s := &state{realm: r, report: bindings.Config[Options](env).ReportException}
	s.listenerBufs.New = func() any { b := make([]*listener, 0, 8); return &b }
	switch {
	case s.report != nil:
	case env.Loop != nil:
		s.report = env.Loop.ReportException
	default:
		w := env.Err()
		s.report = func(err error) {
			if !ReportException(r, err) {
				fmt.Fprintln(w, "Uncaught", err)
			}
		}
	}
	for _, d := range s.interfaces() {
		if err := r.DefineInterface(d); err != nil {
			return err
		}
	}
	r.SetData(stateKey{}, s)
	return nil
}

func ev(c webidl.Call) *event { return c.Impl.(eventImpl).base() }

func boolValue(vm *goja.Runtime, b bool) goja.Value { return vm.ToValue(b) }

func objectOrNull(o *goja.Object) goja.Value {
	if o == nil {
		return goja.Null()
	}
	return o
}

// eventConstructor returns the constructor of the event interface called name,
// which takes length arguments at the least: the constructing steps
// (https://dom.spec.whatwg.org/#concept-event-constructor). newEvent makes the
// internal slots with the given type and the interface's defaults, which the
// dictionary d then converts the init argument into.
func eventConstructor[T any, P interface {
	*T
	eventImpl
}](s *state, name string, length int, d *webidl.Dictionary[T], newEvent func(typ goja.String) P) func(webidl.Call) any {
	return func(c webidl.Call) any {
		c.RequireArgs(name, length)
		e := newEvent(s.realm.ToDOMString(c.Arg(0)))
		webidl.ToDictionary(s.realm, c.Arg(1), d, (*T)(e))
		s.eventDefaults(e.base())
		return e
	}
}

// interfaces describes the IDL interfaces of the binding.
func (s *state) interfaces() []*webidl.Interface {
	r := s.realm
	vm := r.VM()
	emptyString := vm.ToValue("")
	ro := func(name string, get func(c webidl.Call) goja.Value) webidl.Attribute {
		return webidl.Attribute{Name: name, Get: get}
	}
	// initArgs requires one argument of the call of operation, then converts the
	// ones initEvent, initCustomEvent and initMessageEvent begin with: DOMString
	// type, optional boolean bubbles = false, optional boolean cancelable = false.
	initArgs := func(c webidl.Call, operation string) (typ goja.String, bubbles, cancelable bool) {
		c.RequireArgs(operation, 1)
		return r.ToDOMString(c.Arg(0)), webidl.ToBoolean(c.Arg(1)), webidl.ToBoolean(c.Arg(2))
	}

	// Interface Event (https://dom.spec.whatwg.org/#interface-event).
	eventIface := &webidl.Interface{
		Name:   "Event",
		Length: 1,
		Constructor: eventConstructor(s, "Event", 1, eventInitDict, func(typ goja.String) *event {
			return &event{typ: typ}
		}),
		Constants: []webidl.Constant{
			{Name: "NONE", Value: phaseNone},
			{Name: "CAPTURING_PHASE", Value: phaseCapturing},
			{Name: "AT_TARGET", Value: phaseAtTarget},
			{Name: "BUBBLING_PHASE", Value: phaseBubbling},
		},
		Attributes: []webidl.Attribute{
			ro("type", func(c webidl.Call) goja.Value { return ev(c).typ }),
			ro("target", func(c webidl.Call) goja.Value { return objectOrNull(ev(c).target) }),
			ro("srcElement", func(c webidl.Call) goja.Value { return objectOrNull(ev(c).target) }),
			ro("currentTarget", func(c webidl.Call) goja.Value { return objectOrNull(ev(c).currentTarget) }),
			ro("eventPhase", func(c webidl.Call) goja.Value { return vm.ToValue(ev(c).phase) }),
			{Name: "cancelBubble",
				Get: func(c webidl.Call) goja.Value { return boolValue(vm, ev(c).stopPropagation) },
				Set: func(c webidl.Call, v goja.Value) {
					// Setting true sets the stop propagation flag;
					// false does nothing.
					if webidl.ToBoolean(v) {
						ev(c).stopPropagation = true
					}
				}},
			ro("bubbles", func(c webidl.Call) goja.Value { return boolValue(vm, ev(c).bubbles) }),
			ro("cancelable", func(c webidl.Call) goja.Value { return boolValue(vm, ev(c).cancelable) }),
			{Name: "returnValue",
				Get: func(c webidl.Call) goja.Value { return boolValue(vm, !ev(c).canceled) },
				Set: func(c webidl.Call, v goja.Value) {
					// Setting false sets the canceled flag.
					if !webidl.ToBoolean(v) {
						ev(c).setCanceled()
					}
				}},
			ro("defaultPrevented", func(c webidl.Call) goja.Value { return boolValue(vm, ev(c).canceled) }),
			ro("composed", func(c webidl.Call) goja.Value { return boolValue(vm, ev(c).composed) }),
			{Name: "isTrusted", Unforgeable: true, Get: func(c webidl.Call) goja.Value { return boolValue(vm, ev(c).trusted) }},
			ro("timeStamp", func(c webidl.Call) goja.Value { return vm.ToValue(ev(c).timeStamp) }),
		},
		Operations: []webidl.Operation{
			{Name: "composedPath", Func: func(c webidl.Call) goja.Value {
				// The path's invocation targets
				// (https://dom.spec.whatwg.org/#dom-event-composedpath); with
				// no shadow trees that is the whole path.
				e := ev(c)
				if e.path == nil {
					return vm.NewArray()
				}
				return vm.NewArray(e.path)
			}},
			{Name: "stopPropagation", Func: func(c webidl.Call) goja.Value {
				ev(c).stopPropagation = true
				return nil
			}},
			{Name: "stopImmediatePropagation", Func: func(c webidl.Call) goja.Value {
				e := ev(c)
				e.stopPropagation = true
				e.stopImmediate = true
				return nil
			}},
			{Name: "preventDefault", Func: func(c webidl.Call) goja.Value {
				ev(c).setCanceled()
				return nil
			}},
			{Name: "initEvent", Length: 1, Func: func(c webidl.Call) goja.Value {
				typ, bubbles, cancelable := initArgs(c, "Event.initEvent")
				ev(c).reinitialize(typ, bubbles, cancelable)
				return nil
			}},
		},
	}

	// Interface CustomEvent
	// (https://dom.spec.whatwg.org/#interface-customevent).
	customEventIface := &webidl.Interface{
		Name:   "CustomEvent",
		Parent: "Event",
		Length: 1,
		Constructor: eventConstructor(s, "CustomEvent", 1, customEventInitDict, func(typ goja.String) *customEvent {
			return &customEvent{event: event{typ: typ}, detail: goja.Null()}
		}),
		Attributes: []webidl.Attribute{
			ro("detail", func(c webidl.Call) goja.Value { return c.Impl.(*customEvent).detail }),
		},
		Operations: []webidl.Operation{
			{Name: "initCustomEvent", Length: 1, Func: func(c webidl.Call) goja.Value {
				typ, bubbles, cancelable := initArgs(c, "CustomEvent.initCustomEvent")
				detail := goja.Value(goja.Null())
				if len(c.Args) > 3 && !goja.IsUndefined(c.Args[3]) {
					detail = c.Args[3]
				}
				if e := c.Impl.(*customEvent); e.reinitialize(typ, bubbles, cancelable) {
					e.detail = detail
				}
				return nil
			}},
		},
	}

	// Interface EventTarget
	// (https://dom.spec.whatwg.org/#interface-eventtarget).
	eventTargetIface := &webidl.Interface{
		Name:        "EventTarget",
		Length:      0,
		Constructor: func(c webidl.Call) any { return &Target{} },
		// Listeners often mention their target: without this, a target reachable
		// only from its own listeners would never be collected.
		SlotsReferToObject: true,
		Operations: []webidl.Operation{
			{Name: "addEventListener", Length: 2, Func: s.addEventListener},
			{Name: "removeEventListener", Length: 2, Func: s.removeEventListener},
			{Name: "dispatchEvent", Length: 1, Func: s.dispatchEvent},
		},
	}

	// Interface ErrorEvent
	// (https://html.spec.whatwg.org/multipage/webappapis.html#the-errorevent-interface).
	errorEventIface := &webidl.Interface{
		Name:   "ErrorEvent",
		Parent: "Event",
		Length: 1,
		Constructor: eventConstructor(s, "ErrorEvent", 1, errorEventInitDict, func(typ goja.String) *errorEvent {
			return &errorEvent{event: event{typ: typ}, message: emptyString.(goja.String), filename: emptyString, err: goja.Undefined()}
		}),
		Attributes: []webidl.Attribute{
			ro("message", func(c webidl.Call) goja.Value { return c.Impl.(*errorEvent).message }),
			ro("filename", func(c webidl.Call) goja.Value { return c.Impl.(*errorEvent).filename }),
			ro("lineno", func(c webidl.Call) goja.Value { return vm.ToValue(c.Impl.(*errorEvent).lineno) }),
			ro("colno", func(c webidl.Call) goja.Value { return vm.ToValue(c.Impl.(*errorEvent).colno) }),
			ro("error", func(c webidl.Call) goja.Value { return c.Impl.(*errorEvent).err }),
		},
	}

	// Interface MessageEvent
	// (https://html.spec.whatwg.org/multipage/comms.html#the-messageevent-interface).
	messageEventIface := &webidl.Interface{
		Name:   "MessageEvent",
		Parent: "Event",
		Length: 1,
		Constructor: func(c webidl.Call) any {
			c.RequireArgs("MessageEvent", 1)
			e := &messageEvent{event: event{typ: r.ToDOMString(c.Arg(0))}, data: goja.Null(), origin: emptyString,
				lastEventID: emptyString.(goja.String), source: goja.Null()}
			webidl.ToDictionary(r, c.Arg(1), messageEventInitDict, e)
			if e.ports == nil {
				e.ports = r.FrozenArray()
			}
			s.eventDefaults(&e.event)
			return e
		},
		Attributes: []webidl.Attribute{
			ro("data", func(c webidl.Call) goja.Value { return c.Impl.(*messageEvent).data }),
			ro("origin", func(c webidl.Call) goja.Value { return c.Impl.(*messageEvent).origin }),
			ro("lastEventId", func(c webidl.Call) goja.Value { return c.Impl.(*messageEvent).lastEventID }),
			ro("source", func(c webidl.Call) goja.Value { return c.Impl.(*messageEvent).source }),
			ro("ports", func(c webidl.Call) goja.Value {
				e := c.Impl.(*messageEvent)
				if e.ports == nil {
					// Events created by bindings leave the empty array to here: few
					// scripts read it, and it must be the same object each time.
					e.ports = r.FrozenArray()
				}
				return e.ports
			}),
		},
		Operations: []webidl.Operation{
			{Name: "initMessageEvent", Length: 1, Func: func(c webidl.Call) goja.Value {
				// initMessageEvent(DOMString type, optional boolean bubbles = false,
				// optional boolean cancelable = false, optional any data = null,
				// optional USVString origin = "", optional DOMString lastEventId = "",
				// optional MessageEventSource? source = null,
				// optional sequence<MessagePort> ports = [])
				typ, bubbles, cancelable := initArgs(c, "MessageEvent.initMessageEvent")
				data := goja.Value(goja.Null())
				if v := c.Arg(3); !goja.IsUndefined(v) {
					data = v
				}
				origin := emptyString
				if v := c.Arg(4); !goja.IsUndefined(v) {
					origin = vm.ToValue(r.ToUSVString(v))
				}
				lastEventID := emptyString.(goja.String)
				if v := c.Arg(5); !goja.IsUndefined(v) {
					lastEventID = r.ToDOMString(v)
				}
				source := toMessageEventSource(r, c.Arg(6))
				var ports *goja.Object
				if v := c.Arg(7); !goja.IsUndefined(v) {
					ports = toPorts(r, v)
				} else {
					ports = r.FrozenArray()
				}
				if e := c.Impl.(*messageEvent); e.reinitialize(typ, bubbles, cancelable) {
					e.data, e.origin, e.lastEventID, e.source, e.ports = data, origin, lastEventID, source, ports
				}
				return nil
			}},
		},
	}

	// Interface PromiseRejectionEvent
	// (https://html.spec.whatwg.org/multipage/webappapis.html#the-promiserejectionevent-interface).
	promiseRejectionEventIface := &webidl.Interface{
		Name:   "PromiseRejectionEvent",
		Parent: "Event",
		Length: 2,
		Constructor: eventConstructor(s, "PromiseRejectionEvent", 2, promiseRejectionEventInitDict, func(typ goja.String) *promiseRejectionEvent {
			return &promiseRejectionEvent{event: event{typ: typ}, reason: goja.Undefined()}
		}),
		Attributes: []webidl.Attribute{
			ro("promise", func(c webidl.Call) goja.Value { return c.Impl.(*promiseRejectionEvent).promise }),
			ro("reason", func(c webidl.Call) goja.Value { return c.Impl.(*promiseRejectionEvent).reason }),
		},
	}

	// Interface CloseEvent
	// (https://websockets.spec.whatwg.org/#the-closeevent-interface).
	closeEventIface := &webidl.Interface{
		Name:   "CloseEvent",
		Parent: "Event",
		Length: 1,
		Constructor: eventConstructor(s, "CloseEvent", 1, closeEventInitDict, func(typ goja.String) *closeEvent {
			return &closeEvent{event: event{typ: typ}, reason: emptyString}
		}),
		Attributes: []webidl.Attribute{
			ro("wasClean", func(c webidl.Call) goja.Value { return boolValue(vm, c.Impl.(*closeEvent).wasClean) }),
			ro("code", func(c webidl.Call) goja.Value { return vm.ToValue(c.Impl.(*closeEvent).code) }),
			ro("reason", func(c webidl.Call) goja.Value { return c.Impl.(*closeEvent).reason }),
		},
	}

	// Interface ProgressEvent
	// (https://xhr.spec.whatwg.org/#interface-progressevent).
	progressEventIface := &webidl.Interface{
		Name:   "ProgressEvent",
		Parent: "Event",
		Length: 1,
		Constructor: eventConstructor(s, "ProgressEvent", 1, progressEventInitDict, func(typ goja.String) *progressEvent {
			return &progressEvent{event: event{typ: typ}}
		}),
		Attributes: []webidl.Attribute{
			ro("lengthComputable", func(c webidl.Call) goja.Value { return boolValue(vm, c.Impl.(*progressEvent).lengthComputable) }),
			ro("loaded", func(c webidl.Call) goja.Value { return vm.ToValue(c.Impl.(*progressEvent).loaded) }),
			ro("total", func(c webidl.Call) goja.Value { return vm.ToValue(c.Impl.(*progressEvent).total) }),
		},
	}

	return []*webidl.Interface{eventIface, customEventIface, eventTargetIface, errorEventIface,
		messageEventIface, promiseRejectionEventIface, closeEventIface, progressEventIface}
}

// newEvent is DOM "create an event"
// (https://dom.spec.whatwg.org/#concept-event-create) for the interface called
// iface: the event is initialized and trusted, with the given type and
// EventInit.
func (s *state) newEvent(iface string, impl eventImpl, typ goja.String, init EventInit) *goja.Object {
	e := impl.base()
	s.eventDefaults(e)
	e.typ = typ
	e.bubbles, e.cancelable, e.composed = init.Bubbles, init.Cancelable, init.Composed
	e.trusted = true
	return s.realm.New(iface, impl)
}

func orNull(v goja.Value) goja.Value {
	if v == nil {
		return goja.Null()
	}
	return v
}

func (s *state) newErrorEvent(typ goja.String, init ErrorEventInit) (*goja.Object, eventImpl) {
	vm := s.realm.VM()
	e := &errorEvent{
		message:  vm.ToValue(init.Message).(goja.String),
		filename: vm.ToValue(init.Filename),
		lineno:   init.Lineno,
		colno:    init.Colno,
		err:      webidl.ToAny(init.Error),
	}
	return s.newEvent("ErrorEvent", e, typ, init.EventInit), e
}

func (s *state) newPromiseRejectionEvent(typ goja.String, init PromiseRejectionEventInit) (*goja.Object, eventImpl) {
	e := &promiseRejectionEvent{promise: init.Promise, reason: webidl.ToAny(init.Reason)}
	return s.newEvent("PromiseRejectionEvent", e, typ, init.EventInit), e
}

// fire dispatches the event evObj (with internal slots impl) at targetObj.
func (s *state) fire(targetObj, evObj *goja.Object, impl eventImpl) (bool, error) {
	t, ok := s.realm.Impl(targetObj, "EventTarget")
	if !ok {
		return false, errors.New("events: the target is not an EventTarget")
	}
	if e := impl.base(); e.dispatching || !e.initialized {
		return false, errors.New("events: the event is being dispatched or is not initialized")
	}
	return s.dispatch(targetObj, t.(TargetImpl).EventTarget(), evObj, impl), nil
}

// goString converts str for script. Strings are immutable values, so the conversions
// of the strings bindings repeat for every event (types, origins) are kept and shared.
func (s *state) goString(str string) goja.String {
	if v, ok := s.strs[str]; ok {
		return v
	}
	v := s.realm.VM().ToValue(str).(goja.String)
	if len(s.strs) < maxCachedStrings {
		if s.strs == nil {
			s.strs = map[string]goja.String{}
		}
		s.strs[str] = v
	}
	return v
}

// NewEvent creates a trusted Event (DOM "create an event",
// https://dom.spec.whatwg.org/#concept-event-create) of type typ, for Dispatch.
func NewEvent(r *webidl.Realm, typ string, init EventInit) (*goja.Object, error) {
	s, err := stateOf(r)
	if err != nil {
		return nil, err
	}
	return s.newEvent("Event", &event{}, s.goString(typ), init), nil
}

// NewMessageEvent creates a trusted MessageEvent of type typ; its ports
// attribute is an empty frozen array, made on first use.
func NewMessageEvent(r *webidl.Realm, typ string, init MessageEventInit) (*goja.Object, error) {
	s, err := stateOf(r)
	if err != nil {
		return nil, err
	}
	e := &messageEvent{
		data:        orNull(init.Data),
		origin:      s.goString(init.Origin),
		lastEventID: s.goString(init.LastEventID),
		source:      orNull(init.Source),
	}
	if len(init.Ports) > 0 {
		ports := make([]goja.Value, len(init.Ports))
		for i, p := range init.Ports {
			ports[i] = p
		}
		e.ports = r.FrozenArray(ports...)
	}
	return s.newEvent("MessageEvent", e, s.goString(typ), init.EventInit), nil
}

// NewCloseEvent creates a trusted CloseEvent of type typ.
func NewCloseEvent(r *webidl.Realm, typ string, init CloseEventInit) (*goja.Object, error) {
	s, err := stateOf(r)
	if err != nil {
		return nil, err
	}
	e := &closeEvent{wasClean: init.WasClean, code: init.Code, reason: r.VM().ToValue(init.Reason)}
	return s.newEvent("CloseEvent", e, s.goString(typ), init.EventInit), nil
}

// NewProgressEvent creates a trusted ProgressEvent of type typ, as XHR's "fire
// a progress event" (https://xhr.spec.whatwg.org/#concept-event-fire-progress)
// does.
func NewProgressEvent(r *webidl.Realm, typ string, init ProgressEventInit) (*goja.Object, error) {
	s, err := stateOf(r)
	if err != nil {
		return nil, err
	}
	e := &progressEvent{lengthComputable: init.LengthComputable, loaded: init.Loaded, total: init.Total}
	return s.newEvent("ProgressEvent", e, s.goString(typ), init.EventInit), nil
}

// NewErrorEvent creates a trusted ErrorEvent of type typ.
func NewErrorEvent(r *webidl.Realm, typ string, init ErrorEventInit) (*goja.Object, error) {
	s, err := stateOf(r)
	if err != nil {
		return nil, err
	}
	obj, _ := s.newErrorEvent(s.goString(typ), init)
	return obj, nil
}

// NewPromiseRejectionEvent creates a trusted PromiseRejectionEvent of type
// typ.
func NewPromiseRejectionEvent(r *webidl.Realm, typ string, init PromiseRejectionEventInit) (*goja.Object, error) {
	s, err := stateOf(r)
	if err != nil {
		return nil, err
	}
	if init.Promise == nil {
		return nil, errors.New("events: PromiseRejectionEventInit.Promise is required")
	}
	obj, _ := s.newPromiseRejectionEvent(s.goString(typ), init)
	return obj, nil
}

// Dispatch dispatches event at target
// (https://dom.spec.whatwg.org/#concept-event-dispatch) and returns false if
// the event was canceled. Exceptions thrown by listeners are reported, not
// returned; an error means target is not an EventTarget or event is not an
// Event that can be dispatched now.
func Dispatch(r *webidl.Realm, target, event *goja.Object) (notCanceled bool, err error) {
	s, err := stateOf(r)
	if err != nil {
		return false, err
	}
	impl, ok := r.Impl(event, "Event")
	if !ok {
		return false, errors.New("events: the event is not an Event")
	}
	return s.fire(target, event, impl.(eventImpl))
}

// Fire fires an event named typ at target (DOM "fire an event",
// https://dom.spec.whatwg.org/#concept-event-fire): a
// trusted Event that neither bubbles nor is cancelable.
func Fire(r *webidl.Realm, target *goja.Object, typ string) (notCanceled bool, err error) {
	if t, ok := r.Impl(target, "EventTarget"); ok && !t.(TargetImpl).EventTarget().HasListeners(typ) {
		// The event path is the target alone, so an event none of its
		// listeners is for reaches no script and is not canceled: it need
		// not be made.
		return true, nil
	}
	e, err := NewEvent(r, typ, EventInit{})
	if err != nil {
		return false, err
	}
	return Dispatch(r, target, e)
}
