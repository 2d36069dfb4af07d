// Explicit resource management (https://tc39.es/proposal-explicit-resource-management/),
// which goja lacks: Symbol.dispose and Symbol.asyncDispose, SuppressedError,
// DisposableStack, AsyncDisposableStack and %Iterator.prototype%[Symbol.dispose]. The
// loader lowers using and await using declarations with esbuild, whose helpers find
// the dispose methods through Symbol.dispose and Symbol.asyncDispose, and make the
// SuppressedError defined here. This script makes what script sees; each function
// calls its steps, in js/disposable.steps.js, which load compiles and evaluates the
// first time one is needed, giving it what it takes as the realm has it now.
(function (es, load) {
	"use strict";
	const { define } = es;
	const { apply, construct, defineProperty, getPrototypeOf, setPrototypeOf } = Reflect;
	const toStringTag = Symbol.toStringTag;
	const ErrorCtor = Error;

	// https://tc39.es/proposal-explicit-resource-management/#sec-symbol.dispose
	const dispose = Symbol("Symbol.dispose");
	// https://tc39.es/proposal-explicit-resource-management/#sec-symbol.asyncdispose
	const asyncDispose = Symbol("Symbol.asyncDispose");
	defineProperty(Symbol, "dispose", { value: dispose });
	defineProperty(Symbol, "asyncDispose", { value: asyncDispose });

	const intrinsics = {
		apply, construct, defineProperty, getPrototypeOf, setPrototypeOf, ObjectPrototype: Object.prototype,
		ErrorCtor, PromiseCtor: Promise, promiseReject: Promise.reject, promiseResolve: Promise.resolve,
		dispose, asyncDispose,
	};
	let steps;
	const S = () => steps ??= load(intrinsics, { SuppressedError, DisposableStack, AsyncDisposableStack });

	// SuppressedError (https://tc39.es/proposal-explicit-resource-management/#sec-suppressederror-constructor).
	const SuppressedError = function SuppressedError(error, suppressed, message) {
		return S().suppressedError(this, new.target, error, suppressed, message);
	};
	const SuppressedErrorPrototype = SuppressedError.prototype;
	defineProperty(SuppressedError, "prototype", { writable: false });
	setPrototypeOf(SuppressedError, ErrorCtor);
	setPrototypeOf(SuppressedErrorPrototype, ErrorCtor.prototype);
	define(SuppressedErrorPrototype, { message: "", name: "SuppressedError" });

	// DisposableStack (https://tc39.es/proposal-explicit-resource-management/#sec-disposablestack-objects).
	const DisposableStack = class DisposableStack {
		constructor() {
			S().initSync(this, new.target);
		}
		adopt(value, onDispose) {
			return apply(S().sync.adopt, this, [value, onDispose]);
		}
		defer(onDispose) {
			return apply(S().sync.defer, this, [onDispose]);
		}
		dispose() {
			return apply(S().sync.dispose, this, []);
		}
		get disposed() {
			return apply(S().sync.disposed, this, []);
		}
		move() {
			return apply(S().sync.move, this, []);
		}
		use(value) {
			return apply(S().sync.use, this, [value]);
		}
	};

	// AsyncDisposableStack (https://tc39.es/proposal-explicit-resource-management/#sec-asyncdisposablestack-objects).
	const AsyncDisposableStack = class AsyncDisposableStack {
		constructor() {
			S().initAsync(this, new.target);
		}
		adopt(value, onDisposeAsync) {
			return apply(S().async.adopt, this, [value, onDisposeAsync]);
		}
		defer(onDisposeAsync) {
			return apply(S().async.defer, this, [onDisposeAsync]);
		}
		disposeAsync() {
			return apply(S().async.disposeAsync, this, []);
		}
		get disposed() {
			return apply(S().async.disposed, this, []);
		}
		move() {
			return apply(S().async.move, this, []);
		}
		use(value) {
			return apply(S().async.use, this, [value]);
		}
	};
	const syncProto = DisposableStack.prototype, asyncProto = AsyncDisposableStack.prototype;
	defineProperty(syncProto, dispose, { value: syncProto.dispose, writable: true, configurable: true });
	defineProperty(syncProto, toStringTag, { value: "DisposableStack", configurable: true });
	defineProperty(asyncProto, asyncDispose, { value: asyncProto.disposeAsync, writable: true, configurable: true });
	defineProperty(asyncProto, toStringTag, { value: "AsyncDisposableStack", configurable: true });
	define(globalThis, { SuppressedError, DisposableStack, AsyncDisposableStack });

	// %Iterator.prototype%[@@dispose] (https://tc39.es/proposal-explicit-resource-management/#sec-%iteratorprototype%-@@dispose).
	define(getPrototypeOf(getPrototypeOf([][Symbol.iterator]())), {
		[dispose]() {
			return apply(S().iteratorDispose, this, []);
		},
	});
})
