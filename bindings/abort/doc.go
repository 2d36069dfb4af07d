// Package abort binds the AbortController and AbortSignal interfaces of the DOM
// Standard (https://dom.spec.whatwg.org/#aborting-ongoing-activities) to a goja
// runtime: Register installs them on a webidl.Realm whose event interfaces
// (package events) are registered. The internal slots of an AbortSignal
// implement events.Signal, so addEventListener's signal option accepts
// AbortSignal objects.
package abort
