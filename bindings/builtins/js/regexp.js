// RegExp (https://tc39.es/ecma262/#sec-regexp-regular-expression-objects) over
// regexp.go's matcher: the constructor, RegExp.prototype.compile and
// RegExp.prototype[Symbol.split]. The constructor replaces goja's; its
// instances are goja RegExp objects (so they are RegExp objects to every
// built-in that asks) whose pattern goja never matches: their source, flags
// and matcher are slots regexp.go keeps, and exec, test and the getters it
// defines on RegExp.prototype read them. Symbol.match, replace, search and
// matchAll take the spec's steps below (regexpSteps), which regexp_symbols.go
// calls for every receiver but a RegExp object whose exec is
// RegExp.prototype.exec: goja's own, its loop in Go, serve that one.
(function (native) {
	"use strict";
	const OriginalRegExp = globalThis.RegExp;
	const proto = OriginalRegExp.prototype;
	const { apply, construct, getOwnPropertyDescriptor: getOwn, defineProperty } = Reflect;
	// What the steps below call is taken now, before any script runs, so that
	// a script that replaces a built-in (String.prototype.includes, the array
	// iterator's next) changes none of them; the steps use no array
	// iteration, spread or push.
	const { min, max, trunc } = Math;
	const { is: sameValue, create: objectCreate } = Object;
	const stringMethods = String.prototype;
	const { includes: stringIncludes, substring: stringSubstring, indexOf: stringIndexOf, charCodeAt: stringCharCodeAt } = stringMethods;
	const includes = (s, t) => apply(stringIncludes, s, [t]);
	const substring = (s, start, end) => apply(stringSubstring, s, end === undefined ? [start] : [start, end]);
	const indexOf = (s, t, from) => apply(stringIndexOf, s, [t, from]);
	const charCodeAt = (s, i) => apply(stringCharCodeAt, s, [i]);
	const weakMapGet = WeakMap.prototype.get, weakMapSet = WeakMap.prototype.set;
	const { slotsOf, initialize, splitFind, isConstructor } = native;
	const gojaMatchAll = proto[Symbol.matchAll];
	const builtinExec = proto.exec;
	const matchSymbol = Symbol.match;
	const MAX_UINT32 = 2 ** 32 - 1;
	const push = (a, v) => defineProperty(a, a.length, { value: v, writable: true, enumerable: true, configurable: true });

	// IsRegExp (https://tc39.es/ecma262/#sec-isregexp).
	const isRegExp = (argument) => {
		if (typeof argument !== "object" && typeof argument !== "function" || argument === null) {
			return false;
		}
		const matcher = argument[matchSymbol];
		if (matcher !== undefined) {
			return !!matcher;
		}
		return slotsOf(argument) !== undefined;
	};

	// RegExp(pattern, flags) (https://tc39.es/ecma262/#sec-regexp-pattern-flags).
	function RegExp(pattern, flags) {
		const patternIsRegExp = isRegExp(pattern);
		let newTarget = new.target;
		if (newTarget === undefined) {
			newTarget = RegExp;
			if (patternIsRegExp && flags === undefined) {
				const patternConstructor = pattern.constructor;
				if (patternConstructor === newTarget) {
					return pattern;
				}
			}
		}
		let P, F;
		const patternSlots = slotsOf(pattern);
		if (patternSlots !== undefined) {
			P = patternSlots[0];
			F = flags === undefined ? patternSlots[1] : flags;
		} else if (patternIsRegExp) {
			P = pattern.source;
			F = flags === undefined ? pattern.flags : flags;
		} else {
			P = pattern;
			F = flags;
		}
		// RegExpAlloc (https://tc39.es/ecma262/#sec-regexpalloc): a goja RegExp
		// object with new.target's prototype and lastIndex.
		const O = construct(OriginalRegExp, [], newTarget);
		if (newTarget !== RegExp) {
			native.disableLegacy(O); // regexp_legacy.go
		}
		// RegExpInitialize (https://tc39.es/ecma262/#sec-regexpinitialize).
		initialize(O, P === undefined ? "" : `${P}`, F === undefined ? "" : `${F}`);
		O.lastIndex = 0;
		return O;
	}
	defineProperty(RegExp, "prototype", { value: proto, writable: false, enumerable: false, configurable: false });
	defineProperty(proto, "constructor", { value: RegExp, writable: true, enumerable: false, configurable: true });
	for (const key of Reflect.ownKeys(OriginalRegExp)) {
		if (key !== "prototype" && key !== "name" && key !== "length") {
			defineProperty(RegExp, key, getOwn(OriginalRegExp, key));
		}
	}

	const methods = {
		// RegExp.prototype.compile (https://tc39.es/ecma262/#sec-regexp.prototype.compile).
		compile(pattern, flags) {
			const O = this;
			if (slotsOf(O) === undefined) {
				throw new TypeError("RegExp.prototype.compile called on an object that is not a RegExp");
			}
			if (!native.legacyEnabled(O)) {
				throw new TypeError("RegExp.prototype.compile called on an instance of a RegExp subclass");
			}
			let P, F;
			const patternSlots = slotsOf(pattern);
			if (patternSlots !== undefined) {
				if (flags !== undefined) {
					throw new TypeError("Cannot supply flags when constructing one RegExp from another");
				}
				P = patternSlots[0];
				F = patternSlots[1];
			} else {
				P = pattern;
				F = flags;
			}
			initialize(O, P === undefined ? "" : `${P}`, F === undefined ? "" : `${F}`);
			O.lastIndex = 0;
			return O;
		},
		// RegExp.prototype[Symbol.split] (https://tc39.es/ecma262/#sec-regexp.prototype-%symbol.split%).
		[Symbol.split](string, limit) {
			const rx = this;
			requireObject(rx, "Symbol.split");
			const S = `${string}`;
			const C = speciesConstructor(rx);
			const flags = `${rx.flags}`;
			const unicodeMatching = includes(flags, "u") || includes(flags, "v");
			const newFlags = includes(flags, "y") ? flags : flags + "y";
			const splitter = construct(C, [rx, newFlags]);
			const A = [];
			const lim = limit === undefined ? MAX_UINT32 : limit >>> 0;
			if (lim === 0) {
				return A;
			}
			const size = S.length;
			if (size === 0) {
				if (regExpExec(splitter, S) === null) {
					push(A, S);
				}
				return A;
			}
			let p = 0;
			let q = p;
			if (splitter.exec === builtinExec && slotsOf(splitter) !== undefined) {
				// Trying the splitter at each q runs no script: the next match
				// is found by one search instead.
				while (q < size) {
					const r = splitFind(splitter, S, q);
					if (r === null || r[0] >= size) {
						break;
					}
					const e = min(r[1], size);
					if (e === p) {
						q = advance(S, r[0], unicodeMatching);
						continue;
					}
					push(A, substring(S, p, r[0]));
					if (A.length === lim) {
						return A;
					}
					p = e;
					for (let i = 2; i < r.length; i++) {
						push(A, r[i]);
						if (A.length === lim) {
							return A;
						}
					}
					q = p;
				}
				push(A, substring(S, p, size));
				return A;
			}
			while (q < size) {
				splitter.lastIndex = q;
				const z = regExpExec(splitter, S);
				if (z === null) {
					q = advance(S, q, unicodeMatching);
					continue;
				}
				const e = min(toLength(splitter.lastIndex), size);
				if (e === p) {
					q = advance(S, q, unicodeMatching);
					continue;
				}
				push(A, substring(S, p, q));
				if (A.length === lim) {
					return A;
				}
				p = e;
				const numberOfCaptures = max(toLength(z.length) - 1, 0);
				for (let i = 1; i <= numberOfCaptures; i++) {
					push(A, z[i]);
					if (A.length === lim) {
						return A;
					}
				}
				q = p;
			}
			push(A, substring(S, p, size));
			return A;
		},
	};
	// The steps of RegExp.prototype[Symbol.match], matchAll, replace and search,
	// which regexp_symbols.go calls.
	native.regexpSteps = {
		// RegExp.prototype[Symbol.match] (https://tc39.es/ecma262/#sec-regexp.prototype-%symbol.match%).
		match(string) {
			const rx = this;
			requireObject(rx, "Symbol.match");
			const S = `${string}`;
			const flags = `${rx.flags}`;
			if (!includes(flags, "g")) {
				return regExpExec(rx, S);
			}
			const fullUnicode = includes(flags, "u") || includes(flags, "v");
			rx.lastIndex = 0;
			const A = [];
			for (let n = 0; ; n++) {
				const result = regExpExec(rx, S);
				if (result === null) {
					return n === 0 ? null : A;
				}
				const matchStr = `${result[0]}`;
				push(A, matchStr);
				if (matchStr === "") {
					rx.lastIndex = advance(S, toLength(rx.lastIndex), fullUnicode);
				}
			}
		},
		// RegExp.prototype[Symbol.matchAll] (https://tc39.es/ecma262/#sec-regexp-prototype-%symbol.matchall%).
		matchAll(string) {
			const R = this;
			requireObject(R, "Symbol.matchAll");
			const S = `${string}`;
			const C = speciesConstructor(R);
			const flags = `${R.flags}`;
			const matcher = construct(C, [R, flags]);
			matcher.lastIndex = toLength(R.lastIndex);
			const global = includes(flags, "g");
			const fullUnicode = includes(flags, "u") || includes(flags, "v");
			// CreateRegExpStringIterator (https://tc39.es/ecma262/#sec-createregexpstringiterator).
			const it = objectCreate(stringIteratorProto);
			apply(weakMapSet, iterators, [it, { R: matcher, S, global, fullUnicode, done: false }]);
			return it;
		},
		// RegExp.prototype[Symbol.replace] (https://tc39.es/ecma262/#sec-regexp.prototype-%symbol.replace%).
		replace(string, replaceValue) {
			const rx = this;
			requireObject(rx, "Symbol.replace");
			const S = `${string}`;
			const lengthS = S.length;
			const functionalReplace = typeof replaceValue === "function";
			if (!functionalReplace) {
				replaceValue = `${replaceValue}`;
			}
			const flags = `${rx.flags}`;
			const global = includes(flags, "g");
			let fullUnicode = false;
			if (global) {
				fullUnicode = includes(flags, "u") || includes(flags, "v");
				rx.lastIndex = 0;
			}
			const results = [];
			for (;;) {
				const result = regExpExec(rx, S);
				if (result === null) {
					break;
				}
				push(results, result);
				if (!global) {
					break;
				}
				const matchStr = `${result[0]}`;
				if (matchStr === "") {
					rx.lastIndex = advance(S, toLength(rx.lastIndex), fullUnicode);
				}
			}
			let accumulatedResult = "";
			let nextSourcePosition = 0;
			for (let k = 0; k < results.length; k++) {
				const result = results[k];
				const nCaptures = max(toLength(result.length) - 1, 0);
				const matched = `${result[0]}`;
				const matchLength = matched.length;
				const position = max(min(toInteger(result.index), lengthS), 0);
				const captures = [];
				for (let n = 1; n <= nCaptures; n++) {
					const capN = result[n];
					push(captures, capN === undefined ? capN : `${capN}`);
				}
				let namedCaptures = result.groups;
				let replacement;
				if (functionalReplace) {
					const replacerArgs = [matched];
					for (let n = 0; n < captures.length; n++) {
						push(replacerArgs, captures[n]);
					}
					push(replacerArgs, position);
					push(replacerArgs, S);
					if (namedCaptures !== undefined) {
						push(replacerArgs, namedCaptures);
					}
					replacement = `${apply(replaceValue, undefined, replacerArgs)}`;
				} else {
					if (namedCaptures === null) {
						throw new TypeError("Cannot convert null to object");
					}
					replacement = getSubstitution(matched, S, position, captures, namedCaptures, replaceValue);
				}
				if (position >= nextSourcePosition) {
					accumulatedResult += substring(S, nextSourcePosition, position) + replacement;
					nextSourcePosition = position + matchLength;
				}
			}
			if (nextSourcePosition >= lengthS) {
				return accumulatedResult;
			}
			return accumulatedResult + substring(S, nextSourcePosition);
		},
		// RegExp.prototype[Symbol.search] (https://tc39.es/ecma262/#sec-regexp.prototype-%symbol.search%).
		search(string) {
			const rx = this;
			requireObject(rx, "Symbol.search");
			const S = `${string}`;
			const previousLastIndex = rx.lastIndex;
			if (!sameValue(previousLastIndex, 0)) {
				rx.lastIndex = 0;
			}
			const result = regExpExec(rx, S);
			const currentLastIndex = rx.lastIndex;
			if (!sameValue(currentLastIndex, previousLastIndex)) {
				rx.lastIndex = previousLastIndex;
			}
			return result === null ? -1 : result.index;
		},
	};
	const requireObject = (v, name) => {
		if (typeof v !== "object" && typeof v !== "function" || v === null) {
			throw new TypeError(`RegExp.prototype[${name}] called on a non-object`);
		}
	};
	// SpeciesConstructor(O, %RegExp%) (https://tc39.es/ecma262/#sec-speciesconstructor).
	const speciesConstructor = (O) => {
		const C = O.constructor;
		if (C === undefined) {
			return RegExp;
		}
		if (typeof C !== "object" && typeof C !== "function" || C === null) {
			throw new TypeError("constructor is not an object");
		}
		const S = C[Symbol.species];
		if (S === undefined || S === null) {
			return RegExp;
		}
		if (!isConstructor(S)) {
			throw new TypeError("Symbol.species is not a constructor");
		}
		return S;
	};
	// ToIntegerOrInfinity (https://tc39.es/ecma262/#sec-tointegerorinfinity).
	const toInteger = (v) => {
		const n = +v;
		return n !== n ? 0 : trunc(n);
	};
	// GetSubstitution (https://tc39.es/ecma262/#sec-getsubstitution).
	const getSubstitution = (matched, str, position, captures, namedCaptures, template) => {
		if (!includes(template, "$")) {
			return template;
		}
		const stringLength = str.length;
		let result = "";
		let i = 0;
		while (i < template.length) {
			const c = template[i];
			const d = template[i + 1];
			if (c !== "$" || d === undefined) {
				result += c;
				i++;
			} else if (d === "$") {
				result += "$";
				i += 2;
			} else if (d === "`") {
				result += substring(str, 0, position);
				i += 2;
			} else if (d === "&") {
				result += matched;
				i += 2;
			} else if (d === "'") {
				result += substring(str, min(position + matched.length, stringLength));
				i += 2;
			} else if (d >= "0" && d <= "9") {
				const e = template[i + 2];
				let digitCount = e !== undefined && e >= "0" && e <= "9" ? 2 : 1;
				let index = +substring(template, i + 1, i + 1 + digitCount);
				if (index > captures.length && digitCount === 2) {
					digitCount = 1;
					index = +d;
				}
				if (index >= 1 && index <= captures.length) {
					const capture = captures[index - 1];
					result += capture === undefined ? "" : capture;
				} else {
					result += substring(template, i, i + 1 + digitCount);
				}
				i += 1 + digitCount;
			} else if (d === "<") {
				const gtPos = indexOf(template, ">", i);
				if (gtPos === -1 || namedCaptures === undefined) {
					result += "$<";
					i += 2;
				} else {
					const capture = namedCaptures[substring(template, i + 2, gtPos)];
					result += capture === undefined ? "" : `${capture}`;
					i = gtPos + 1;
				}
			} else {
				result += "$";
				i++;
			}
		}
		return result;
	};
	// %RegExpStringIteratorPrototype% is goja's; its next takes the spec's
	// steps for the iterators made above and calls goja's for goja's.
	const stringIteratorProto = Object.getPrototypeOf(apply(gojaMatchAll, construct(OriginalRegExp, []), [""]));
	const gojaNext = stringIteratorProto.next;
	const iterators = new WeakMap();
	const iteratorMethods = {
		// %RegExpStringIteratorPrototype%.next (https://tc39.es/ecma262/#sec-%regexpstringiteratorprototype%.next).
		next() {
			const state = apply(weakMapGet, iterators, [this]);
			if (state === undefined) {
				return apply(gojaNext, this, []);
			}
			if (state.done) {
				return { value: undefined, done: true };
			}
			const match = regExpExec(state.R, state.S);
			if (match === null) {
				state.done = true;
				return { value: undefined, done: true };
			}
			if (!state.global) {
				state.done = true;
				return { value: match, done: false };
			}
			const matchStr = `${match[0]}`;
			if (matchStr === "") {
				state.R.lastIndex = advance(state.S, toLength(state.R.lastIndex), state.fullUnicode);
			}
			return { value: match, done: false };
		},
	};
	defineProperty(stringIteratorProto, "next", { value: iteratorMethods.next, writable: true, enumerable: false, configurable: true });
	const toLength = (v) => {
		const n = trunc(+v);
		return n > 0 ? min(n, 2 ** 53 - 1) : 0;
	};
	// AdvanceStringIndex (https://tc39.es/ecma262/#sec-advancestringindex).
	const advance = (S, index, unicode) => {
		if (!unicode || index + 1 >= S.length) {
			return index + 1;
		}
		const c = charCodeAt(S, index);
		const d = charCodeAt(S, index + 1);
		return c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? index + 2 : index + 1;
	};
	// RegExpExec (https://tc39.es/ecma262/#sec-regexpexec).
	const regExpExec = (R, S) => {
		const exec = R.exec;
		if (typeof exec === "function") {
			const result = apply(exec, R, [S]);
			if (typeof result !== "object" && typeof result !== "function") {
				throw new TypeError("exec returned neither an object nor null");
			}
			return result;
		}
		return native.builtinExec(R, S);
	};
	for (const key of ["compile", Symbol.split]) {
		defineProperty(proto, key, { value: methods[key], writable: true, enumerable: false, configurable: true });
	}
	globalThis.RegExp = RegExp;
});
