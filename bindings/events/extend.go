package events

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// Interfaces that inherit from Event but belong to another package (such as
// the Service Workers' ExtendableEvent) keep their own internal slots beside
// Event's: the package defines the interface with Parent "Event", makes its
// events with NewEventOf, returns ConstructEvent from its constructor, and
// reads its slots back with Slots.

// extendedEvent holds Event's internal slots and those of the interface that
// another package defined.
type extendedEvent struct {
	event
	slots any
}

// EventInitDictionary returns the EventInit dictionary
// (https://dom.spec.whatwg.org/#dictdef-eventinit) as the Parent of a
// dictionary of another package, T, whose EventInit is where init points: its
// members are converted first, as WebIDL converts an inherited dictionary's.
func EventInitDictionary[T any](init func(*T) *EventInit) *webidl.Dictionary[T] {
	return &webidl.Dictionary[T]{
		Name: "EventInit",
		Members: []webidl.DictionaryMember[T]{
			{Name: "bubbles", Convert: func(r *webidl.Realm, v goja.Value, out *T) { init(out).Bubbles = webidl.ToBoolean(v) }},
			{Name: "cancelable", Convert: func(r *webidl.Realm, v goja.Value, out *T) { init(out).Cancelable = webidl.ToBoolean(v) }},
			{Name: "composed", Convert: func(r *webidl.Realm, v goja.Value, out *T) { init(out).Composed = webidl.ToBoolean(v) }},
		},
	}
}

// NewEventOf creates a trusted event (DOM "create an event",
// https://dom.spec.whatwg.org/#concept-event-create) of type typ whose
// interface is iface, an interface inheriting from Event that the caller
// defined, with slots as that interface's internal slots.
func NewEventOf(r *webidl.Realm, iface, typ string, init EventInit, slots any) (*goja.Object, error) {
	s, err := stateOf(r)
	if err != nil {
		return nil, err
	}
	return s.newEvent(iface, &extendedEvent{slots: slots}, s.goString(typ), init), nil
}

// ConstructEvent returns, for the constructor of such an interface, the
// internal slots of the new event: the "inner event creation steps"
// (https://dom.spec.whatwg.org/#inner-event-creation-steps) with type typ and
// Event's members of the converted dictionary, init, and slots as the
// interface's own. The event is not trusted.
func ConstructEvent(r *webidl.Realm, typ goja.String, init EventInit, slots any) (any, error) {
	s, err := stateOf(r)
	if err != nil {
		return nil, err
	}
	e := &extendedEvent{event: event{typ: typ, bubbles: init.Bubbles, cancelable: init.Cancelable, composed: init.Composed}, slots: slots}
	s.eventDefaults(&e.event)
	return e, nil
}

// Slots returns the slots given to NewEventOf or ConstructEvent for the event
// whose internal slots are impl (a webidl.Call's Impl), or nil if it has none.
func Slots(impl any) any {
	if e, ok := impl.(*extendedEvent); ok {
		return e.slots
	}
	return nil
}
