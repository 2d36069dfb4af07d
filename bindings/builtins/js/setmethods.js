// Set.prototype.union, intersection, difference, symmetricDifference,
// isSubsetOf, isSupersetOf and isDisjointFrom
// (https://tc39.es/ecma262/#sec-set.prototype.union and the sections after it)
// stay goja's, but goja calls the next method of the other set-like's keys
// iterator without checking it: { keys() { return { next: null } } } was a Go
// nil-pointer panic that left the runtime unusable. Each method here checks its
// receiver and takes GetSetRecord's steps (https://tc39.es/ecma262/#sec-getsetrecord)
// itself, then gives goja's a record of its own: a set-like whose size is the
// one read, whose has and keys call the other's with the other as this, and
// whose keys iterator reads next once, as GetIteratorFromMethod does, and
// throws the TypeError the spec's IteratorStep does when it is not callable.
(function (es, intrinsics) {
	"use strict";
	const { define, isObject, toInteger } = es;
	const apply = intrinsics["Reflect.apply"];
	const requireSet = intrinsics["Set.prototype.has"];

	// GetSetRecord (https://tc39.es/ecma262/#sec-getsetrecord).
	const getSetRecord = (obj) => {
		if (!isObject(obj)) throw new TypeError("The set-like argument is not an object");
		const numSize = +obj.size;
		if (numSize !== numSize) throw new TypeError("The set-like's size is not a number");
		const size = toInteger(numSize);
		if (size < 0) throw new RangeError("The set-like's size is negative");
		const has = obj.has;
		if (typeof has !== "function") throw new TypeError("The set-like's has is not a function");
		const keys = obj.keys;
		if (typeof keys !== "function") throw new TypeError("The set-like's keys is not a function");
		return { size, has, keys };
	};

	// setLike is what goja's method is given for other, whose record is rec.
	const setLike = (other, rec) => ({
		size: rec.size,
		has: (value) => apply(rec.has, other, [value]),
		keys() {
			// GetIteratorFromMethod (https://tc39.es/ecma262/#sec-getiteratorfrommethod).
			const iterator = apply(rec.keys, other, []);
			if (!isObject(iterator)) throw new TypeError("The set-like's keys did not return an object");
			const next = iterator.next;
			return {
				next() {
					if (typeof next !== "function") throw new TypeError("The set-like's keys iterator has no next method");
					return apply(next, iterator, []);
				},
				// IteratorClose (https://tc39.es/ecma262/#sec-iteratorclose) reads
				// return from the iterator when goja closes this one.
				get return() {
					const method = iterator.return;
					return typeof method === "function" ? () => apply(method, iterator, []) : method;
				},
			};
		},
	});

	// Evaluated on first call, after scripts ran: no array iteration, which
	// a script may have replaced.
	const methods = {};
	const names = ["union", "intersection", "difference", "symmetricDifference", "isSubsetOf", "isSupersetOf", "isDisjointFrom"];
	for (let i = 0; i < names.length; i++) {
		const name = names[i];
		const original = intrinsics[`Set.prototype.${name}`];
		methods[name] = function (other) {
			apply(requireSet, this, [undefined]); // RequireInternalSlot(O, [[SetData]])
			return apply(original, this, [setLike(other, getSetRecord(other))]);
		};
	}
	define(intrinsics["Set.prototype"], methods);
})
