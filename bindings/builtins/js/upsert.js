// Map.prototype.getOrInsert and getOrInsertComputed, and WeakMap's
// (https://tc39.es/proposal-upsert/), which goja lacks. They look the key up and add
// it with the maps' own has, get and set, taken before any script runs: those check
// the receiver's [[MapData]] or [[WeakMapData]] and canonicalize -0 as the spec's steps
// do, and a value the callback computes replaces what it may have set meanwhile.
(function (es) {
	"use strict";
	const { isObject, define } = es;
	const { apply } = Reflect;
	const upsert = (proto, weak) => {
		const { has, get, set } = proto;
		// CanBeHeldWeakly (https://tc39.es/ecma262/#sec-canbeheldweakly), as
		// goja's WeakMap takes keys: objects.
		const requireKey = (key) => {
			if (weak && !isObject(key)) throw new TypeError("Invalid value used as weak map key");
		};
		define(proto, {
			// https://tc39.es/proposal-upsert/#sec-map.prototype.getOrInsert
			getOrInsert(key, value) {
				if (apply(has, this, [key])) return apply(get, this, [key]);
				requireKey(key);
				apply(set, this, [key, value]);
				return value;
			},
			// https://tc39.es/proposal-upsert/#sec-map.prototype.getOrInsertComputed
			getOrInsertComputed(key, callbackfn) {
				apply(has, this, [key]); // RequireInternalSlot
				if (typeof callbackfn !== "function") throw new TypeError("getOrInsertComputed: the callback is not a function");
				requireKey(key);
				if (apply(has, this, [key])) return apply(get, this, [key]);
				if (key === 0) key = 0; // CanonicalizeKeyedCollectionKey
				const value = apply(callbackfn, undefined, [key]);
				apply(set, this, [key, value]);
				return value;
			},
		});
	};
	upsert(Map.prototype, false);
	upsert(WeakMap.prototype, true);
})
