// The steps of explicit resource management (https://tc39.es/proposal-explicit-resource-management/)
// for what js/disposable.js defines: SuppressedError, DisposableStack, AsyncDisposableStack and
// %Iterator.prototype%[Symbol.dispose]. disposable.js evaluates this script the first time one
// of them is used and gives it what it takes, as the realm had it when it started, and the
// objects script sees (shell). A stack's internal slots are private fields its constructor
// adds to the object the constructor made. What the methods share is made the first time one
// needs it (lazy()).
(function (es, intrinsics, shell) {
	"use strict";
	const { isObject } = es;
	const { apply, construct, defineProperty, getPrototypeOf, setPrototypeOf, ObjectPrototype } = intrinsics;
	const { ErrorCtor, PromiseCtor, promiseReject, promiseResolve, dispose, asyncDispose } = intrinsics;
	const SuppressedErrorPrototype = shell.SuppressedError.prototype;

	// The object a function's [[Construct]] made has %Object.prototype% where
	// new.target's prototype is no object; OrdinaryCreateFromConstructor then
	// takes the intrinsic default prototype instead.
	const defaultPrototype = (o, newTarget, proto) => {
		if (getPrototypeOf(o) === ObjectPrototype && !isObject(newTarget.prototype)) setPrototypeOf(o, proto);
	};

	// SuppressedError (https://tc39.es/proposal-explicit-resource-management/#sec-suppressederror-constructor),
	// called with the object its [[Construct]] made and new.target. The object
	// returned is an Error goja makes, so it has [[ErrorData]], given the
	// prototype newTarget's [[Construct]] read.
	const suppressedError = (self, newTarget, error, suppressed, message) => {
		let proto = SuppressedErrorPrototype;
		if (newTarget !== undefined) {
			defaultPrototype(self, newTarget, proto);
			proto = getPrototypeOf(self);
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
		const suppress = (thrown, error, e) => thrown ? construct(shell.SuppressedError, [e, error]) : e;
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

	// A constructor that returns the object it is given, so that a class
	// extending it adds its private fields to that object.
	const Stamp = class {
		constructor(o) {
			return o;
		}
	};
	const PENDING = 0, DISPOSED = 1;
	// The steps of DisposableStack (https://tc39.es/proposal-explicit-resource-management/#sec-disposablestack-objects).
	const SyncStack = class extends Stamp {
		#state = PENDING;
		#stack = lazy().newStack();
		constructor(o) {
			super(o);
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
		disposed() {
			return this.#state === DISPOSED;
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-disposablestack.prototype.move
		move() {
			this.#pending();
			const moved = construct(shell.DisposableStack, []);
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

	// The steps of AsyncDisposableStack (https://tc39.es/proposal-explicit-resource-management/#sec-asyncdisposablestack-objects).
	const AsyncStack = class extends Stamp {
		#state = PENDING;
		#stack = lazy().newStack();
		constructor(o) {
			super(o);
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
		disposed() {
			return this.#state === DISPOSED;
		}
		// https://tc39.es/proposal-explicit-resource-management/#sec-asyncdisposablestack.prototype.move
		move() {
			this.#pending();
			const moved = construct(shell.AsyncDisposableStack, []);
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

	return {
		suppressedError,
		// The constructors' steps after the object is made: its internal
		// slots, and its prototype where new.target's is no object.
		initSync(o, newTarget) {
			new SyncStack(o);
			defaultPrototype(o, newTarget, shell.DisposableStack.prototype);
		},
		initAsync(o, newTarget) {
			new AsyncStack(o);
			defaultPrototype(o, newTarget, shell.AsyncDisposableStack.prototype);
		},
		sync: SyncStack.prototype,
		async: AsyncStack.prototype,
		// %Iterator.prototype%[@@dispose] (https://tc39.es/proposal-explicit-resource-management/#sec-%iteratorprototype%-@@dispose).
		iteratorDispose() {
			const f = lazy().getMethod(this, "return");
			if (f !== undefined) apply(f, this, []);
		},
	};
})
