// The ECMAScript abstract operations the built-ins written in JavaScript
// share, evaluated once per realm and passed to each of them.
(() => ({
	// https://tc39.es/ecma262/#sec-object-type
	isObject: (v) => typeof v === "object" && v !== null || typeof v === "function",
	// IsConstructor (https://tc39.es/ecma262/#sec-isconstructor).
	isConstructor: (f) => {
		try {
			Reflect.construct(String, [], f);
			return true;
		} catch {
			return false;
		}
	},
	// ToIntegerOrInfinity (https://tc39.es/ecma262/#sec-tointegerorinfinity).
	toInteger: (v) => {
		const n = +v;
		return n !== n ? 0 : Math.trunc(n) + 0;
	},
	// ToIndex (https://tc39.es/ecma262/#sec-toindex), with the RangeError's message.
	toIndex: (v, message) => {
		const v2 = +v;
		const n = v2 !== v2 ? 0 : Math.trunc(v2) + 0;
		if (n < 0 || n > Number.MAX_SAFE_INTEGER) throw new RangeError(message);
		return n;
	},
}))()
