// Explicit resource management (https://tc39.es/proposal-explicit-resource-management/),
// which goja lacks: Symbol.dispose and Symbol.asyncDispose, SuppressedError,
// DisposableStack, AsyncDisposableStack and %Iterator.prototype%[Symbol.dispose]. The
// loader lowers using and await using declarations with esbuild, whose helpers find
// the dispose methods through Symbol.dispose and Symbol.asyncDispose, and make the
// SuppressedError defined here. What the methods share is made the first time one
// needs it (lazy()).
(function (es) {
	"use strict";
	const { isObject, define } = es;
	const { apply, defineProperty, getPrototypeOf, setPrototypeOf } = Reflect;
	const ObjectPrototype = Object.prototype;
	const toStringTag = Symbol.toStringTag;
	const ErrorCtor = Error;
	const PromiseCtor = Promise;
	const promiseReject = Promise.reject;
	const promiseResolve = Promise.resolve;

	// https://tc39.es/proposal-explicit-resource-management/#sec-symbol.dispose
	const dispose = Symbol("Symbol.dispose");
	// https://tc39.es/proposal-explicit-resource-management/#sec-symbol.asyncdispose
	const asyncDispose = Symbol("Symbol.asyncDispose");
	defineProperty(Symbol, "dispose", { value: dispose });
	defineProperty(Symbol, "asyncDispose", { value: asyncDispose });

	// The object a function's [[Construct]] made has %Object.prototype% where
	// new.target's prototype is no object; OrdinaryCreateFromConstructor then
	// takes the intrinsic default prototype instead.
	const defaultPrototype = (o, newTarget, proto) => {
		if (getPrototypeOf(o) === ObjectPrototype && !isObject(newTarget.prototype)) setPrototypeOf(o, proto);
	};

	// SuppressedError (https://tc39.es/proposal-explicit-resource-management/#sec-suppressederror-constructor).
	// The object made is an Error goja makes, so it has [[ErrorData]], given
	// the prototype newTarget's [[Construct]] read.
	const SuppressedError = function SuppressedError(error, suppressed, message) {
		let proto = SuppressedErrorPrototype;
		if (new.target !== undefined) {
			defaultPrototype(this, new.target, proto);
			proto = getPrototypeOf(this);
		}
		const o = new ErrorCtor();
		setPrototypeOf(o, proto);
		const hidden = { value: undefined, writable: true, enumerable: false, configurable: true };
		if (message !== undefined) {
			hidden.value = `${message}`;
			defineProperty(o, "message", hidden);
		}
		hidden.value = error;
		defineProperty(o, "error", hidden);
		hidden.value = suppressed;
		defineProperty(o, "suppressed", hidden);
		return o;
	};
	const SuppressedErrorPrototype = SuppressedError.prototype;
	defineProperty(SuppressedError, "prototype", { writable: false });
	setPrototypeOf(SuppressedError, ErrorCtor);
	setPrototypeOf(SuppressedErrorPrototype, ErrorCtor.prototype);
	define(SuppressedErrorPrototype, { message: "", name: "SuppressedError" });

	let made;
	const lazy = () => made ??= make();
	// make returns what the methods share.
	function make() {
		const { describe, getMethod, list } = es.iteration();
		// A DisposeCapability's [[DisposableResourceStack]]
		// (https://tc39.es/proposal-explicit-resource-management/#sec-disposecapability-records):
		// a List of DisposableResource Records, each three entries: the value, the
		// dispose method and whether the hint is async-dispose.
		const newStack = list;

		// GetDisposeMethod (https://tc39.es/proposal-explicit-resource-management/#sec-getdisposemethod).
		const disposeMethod = (v, isAsync) => {
			if (isAsync) {
				const method = getMethod(v, asyncDispose);
				if (method !== undefined) return method;
				const sync = getMethod(v, dispose);
				if (sync === undefined) return undefined;
				return function () {
					try {
						apply(sync, this, []);
					} catch (e) {
						return apply(promiseReject, PromiseCtor, [e]);
					}
					return apply(promiseResolve, PromiseCtor, [undefined]);
				};
			}
			return getMethod(v, dispose);
		};
		// AddDisposableResource (https://tc39.es/proposal-explicit-resource-management/#sec-adddisposableresource)
		// with CreateDisposableResource, without a method.
		const addResource = (stack, v, isAsync) => {
			let method;
			if (v === undefined || v === null) {
				if (!isAsync) return;
				v = undefined;
			} else {
				if (!isObject(v)) throw new TypeError(`${describe(v)} is not an object`);
				method = disposeMethod(v, isAsync);
				if (method === undefined) throw new TypeError(`The object has no Symbol.${isAsync ? "asyncDispose" : "dispose"} method`);
			}
			stack[stack.length] = v;
			stack[stack.length] = method;
			stack[stack.length] = isAsync;
		};
		// AddDisposableResource with a method.
		const addMethod = (stack, method, isAsync) => {
			if (typeof method !== "function") throw new TypeError(`${describe(method)} is not a function`);
			stack[stack.length] = undefined;
			stack[stack.length] = method;
			stack[stack.length] = isAsync;
		};
		// The completion of DisposeResources after resource's method threw e, where
		// the completion was a throw of error if thrown.
		const suppress = (thrown, error, e) => thrown ? new SuppressedError(e, error) : e;
		// DisposeResources (https://tc39.es/proposal-explicit-resource-management/#sec-disposeresources)
		// of a stack of sync-dispose resources, from a normal completion.
		const disposeResources = (stack) => {
			let thrown = false, error;
			for (let i = stack.length - 3; i >= 0; i -= 3) {
				const method = stack[i + 1];
				try {
					apply(method, stack[i], []);
				} catch (e) {
					error = suppress(thrown, error, e);
					thrown = true;
				}
			}
			if (thrown) throw error;
		};
		// DisposeResources of an AsyncDisposableStack's stack.
		const disposeResourcesAsync = async (stack) => {
			let thrown = false, error, needsAwait = false, hasAwaited = false;
			for (let i = stack.length - 3; i >= 0; i -= 3) {
				const value = stack[i], method = stack[i + 1], isAsync = stack[i + 2];
				if (!isAsync && needsAwait && !hasAwaited) {
					await undefined;
					needsAwait = false;
				}
				if (method === undefined) {
					needsAwait = true;
					continue;
				}
				try {
					const result = apply(method, value, []);
					if (isAsync) {
						hasAwaited = true;
						// The spec's Await(result) (see es.promiseResolve).
						await es.promiseResolve(result);
					}
				} catch (e) {
					error = suppress(thrown, error, e);
					thrown = true;
				}
			}
			if (needsAwait && !hasAwaited) await undefined;
			if (thrown) throw error;
		};

		return { newStack, addResource, addMethod, disposeResources, disposeResourcesAsync, describe, getMethod };
	}

	const PENDING = 0, DISPOSED = 1;
	// DisposableStack (https://tc39.es/proposal-explicit-resource-management/#sec-disposablestack-objects).
	const DisposableStack = class DisposableStack {
		#state = PENDING;
		#stack = lazy().newStack();
		constructor() {
			defaultPrototype(this, new.target, DisposableStack.prototype);
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-disposablestack.prototype.adopt
		adopt(value, onDispose) {
			this.#pending();
			if (typeof onDispose !== "function") throw new TypeError(`${lazy().describe(onDispose)} is not a function`);
			lazy().addMethod(this.#stack, () => apply(onDispose, undefined, [value]), false);
			return value;
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-disposablestack.prototype.defer
		defer(onDispose) {
			this.#pending();
			lazy().addMethod(this.#stack, onDispose, false);
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-disposablestack.prototype.dispose
		dispose() {
			if (this.#state === DISPOSED) return undefined;
			this.#state = DISPOSED;
			const stack = this.#stack;
			this.#stack = lazy().newStack();
			lazy().disposeResources(stack);
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-get-disposablestack.prototype.disposed
		get disposed() {
			return this.#state === DISPOSED;
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-disposablestack.prototype.move
		move() {
			this.#pending();
			const moved = new DisposableStack();
			moved.#stack = this.#stack;
			this.#stack = lazy().newStack();
			this.#state = DISPOSED;
			return moved;
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-disposablestack.prototype.use
		use(value) {
			this.#pending();
			lazy().addResource(this.#stack, value, false);
			return value;
		}
		#pending() {
			if (this.#state === DISPOSED) throw new ReferenceError("DisposableStack already disposed");
		}
	};

	// AsyncDisposableStack (https://tc39.es/proposal-explicit-resource-management/#sec-asyncdisposablestack-objects).
	const AsyncDisposableStack = class AsyncDisposableStack {
		#state = PENDING;
		#stack = lazy().newStack();
		constructor() {
			defaultPrototype(this, new.target, AsyncDisposableStack.prototype);
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-asyncdisposablestack.prototype.adopt
		adopt(value, onDisposeAsync) {
			this.#pending();
			if (typeof onDisposeAsync !== "function") throw new TypeError(`${lazy().describe(onDisposeAsync)} is not a function`);
			lazy().addMethod(this.#stack, () => apply(onDisposeAsync, undefined, [value]), true);
			return value;
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-asyncdisposablestack.prototype.defer
		defer(onDisposeAsync) {
			this.#pending();
			lazy().addMethod(this.#stack, onDisposeAsync, true);
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-asyncdisposablestack.prototype.disposeAsync
		// The promise is that of the async function taking DisposeResources'
		// steps, resolved as soon as they are, with no await of its own.
		disposeAsync() {
			if (!isObject(this) || !(#state in this)) {
				return apply(promiseReject, PromiseCtor, [new TypeError("AsyncDisposableStack.prototype.disposeAsync called on an incompatible receiver")]);
			}
			if (this.#state === DISPOSED) return apply(promiseResolve, PromiseCtor, [undefined]);
			this.#state = DISPOSED;
			const stack = this.#stack;
			this.#stack = lazy().newStack();
			return lazy().disposeResourcesAsync(stack);
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-get-asyncdisposablestack.prototype.disposed
		get disposed() {
			return this.#state === DISPOSED;
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-asyncdisposablestack.prototype.move
		move() {
			this.#pending();
			const moved = new AsyncDisposableStack();
			moved.#stack = this.#stack;
			this.#stack = lazy().newStack();
			this.#state = DISPOSED;
			return moved;
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-asyncdisposablestack.prototype.use
		use(value) {
			this.#pending();
			lazy().addResource(this.#stack, value, true);
			return value;
		}
		#pending() {
			if (this.#state === DISPOSED) throw new ReferenceError("AsyncDisposableStack already disposed");
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
			const f = lazy().getMethod(this, "return");
			if (f !== undefined) apply(f, this, []);
		},
	});
})
