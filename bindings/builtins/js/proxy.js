// Replaces Proxy and Proxy.revocable with functions that bound how deep a
// chain of proxies may be, each the target or the handler of the next;
// proxy.go says why. The replacement constructor is a derived class bound
// as sizes.js makes them: it reads nothing of new.target, which ProxyCreate
// does not use, and has no "prototype", as Proxy has none.
(function (maxDepth, RangeError) {
	"use strict";
	const original = Proxy, originalRevocable = Proxy.revocable;
	const { apply, construct, defineProperty, getOwnPropertyDescriptor, ownKeys, setPrototypeOf, getPrototypeOf } = Reflect;
	const bind = Function.prototype.bind, call = Function.prototype.call;
	const weakGet = WeakMap.prototype.get, weakSet = WeakMap.prototype.set;
	// The depth of each proxy made: one more than its target's and its
	// handler's, the deeper (0 for what is not a proxy).
	const depths = new WeakMap();
	const depthOf = (v) => apply(weakGet, depths, [v]) ?? 0;

	// depth returns the depth of a proxy of target and handler, and throws
	// V8's RangeError beyond the bound.
	const depth = (target, handler) => {
		const a = depthOf(target), b = depthOf(handler);
		const d = 1 + (a > b ? a : b);
		if (d > maxDepth) throw new RangeError("Maximum call stack size exceeded");
		return d;
	};

	const C = class extends null {
		constructor(target, handler) {
			const d = depth(target, handler);
			const p = construct(original, [target, handler]);
			apply(weakSet, depths, [p, d]);
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
			const r = apply(originalRevocable, original, [target, handler]);
			apply(weakSet, depths, [r.proxy, d]);
			return r;
		},
	}.revocable;
	defineProperty(B, "revocable", { value: revocable });
	defineProperty(globalThis, "Proxy", { value: B });
})
