package events

import (
	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/webidl"
)

// Event phases (Event.eventPhase,
// https://dom.spec.whatwg.org/#dom-event-eventphase).
const (
	phaseNone      = 0
	phaseCapturing = 1
	phaseAtTarget  = 2
	phaseBubbling  = 3
)

// event holds the internal slots of an Event
// (https://dom.spec.whatwg.org/#interface-event).
type event struct {
	typ           goja.String
	target        *goja.Object
	currentTarget *goja.Object
	// path is the event path's only struct's invocation target: "get the
	// parent" of every EventTarget bound here returns null, so a path has
	// at most one item. nil means the path is empty.
	path       *goja.Object
	phase      uint16
	bubbles    bool
	cancelable bool
	composed   bool
	trusted    bool
	timeStamp  float64

	// Flags of https://dom.spec.whatwg.org/#interface-event.
	stopPropagation bool
	stopImmediate   bool
	canceled        bool
	inPassive       bool
	initialized     bool
	dispatching     bool
}

func (e *event) base() *event { return e }

// eventImpl is implemented by the internal slots of Event and of every
// interface inheriting from it.
type eventImpl interface{ base() *event }

// setCanceled is DOM "set the canceled flag"
// (https://dom.spec.whatwg.org/#set-the-canceled-flag).
func (e *event) setCanceled() {
	if e.cancelable && !e.inPassive {
		e.canceled = true
	}
}

// initialize is DOM "initialize" an event
// (https://dom.spec.whatwg.org/#concept-event-initialize).
func (e *event) initialize(typ goja.String, bubbles, cancelable bool) {
	e.initialized = true
	e.stopPropagation = false
	e.stopImmediate = false
	e.canceled = false
	e.trusted = false
	e.target = nil
	e.typ = typ
	e.bubbles = bubbles
	e.cancelable = cancelable
}

// reinitialize runs the steps initEvent
// (https://dom.spec.whatwg.org/#dom-event-initevent), initCustomEvent and
// initMessageEvent begin with: nothing while the event is being dispatched,
// else initialize it. It reports whether it did, for the caller to set its
// own attributes then.
func (e *event) reinitialize(typ goja.String, bubbles, cancelable bool) bool {
	if e.dispatching {
		return false
	}
	e.initialize(typ, bubbles, cancelable)
	return true
}

// customEvent holds the internal slots of a CustomEvent
// (https://dom.spec.whatwg.org/#interface-customevent).
type customEvent struct {
	event
	detail goja.Value
}

// errorEvent holds the internal slots of an ErrorEvent
// (https://html.spec.whatwg.org/multipage/webappapis.html#the-errorevent-interface).
type errorEvent struct {
	event
	message  goja.String
	filename goja.Value // USVString, kept as the JS string made from it
	lineno   uint32
	colno    uint32
	err      goja.Value
}

// messageEvent holds the internal slots of a MessageEvent
// (https://html.spec.whatwg.org/multipage/comms.html#the-messageevent-interface).
type messageEvent struct {
	event
	data        goja.Value
	origin      goja.Value // USVString
	lastEventID goja.String
	source      goja.Value
	ports       *goja.Object // frozen array, the same object each time; nil: empty, not yet made
}

// closeEvent holds the internal slots of a CloseEvent
// (https://websockets.spec.whatwg.org/#the-closeevent-interface).
type closeEvent struct {
	event
	wasClean bool
	code     uint16
	reason   goja.Value // USVString
}

// progressEvent holds the internal slots of a ProgressEvent
// (https://xhr.spec.whatwg.org/#interface-progressevent).
type progressEvent struct {
	event
	lengthComputable bool
	loaded, total    float64
}

// promiseRejectionEvent holds the internal slots of a
// PromiseRejectionEvent
// (https://html.spec.whatwg.org/multipage/webappapis.html#the-promiserejectionevent-interface).
type promiseRejectionEvent struct {
	event
	promise *goja.Object
	reason  goja.Value
}

// EventInit holds the members of the EventInit dictionary
// (https://dom.spec.whatwg.org/#dictdef-eventinit).
type EventInit struct {
	Bubbles, Cancelable, Composed bool
}

