package worker

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// errorInfo describes an uncaught exception for the ErrorEvents that report
// it outside the realm it was thrown in, where its value is not available.
type errorInfo struct {
	message, filename string
	lineno, colno     uint32
	report            ErrorReport // what is printed if nothing handles it
}

// newErrorInfo describes exc, thrown in vm, as the ErrorEvent fired at the
// global object did.
func newErrorInfo(vm *goja.Runtime, exc *goja.Exception, e ErrorReport) errorInfo {
	info := errorInfo{report: e}
	// String(value) runs script (a toString, a Proxy's traps), which must
	// not keep the error from being reported.
	str := eventloop.PlainString(exc.Value())
	eventloop.TryScript(vm, func() { str = eventloop.SafeString(vm, exc.Value()) })
	info.message = "Uncaught " + str
	for _, f := range exc.Stack() {
		if p := f.Position(); p.Line > 0 {
			info.filename = f.SrcName()
			info.lineno, info.colno = uint32(p.Line), uint32(p.Column)
			break
		}
	}
	return info
}

// onError is told, on the worker's loop, of an exception that the worker's
// global scope did not handle (ChildOptions.OnError): in a dedicated worker,
// the Worker object is told next
// (https://html.spec.whatwg.org/multipage/workers.html#runtime-script-errors-2).
func (w *worker) onError(exc *goja.Exception, e ErrorReport) {
	w.reportToWorkerObject(newErrorInfo(w.inner.vm, exc, e))
}

// reportToWorkerObject runs the steps of HTML's "runtime script errors"
// (https://html.spec.whatwg.org/multipage/workers.html#runtime-script-errors-2)
// for an exception the worker's global scope did not handle, on the worker's
// loop: a task on the parent's loop fires a cancelable ErrorEvent at the Worker
// object and, if nothing cancels it, reports the error in the parent's global
// scope, one level up.
func (w *worker) reportToWorkerObject(info errorInfo) {
	if w.shared != nil || w.service != nil {
		// A shared or service worker has no Worker object: what its
		// global scope did not handle goes to the developer console.
		w.inner.opts.Host.Uncaught(info.report)
		return
	}
	w.queueOnParent(func() {
		if w.isTerminated() {
			return
		}
		if fireError(w.parent.realm, w.obj, info) {
			w.parent.reportUp(info)
		}
	})
}

// fireError fires an ErrorEvent named error, cancelable, with its error
// attribute null, at target and reports whether it was not canceled.
func fireError(realm *webidl.Realm, target *goja.Object, info errorInfo) bool {
	ev, err := events.NewErrorEvent(realm, "error", events.ErrorEventInit{
		EventInit: events.EventInit{Cancelable: true},
		Message:   info.message,
		Filename:  info.filename,
		Lineno:    info.lineno,
		Colno:     info.colno,
		Error:     goja.Null(),
	})
	if err != nil {
		return true
	}
	notCanceled, err := events.Dispatch(realm, target, ev)
	return err != nil || notCanceled
}

// reportUp reports an error of one of a's workers as if it had occurred in
// a's global scope: an ErrorEvent at the global object, then, if not
// canceled, the next level up, or the developer console at the top.
func (a *agent) reportUp(info errorInfo) {
	if !fireError(a.realm, a.realm.Global(), info) {
		return
	}
	if a.worker != nil {
		a.worker.reportToWorkerObject(info)
		return
	}
	a.opts.Host.Uncaught(info.report)
}
