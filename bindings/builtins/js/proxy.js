// Replaces Proxy and Proxy.revocable with functions that bound how deep a
// chain of proxies may be, each the target or the handler of the next;
// proxy.go says why. The replacement constructor is a derived class bound
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
		if (d > maxDepth) throw new RangeError("Maximum call stack size exceeded");
		return d;
	};
	const keep = (p, d) => {
		if (d > 1) apply(weakSet, depths, [p, d]);
	};

	const C = class extends null {
		constructor(target, handler) {
			const d = depth(target, handler);
			const p = construct(original, [target, handler]);
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
			const r = apply(originalRevocable, original, [target, handler]);
			keep(r.proxy, d);
			return r;
		},
	}.revocable;
	defineProperty(B, "revocable", { value: revocable });
	defineProperty(globalThis, "Proxy", { value: B });
})
