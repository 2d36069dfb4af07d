// %TypedArray% (https://tc39.es/ecma262/#sec-typedarray-objects) for the typed arrays
// this package makes (views.go): every Float16Array, and every view over a resizable
// ArrayBuffer or a growable SharedArrayBuffer. What is here takes the spec's steps
// over what native gives of a typed array's internal slots, for goja's typed arrays
// and this package's alike; element reads and writes are O[k], which the views'
// Proxy traps (viewproxy.go) make TypedArrayGetElement and TypedArraySetElement.
// typedarrays.go installs the methods and getters, called for this package's views
// only: goja's own serve its typed arrays.
(function (native, es) {
	"use strict";
	const { isObject, isConstructor, toInteger, toBigInt } = es;
	const {
		kindOf, validate, lengthOf, bufferOf, byteOffsetOf, isAuto, create, fromTypedArray, setTypedArray,
		copyWithin, copyElements, iterate, createDataView, exotic, bufferKind, detached, bufferLength, allocate,
	} = native;
	// The loops that run no script, in Go (typedarrayloops.go).
	const { fill, search, join, reverse, sort } = native;
	const INCLUDES = 0, INDEX_OF = 1, LAST_INDEX_OF = 2;
	const NAMES = ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
		"Uint32Array", "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"];
	const SIZES = [1, 1, 1, 2, 2, 4, 4, 2, 4, 8, 8, 8];
	const FLOAT16 = 7;
	const isBigInt = (kind) => kind >= 10;
	// The buffer kinds of arraybuffer.go.
	const NOT_BUFFER = 0, FIXED = 1, RESIZABLE = 2, SHARED = 3, GROWABLE = 4;
	const AUTO = -1;
	// What script may replace later is taken now.
	const { getPrototypeOf, setPrototypeOf, defineProperty } = Object;
	const { apply, ownKeys, construct: reflectConstruct, getOwnPropertyDescriptor, defineProperty: reflectDefineProperty } = Reflect;
	const { max, min } = Math;
	const { isInteger, MAX_SAFE_INTEGER } = Number;
	const symbolIterator = Symbol.iterator, symbolSpecies = Symbol.species;
	// A list of values: an Array without a prototype, which no setter or
	// method script adds to Array.prototype reaches.
	const list = () => setPrototypeOf([], null);
	const append = (l, v) => {
		l[l.length] = v;
	};
	const TypedArray = getPrototypeOf(Uint8Array);
	const TypedArrayPrototype = TypedArray.prototype;
	const DataViewPrototype = DataView.prototype;
	// The typed array constructors by kind, as script sees them; arraybuffer.js
	// sets those it wraps.
	const intrinsics = [];
	const toIndex = (v) => es.toIndex(v, "Invalid typed array length");
	const typeError = (message) => new TypeError(message);
	const rangeError = (message) => new RangeError(message);

	// ToNumber or ToBigInt, as the element type of a typed array of kind converts.
	const toNumeric = (kind, v) => isBigInt(kind) ? toBigInt(v) : +v;
	// The index a relative argument designates in [0, len].
	const relative = (v, len) => {
		const n = toInteger(v);
		return n === -Infinity ? 0 : n < 0 ? max(len + n, 0) : min(n, len);
	};
	// RequireInternalSlot(O, [[TypedArrayName]]): its kind.
	const requireTypedArray = (o) => {
		const kind = kindOf(o);
		if (kind < 0) throw typeError("this is not a typed array");
		return kind;
	};
	// What an error message says of v, converting no object (which would run
	// script the spec does not).
	const describe = (v) => isObject(v) ? "object" : String(v);
	const requireCallable = (f) => {
		if (typeof f !== "function") throw typeError(`${describe(f)} is not a function`);
	};

	// GetPrototypeFromConstructor (https://tc39.es/ecma262/#sec-getprototypefromconstructor)
	// for a typed array of kind.
	const prototypeFor = (newTarget, kind) => {
		const proto = newTarget.prototype;
		return isObject(proto) ? proto : intrinsics[kind].prototype;
	};
	// AllocateTypedArray with a length (https://tc39.es/ecma262/#sec-allocatetypedarray)
	// for a kind whose typed arrays this package makes.
	const allocateNew = (kind, length, proto) => create(kind, allocate(length * SIZES[kind]), 0, length, proto);
	// IteratorToList(GetIteratorFromMethod(obj, method)) (https://tc39.es/ecma262/#sec-iteratortolist).
	const iteratorToList = (obj, method) => {
		const iterator = apply(method, obj, []);
		if (!isObject(iterator)) throw typeError("Result of the Symbol.iterator method is not an object");
		const next = iterator.next;
		const values = list();
		for (;;) {
			const result = apply(next, iterator, []);
			if (!isObject(result)) throw typeError(`Iterator result ${String(result)} is not an object`);
			if (result.done) return values;
			append(values, result.value);
		}
	};
	// GetMethod(v, @@iterator) (https://tc39.es/ecma262/#sec-getmethod).
	const iteratorMethod = (v) => {
		const method = v[symbolIterator];
		if (method === undefined || method === null) return undefined;
		requireCallable(method);
		return method;
	};
	// LengthOfArrayLike (https://tc39.es/ecma262/#sec-lengthofarraylike).
	const lengthOfArrayLike = (o) => {
		const n = toInteger(o.length);
		return n <= 0 ? 0 : min(n, MAX_SAFE_INTEGER);
	};

	// InitializeTypedArrayFromArrayBuffer (https://tc39.es/ecma262/#sec-initializetypedarrayfromarraybuffer).
	const fromBuffer = (kind, buffer, byteOffset, length, proto) => {
		const size = SIZES[kind];
		const offset = toIndex(byteOffset);
		if (offset % size !== 0) throw rangeError(`start offset of ${NAMES[kind]} should be a multiple of ${size}`);
		const k = bufferKind(buffer);
		const fixed = k === FIXED || k === SHARED;
		const newLength = length === undefined ? undefined : toIndex(length);
		if (detached(buffer)) throw typeError("Cannot construct a typed array on a detached ArrayBuffer");
		const bufferByteLength = bufferLength(buffer);
		if (length === undefined && !fixed) {
			if (offset > bufferByteLength) throw rangeError(`Start offset ${offset} is outside the bounds of the buffer`);
			return create(kind, buffer, offset, AUTO, proto);
		}
		let newByteLength;
		if (length === undefined) {
			if (bufferByteLength % size !== 0) throw rangeError(`byte length of ${NAMES[kind]} should be a multiple of ${size}`);
			newByteLength = bufferByteLength - offset;
			if (newByteLength < 0) throw rangeError(`Start offset ${offset} is outside the bounds of the buffer`);
		} else {
			newByteLength = newLength * size;
			if (offset + newByteLength > bufferByteLength) throw rangeError(`Invalid typed array length: ${newLength}`);
		}
		return create(kind, buffer, offset, newByteLength / size, proto);
	};

	// The argument at i of a constructor's arguments, read without asking
	// Array.prototype for the absent ones.
	const arg = (args, i) => i < args.length ? args[i] : undefined;

	// TypedArray(...args) (https://tc39.es/ecma262/#sec-typedarray) for a typed array of
	// kind this package makes, or undefined where goja's constructor makes it: every
	// Float16Array, and for the other kinds those over a buffer whose length can
	// change and those copied from a typed array of this package.
	const construct = (kind, args, newTarget) => {
		const first = arg(args, 0);
		if (kind !== FLOAT16) {
			if (!isObject(first)) return undefined;
			const k = bufferKind(first);
			if (k === FIXED || k === SHARED || k === NOT_BUFFER && !exotic(first)) return undefined;
		}
		if (!isObject(first)) {
			const length = args.length === 0 ? 0 : toIndex(first);
			return allocateNew(kind, length, prototypeFor(newTarget, kind));
		}
		const proto = prototypeFor(newTarget, kind);
		if (kindOf(first) >= 0) return fromTypedArray(kind, first, proto);
		if (bufferKind(first) !== NOT_BUFFER) return fromBuffer(kind, first, arg(args, 1), arg(args, 2), proto);
		const method = iteratorMethod(first);
		let values = first;
		if (method !== undefined) values = iteratorToList(first, method);
		const len = method !== undefined ? values.length : lengthOfArrayLike(first);
		const O = allocateNew(kind, len, proto);
		for (let k = 0; k < len; k++) O[k] = values[k];
		return O;
	};

	// DataView(buffer, byteOffset, byteLength) (https://tc39.es/ecma262/#sec-dataview-buffer-byteoffset-bytelength)
	// over a buffer whose length can change, or undefined where goja's constructor makes it.
	const constructDataView = (args, newTarget) => {
		const buffer = arg(args, 0);
		const k = bufferKind(buffer);
		if (k !== RESIZABLE && k !== GROWABLE) return undefined;
		const offset = toIndex(arg(args, 1));
		if (detached(buffer)) throw typeError("Cannot construct a DataView on a detached ArrayBuffer");
		let bufferByteLength = bufferLength(buffer);
		if (offset > bufferByteLength) throw rangeError(`Start offset ${offset} is outside the bounds of the buffer`);
		const byteLength = arg(args, 2);
		const viewByteLength = byteLength === undefined ? AUTO : toIndex(byteLength);
		if (byteLength !== undefined && offset + viewByteLength > bufferByteLength) throw rangeError(`Invalid DataView length ${viewByteLength}`);
		let proto = newTarget.prototype;
		if (!isObject(proto)) proto = DataViewPrototype;
		if (detached(buffer)) throw typeError("Cannot construct a DataView on a detached ArrayBuffer");
		bufferByteLength = bufferLength(buffer);
		if (offset > bufferByteLength) throw rangeError(`Start offset ${offset} is outside the bounds of the buffer`);
		if (byteLength !== undefined && offset + viewByteLength > bufferByteLength) throw rangeError(`Invalid DataView length ${viewByteLength}`);
		return createDataView(buffer, offset, viewByteLength, proto);
	};

	// TypedArrayCreateFromConstructor (https://tc39.es/ecma262/#sec-typedarraycreatefromconstructor).
	const createFromConstructor = (C, args) => {
		const O = reflectConstruct(C, args);
		const len = validate(O);
		if (args.length === 1 && typeof args[0] === "number" && len < args[0]) {
			throw typeError("The constructor returned a typed array shorter than the length asked");
		}
		return O;
	};
	// TypedArraySpeciesCreate (https://tc39.es/ecma262/#sec-typedarray-species-create).
	const speciesCreate = (exemplar, args) => {
		const kind = kindOf(exemplar);
		const fallback = intrinsics[kind];
		// SpeciesConstructor (https://tc39.es/ecma262/#sec-speciesconstructor).
		let C = exemplar.constructor;
		if (C === undefined) {
			C = fallback;
		} else {
			if (!isObject(C)) throw typeError("object.constructor is not an object");
			const S = C[symbolSpecies];
			if (S === undefined || S === null) C = fallback;
			else if (isConstructor(S)) C = S;
			else throw typeError("object.constructor[Symbol.species] is not a constructor");
		}
		const result = createFromConstructor(C, args);
		if (isBigInt(kindOf(result)) !== isBigInt(kind)) throw typeError("The species constructor returned a typed array of another content type");
		return result;
	};
	// TypedArrayCreateSameType (https://tc39.es/ecma262/#sec-typedarray-create-same-type).
	const createSameType = (exemplar, length) => createFromConstructor(intrinsics[kindOf(exemplar)], [length]);

	// SortIndexedProperties with CompareTypedArrayElements and a comparator
	// (https://tc39.es/ecma262/#sec-sortindexedproperties, https://tc39.es/ecma262/#sec-comparetypedarrayelements);
	// without one, sort (typedarrayloops.go) sorts the bytes.
	const sortedElements = (O, len, comparefn) => {
		const items = list();
		for (let k = 0; k < len; k++) append(items, O[k]);
		return mergeSort(items, (x, y) => {
			const v = +comparefn(x, y);
			return v !== v ? 0 : v;
		});
	};
	// A stable sort (https://tc39.es/ecma262/#sec-sortindexedproperties step 5)
	// of the list items by compare, which may throw.
	const mergeSort = (items, compare) => {
		const n = items.length;
		let from = items, to = list();
		for (let width = 1; width < n; width *= 2) {
			for (let lo = 0; lo < n; lo += 2 * width) {
				const mid = min(lo + width, n), hi = min(lo + 2 * width, n);
				let i = lo, j = mid, k = lo;
				while (i < mid && j < hi) to[k++] = compare(from[j], from[i]) < 0 ? from[j++] : from[i++];
				while (i < mid) to[k++] = from[i++];
				while (j < hi) to[k++] = from[j++];
			}
			const t = from;
			from = to;
			to = t;
		}
		return from;
	};
	const requireComparator = (comparefn) => {
		if (comparefn !== undefined && typeof comparefn !== "function") {
			throw typeError("The comparison function must be either a function or undefined");
		}
	};

	// FindViaPredicate (https://tc39.es/ecma262/#sec-findviapredicate).
	const findVia = (O, len, ascending, predicate, thisArg) => {
		requireCallable(predicate);
		for (let i = 0; i < len; i++) {
			const k = ascending ? i : len - 1 - i;
			const kValue = O[k];
			if (apply(predicate, thisArg, [kValue, k, O])) return [k, kValue];
		}
		return [-1, undefined];
	};

	const methods = {
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.at
		at(index) {
			const len = validate(this);
			const relativeIndex = toInteger(index);
			const k = relativeIndex >= 0 ? relativeIndex : len + relativeIndex;
			return k < 0 || k >= len ? undefined : this[k];
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.copywithin
		copyWithin(target, start, end) {
			const len = validate(this);
			const to = relative(target, len);
			const from = relative(start, len);
			const final = end === undefined ? len : relative(end, len);
			const count = min(final - from, len - to);
			if (count > 0) copyWithin(this, to, from, count);
			return this;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.entries
		entries() {
			validate(this);
			return iterate(this, 2);
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.every
		every(callbackfn, thisArg) {
			const len = validate(this);
			requireCallable(callbackfn);
			for (let k = 0; k < len; k++) {
				if (!apply(callbackfn, thisArg, [this[k], k, this])) return false;
			}
			return true;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.fill
		fill(value, start, end) {
			let len = validate(this);
			const v = toNumeric(kindOf(this), value);
			const k = relative(start, len);
			let final = end === undefined ? len : relative(end, len);
			len = validate(this);
			final = min(final, len);
			if (k < final) fill(this, v, k, final);
			return this;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.filter
		filter(callbackfn, thisArg) {
			const len = validate(this);
			requireCallable(callbackfn);
			const kept = list();
			for (let k = 0; k < len; k++) {
				const kValue = this[k];
				if (apply(callbackfn, thisArg, [kValue, k, this])) append(kept, kValue);
			}
			const A = speciesCreate(this, [kept.length]);
			for (let n = 0; n < kept.length; n++) A[n] = kept[n];
			return A;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.find
		find(predicate, thisArg) {
			return findVia(this, validate(this), true, predicate, thisArg)[1];
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.findindex
		findIndex(predicate, thisArg) {
			return findVia(this, validate(this), true, predicate, thisArg)[0];
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.findlast
		findLast(predicate, thisArg) {
			return findVia(this, validate(this), false, predicate, thisArg)[1];
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.findlastindex
		findLastIndex(predicate, thisArg) {
			return findVia(this, validate(this), false, predicate, thisArg)[0];
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.foreach
		forEach(callbackfn, thisArg) {
			const len = validate(this);
			requireCallable(callbackfn);
			for (let k = 0; k < len; k++) apply(callbackfn, thisArg, [this[k], k, this]);
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.includes
		includes(searchElement, fromIndex) {
			const len = validate(this);
			if (len === 0) return false;
			const n = toInteger(fromIndex);
			if (n === Infinity) return false;
			const k = n >= 0 ? n : max(len + n, 0);
			return k < len && search(this, searchElement, k, len, INCLUDES) >= 0;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.indexof
		indexOf(searchElement, fromIndex) {
			const len = validate(this);
			if (len === 0) return -1;
			const n = toInteger(fromIndex);
			if (n === Infinity) return -1;
			const k = n >= 0 ? n : max(len + n, 0);
			return k < len ? search(this, searchElement, k, len, INDEX_OF) : -1;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.join
		join(separator) {
			const len = validate(this);
			const sep = separator === undefined ? "," : `${separator}`;
			return join(this, sep, len);
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.keys
		keys() {
			validate(this);
			return iterate(this, 0);
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.lastindexof
		lastIndexOf(searchElement, fromIndex) {
			const len = validate(this);
			if (len === 0) return -1;
			const n = arguments.length > 1 ? toInteger(fromIndex) : len - 1;
			if (n === -Infinity) return -1;
			const k = n >= 0 ? min(n, len - 1) : len + n;
			return k >= 0 ? search(this, searchElement, k, len, LAST_INDEX_OF) : -1;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.map
		map(callbackfn, thisArg) {
			const len = validate(this);
			requireCallable(callbackfn);
			const A = speciesCreate(this, [len]);
			for (let k = 0; k < len; k++) A[k] = apply(callbackfn, thisArg, [this[k], k, this]);
			return A;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.reduce
		reduce(callbackfn, initialValue) {
			const len = validate(this);
			requireCallable(callbackfn);
			if (len === 0 && arguments.length < 2) throw typeError("Reduce of empty array with no initial value");
			let k = 0, accumulator;
			if (arguments.length >= 2) accumulator = initialValue;
			else accumulator = this[k++];
			for (; k < len; k++) accumulator = apply(callbackfn, undefined, [accumulator, this[k], k, this]);
			return accumulator;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.reduceright
		reduceRight(callbackfn, initialValue) {
			const len = validate(this);
			requireCallable(callbackfn);
			if (len === 0 && arguments.length < 2) throw typeError("Reduce of empty array with no initial value");
			let k = len - 1, accumulator;
			if (arguments.length >= 2) accumulator = initialValue;
			else accumulator = this[k--];
			for (; k >= 0; k--) accumulator = apply(callbackfn, undefined, [accumulator, this[k], k, this]);
			return accumulator;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.reverse
		reverse() {
			reverse(this, validate(this));
			return this;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.set
		set(source, offset) {
			requireTypedArray(this);
			const targetOffset = toInteger(offset);
			if (targetOffset < 0) throw rangeError("offset is out of bounds");
			if (kindOf(source) >= 0) {
				setTypedArray(this, targetOffset, source);
				return;
			}
			// SetTypedArrayFromArrayLike (https://tc39.es/ecma262/#sec-settypedarrayfromarraylike).
			const targetLength = validate(this);
			if (source === undefined || source === null) throw typeError(`Cannot convert ${source} to object`);
			const src = Object(source);
			const srcLength = lengthOfArrayLike(src);
			if (targetOffset === Infinity || srcLength + targetOffset > targetLength) throw rangeError("offset is out of bounds");
			for (let k = 0; k < srcLength; k++) this[targetOffset + k] = src[k];
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.slice
		slice(start, end) {
			const srcArrayLength = validate(this);
			const startIndex = relative(start, srcArrayLength);
			let endIndex = end === undefined ? srcArrayLength : relative(end, srcArrayLength);
			let count = max(endIndex - startIndex, 0);
			const A = speciesCreate(this, [count]);
			if (count > 0) {
				endIndex = min(endIndex, validate(this));
				count = max(endIndex - startIndex, 0);
				if (kindOf(A) === kindOf(this)) {
					copyElements(A, this, startIndex, count);
				} else {
					for (let k = startIndex, n = 0; k < endIndex; k++, n++) A[n] = this[k];
				}
			}
			return A;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.some
		some(callbackfn, thisArg) {
			const len = validate(this);
			requireCallable(callbackfn);
			for (let k = 0; k < len; k++) {
				if (apply(callbackfn, thisArg, [this[k], k, this])) return true;
			}
			return false;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.sort
		sort(comparefn) {
			requireComparator(comparefn);
			const len = validate(this);
			if (comparefn === undefined) {
				sort(this, len);
				return this;
			}
			const sorted = sortedElements(this, len, comparefn);
			for (let j = 0; j < len; j++) this[j] = sorted[j];
			return this;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.subarray
		subarray(start, end) {
			const kind = requireTypedArray(this);
			const buffer = bufferOf(this);
			const srcLength = max(lengthOf(this), 0);
			const startIndex = relative(start, srcLength);
			const beginByteOffset = byteOffsetOf(this) + startIndex * SIZES[kind];
			if (isAuto(this) && end === undefined) return speciesCreate(this, [buffer, beginByteOffset]);
			const endIndex = end === undefined ? srcLength : relative(end, srcLength);
			const newLength = max(endIndex - startIndex, 0);
			return speciesCreate(this, [buffer, beginByteOffset, newLength]);
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.tolocalestring
		toLocaleString() {
			const len = validate(this);
			let R = "";
			for (let k = 0; k < len; k++) {
				if (k > 0) R += ",";
				const next = this[k];
				if (next !== undefined && next !== null) R += `${next.toLocaleString()}`;
			}
			return R;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.toreversed
		toReversed() {
			const len = validate(this);
			const A = createSameType(this, len);
			for (let k = 0; k < len; k++) A[k] = this[len - k - 1];
			return A;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.tosorted
		toSorted(comparefn) {
			requireComparator(comparefn);
			const len = validate(this);
			const A = createSameType(this, len);
			if (comparefn === undefined) {
				copyElements(A, this, 0, len);
				sort(A, len);
				return A;
			}
			const sorted = sortedElements(this, len, comparefn);
			for (let j = 0; j < len; j++) A[j] = sorted[j];
			return A;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.values
		values() {
			validate(this);
			return iterate(this, 1);
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.with
		with(index, value) {
			const len = validate(this);
			const relativeIndex = toInteger(index);
			const actualIndex = relativeIndex >= 0 ? relativeIndex : len + relativeIndex;
			const numericValue = toNumeric(kindOf(this), value);
			if (!isInteger(actualIndex) || lengthOf(this) <= actualIndex || actualIndex < 0) {
				throw rangeError("Invalid typed array index");
			}
			const A = createSameType(this, len);
			for (let k = 0; k < len; k++) A[k] = k === actualIndex ? numericValue : this[k];
			return A;
		},
	};

	const getters = {
		// https://tc39.es/ecma262/#sec-get-%typedarray%.prototype.buffer
		get buffer() {
			requireTypedArray(this);
			return bufferOf(this);
		},
		// https://tc39.es/ecma262/#sec-get-%typedarray%.prototype.bytelength
		get byteLength() {
			const kind = requireTypedArray(this);
			return max(lengthOf(this), 0) * SIZES[kind];
		},
		// https://tc39.es/ecma262/#sec-get-%typedarray%.prototype.byteoffset
		get byteOffset() {
			requireTypedArray(this);
			return lengthOf(this) < 0 ? 0 : byteOffsetOf(this);
		},
		// https://tc39.es/ecma262/#sec-get-%typedarray%.prototype.length
		get length() {
			requireTypedArray(this);
			return max(lengthOf(this), 0);
		},
		// https://tc39.es/ecma262/#sec-get-%typedarray%.prototype-%symbol.tostringtag%
		get [Symbol.toStringTag]() {
			const kind = isObject(this) ? kindOf(this) : -1;
			return kind < 0 ? undefined : NAMES[kind];
		},
	};

	// %TypedArray%.from (https://tc39.es/ecma262/#sec-%typedarray%.from).
	function from(source, mapfn, thisArg) {
		const C = this;
		if (!isConstructor(C)) throw typeError(`${describe(C)} is not a constructor`);
		const mapping = mapfn !== undefined;
		if (mapping) requireCallable(mapfn);
		const method = iteratorMethod(source);
		if (method !== undefined) {
			const values = iteratorToList(source, method);
			const len = values.length;
			const target = createFromConstructor(C, [len]);
			for (let k = 0; k < len; k++) {
				target[k] = mapping ? apply(mapfn, thisArg, [values[k], k]) : values[k];
			}
			return target;
		}
		const arrayLike = Object(source);
		const len = lengthOfArrayLike(arrayLike);
		const target = createFromConstructor(C, [len]);
		for (let k = 0; k < len; k++) {
			const kValue = arrayLike[k];
			target[k] = mapping ? apply(mapfn, thisArg, [kValue, k]) : kValue;
		}
		return target;
	}
	// %TypedArray%.of (https://tc39.es/ecma262/#sec-%typedarray%.of).
	function of(...items) {
		const C = this;
		if (!isConstructor(C)) throw typeError(`${describe(C)} is not a constructor`);
		const target = createFromConstructor(C, [items.length]);
		for (let k = 0; k < items.length; k++) target[k] = items[k];
		return target;
	}

	// Float16Array (https://tc39.es/ecma262/#sec-typedarray-constructors), which goja
	// lacks: a derived class of null reads no prototype before its steps do.
	const Float16Array = class Float16Array extends null {
		constructor(...args) {
			return construct(FLOAT16, args, new.target);
		}
	};
	intrinsics[FLOAT16] = Float16Array;
	setPrototypeOf(Float16Array, TypedArray);
	const proto = Float16Array.prototype;
	setPrototypeOf(proto, TypedArrayPrototype);
	defineProperty(Float16Array, "length", { value: 3 });
	for (const o of [Float16Array, proto]) {
		defineProperty(o, "BYTES_PER_ELEMENT", { value: 2, writable: false, enumerable: false, configurable: false });
	}
	defineProperty(globalThis, "Float16Array", { value: Float16Array, writable: true, enumerable: false, configurable: true });

	// What the traps of viewproxy.go call.
	const helpers = {
		// OrdinarySetWithOwnDescriptor (https://tc39.es/ecma262/#sec-ordinarysetwithowndescriptor)
		// from step 2.b, the own descriptor being a typed array element's.
		ordinarySet: (receiver, key, value) => {
			if (!isObject(receiver)) return false;
			const existing = getOwnPropertyDescriptor(receiver, key);
			if (existing !== undefined) {
				if (existing.get !== undefined || existing.set !== undefined || !existing.writable) return false;
				return reflectDefineProperty(receiver, key, { __proto__: null, value });
			}
			return reflectDefineProperty(receiver, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
		},
		set: Reflect.set,
		// The integer indices below n, then target's other keys.
		ownKeys: (target, n) => {
			const keys = list();
			for (let i = 0; i < n; i++) append(keys, `${i}`);
			const own = ownKeys(target);
			for (let i = 0; i < own.length; i++) {
				const key = own[i];
				if (typeof key !== "string" || `${+key}` !== key) append(keys, key);
			}
			return keys;
		},
		preventExtensions: Reflect.preventExtensions,
		toBigInt,
	};

	return { methods, getters, from, of, construct, constructDataView, intrinsics, helpers };
})
