package builtins

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/blockfunc"
	"github.com/wsjs/wsjs/webidl"
)

// Binding installs the built-ins in a realm. It needs no web API. It is
// Eager: it changes objects script reaches without naming a global
// (String.prototype, RegExp.prototype...), so a runtime installs it before the
// first script rather than on first use (see bindings.Defer).
var Binding = &bindings.Binding{Name: "builtins", Register: Register, Eager: true}

// Options bound what the built-ins allocate for a script; Register reads them
// with bindings.Config. Zero (or less) in a field means no bound: the
// built-ins it would bound are then left as they are.
type Options struct {
	// ArrayBufferBytes bounds the bytes of one ArrayBuffer or typed array
	// the constructors create: beyond it they throw a RangeError.
	ArrayBufferBytes int64
	// StringLength bounds, in UTF-16 code units, the strings that
	// String.prototype.repeat, padStart, padEnd and concat return: beyond
	// it they throw a RangeError.
	StringLength int
	// JoinDepth bounds how deeply Array.prototype.join calls nest (as
	// Array.prototype.toString does through nested arrays): beyond it join
	// throws V8's RangeError "Maximum call stack size exceeded" instead of
	// recursing on the Go stack (see join.go).
	JoinDepth int
	// NestingDepth bounds how deeply JSON.stringify, JSON.parse and
	// Array.prototype.flat walk nested arrays and objects, and how deep a
	// chain of proxies (each the target or handler of the next) Proxy and
	// Proxy.revocable make: beyond it they throw V8's RangeError "Maximum
	// call stack size exceeded" instead of recursing on the Go stack (see
	// json.go, flat.go and proxy.go).
	NestingDepth int
	// Interruptible replaces the built-ins that can loop in Go without
	// calling script, for as long as a script asks, with ones that see the
	// runtime's interrupt (goja.Runtime.Interrupt), as script does (see
	// interrupt.go).
	Interruptible bool
	// DynamicFunctions replaces Function, AsyncFunction,
	// GeneratorFunction and eval with functions that rewrite the source
	// goja's parser panics on, and throw a SyntaxError for a panic it still
	// raises, instead of ending the run (see functions.go and eval.go).
	// Direct eval calls stay direct only in scripts compiled with their
	// calls rewritten by bindings/directeval.
	DynamicFunctions bool
	// CompileScript compiles a classic script with the syntax goja lacks
	// lowered, as the runtime's loader does: %AsyncGeneratorFunction%
	// compiles the functions it makes from source with it. Where nil, it
	// throws a SyntaxError.
	CompileScript func(src string) (*goja.Program, error)
	// HeapReserve, if not nil, is asked before a built-in lists the keys
	// of a long string or typed array in one Go call (ownkeys.go) whether
	// the heap can take bytes more; if not, it must interrupt the runtime
	// (goja.Runtime.Interrupt) with the error the run is to end with.
	HeapReserve func(bytes int64) bool
}

// Register installs the built-ins in env.Realm. It must run before scripts
// do, as the built-ins it adds to or replaces (Math, DataView, ArrayBuffer,
// the typed arrays, String.prototype) are taken from the global object.
func Register(env *bindings.Env) error {
	opts := bindings.Config[Options](env)
	realm := env.Realm
	// goja's own buffer getter, which runs no script, before views.go
	// replaces it.
	in := webidl.Intrinsics{VM: realm.VM()}
	proto := in.Object("Uint8Array", "prototype").Prototype()
	allocatorOf(realm).bufferOfView = in.Getter(proto, realm.VM().ToValue("buffer"))
	// First, so that the scripts below take the guarded ones.
	if err := guardOwnKeys(realm, opts.HeapReserve); err != nil {
		return err
	}
	if err := installAsyncIteratorSymbol(realm.VM()); err != nil {
		return err
	}
	if err := installF16Round(realm.VM()); err != nil {
		return err
	}
	if err := installMissing(env); err != nil {
		return err
	}
	if err := installRegExp(env); err != nil {
		return err
	}
	if err := installRegExpEscape(realm); err != nil {
		return err
	}
	if opts.DynamicFunctions {
		if err := safeFunctions(realm, env.Loop, opts.CompileScript); err != nil {
			return err
		}
	}
	// After the function constructors are replaced: %AsyncGeneratorFunction%
	// inherits from Function.
	if err := installAsyncGenerators(realm, opts.CompileScript); err != nil {
		return err
	}
	// The hooks of scripts with function declarations in blocks, which
	// take the eval script sees, replaced or not, for the realm's.
	if err := blockfunc.Install(realm.VM()); err != nil {
		return err
	}
	// Before boundLoops replaces Reflect.construct: the replacement of
	// Proxy calls goja's own.
	if err := installProxy(realm, opts.NestingDepth); err != nil {
		return err
	}
	if opts.Interruptible || opts.NestingDepth > 0 {
		if err := boundLoops(realm, opts); err != nil {
			return err
		}
	}
	if opts.NestingDepth <= 0 {
		// JSON.parse gives its reviver the source text either way.
		if err := boundJSON(realm, 0, nil); err != nil {
			return err
		}
	}
	if opts.JoinDepth > 0 {
		if err := boundJoin(realm, opts.JoinDepth, opts.StringLength); err != nil {
			return err
		}
	}
	if err := installArrayBuffers(env, opts); err != nil {
		return err
	}
	if opts.StringLength > 0 {
		return boundStrings(realm, opts.StringLength)
	}
	return nil
}

// boundLoops installs the built-ins that check for the interrupt as they
// loop, and those that bound the depth they recurse to.
func boundLoops(realm *webidl.Realm, opts Options) error {
	poll := realm.Poller()
	if opts.Interruptible {
		if err := interruptible(realm, poll); err != nil {
			return err
		}
		if err := interruptibleStrings(realm, poll, opts.StringLength); err != nil {
			return err
		}
	}
	if opts.NestingDepth > 0 {
		if err := boundJSON(realm, opts.NestingDepth, poll); err != nil {
			return err
		}
		return boundFlat(realm, opts.NestingDepth, poll)
	}
	return nil
}
