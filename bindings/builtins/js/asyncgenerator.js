// Async generators (https://tc39.es/ecma262/#sec-asyncgenerator-objects), which goja
// lacks: the loader lowers async generator functions, for await and yield* with
// esbuild to ordinary functions around a generator, and puts the operations made here
// in place of esbuild's helpers. An async generator's body is the generator esbuild
// printed: it yields an Await record (new hooks.await(v)) where the body awaits v, a
// YieldStar record where a yield* yields a value it took from its inner iterator, and
// any other value where the body yields it. The object returned here holds the
// intrinsics and those operations (see asyncgenerator.go).
(function (es) {
	"use strict";
	const { isObject, define } = es;
	const { apply, defineProperty, getPrototypeOf, setPrototypeOf, ownKeys, getOwnPropertyDescriptor } = Reflect;
	const { create, setPrototypeOf: withPrototype } = Object;
	const PromiseCtor = Promise;
	const WeakMapCtor = WeakMap;
	const TypeErrorCtor = TypeError;
	const symIterator = Symbol.iterator, symAsyncIterator = Symbol.asyncIterator;
	const toStringTag = Symbol.toStringTag;
	const FunctionPrototype = Function.prototype;
	const functionToString = FunctionPrototype.toString;
	const GeneratorPrototype = getPrototypeOf(function* () {}).prototype;
	const { next: genNext, throw: genThrow, return: genReturn } = GeneratorPrototype;
	const weakGet = WeakMap.prototype.get, weakSet = WeakMap.prototype.set, weakHas = WeakMap.prototype.has;
	const regExpTest = RegExp.prototype.test;
	// What the spec's Await(v) (https://tc39.es/ecma262/#await) waits for (see
	// es.promiseResolve).
	const resolved = es.promiseResolve;
	const describe = (v) => isObject(v) ? (typeof v === "function" ? "function" : "object")
		: typeof v === "string" ? `"${v}"` : typeof v === "symbol" ? "symbol" : String(v);
	const notObject = (v) => new TypeErrorCtor(`Iterator result ${describe(v)} is not an object`);

	// awaitThen waits for v as Await(v) does and calls onFulfilled or onRejected with
	// the outcome; neither may throw. v goes through es.promiseResolve first: goja's
	// await reads the constructor of what is no promise, and fails in Go where the
	// constructor getter of a promise throws.
	const awaitThen = async (v, onFulfilled, onRejected) => {
		let x;
		try {
			x = await resolved(v);
		} catch (e) {
			onRejected(e);
			return;
		}
		onFulfilled(x);
	};
	// newCapability is NewPromiseCapability(%Promise%)
	// (https://tc39.es/ecma262/#sec-newpromisecapability).
	const newCapability = () => {
		let resolve, reject;
		const promise = new PromiseCtor((res, rej) => { resolve = res; reject = rej; });
		return { promise, resolve, reject };
	};
	const rejected = (e) => {
		const c = newCapability();
		c.reject(e);
		return c.promise;
	};
	// GetMethod (https://tc39.es/ecma262/#sec-getmethod).
	const getMethod = (v, p) => {
		const f = v[p];
		if (f === undefined || f === null) return undefined;
		if (typeof f !== "function") throw new TypeErrorCtor(`${String(p)} is not a function`);
		return f;
	};

	// What the body yields to ask for an Await: awaits holds each, with what it
	// awaits and whether the outcome must be an object: an iterator result the
	// lowered for await reads, whose promise objectResults holds (a lowered
	// for await in an async function awaits it natively, without the check).
	const awaits = new WeakMapCtor();
	const objectResults = new WeakMapCtor();
	const weakDelete = WeakMap.prototype.delete;
	const Await = function (v) {
		const object = isObject(v) && apply(weakDelete, objectResults, [v]);
		apply(weakSet, awaits, [this, { value: v, object, returns: false }]);
	};
	// awaitToReturn is an Await after which the body resumes with a return
	// completion of the outcome, as a yield* returns
	// (https://tc39.es/ecma262/#sec-generator-function-definitions-runtime-semantics-evaluation,
	// step 7.c.viii).
	const awaitToReturn = (v) => {
		const a = new Await(v);
		apply(weakGet, awaits, [a]).returns = true;
		return a;
	};
	// What the inner iterator of a yield* gives the body to yield as it is.
	const yieldStars = new WeakMapCtor();
	const YieldStar = function (v) {
		apply(weakSet, yieldStars, [this, v]);
	};

	// %AsyncIteratorPrototype% (https://tc39.es/ecma262/#sec-asynciteratorprototype).
	const AsyncIteratorPrototype = {};
	define(AsyncIteratorPrototype, {
		[symAsyncIterator]() {
			return this;
		},
	});
	const asyncDispose = Symbol.asyncDispose;
	if (typeof asyncDispose === "symbol") {
		define(AsyncIteratorPrototype, {
			// https://tc39.es/proposal-explicit-resource-management/#sec-%asynciteratorprototype%-@@asyncdispose
			[asyncDispose]() {
				const capability = newCapability();
				try {
					const ret = getMethod(this, "return");
					if (ret === undefined) {
						capability.resolve(undefined);
					} else {
						const result = apply(ret, this, []);
						awaitThen(result, () => capability.resolve(undefined), capability.reject);
					}
				} catch (e) {
					capability.reject(e);
				}
				return capability.promise;
			},
		});
	}

	// The state of each async generator: [[AsyncGeneratorState]],
	// [[AsyncGeneratorQueue]] and the generator running its body.
	const generators = new WeakMapCtor();
	const SUSPENDED_START = 0, SUSPENDED_YIELD = 1, EXECUTING = 2, AWAITING_RETURN = 3, COMPLETED = 4;
	const NORMAL = 0, RETURN = 1, THROW = 2;

	// AsyncGeneratorValidate (https://tc39.es/ecma262/#sec-asyncgeneratorvalidate).
	const validate = (generator, method) => {
		const g = isObject(generator) ? apply(weakGet, generators, [generator]) : undefined;
		if (g === undefined) throw new TypeErrorCtor(`AsyncGenerator.prototype.${method} called on an incompatible receiver`);
		return g;
	};
	// AsyncGeneratorEnqueue (https://tc39.es/ecma262/#sec-asyncgeneratorenqueue).
	const enqueue = (g, type, value, capability) => {
		g.queue[g.queue.length] = { type, value, capability };
	};
	// AsyncGeneratorCompleteStep (https://tc39.es/ecma262/#sec-asyncgeneratorcompletestep).
	const completeStep = (g, type, value, done) => {
		const next = g.queue[0];
		for (let i = 1; i < g.queue.length; i++) g.queue[i - 1] = g.queue[i];
		g.queue.length--;
		if (type === THROW) next.capability.reject(value);
		else next.capability.resolve({ value, done });
	};
	// AsyncGeneratorDrainQueue (https://tc39.es/ecma262/#sec-asyncgeneratordrainqueue).
	const drainQueue = (g) => {
		while (g.queue.length > 0) {
			const next = g.queue[0];
			if (next.type === RETURN) {
				g.state = AWAITING_RETURN;
				awaitReturn(g);
				return;
			}
			if (next.type === THROW) completeStep(g, THROW, next.value, true);
			else completeStep(g, NORMAL, undefined, true);
		}
	};
	// AsyncGeneratorAwaitReturn (https://tc39.es/ecma262/#sec-asyncgeneratorawaitreturn).
	const awaitReturn = (g) => {
		const next = g.queue[0];
		let promise;
		try {
			promise = resolved(next.value);
		} catch (e) {
			g.state = COMPLETED;
			completeStep(g, THROW, e, true);
			drainQueue(g);
			return;
		}
		awaitThen(promise, (value) => {
			g.state = COMPLETED;
			completeStep(g, NORMAL, value, true);
			drainQueue(g);
		}, (reason) => {
			g.state = COMPLETED;
			completeStep(g, THROW, reason, true);
			drainQueue(g);
		});
	};
	// finish ends the body with a completion: AsyncGeneratorStart's last steps
	// (https://tc39.es/ecma262/#sec-asyncgeneratorstart, step 4).
	const finish = (g, type, value) => {
		g.state = COMPLETED;
		completeStep(g, type, value, true);
		drainQueue(g);
	};
	// run resumes the body with method (next, throw or return of the generator
	// printed) and value, and takes what it yields or how it completes.
	const run = (g, method, value) => {
		let result;
		try {
			result = apply(method, g.body, [value]);
		} catch (e) {
			finish(g, THROW, e);
			return;
		}
		const v = result.value;
		if (result.done) {
			finish(g, NORMAL, v);
			return;
		}
		const a = isObject(v) ? apply(weakGet, awaits, [v]) : undefined;
		if (a !== undefined) {
			const resume = a.returns ? genReturn : genNext;
			awaitThen(a.value, a.object ? (x) => {
				if (isObject(x)) run(g, resume, x);
				else run(g, genThrow, notObject(x));
			} : (x) => run(g, resume, x), (e) => run(g, genThrow, e));
		} else if (isObject(v) && apply(weakHas, yieldStars, [v])) {
			yieldValue(g, apply(weakGet, yieldStars, [v]));
		} else {
			// Yield (https://tc39.es/ecma262/#sec-yield): an async generator
			// awaits the value first.
			awaitThen(v, (x) => yieldValue(g, x), (e) => run(g, genThrow, e));
		}
	};
	// AsyncGeneratorYield (https://tc39.es/ecma262/#sec-asyncgeneratoryield).
	const yieldValue = (g, value) => {
		completeStep(g, NORMAL, value, false);
		if (g.queue.length > 0) {
			const next = g.queue[0];
			unwrapResumption(g, next.type, next.value);
			return;
		}
		g.state = SUSPENDED_YIELD;
	};
	// AsyncGeneratorUnwrapYieldResumption
	// (https://tc39.es/ecma262/#sec-asyncgeneratorunwrapyieldresumption), the
	// body resumed with its outcome.
	const unwrapResumption = (g, type, value) => {
		g.state = EXECUTING;
		if (type === NORMAL) run(g, genNext, value);
		else if (type === THROW) run(g, genThrow, value);
		else awaitThen(value, (x) => run(g, genReturn, x), (e) => run(g, genThrow, e));
	};

	// %AsyncGeneratorPrototype% (https://tc39.es/ecma262/#sec-properties-of-asyncgenerator-prototype).
	const AsyncGeneratorPrototype = create(AsyncIteratorPrototype);
	define(AsyncGeneratorPrototype, {
		// https://tc39.es/ecma262/#sec-asyncgenerator-prototype-next
		next(value) {
			const capability = newCapability();
			let g;
			try {
				g = validate(this, "next");
			} catch (e) {
				capability.reject(e);
				return capability.promise;
			}
			const state = g.state;
			if (state === COMPLETED) {
				capability.resolve({ value: undefined, done: true });
				return capability.promise;
			}
			enqueue(g, NORMAL, value, capability);
			if (state === SUSPENDED_START || state === SUSPENDED_YIELD) {
				g.state = EXECUTING;
				run(g, genNext, value);
			}
			return capability.promise;
		},
		// https://tc39.es/ecma262/#sec-asyncgenerator-prototype-return
		return(value) {
			const capability = newCapability();
			let g;
			try {
				g = validate(this, "return");
			} catch (e) {
				capability.reject(e);
				return capability.promise;
			}
			enqueue(g, RETURN, value, capability);
			const state = g.state;
			if (state === SUSPENDED_START || state === COMPLETED) {
				g.state = AWAITING_RETURN;
				awaitReturn(g);
			} else if (state === SUSPENDED_YIELD) {
				unwrapResumption(g, RETURN, value);
			}
			return capability.promise;
		},
		// https://tc39.es/ecma262/#sec-asyncgenerator-prototype-throw
		throw(exception) {
			const capability = newCapability();
			let g;
			try {
				g = validate(this, "throw");
			} catch (e) {
				capability.reject(e);
				return capability.promise;
			}
			let state = g.state;
			if (state === SUSPENDED_START) {
				g.state = state = COMPLETED;
			}
			if (state === COMPLETED) {
				capability.reject(exception);
				return capability.promise;
			}
			enqueue(g, THROW, exception, capability);
			if (state === SUSPENDED_YIELD) {
				g.state = EXECUTING;
				run(g, genThrow, exception);
			}
			return capability.promise;
		},
	});
	defineProperty(AsyncGeneratorPrototype, toStringTag, { value: "AsyncGenerator", configurable: true });

	// %AsyncGeneratorFunction.prototype%
	// (https://tc39.es/ecma262/#sec-properties-of-asyncgeneratorfunction-prototype).
	const AsyncGeneratorFunctionPrototype = create(FunctionPrototype);
	defineProperty(AsyncGeneratorFunctionPrototype, "prototype", { value: AsyncGeneratorPrototype, configurable: true });
	defineProperty(AsyncGeneratorFunctionPrototype, toStringTag, { value: "AsyncGeneratorFunction", configurable: true });
	defineProperty(AsyncGeneratorPrototype, "constructor", { value: AsyncGeneratorFunctionPrototype, configurable: true });

	// The loader's hooks, in place of esbuild's helpers.

	// start is where an async generator function's call begins its body
	// (https://tc39.es/ecma262/#sec-runtime-semantics-evaluateasyncgeneratorbody):
	// f is the function called, where the loader could name it (null or
	// undefined otherwise), and body the generator function esbuild printed,
	// called with thisArg and args. newTarget is the call's new.target: an
	// async generator function is no constructor
	// (https://tc39.es/ecma262/#sec-evaluatenew step 7), and the function
	// esbuild printed is, so new throws here, before the body binds a
	// parameter.
	const start = (thisArg, args, body, f, newTarget) => {
		if (newTarget !== undefined) {
			throw new TypeErrorCtor("An async generator function is not a constructor");
		}
		// The call of the generator printed binds the parameters, which
		// esbuild may have moved to it: FunctionDeclarationInstantiation
		// comes first.
		// The queue has no prototype: no setter script defines on one runs.
		const g = { state: SUSPENDED_START, queue: withPrototype([], null), body: apply(body, thisArg, args === null || args === undefined ? [] : args) };
		let proto = f == null ? undefined : f.prototype;
		if (!isObject(proto)) proto = AsyncGeneratorPrototype;
		const generator = create(proto);
		apply(weakSet, generators, [generator, g]);
		return generator;
	};

	// %AsyncFromSyncIteratorPrototype%
	// (https://tc39.es/ecma262/#sec-%asyncfromsynciteratorprototype%-object), whose
	// instances' [[SyncIteratorRecord]] syncRecords holds.
	const syncRecords = new WeakMapCtor();
	// IteratorClose (https://tc39.es/ecma262/#sec-iteratorclose) with a normal
	// completion.
	const closeNormal = (iterator) => {
		const ret = getMethod(iterator, "return");
		if (ret === undefined) return;
		const r = apply(ret, iterator, []);
		if (!isObject(r)) throw notObject(r);
	};
	// IteratorClose with a throw completion, error.
	const closeThrow = (iterator, error) => {
		try {
			const ret = getMethod(iterator, "return");
			if (ret !== undefined) apply(ret, iterator, []);
		} catch {
			// The completion given wins.
		}
		throw error;
	};
	// AsyncFromSyncIteratorContinuation
	// (https://tc39.es/ecma262/#sec-asyncfromsynciteratorcontinuation).
	const continuation = (result, capability, record, closeOnRejection) => {
		const done = !!result.done;
		const value = result.value;
		let wrapper;
		try {
			wrapper = resolved(value);
		} catch (e) {
			if (!done && closeOnRejection) closeThrow(record.iterator, e);
			throw e;
		}
		awaitThen(wrapper, (v) => capability.resolve({ value: v, done }), done || !closeOnRejection ? capability.reject : (error) => {
			try {
				closeThrow(record.iterator, error);
			} catch (e) {
				capability.reject(e);
			}
		});
		return capability.promise;
	};
	const AsyncFromSyncIteratorPrototype = create(AsyncIteratorPrototype);
	define(AsyncFromSyncIteratorPrototype, {
		// https://tc39.es/ecma262/#sec-%asyncfromsynciteratorprototype%.next
		next(value) {
			const record = apply(weakGet, syncRecords, [this]);
			const capability = newCapability();
			try {
				const result = arguments.length > 0 ? apply(record.next, record.iterator, [value]) : apply(record.next, record.iterator, []);
				if (!isObject(result)) throw notObject(result);
				return continuation(result, capability, record, true);
			} catch (e) {
				capability.reject(e);
				return capability.promise;
			}
		},
		// https://tc39.es/ecma262/#sec-%asyncfromsynciteratorprototype%.return
		return(value) {
			const record = apply(weakGet, syncRecords, [this]);
			const capability = newCapability();
			try {
				const ret = getMethod(record.iterator, "return");
				if (ret === undefined) {
					capability.resolve({ value, done: true });
					return capability.promise;
				}
				const result = arguments.length > 0 ? apply(ret, record.iterator, [value]) : apply(ret, record.iterator, []);
				if (!isObject(result)) throw notObject(result);
				return continuation(result, capability, record, false);
			} catch (e) {
				capability.reject(e);
				return capability.promise;
			}
		},
		// https://tc39.es/ecma262/#sec-%asyncfromsynciteratorprototype%.throw
		throw(value) {
			const record = apply(weakGet, syncRecords, [this]);
			const capability = newCapability();
			try {
				const thr = getMethod(record.iterator, "throw");
				if (thr === undefined) {
					closeNormal(record.iterator);
					throw new TypeErrorCtor("The iterator does not provide a 'throw' method");
				}
				const result = arguments.length > 0 ? apply(thr, record.iterator, [value]) : apply(thr, record.iterator, []);
				if (!isObject(result)) throw notObject(result);
				return continuation(result, capability, record, true);
			} catch (e) {
				capability.reject(e);
				return capability.promise;
			}
		},
	});
	// CreateAsyncFromSyncIterator (https://tc39.es/ecma262/#sec-createasyncfromsynciterator),
	// from the sync iterator's record.
	const fromSync = (record) => {
		const asyncIterator = create(AsyncFromSyncIteratorPrototype);
		apply(weakSet, syncRecords, [asyncIterator, record]);
		return { iterator: asyncIterator, next: asyncIterator.next, done: false };
	};
	// GetIterator(obj, async) (https://tc39.es/ecma262/#sec-getiterator).
	const getAsyncIterator = (obj) => {
		const method = getMethod(obj, symAsyncIterator);
		if (method === undefined) {
			const syncMethod = getMethod(obj, symIterator);
			if (syncMethod === undefined) throw new TypeErrorCtor(`${describe(obj)} is not async iterable`);
			const iterator = apply(syncMethod, obj, []);
			if (!isObject(iterator)) throw new TypeErrorCtor("The iterator is not an object");
			return fromSync({ iterator, next: iterator.next, done: false });
		}
		const iterator = apply(method, obj, []);
		if (!isObject(iterator)) throw new TypeErrorCtor("The async iterator is not an object");
		return { iterator, next: iterator.next, done: false };
	};

	// forAwait starts a for await loop over obj
	// (https://tc39.es/ecma262/#sec-runtime-semantics-forinofheadevaluation): the
	// object returned is what esbuild's lowered loop calls next on (the Call of the
	// record's [[NextMethod]], whose result the loop awaits and requires to be an
	// object: https://tc39.es/ecma262/#sec-runtime-semantics-forin-div-ofbodyevaluation-lhs-stmt-iterator-lhskind-labelset)
	// and reads return of to close the iterator.
	const forAwait = (obj) => {
		const record = getAsyncIterator(obj);
		const iterator = record.iterator;
		// request is the result of a call the loop awaits, marked as one
		// that must be an object.
		const request = (r) => {
			if (!isObject(r)) return rejected(notObject(r));
			apply(weakSet, objectResults, [r, true]);
			return r;
		};
		const loop = {
			next: () => request(apply(record.next, iterator, [])),
		};
		defineProperty(loop, "return", {
			__proto__: null,
			get() {
				const ret = getMethod(iterator, "return");
				return ret === undefined ? undefined : () => request(apply(ret, iterator, []));
			},
		});
		return loop;
	};

	// yieldStar is the iterator a lowered yield* of an async generator delegates
	// to (https://tc39.es/ecma262/#sec-generator-function-definitions-runtime-semantics-evaluation,
	// YieldExpression : yield * AssignmentExpression): each step yields an Await
	// of what the inner iterator returned, then, resumed with its outcome, either
	// returns the inner iterator's value or yields it as YieldStar.
	const yieldStar = (value) => {
		const record = getAsyncIterator(value);
		const iterator = record.iterator;
		// pending is what the awaited outcome goes to: a function of the
		// outcome, called as the body resumes.
		let pending;
		const awaitCall = (f, args, then) => {
			pending = then;
			return { value: new Await(apply(f, iterator, args)), done: false };
		};
		// innerStep takes an awaited inner result: step 7.a.iv-vii and the like.
		const innerStep = (r) => {
			if (!isObject(r)) throw notObject(r);
			if (r.done) return { value: r.value, done: true };
			return { value: new YieldStar(r.value), done: false };
		};
		const resume = (kind, x) => {
			if (pending !== undefined) {
				const then = pending;
				pending = undefined;
				if (kind === THROW) throw x;
				return then(x);
			}
			if (kind === NORMAL) return awaitCall(record.next, [x], innerStep);
			if (kind === THROW) {
				const thr = getMethod(iterator, "throw");
				if (thr !== undefined) return awaitCall(thr, [x], innerStep);
				// AsyncIteratorClose with a normal completion, then a TypeError.
				const ret = getMethod(iterator, "return");
				const fail = () => { throw new TypeErrorCtor("The iterator does not provide a 'throw' method"); };
				if (ret === undefined) fail();
				return awaitCall(ret, [], (r) => {
					if (!isObject(r)) throw notObject(r);
					fail();
				});
			}
			// The body resumes with the return completion through return, so
			// that the generator printed returns.
			const ret = getMethod(iterator, "return");
			if (ret === undefined) {
				// The return completion's value, awaited once more.
				pending = (v) => ({ value: v, done: true });
				return { value: awaitToReturn(x), done: false };
			}
			return awaitCall(ret, [x], (r) => {
				if (!isObject(r)) throw notObject(r);
				if (!r.done) return { value: new YieldStar(r.value), done: false };
				pending = (v) => ({ value: v, done: true });
				return { value: awaitToReturn(r.value), done: false };
			});
		};
		const it = {
			next: (x) => resume(NORMAL, x),
			throw: (x) => resume(THROW, x),
			return: (x) => resume(RETURN, x),
			[symIterator]: () => it,
		};
		return it;
	};

	// makeAsyncGenerator gives f, a lowered async generator function, the
	// [[Prototype]] and prototype property of one
	// (https://tc39.es/ecma262/#sec-runtime-semantics-instantiateasyncgeneratorfunctionobject):
	// name, where given, is the name f's definition gives it.
	const makeAsyncGenerator = (f, name) => {
		setPrototypeOf(f, AsyncGeneratorFunctionPrototype);
		defineProperty(f, "prototype", { __proto__: null, value: create(AsyncGeneratorPrototype), writable: true, enumerable: false, configurable: false });
		if (name !== undefined) defineProperty(f, "name", { __proto__: null, value: name, writable: false, enumerable: false, configurable: true });
		return f;
	};
	// A lowered async generator method's source text is the method's: it begins
	// with async and a star (or async function and a star: an anonymous
	// function under a computed key is made one with the methods).
	const methodSource = /^async(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*(?:function(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*)?\*/;
	const isLoweredMethod = (f) => typeof f === "function" && getPrototypeOf(f) === FunctionPrototype &&
		apply(regExpTest, methodSource, [apply(functionToString, f, [])]);
	// makeMethods makes async generators of the lowered async generator methods
	// among o's own properties, and of the prototype property's if o is a class.
	const makeMethods = (o, isClass) => {
		const targets = isClass ? [o, o.prototype] : [o];
		for (let i = 0; i < targets.length; i++) {
			const keys = ownKeys(targets[i]);
			for (let k = 0; k < keys.length; k++) {
				const d = getOwnPropertyDescriptor(targets[i], keys[k]);
				if (d !== undefined && isLoweredMethod(d.value)) makeAsyncGenerator(d.value);
			}
		}
		return o;
	};

	return {
		AsyncIteratorPrototype, AsyncGeneratorPrototype, AsyncGeneratorFunctionPrototype, AsyncFromSyncIteratorPrototype,
		hooks: {
			await: Await, start, yieldStar, forAwait, function: makeAsyncGenerator, methods: (o) => makeMethods(o, false),
			classMethods: (c) => makeMethods(c, true),
			// The operand of every await the loader compiles goes through it.
			promiseResolve: resolved,
			// The loader gives a function or class the name esbuild's renaming
			// took from it (runtime/internal/loader/names.go), unless its name
			// is no longer the one the printed code gave it.
			name: (f, name, printed) => {
				const d = getOwnPropertyDescriptor(f, "name");
				if (d === undefined ? printed === "" : d.value === printed) {
					defineProperty(f, "name", { __proto__: null, value: name });
				}
				return f;
			},
		},
	};
});
