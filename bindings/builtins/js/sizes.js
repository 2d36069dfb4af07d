// Replaces a built-in constructor with one that runs a check before it; sizes.go
// supplies the check and says why. The replacement must look like the original to
// script, and must not read new.target's "prototype" before the check as a native
// goja constructor does (that read is observable and out of the spec's order):
//
//   - C, a derived class, is the code: a derived constructor makes no object of its
//     own, so it reads nothing before its body runs. It forwards to the original
//     with the same new.target (the original itself when new.target is C).
//   - B, C bound, is what script sees: unlike C's, its "prototype" and other own
//     properties can be made the original's, and its [[Prototype]] set. Constructing
//     B constructs C; calling it calls C, which throws a TypeError as the original
//     does; instanceof B asks C, whose Symbol.hasInstance asks the original.
//   - The original's prototype object stays, with constructor pointing to B.
(function () {
	"use strict";
	const construct = Reflect.construct, ownKeys = Reflect.ownKeys;
	const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf, setPrototypeOf } = Object;
	const bind = Function.prototype.bind, call = Function.prototype.call;
	const hasInstance = Function.prototype[Symbol.hasInstance];
	const bound = (f, ...args) => call.call(bind, f, ...args);

	// wrap replaces globalThis[name] and returns the replacement.
	// create(args, newTarget), if given, may make the object itself, for
	// the arguments the original cannot serve, or return undefined.
	// check(args, newTarget) may throw, or change args before the original
	// sees them, and may return a function to call with the object made; it
	// is not called for a first argument that is a number no greater than
	// fits, which it would let pass. made, if given, is called with every
	// object the original made and the first argument it was given.
	return function wrap(name, check, fits, made, create) {
		const original = globalThis[name];
		const C = class extends null {
			constructor(...args) {
				const newTarget = new.target === C ? original : new.target;
				if (create !== undefined) {
					const o = create(args, newTarget);
					if (o !== undefined) return o;
				}
				const first = args.length > 0 ? args[0] : undefined;
				let finish;
				if (args.length > 0 && !(typeof args[0] === "number" && args[0] <= fits)) {
					finish = check(args, newTarget);
				}
				const o = construct(original, args, newTarget);
				if (made !== undefined) made(o, first);
				if (finish !== undefined) finish(o);
				return o;
			}
		};
		defineProperty(C, Symbol.hasInstance, { value: bound(hasInstance, original) });
		const B = bound(C);
		setPrototypeOf(B, getPrototypeOf(original));
		for (const key of ownKeys(original)) {
			defineProperty(B, key, getOwnPropertyDescriptor(original, key));
		}
		defineProperty(original.prototype, "constructor", { value: B });
		defineProperty(globalThis, name, { value: B });
		return B;
	};
})
