package events

import (
	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/webidl"
)

// Target holds the internal slots of an EventTarget
// (https://dom.spec.whatwg.org/#interface-eventtarget): its event listener list,
// which holds its event handler map too (handlers.go). The internal slots of a
// platform object whose interface inherits from EventTarget embed a Target (the
// zero value is ready to use), which makes them implement TargetImpl.
//
// A Target, like the listeners it holds, keeps JavaScript functions alive;
// because internal slots are keyed weakly by their object, a listener that
// references its own target keeps both alive (as with goja's WeakMap).
type Target struct {
	listeners []*listener
}

// TargetImpl is implemented by the internal slots of EventTarget objects.
type TargetImpl interface {
	EventTarget() *Target
}

// EventTarget returns t.
func (t *Target) EventTarget() *Target { return t }

// HasListeners reports whether t has an event listener (an event handler
// included) for events of type typ.
func (t *Target) HasListeners(typ string) bool {
	for _, l := range t.listeners {
		if l.typ.String() == typ {
			return true
		}
	}
	return false
}

// listener is an event listener
// (https://dom.spec.whatwg.org/#concept-event-listener).
type listener struct {
	typ goja.String
	// callback is the EventListener, or nil for the listener of an event
	// handler, which then runs the event handler processing algorithm with
	// handler, the event handler's value (nil once it is deactivated).
	callback *webidl.CallbackInterface
	handler  *webidl.CallbackFunction
	capture  bool
	passive  bool
	once     bool
	removed  bool
}

// Signal is implemented by the internal slots of AbortSignal objects
// (https://dom.spec.whatwg.org/#interface-AbortSignal), which the signal option
// of addEventListener accepts.
type Signal interface {
	// Aborted reports whether the signal is aborted.
	Aborted() bool
	// AddAlgorithm adds f to the signal's abort algorithms.
	AddAlgorithm(f func())
}

// add is DOM "add an event listener"
// (https://dom.spec.whatwg.org/#add-an-event-listener).
func (t *Target) add(l *listener, signal Signal) {
	// Step 2: an aborted signal adds nothing.
	if signal != nil && signal.Aborted() {
		return
	}
	// Step 3: a null callback adds nothing (callers pass none).
	// Step 4: passive defaults to false: none of our targets is a Window
	// or a node.
	// Step 5: duplicates (same type, callback and capture) are ignored.
	for _, o := range t.listeners {
		if o.callback != nil && l.callback != nil && o.callback.Object == l.callback.Object && o.capture == l.capture && o.typ.StrictEquals(l.typ) {
			return
		}
	}
	t.listeners = append(t.listeners, l)
	// Step 6: the signal's abort steps remove the listener.
	if signal != nil {
		signal.AddAlgorithm(func() { t.remove(l) })
	}
}

// remove is DOM "remove an event listener"
// (https://dom.spec.whatwg.org/#remove-an-event-listener).
func (t *Target) remove(l *listener) {
	l.removed = true
	for i, o := range t.listeners {
		if o == l {
			copy(t.listeners[i:], t.listeners[i+1:])
			t.listeners[len(t.listeners)-1] = nil
			t.listeners = t.listeners[:len(t.listeners)-1]
			return
		}
	}
}

// listenerOptions are the flattened options of addEventListener and
// removeEventListener.
type listenerOptions struct {
	capture bool
	once    bool
	passive bool
	signal  Signal
}

var eventListenerOptionsDict = &webidl.Dictionary[listenerOptions]{
	Name: "EventListenerOptions",
	Members: []webidl.DictionaryMember[listenerOptions]{
		{Name: "capture", Convert: func(r *webidl.Realm, v goja.Value, o *listenerOptions) { o.capture = webidl.ToBoolean(v) }},
	},
}

