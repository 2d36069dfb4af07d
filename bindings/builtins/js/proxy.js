// Replaces Proxy and Proxy.revocable with functions that bound how deep a
// chain of proxies may be, each the target or the handler of the next, when
// maxDepth > 0, and give the traps of the proxies of functions the arguments
// in arrays of their own; proxy.go says why. The replacement constructor is a derived class bound
// as sizes.js makes them: it reads nothing of new.target, which ProxyCreate
// does not use, and has no "prototype", as Proxy has none.
(function (maxDepth, isProxy, RangeError) {
	"use strict";
	const original = Proxy, originalRevocable = Proxy.revocable;
	const { apply, construct, defineProperty, getOwnPropertyDescriptor, ownKeys, setPrototypeOf, getPrototypeOf } = Reflect;
	const bind = Function.prototype.bind, call = Function.prototype.call;
	const weakGet = WeakMap.prototype.get, weakSet = WeakMap.prototype.set;
	// The depths of the proxies made whose target or handler is a proxy.
	// Any other proxy's depth is 1, and is not kept: goja makes a weak
	// reference to every object a WeakMap is asked about, which is not free.
	const depths = new WeakMap();
	const depthOf = (v) => {
		if (!isProxy(v)) return 0;
		const d = apply(weakGet, depths, [v]);
		return d !== undefined ? d : 1;
	};
	// depth returns the depth of a proxy of target and handler, and throws
	// V8's RangeError beyond the bound.
	const depth = (target, handler) => {
		const a = depthOf(target), b = depthOf(handler);
		const d = 1 + (a > b ? a : b);
		if (maxDepth > 0 && d > maxDepth) throw new RangeError("Maximum call stack size exceeded");
		return d;
	};
	const keep = (p, d) => {
		if (maxDepth > 0 && d > 1) apply(weakSet, depths, [p, d]);
	};

	// goja hands the apply and construct traps the caller's arguments as an
	// array over its own stack, not a copy (CreateArrayFromList,
	// https://tc39.es/ecma262/#sec-proxy-object-internal-methods-and-internal-slots-call-thisargument-argumentslist):
	// an array the trap keeps changes under it once it returns. The proxies
	// of callable targets are given a handler of their own, a proxy of the
	// script's whose get trap looks the trap up on the script's handler, as
	// GetMethod(handler, name) does, and returns a function that calls it
	// with that handler as this, giving apply and construct a new array of
	// the arguments.
	const arrayPrototype = Array.prototype;
	const copy = (args) => {
		const n = args.length, list = [];
		setPrototypeOf(list, null); // no setter of Array.prototype runs
		for (let i = 0; i < n; i++) list[i] = args[i];
		setPrototypeOf(list, arrayPrototype);
		return list;
	};
	const forward = {
		get(handler, name) {
			const trap = handler[name];
			if (typeof trap !== "function") return trap;
			switch (name) {
			case "apply":
				return (target, thisArg, args) => apply(trap, handler, [target, thisArg, copy(args)]);
			case "construct":
				return (target, args, newTarget) => apply(trap, handler, [target, copy(args), newTarget]);
			}
			return function () {
				return apply(trap, handler, arguments);
			};
		},
	};
	const handlerOf = (target, handler) =>
		typeof target === "function" && isObjectOrFunction(handler) ? construct(original, [handler, forward]) : handler;
	const isObjectOrFunction = (v) => typeof v === "object" && v !== null || typeof v === "function";

	const C = class extends null {
		constructor(target, handler) {
			const d = depth(target, handler);
			const p = construct(original, [target, handlerOf(target, handler)]);
			keep(p, d);
			return p;
		}
	};
	const B = call.call(bind, C);
	setPrototypeOf(B, getPrototypeOf(original));
	for (const key of ownKeys(original)) {
		defineProperty(B, key, getOwnPropertyDescriptor(original, key));
	}
	const revocable = {
		revocable(target, handler) {
			const d = depth(target, handler);
			const r = apply(originalRevocable, original, [target, handlerOf(target, handler)]);
			keep(r.proxy, d);
			return r;
		},
	}.revocable;
	defineProperty(B, "revocable", { value: revocable });
	defineProperty(globalThis, "Proxy", { value: B });
})
