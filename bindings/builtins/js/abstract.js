// The ECMAScript abstract operations the built-ins written in JavaScript
// share, evaluated once per realm and passed to each of them.
(() => {
	const { trunc } = Math;
	const { MAX_SAFE_INTEGER } = Number;
	const symbolToPrimitive = Symbol.toPrimitive;
	const { apply, construct } = Reflect;
	const BigIntOf = BigInt;
	// ToPrimitive(v, number) (https://tc39.es/ecma262/#sec-toprimitive).
	const toPrimitive = (v) => {
		if (typeof v !== "object" && typeof v !== "function" || v === null) return v;
		const exotic = v[symbolToPrimitive];
		if (exotic !== undefined && exotic !== null) {
			if (typeof exotic !== "function") throw new TypeError("Symbol.toPrimitive is not a function");
			const p = apply(exotic, v, ["number"]);
			if (typeof p === "object" && p !== null || typeof p === "function") throw new TypeError("Cannot convert object to primitive value");
			return p;
		}
		// OrdinaryToPrimitive (https://tc39.es/ecma262/#sec-ordinarytoprimitive).
		const valueOf = v.valueOf;
		if (typeof valueOf === "function") {
			const p = apply(valueOf, v, []);
			if (typeof p !== "object" && typeof p !== "function" || p === null) return p;
		}
		const toString = v.toString;
		if (typeof toString === "function") {
			const p = apply(toString, v, []);
			if (typeof p !== "object" && typeof p !== "function" || p === null) return p;
		}
		throw new TypeError("Cannot convert object to primitive value");
	};
	return {
		// https://tc39.es/ecma262/#sec-object-type
		isObject: (v) => typeof v === "object" && v !== null || typeof v === "function",
		// IsConstructor (https://tc39.es/ecma262/#sec-isconstructor).
		isConstructor: (f) => {
			try {
				construct(String, [], f);
				return true;
			} catch {
				return false;
			}
		},
		// ToIntegerOrInfinity (https://tc39.es/ecma262/#sec-tointegerorinfinity).
		toInteger: (v) => {
			const n = +v;
			return n !== n ? 0 : trunc(n) + 0;
		},
		// ToPrimitive(v, number) (https://tc39.es/ecma262/#sec-toprimitive).
		toPrimitive,
		// ToBigInt (https://tc39.es/ecma262/#sec-tobigint): BigInt converts the
		// primitives ToBigInt does but Numbers, and throws for the others.
		toBigInt: (v) => {
			const p = toPrimitive(v);
			if (typeof p === "number") throw new TypeError(`Cannot convert ${p} to a BigInt`);
			return BigIntOf(p);
		},
		// ToIndex (https://tc39.es/ecma262/#sec-toindex), with the RangeError's message.
		toIndex: (v, message) => {
			const v2 = +v;
			const n = v2 !== v2 ? 0 : trunc(v2) + 0;
			if (n < 0 || n > MAX_SAFE_INTEGER) throw new RangeError(message);
			return n;
		},
	};
})()
