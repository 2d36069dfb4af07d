// The steps of the Array.prototype methods (and Array.from, and the
// functions that turn an array-like into arguments) that goja takes in Go,
// for the receivers arraylike.go gives them: array-likes or sparse arrays
// whose length is too long for a loop in Go, which nothing interrupts. Here
// each step of the loop is script, which the runtime's interrupt stops.
// Each function takes the object (ToObject of the this value) and then the
// arguments the method was called with. The script is evaluated the first time one
// is needed, and given what it takes as the realm had it when it started.
(function (es, intrinsics) {
	"use strict";
	const { isObject, isConstructor, toInteger } = es;
	const apply = intrinsics["Reflect.apply"], construct = intrinsics["Reflect.construct"];
	const defineProperty = intrinsics["Reflect.defineProperty"], deleteProperty = intrinsics["Reflect.deleteProperty"];
	const isArray = intrinsics["Array.isArray"], ArrayConstructor = intrinsics.Array, ObjectConstructor = intrinsics.Object;
	const species = intrinsics["Symbol.species"], isConcatSpreadable = intrinsics["Symbol.isConcatSpreadable"];
	const originalSort = intrinsics["Array.prototype.sort"];
	const min = intrinsics["Math.min"], max = intrinsics["Math.max"], floor = intrinsics["Math.floor"];
	const maxSafeInteger = 2 ** 53 - 1;

	// ToLength (https://tc39.es/ecma262/#sec-tolength).
	const toLength = (v) => {
		const n = toInteger(v);
		return n <= 0 ? 0 : n > maxSafeInteger ? maxSafeInteger : n;
	};
	// The index a relative argument designates in [0, len], undefined
	// giving otherwise.
	const relative = (v, len, otherwise) => {
		if (v === undefined && otherwise !== undefined) return otherwise;
		const n = toInteger(v);
		if (n < 0) return len + n > 0 ? len + n : 0;
		return n < len ? n : len;
	};
	const callable = (f, what) => {
		if (typeof f !== "function") throw new TypeError(`${what} is not a function`);
		return f;
	};
	// CreateDataPropertyOrThrow (https://tc39.es/ecma262/#sec-createdatapropertyorthrow).
	const createData = (o, k, v) => {
		if (!defineProperty(o, k, { __proto__: null, value: v, writable: true, enumerable: true, configurable: true })) {
			throw new TypeError(`Cannot add property ${k}, object is not extensible`);
		}
	};
	// DeletePropertyOrThrow (https://tc39.es/ecma262/#sec-deletepropertyorthrow).
	const remove = (o, k) => {
		if (!deleteProperty(o, k)) throw new TypeError(`Cannot delete property '${k}' of ${typeof o}`);
	};
	// ArraySpeciesCreate (https://tc39.es/ecma262/#sec-arrayspeciescreate),
	// with one realm.
	const speciesCreate = (o, len) => {
		if (!isArray(o)) return new ArrayConstructor(len);
		let C = o.constructor;
		if (isObject(C)) {
			C = C[species];
			if (C === null) C = undefined;
		}
		if (C === undefined) return new ArrayConstructor(len);
		if (!isConstructor(C)) throw new TypeError("object.constructor[Symbol.species] is not a constructor");
		return construct(C, [len]);
	};
	// IsConcatSpreadable (https://tc39.es/ecma262/#sec-isconcatspreadable).
	const spreadable = (o) => {
		if (!isObject(o)) return false;
		const s = o[isConcatSpreadable];
		return s !== undefined ? !!s : isArray(o);
	};
	const tooLong = () => new TypeError("Invalid array length");
	// The arguments from the index from on, as an array.
	const rest = (args, from) => {
		const a = [];
		for (let i = from; i < args.length; i++) createData(a, i - from, args[i]);
		return a;
	};

	return {
		// https://tc39.es/ecma262/#sec-array.prototype.foreach
		forEach(o, fn, thisArg) {
			const len = toLength(o.length);
			callable(fn, fn);
			for (let k = 0; k < len; k++) if (k in o) apply(fn, thisArg, [o[k], k, o]);
		},
		// https://tc39.es/ecma262/#sec-array.prototype.map
		map(o, fn, thisArg) {
			const len = toLength(o.length);
			callable(fn, fn);
			const a = speciesCreate(o, len);
			for (let k = 0; k < len; k++) if (k in o) createData(a, k, apply(fn, thisArg, [o[k], k, o]));
			return a;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.filter
		filter(o, fn, thisArg) {
			const len = toLength(o.length);
			callable(fn, fn);
			const a = speciesCreate(o, 0);
			for (let k = 0, to = 0; k < len; k++) {
				if (!(k in o)) continue;
				const v = o[k];
				if (apply(fn, thisArg, [v, k, o])) createData(a, to++, v);
			}
			return a;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.reduce
		reduce(o, ...args) {
			const len = toLength(o.length);
			const fn = callable(args[0], args[0]);
			let k = 0, acc;
			if (args.length > 1) {
				acc = args[1];
			} else {
				for (; k < len && !(k in o); k++);
				if (k >= len) throw new TypeError("Reduce of empty array with no initial value");
				acc = o[k++];
			}
			for (; k < len; k++) if (k in o) acc = apply(fn, undefined, [acc, o[k], k, o]);
			return acc;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.reduceright
		reduceRight(o, ...args) {
			const len = toLength(o.length);
			const fn = callable(args[0], args[0]);
			let k = len - 1, acc;
			if (args.length > 1) {
				acc = args[1];
			} else {
				for (; k >= 0 && !(k in o); k--);
				if (k < 0) throw new TypeError("Reduce of empty array with no initial value");
				acc = o[k--];
			}
			for (; k >= 0; k--) if (k in o) acc = apply(fn, undefined, [acc, o[k], k, o]);
			return acc;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.some
		some(o, fn, thisArg) {
			const len = toLength(o.length);
			callable(fn, fn);
			for (let k = 0; k < len; k++) if (k in o && apply(fn, thisArg, [o[k], k, o])) return true;
			return false;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.every
		every(o, fn, thisArg) {
			const len = toLength(o.length);
			callable(fn, fn);
			for (let k = 0; k < len; k++) if (k in o && !apply(fn, thisArg, [o[k], k, o])) return false;
			return true;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.fill
		fill(o, value, start, end) {
			const len = toLength(o.length);
			let k = relative(start, len);
			const final = relative(end, len, len);
			for (; k < final; k++) o[k] = value;
			return o;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.reverse
		reverse(o) {
			const len = toLength(o.length);
			const middle = floor(len / 2);
			for (let lower = 0; lower !== middle; lower++) {
				const upper = len - lower - 1;
				const lowerExists = lower in o;
				const lowerValue = lowerExists ? o[lower] : undefined;
				const upperExists = upper in o;
				const upperValue = upperExists ? o[upper] : undefined;
				if (upperExists) o[lower] = upperValue;
				else if (lowerExists) remove(o, lower);
				if (lowerExists) o[upper] = lowerValue;
				else if (upperExists) remove(o, upper);
			}
			return o;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.copywithin
		copyWithin(o, target, start, end) {
			const len = toLength(o.length);
			let to = relative(target, len), from = relative(start, len);
			const final = relative(end, len, len);
			let count = min(final - from, len - to);
			let direction = 1;
			if (from < to && to < from + count) {
				direction = -1;
				from += count - 1;
				to += count - 1;
			}
			for (; count > 0; count--, from += direction, to += direction) {
				if (from in o) o[to] = o[from];
				else remove(o, to);
			}
			return o;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.slice
		slice(o, start, end) {
			const len = toLength(o.length);
			let k = relative(start, len);
			const final = relative(end, len, len);
			const a = speciesCreate(o, max(final - k, 0));
			let n = 0;
			for (; k < final; k++, n++) if (k in o) createData(a, n, o[k]);
			a.length = n;
			return a;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.splice
		splice(o, ...args) {
			const len = toLength(o.length);
			const start = relative(args[0], len);
			const items = rest(args, 2);
			let deleteCount = 0;
			if (args.length === 1) {
				deleteCount = len - start;
			} else if (args.length > 1) {
				const dc = toInteger(args[1]);
				deleteCount = min(max(dc, 0), len - start);
			}
			if (len + items.length - deleteCount > maxSafeInteger) throw tooLong();
			const a = speciesCreate(o, deleteCount);
			for (let k = 0; k < deleteCount; k++) {
				if (start + k in o) createData(a, k, o[start + k]);
			}
			a.length = deleteCount;
			const shift = items.length - deleteCount;
			if (shift < 0) {
				for (let k = start; k < len - deleteCount; k++) {
					if (k + deleteCount in o) o[k + items.length] = o[k + deleteCount];
					else remove(o, k + items.length);
				}
				for (let k = len; k > len + shift; k--) remove(o, k - 1);
			} else if (shift > 0) {
				for (let k = len - deleteCount; k > start; k--) {
					if (k + deleteCount - 1 in o) o[k + items.length - 1] = o[k + deleteCount - 1];
					else remove(o, k + items.length - 1);
				}
			}
			for (let i = 0; i < items.length; i++) o[start + i] = items[i];
			o.length = len + shift;
			return a;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.shift
		shift(o) {
			const len = toLength(o.length);
			if (len === 0) {
				o.length = 0;
				return undefined;
			}
			const first = o[0];
			for (let k = 1; k < len; k++) {
				if (k in o) o[k - 1] = o[k];
				else remove(o, k - 1);
			}
			remove(o, len - 1);
			o.length = len - 1;
			return first;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.unshift
		unshift(o, ...items) {
			const len = toLength(o.length);
			const n = items.length;
			if (n > 0) {
				if (len + n > maxSafeInteger) throw tooLong();
				for (let k = len; k > 0; k--) {
					if (k - 1 in o) o[k + n - 1] = o[k - 1];
					else remove(o, k + n - 1);
				}
				for (let j = 0; j < n; j++) o[j] = items[j];
			}
			o.length = len + n;
			return len + n;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.toreversed
		toReversed(o) {
			const len = toLength(o.length);
			const a = new ArrayConstructor(len);
			for (let k = 0; k < len; k++) createData(a, k, o[len - k - 1]);
			return a;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.with
		with(o, index, value) {
			const len = toLength(o.length);
			const rel = toInteger(index);
			const actual = rel >= 0 ? rel : len + rel;
			if (actual >= len || actual < 0) throw new RangeError("Invalid index " + rel);
			const a = new ArrayConstructor(len);
			for (let k = 0; k < len; k++) createData(a, k, k === actual ? value : o[k]);
			return a;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.tospliced
		toSpliced(o, ...args) {
			const len = toLength(o.length);
			const start = relative(args[0], len);
			const items = rest(args, 2);
			let skip = 0;
			if (args.length === 1) skip = len - start;
			else if (args.length > 1) skip = min(max(toInteger(args[1]), 0), len - start);
			const newLen = len + items.length - skip;
			if (newLen > maxSafeInteger) throw tooLong();
			const a = new ArrayConstructor(newLen);
			let i = 0, r = start + skip;
			for (; i < start; i++) createData(a, i, o[i]);
			for (let j = 0; j < items.length; j++) createData(a, i++, items[j]);
			for (; i < newLen; i++, r++) createData(a, i, o[r]);
			return a;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.concat
		concat(o, ...items) {
			const a = speciesCreate(o, 0);
			let n = 0;
			for (let i = -1; i < items.length; i++) {
				const e = i < 0 ? o : items[i];
				if (!spreadable(e)) {
					if (n >= maxSafeInteger) throw tooLong();
					createData(a, n++, e);
					continue;
				}
				const len = toLength(e.length);
				if (n + len > maxSafeInteger) throw tooLong();
				for (let k = 0; k < len; k++, n++) if (k in e) createData(a, n, e[k]);
			}
			a.length = n;
			return a;
		},
		// https://tc39.es/ecma262/#sec-array.prototype.sort: the elements
		// are gathered, the holes left out, and sorted by the original sort,
		// on an array as long as they are many.
		sort(o, comparefn) {
			if (comparefn !== undefined && typeof comparefn !== "function") {
				throw new TypeError("The comparison function must be either a function or undefined");
			}
			const len = toLength(o.length);
			const items = [];
			for (let k = 0; k < len; k++) if (k in o) createData(items, items.length, o[k]);
			apply(originalSort, items, [comparefn]);
			const n = items.length;
			for (let k = 0; k < n; k++) o[k] = items[k];
			for (let k = n; k < len; k++) remove(o, k);
			return o;
		},
		// https://tc39.es/ecma262/#sec-array.from, for items that are not
		// iterable; this is the constructor.
		from(C, items, mapfn, thisArg) {
			if (mapfn !== undefined) callable(mapfn, mapfn);
			// GetMethod(items, @@iterator) gave undefined: arraylike.go
			// looked, reading data properties only.
			const o = ObjectConstructor(items);
			const len = toLength(o.length);
			const a = isConstructor(C) ? construct(C, [len]) : new ArrayConstructor(len);
			for (let k = 0; k < len; k++) {
				const v = o[k];
				createData(a, k, mapfn === undefined ? v : apply(mapfn, thisArg, [v, k]));
			}
			a.length = len;
			return a;
		},
		// CreateListFromArrayLike
		// (https://tc39.es/ecma262/#sec-createlistfromarraylike) for the
		// arguments of a call, as a dense array no longer than max: beyond it
		// V8's RangeError, as the arguments would not fit its stack.
		argumentList(o, max) {
			if (!isObject(o)) throw new TypeError("CreateListFromArrayLike called on non-object");
			const len = toLength(o.length);
			if (len > max) throw new RangeError("Maximum call stack size exceeded");
			const list = [];
			for (let k = 0; k < len; k++) createData(list, k, o[k]);
			return list;
		},
	};
})