// CloseEventInit holds the members of the CloseEventInit dictionary
// (https://websockets.spec.whatwg.org/#the-closeevent-interface).
type CloseEventInit struct {
	EventInit
	WasClean bool
	Code     uint16
	Reason   string
}

// ProgressEventInit holds the members of the ProgressEventInit dictionary
// (https://xhr.spec.whatwg.org/#interface-progressevent).
type ProgressEventInit struct {
	EventInit
	LengthComputable bool
	Loaded, Total    float64
}

// MessageEventInit holds the members of the MessageEventInit dictionary
// (https://html.spec.whatwg.org/multipage/comms.html#the-messageevent-interface).
// A nil Data is null; a nil Source is null; Ports are the MessagePort objects
// of the ports attribute, in order.
type MessageEventInit struct {
	EventInit
	Data        goja.Value
	Origin      string
	LastEventID string
	Source      goja.Value
	Ports       []*goja.Object
}

// ErrorEventInit holds the members of the ErrorEventInit dictionary
// (https://html.spec.whatwg.org/multipage/webappapis.html#the-errorevent-interface).
// A nil Error is undefined.
type ErrorEventInit struct {
	EventInit
	Message  string
	Filename string
	Lineno   uint32
	Colno    uint32
	Error    goja.Value
}

// PromiseRejectionEventInit holds the members of the
// PromiseRejectionEventInit dictionary
// (https://html.spec.whatwg.org/multipage/webappapis.html#the-promiserejectionevent-interface).
// A nil Reason is undefined.
type PromiseRejectionEventInit struct {
	EventInit
	Promise *goja.Object
	Reason  goja.Value
}

// eventInitMembers returns the members of EventInit for a dictionary
// converting into the internal slots of an event of type T.
func eventInitMembers[T any, PT interface {
	*T
	eventImpl
}]() *webidl.Dictionary[T] {
	return &webidl.Dictionary[T]{
		Name: "EventInit",
		Members: []webidl.DictionaryMember[T]{
			{Name: "bubbles", Convert: func(r *webidl.Realm, v goja.Value, out *T) { PT(out).base().bubbles = webidl.ToBoolean(v) }},
			{Name: "cancelable", Convert: func(r *webidl.Realm, v goja.Value, out *T) { PT(out).base().cancelable = webidl.ToBoolean(v) }},
			{Name: "composed", Convert: func(r *webidl.Realm, v goja.Value, out *T) { PT(out).base().composed = webidl.ToBoolean(v) }},
		},
	}
}