var addEventListenerOptionsDict = &webidl.Dictionary[listenerOptions]{
	Name:   "AddEventListenerOptions",
	Parent: eventListenerOptionsDict,
	Members: []webidl.DictionaryMember[listenerOptions]{
		{Name: "passive", Convert: func(r *webidl.Realm, v goja.Value, o *listenerOptions) { o.passive = webidl.ToBoolean(v) }},
		{Name: "once", Convert: func(r *webidl.Realm, v goja.Value, o *listenerOptions) { o.once = webidl.ToBoolean(v) }},
		{Name: "signal", Convert: func(r *webidl.Realm, v goja.Value, o *listenerOptions) {
			impl, ok := r.Impl(v, "AbortSignal")
			sig, isSignal := impl.(Signal)
			if !ok || !isSignal {
				r.ThrowTypeError("Failed to read the 'signal' property from 'AddEventListenerOptions': Failed to convert value to 'AbortSignal'.")
			}
			o.signal = sig
		}},
	},
}

var optionsUnion = &webidl.Union{Dictionary: true, Boolean: true}

// toOptions converts the options argument, a (AddEventListenerOptions or
// boolean) or (EventListenerOptions or boolean), with DOM's "flatten"
// (https://dom.spec.whatwg.org/#concept-flatten-options) and "flatten more"
// (https://dom.spec.whatwg.org/#event-flatten-more) folded in: a boolean is the
// capture option.
func toOptions(r *webidl.Realm, v goja.Value, dict *webidl.Dictionary[listenerOptions]) listenerOptions {
	var o listenerOptions
	if r.MatchUnion(v, optionsUnion).Kind == webidl.MatchBoolean {
		o.capture = webidl.ToBoolean(v)
		return o
	}
	webidl.ToDictionary(r, v, dict, &o)
	return o
}

func targetOf(c webidl.Call) *Target {
	t, ok := c.Impl.(TargetImpl)
	if !ok {
		c.Realm.ThrowTypeError("Illegal invocation")
	}
	return t.EventTarget()
}

// listenerArgs requires two arguments of the call of operation, then converts
// the ones addEventListener and removeEventListener begin with: DOMString type,
// EventListener? callback (nil for null).
func listenerArgs(c webidl.Call, operation string) (typ goja.String, cb *webidl.CallbackInterface) {
	c.RequireArgs(operation, 2)
	typ = c.Realm.ToDOMString(c.Arg(0))
	if !webidl.IsNullish(c.Arg(1)) {
		cb = c.Realm.ToCallbackInterface(c.Arg(1))
	}
	return typ, cb
}

// addEventListener implements EventTarget.addEventListener
// (https://dom.spec.whatwg.org/#dom-eventtarget-addeventlistener).
func (s *state) addEventListener(c webidl.Call) goja.Value {
	r := c.Realm
	typ, cb := listenerArgs(c, "EventTarget.addEventListener")
	// Step 1: flatten more options.
	o := toOptions(r, c.Arg(2), addEventListenerOptionsDict)
	if cb == nil {
		return nil
	}
	// Step 2: add an event listener.
	targetOf(c).add(&listener{typ: typ, callback: cb, capture: o.capture, passive: o.passive, once: o.once}, o.signal)
	return nil
}

// removeEventListener implements EventTarget.removeEventListener
// (https://dom.spec.whatwg.org/#dom-eventtarget-removeeventlistener).
func (s *state) removeEventListener(c webidl.Call) goja.Value {
	r := c.Realm
	typ, cb := listenerArgs(c, "EventTarget.removeEventListener")
	// Step 1: flatten options.
	o := toOptions(r, c.Arg(2), eventListenerOptionsDict)
	if cb == nil {
		return nil
	}
	// Step 2: remove the listener with the same type, callback and capture.
	t := targetOf(c)
	for _, l := range t.listeners {
		if l.callback != nil && l.callback.Object == cb.Object && l.capture == o.capture && l.typ.StrictEquals(typ) {
			t.remove(l)
			break
		}
	}
	return nil
}

// dispatchEvent implements EventTarget.dispatchEvent
// (https://dom.spec.whatwg.org/#dom-eventtarget-dispatchevent).
func (s *state) dispatchEvent(c webidl.Call) goja.Value {
	r := c.Realm
	c.RequireArgs("EventTarget.dispatchEvent", 1)
	evObj := c.Arg(0)
	impl := r.ToInterface(evObj, "Event").(eventImpl)
	ev := impl.base()
	// Step 1: an event being dispatched or not initialized is an error.
	if ev.dispatching || !ev.initialized {
		r.ThrowDOMException("InvalidStateError", "Failed to execute 'dispatchEvent' on 'EventTarget': The event is already being dispatched or was not initialized.")
	}
	// Step 2: isTrusted becomes false.
	ev.trusted = false
	// Step 3: dispatch.
	return r.VM().ToValue(s.dispatch(c.This, targetOf(c), evObj.(*goja.Object), impl))
}

