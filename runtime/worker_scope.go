package runtime

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	urlbinding "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// installGlobal makes the global object an EventTarget: a plain one for a
// top-level runtime, a DedicatedWorkerGlobalScope for a worker's.
func (r *Runtime) installGlobal() error {
	if r.worker == nil {
		return events.InstallGlobal(r.realm)
	}
	return r.installWorkerGlobal()
}

// installWorkerGlobal defines WorkerGlobalScope (HTML §10.2.1.1) and
// DedicatedWorkerGlobalScope (§10.2.1.2) and makes the global object
// implement the latter. self and location, which WorkerGlobalScope also has,
// are installed with the other bindings; navigator is not implemented.
func (r *Runtime) installWorkerGlobal() error {
	w := r.worker
	// %SyntaxError%, for scripts importScripts cannot compile.
	w.syntaxError, _ = goja.AssertConstructor(r.vm.Get("SyntaxError"))
	if w.syntaxError == nil {
		return errors.New("runtime: the global object has no SyntaxError")
	}
	if err := r.realm.DefineInterface(&webidl.Interface{
		Name:   "WorkerGlobalScope",
		Parent: "EventTarget",
		Attributes: []webidl.Attribute{
			// onerror, onrejectionhandled and onunhandledrejection come with
			// events.InstallGlobalAs.
			events.HandlerAttribute("onlanguagechange"),
			events.HandlerAttribute("onoffline"),
			events.HandlerAttribute("ononline"),
		},
		Operations: []webidl.Operation{
			{Name: "importScripts", Func: r.importScripts},
		},
	}); err != nil {
		return err
	}
	if err := r.realm.DefineInterface(&webidl.Interface{
		Name:   "DedicatedWorkerGlobalScope",
		Parent: "WorkerGlobalScope",
		Attributes: []webidl.Attribute{
			{Name: "name", Replaceable: true, Get: func(c webidl.Call) goja.Value {
				// The name getter steps return this's name (HTML §10.2.1.2).
				return c.VM().ToValue(w.opts.name)
			}},
			events.HandlerAttribute("onmessage"),
			events.HandlerAttribute("onmessageerror"),
		},
		Operations: []webidl.Operation{
			{Name: "postMessage", Length: 1, Func: func(c webidl.Call) goja.Value {
				// As if postMessage() were invoked on the implicit port.
				transfer := transferList(c)
				w.postToParent(structuredclone.Serialize(c.Realm, c.Args[0], transfer, "postMessage"))
				return goja.Undefined()
			}},
			{Name: "close", Func: func(webidl.Call) goja.Value {
				w.closeFromInside()
				return goja.Undefined()
			}},
		},
	}); err != nil {
		return err
	}
	if err := events.InstallGlobalAs(r.realm, "DedicatedWorkerGlobalScope"); err != nil {
		return err
	}
	// [Global] interfaces have their regular attributes and operations on the
	// global object itself, not on the interface prototype objects (Web IDL
	// §3.7.6, §3.7.7).
	// goja gives the global object an own @@toStringTag ("global"); the
	// interface prototype object's applies instead (Web IDL §3.7.3).
	hoist, err := r.vm.RunString(`(function (protos, global) {
		"use strict";
		delete global[Symbol.toStringTag];
		const names = Object.getOwnPropertyNames, get = Object.getOwnPropertyDescriptor;
		const define = Object.defineProperty;
		for (const proto of protos) {
			for (const name of names(proto)) {
				if (name === "constructor") continue;
				define(global, name, get(proto, name));
				delete proto[name];
			}
		}
	})`)
	if err != nil {
		return err
	}
	fn, _ := goja.AssertFunction(hoist)
	protos := r.vm.NewArray(r.realm.Prototype("DedicatedWorkerGlobalScope"), r.realm.Prototype("WorkerGlobalScope"))
	_, err = fn(goja.Undefined(), protos, r.realm.Global())
	return err
}

// importScripts runs importScripts(...urls) (HTML §10.3.1, "import scripts
// into worker global scope") on the worker's loop.
func (r *Runtime) importScripts(c webidl.Call) goja.Value {
	w := r.worker
	// 1. If worker global scope's type is "module", throw a TypeError.
	if w.opts.typ == "module" {
		c.Realm.ThrowTypeError("Failed to execute 'importScripts' on 'WorkerGlobalScope': Module scripts don't support importScripts().")
	}
	urls := make([]string, len(c.Args))
	for i, v := range c.Args {
		urls[i] = c.Realm.ToUSVString(v)
	}
	// 2-3. If urls is empty, return.
	if len(urls) == 0 {
		return goja.Undefined()
	}
	// 4. Parse each value relative to the settings object; any failure is a
	// "SyntaxError" DOMException.
	records := make([]*urlbinding.Record, len(urls))
	for i, s := range urls {
		u, err := urlbinding.Parse(s, c.Realm.APIBaseURL())
		if err != nil {
			c.Realm.ThrowDOMException("SyntaxError", fmt.Sprintf("Failed to execute 'importScripts' on 'WorkerGlobalScope': The URL '%s' is invalid.", s))
		}
		records[i] = u
	}
	// 5. For each URL, in order:
	for _, u := range records {
		// 5.1. Fetch a classic worker-imported script; a failure is rethrown.
		script, _, err := r.fetchScript(w.ctx, u, fetchImported, false, "")
		var se *syntaxError
		switch {
		case errors.As(err, &se):
			// A script that does not parse has a SyntaxError as its error to
			// rethrow (5.2).
			e, cerr := w.syntaxError(nil, r.vm.ToValue(se.msg))
			if cerr != nil {
				panic(cerr)
			}
			panic(e)
		case err != nil:
			if w.ctx.Err() == nil {
				// Scripts never learn why; the console does.
				fmt.Fprintf(r.stderr, "importScripts: %v\n", err)
			}
			c.Realm.ThrowDOMException("NetworkError", fmt.Sprintf("Failed to execute 'importScripts' on 'WorkerGlobalScope': The script at '%s' failed to load.", u.Href))
		}
		// 5.2. Run the classic script with rethrow errors: an exception, or the
		// abort of terminate(), goes on to the caller.
		if _, err := r.vm.RunProgram(script.prg); err != nil {
			panic(err)
		}
	}
	return goja.Undefined()
}