var (
	eventInitDict = eventInitMembers[event]()

	customEventInitDict = &webidl.Dictionary[customEvent]{
		Name:   "CustomEventInit",
		Parent: eventInitMembers[customEvent](),
		Members: []webidl.DictionaryMember[customEvent]{
			{Name: "detail", Convert: func(r *webidl.Realm, v goja.Value, out *customEvent) { out.detail = v }},
		},
	}

	errorEventInitDict = &webidl.Dictionary[errorEvent]{
		Name:   "ErrorEventInit",
		Parent: eventInitMembers[errorEvent](),
		Members: []webidl.DictionaryMember[errorEvent]{
			{Name: "message", Convert: func(r *webidl.Realm, v goja.Value, out *errorEvent) { out.message = r.ToDOMString(v) }},
			{Name: "filename", Convert: func(r *webidl.Realm, v goja.Value, out *errorEvent) { out.filename = r.VM().ToValue(r.ToUSVString(v)) }},
			{Name: "lineno", Convert: func(r *webidl.Realm, v goja.Value, out *errorEvent) { out.lineno = r.ToUnsignedLong(v, 0) }},
			{Name: "colno", Convert: func(r *webidl.Realm, v goja.Value, out *errorEvent) { out.colno = r.ToUnsignedLong(v, 0) }},
			{Name: "error", Convert: func(r *webidl.Realm, v goja.Value, out *errorEvent) { out.err = v }},
		},
	}

	messageEventInitDict = &webidl.Dictionary[messageEvent]{
		Name:   "MessageEventInit",
		Parent: eventInitMembers[messageEvent](),
		Members: []webidl.DictionaryMember[messageEvent]{
			{Name: "data", Convert: func(r *webidl.Realm, v goja.Value, out *messageEvent) { out.data = v }},
			{Name: "origin", Convert: func(r *webidl.Realm, v goja.Value, out *messageEvent) { out.origin = r.VM().ToValue(r.ToUSVString(v)) }},
			{Name: "lastEventId", Convert: func(r *webidl.Realm, v goja.Value, out *messageEvent) { out.lastEventID = r.ToDOMString(v) }},
			{Name: "source", Convert: func(r *webidl.Realm, v goja.Value, out *messageEvent) { out.source = toMessageEventSource(r, v) }},
			{Name: "ports", Convert: func(r *webidl.Realm, v goja.Value, out *messageEvent) { out.ports = toPorts(r, v) }},
		},
	}

	closeEventInitDict = &webidl.Dictionary[closeEvent]{
		Name:   "CloseEventInit",
		Parent: eventInitMembers[closeEvent](),
		Members: []webidl.DictionaryMember[closeEvent]{
			{Name: "wasClean", Convert: func(r *webidl.Realm, v goja.Value, out *closeEvent) { out.wasClean = webidl.ToBoolean(v) }},
			{Name: "code", Convert: func(r *webidl.Realm, v goja.Value, out *closeEvent) { out.code = r.ToUnsignedShort(v, 0) }},
			{Name: "reason", Convert: func(r *webidl.Realm, v goja.Value, out *closeEvent) { out.reason = r.VM().ToValue(r.ToUSVString(v)) }},
		},
	}

	progressEventInitDict = &webidl.Dictionary[progressEvent]{
		Name:   "ProgressEventInit",
		Parent: eventInitMembers[progressEvent](),
		Members: []webidl.DictionaryMember[progressEvent]{
			{Name: "lengthComputable", Convert: func(r *webidl.Realm, v goja.Value, out *progressEvent) { out.lengthComputable = webidl.ToBoolean(v) }},
			{Name: "loaded", Convert: func(r *webidl.Realm, v goja.Value, out *progressEvent) { out.loaded = r.ToDouble(v) }},
			{Name: "total", Convert: func(r *webidl.Realm, v goja.Value, out *progressEvent) { out.total = r.ToDouble(v) }},
		},
	}

	promiseRejectionEventInitDict = &webidl.Dictionary[promiseRejectionEvent]{
		Name:   "PromiseRejectionEventInit",
		Parent: eventInitMembers[promiseRejectionEvent](),
		Members: []webidl.DictionaryMember[promiseRejectionEvent]{
			{Name: "promise", Required: true, Convert: func(r *webidl.Realm, v goja.Value, out *promiseRejectionEvent) { out.promise = r.ToObject(v) }},
			{Name: "reason", Convert: func(r *webidl.Realm, v goja.Value, out *promiseRejectionEvent) { out.reason = v }},
		},
	}
)

// toMessageEventSource converts v to MessageEventSource?
// (https://html.spec.whatwg.org/multipage/comms.html#messageeventsource): the
// union (WindowProxy or MessagePort or ServiceWorker), of which only
// MessagePort may exist in this runtime.
func toMessageEventSource(r *webidl.Realm, v goja.Value) goja.Value {
	if webidl.IsNullish(v) {
		return goja.Null()
	}
	r.MatchUnion(v, messageEventSource)
	return v
}

var messageEventSource = &webidl.Union{Interfaces: []string{"WindowProxy", "MessagePort", "ServiceWorker"}}

// toPorts converts v to sequence<MessagePort> and returns the frozen array
// the ports attribute returns. Where MessagePort is not defined, only empty
// sequences convert.
func toPorts(r *webidl.Realm, v goja.Value) *goja.Object {
	ports := webidl.ToSequence(r, v, func(p goja.Value) goja.Value {
		r.ToInterface(p, "MessagePort")
		return p
	})
	return r.FrozenArray(ports...)
}

// eventDefaults sets what the "inner event creation steps"
// (https://dom.spec.whatwg.org/#inner-event-creation-steps) set before the
// dictionary is applied.
func (s *state) eventDefaults(e *event) {
	e.initialized = true
	e.timeStamp = s.realm.Now()
}