// dispatch is DOM "dispatch"
// (https://dom.spec.whatwg.org/#concept-event-dispatch) for targets whose
// parent is always null (no nodes, no shadow trees, so no retargeting, related
// targets or activation behavior). It returns false if the event was canceled.
func (s *state) dispatch(targetObj *goja.Object, t *Target, evObj *goja.Object, impl eventImpl) bool {
	ev := impl.base()
	// Step 1: set the dispatch flag.
	ev.dispatching = true
	// Step 5.3: append target to the event path. "Get the parent" of the
	// target is null, so the path is complete.
	ev.path = targetObj
	// Step 5.11: capturing listeners; the only struct's shadow-adjusted
	// target is the target itself, so the phase is AT_TARGET.
	ev.phase = phaseAtTarget
	s.invoke(targetObj, t, evObj, impl, true)
	// Step 5.12: non-capturing listeners, also AT_TARGET.
	ev.phase = phaseAtTarget
	s.invoke(targetObj, t, evObj, impl, false)
	// Steps 6-9.
	ev.phase = phaseNone
	ev.currentTarget = nil
	ev.path = nil
	ev.dispatching = false
	ev.stopPropagation = false
	ev.stopImmediate = false
	// Step 12.
	return !ev.canceled
}

// invoke is DOM "invoke"
// (https://dom.spec.whatwg.org/#concept-event-listener-invoke) for a path of
// one struct.
func (s *state) invoke(targetObj *goja.Object, t *Target, evObj *goja.Object, impl eventImpl, capturing bool) {
	ev := impl.base()
	// Step 1: the target.
	ev.target = targetObj
	// Step 4.
	if ev.stopPropagation {
		return
	}
	// Step 5.
	ev.currentTarget = targetObj
	// Step 6: a clone of the listener list, so that listeners added now
	// do not run; removed ones are flagged.
	bufp := s.listenerBufs.Get().(*[]*listener)
	listeners := append((*bufp)[:0], t.listeners...)
	// Step 7: inner invoke.
	s.innerInvoke(t, evObj, impl, listeners, capturing)
	clear(listeners)
	*bufp = listeners[:0]
	s.listenerBufs.Put(bufp)
}

// innerInvoke is DOM "inner invoke"
// (https://dom.spec.whatwg.org/#concept-event-listener-inner-invoke).
func (s *state) innerInvoke(t *Target, evObj *goja.Object, impl eventImpl, listeners []*listener, capturing bool) {
	ev := impl.base()
	for _, l := range listeners {
		if l.removed {
			continue
		}
		// Step 2.1: the type must match.
		if !l.typ.StrictEquals(ev.typ) {
			continue
		}
		// Steps 2.3-2.4: the phase must match.
		if capturing != l.capture {
			continue
		}
		// Step 2.5: once.
		if l.once {
			t.remove(l)
		}
		// Steps 2.6-2.8: the listener's global is the realm's; if it is a
		// Window, its current event becomes the event (no target is in a
		// shadow tree) before handleEvent is looked up. It is set for any
		// global object: only Window's event attribute reads it.
		current := s.currentEvent
		s.currentEvent = evObj
		// Step 2.9: passive.
		if l.passive {
			ev.inPassive = true
		}
		// Step 2.11: call handleEvent with currentTarget as this; report
		// an exception.
		var err error
		if l.callback != nil {
			_, err = l.callback.Call("handleEvent", ev.currentTarget, evObj)
		} else {
			err = s.processHandler(l.handler, evObj, impl)
		}
		if err != nil {
			s.report(err)
		}
		// Step 2.12: unset the passive listener flag; step 2.13: restore
		// the global's current event.
		ev.inPassive = false
		s.currentEvent = current
		// Step 2.14.
		if ev.stopImmediate {
			break
		}
	}
}
