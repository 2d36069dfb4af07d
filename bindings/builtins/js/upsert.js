// Map.prototype.getOrInsert and getOrInsertComputed (https://tc39.es/proposal-upsert/),
// which goja lacks; WeakMap's are made in Go (weakcollection.go), beside the storage of
// symbol keys. They look the key up and add it with Map's own has, get and set, taken
// before any script runs: those check the receiver's [[MapData]] and canonicalize -0 as
// the spec's steps do, and a value the callback computes replaces what it may have set
// meanwhile.
(function (es, intrinsics) {
	"use strict";
	const { define } = es;
	const apply = intrinsics["Reflect.apply"];
	const has = intrinsics["Map.prototype.has"], get = intrinsics["Map.prototype.get"], set = intrinsics["Map.prototype.set"];
	define(intrinsics["Map.prototype"], {
		// https://tc39.es/proposal-upsert/#sec-map.prototype.getOrInsert
		getOrInsert(key, value) {
			if (apply(has, this, [key])) return apply(get, this, [key]);
			apply(set, this, [key, value]);
			return value;
		},
		// https://tc39.es/proposal-upsert/#sec-map.prototype.getOrInsertComputed
		getOrInsertComputed(key, callbackfn) {
			apply(has, this, [key]); // RequireInternalSlot
			if (typeof callbackfn !== "function") throw new TypeError("getOrInsertComputed: the callback is not a function");
			if (apply(has, this, [key])) return apply(get, this, [key]);
			if (key === 0) key = 0; // CanonicalizeKeyedCollectionKey
			const value = apply(callbackfn, undefined, [key]);
			apply(set, this, [key, value]);
			return value;
		},
	});
})
