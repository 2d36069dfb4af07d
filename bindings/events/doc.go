// Package events binds the DOM Standard's events
// (https://dom.spec.whatwg.org/#events: Event, CustomEvent, EventTarget,
// dispatch, listeners with capture/once/passive/signal), the HTML event
// interfaces ErrorEvent, MessageEvent and PromiseRejectionEvent, HTML event
// handler IDL attributes (onfoo), the WebSockets Standard's CloseEvent and the
// XMLHttpRequest Standard's ProgressEvent to a webidl.Realm, and gives other
// bindings the Go side of it: the Target to embed in the internal slots of
// objects that inherit from EventTarget, functions that create trusted events
// and dispatch them, and the global object's error and unhandled rejection
// reporting.
package events
