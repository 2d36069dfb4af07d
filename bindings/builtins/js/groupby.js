// Object.groupBy (https://tc39.es/ecma262/#sec-object.groupby) and Map.groupBy
// (https://tc39.es/ecma262/#sec-map.groupby), which goja lacks. The groups are
// kept in a Map, through Map's own methods taken before any script runs: its
// keys compare as SameValue does once -0 is made +0, as both keyings do.
(function (es, intrinsics) {
	"use strict";
	const { define } = es;
	const apply = intrinsics["Reflect.apply"], ownKeys = intrinsics["Reflect.ownKeys"];
	const MapCtor = intrinsics.Map;
	const mapGet = intrinsics["Map.prototype.get"], mapSet = intrinsics["Map.prototype.set"];
	const mapForEach = intrinsics["Map.prototype.forEach"];
	const MAX_SAFE_INTEGER = 9007199254740991;
	// ToPropertyKey (https://tc39.es/ecma262/#sec-topropertykey), as a computed
	// property name converts its value.
	const toPropertyKey = (v) => ownKeys({ [v]: undefined })[0];
	// GroupBy(items, callback, keyCoercion) (https://tc39.es/ecma262/#sec-groupby):
	// a Map from each key to the List of its values.
	const groupBy = (items, callback, property) => {
		const { getIterator, iteratorStepValue, iteratorCloseThrow, DONE, list } = es.iteration();
		if (items === undefined || items === null) throw new TypeError("groupBy called on null or undefined");
		if (typeof callback !== "function") throw new TypeError("groupBy: the callback is not a function");
		const groups = new MapCtor();
		const record = getIterator(items);
		for (let k = 0; ; k++) {
			if (k >= MAX_SAFE_INTEGER) iteratorCloseThrow(record.iterator, new TypeError("groupBy: too many elements"));
			const value = iteratorStepValue(record);
			if (value === DONE) return groups;
			let key;
			try {
				key = apply(callback, undefined, [value, k]);
				if (property) key = toPropertyKey(key);
				else if (key === 0) key = 0; // CanonicalizeKeyedCollectionKey
			} catch (e) {
				iteratorCloseThrow(record.iterator, e);
			}
			// AddValueToKeyedGroup (https://tc39.es/ecma262/#sec-add-value-to-keyed-group).
			let elements = apply(mapGet, groups, [key]);
			if (elements === undefined) apply(mapSet, groups, [key, elements = list()]);
			elements[elements.length] = value;
		}
	};
	define(intrinsics.Object, {
		groupBy(items, callback) {
			const { toArray, createDataProperty } = es.iteration();
			const groups = groupBy(items, callback, true);
			const obj = { __proto__: null };
			apply(mapForEach, groups, [(elements, key) => createDataProperty(obj, key, toArray(elements))]);
			return obj;
		},
	});
	define(MapCtor, {
		groupBy(items, callback) {
			const { toArray } = es.iteration();
			const groups = groupBy(items, callback, false);
			const map = new MapCtor();
			apply(mapForEach, groups, [(elements, key) => apply(mapSet, map, [key, toArray(elements)])]);
			return map;
		},
	});
})
