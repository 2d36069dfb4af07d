// RegExp (https://tc39.es/ecma262/#sec-regexp-regular-expression-objects) over
// regexp.go's matcher. The constructor replaces goja's; its instances are
// goja RegExp objects (so they are RegExp objects to every built-in that
// asks) whose pattern goja never matches: their source, flags and matcher
// live in slots here, and exec, test, compile and the flag getters of
// RegExp.prototype read them. RegExp objects goja made itself (from literals)
// get their slots the first time one of these asks. Symbol.match, replace,
// search, split and matchAll stay goja's: once exec is replaced they take the
// spec's steps through it.
(function (native) {
	"use strict";
	const OriginalRegExp = globalThis.RegExp;
	const proto = OriginalRegExp.prototype;
	const { apply, construct, getOwnPropertyDescriptor: getOwn, defineProperty } = Reflect;
	const WeakMapProto = WeakMap.prototype;
	const slots = new WeakMap();
	const slotGet = WeakMapProto.get, slotSet = WeakMapProto.set, slotHas = WeakMapProto.has;
	const getter = (name) => getOwn(proto, name).get;
	// goja's own getters read goja's slots; they tell its RegExp objects apart.
	const gojaSource = getter("source");
	const gojaFlags = ["global", "ignoreCase", "multiline", "dotAll", "unicode", "sticky"].map(getter);
	const gojaLetters = "gimsuy";
	const matchSymbol = Symbol.match;

	// The slots of R: { source, flags, matcher }, or undefined if R is no
	// RegExp object. A RegExp object goja made gets them from its own.
	const slotOf = (R) => {
		if (typeof R !== "object" && typeof R !== "function" || R === null) {
			return undefined;
		}
		let s = apply(slotGet, slots, [R]);
		if (s === undefined && R !== proto) {
			let source;
			try {
				source = apply(gojaSource, R, []);
			} catch {
				return undefined;
			}
			let flags = "";
			for (let i = 0; i < gojaFlags.length; i++) {
				if (apply(gojaFlags[i], R, [])) {
					flags += gojaLetters[i];
				}
			}
			s = initialize(source, flags);
			apply(slotSet, slots, [R, s]);
		}
		return s;
	};

	// RegExpInitialize (https://tc39.es/ecma262/#sec-regexpinitialize), up to
	// setting lastIndex: the slots of pattern P and flags F.
	const initialize = (P, F) => {
		const source = P === undefined ? "" : `${P}`;
		const flags = F === undefined ? "" : `${F}`;
		const matcher = native.compile(source, flags);
		if (typeof matcher === "string") {
			throw new SyntaxError(matcher);
		}
		return { source, flags, matcher };
	};

	// IsRegExp (https://tc39.es/ecma262/#sec-isregexp).
	const isRegExp = (argument) => {
		if (typeof argument !== "object" && typeof argument !== "function" || argument === null) {
			return false;
		}
		const matcher = argument[matchSymbol];
		if (matcher !== undefined) {
			return !!matcher;
		}
		return slotOf(argument) !== undefined;
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
		const patternSlots = slotOf(pattern);
		if (patternSlots !== undefined) {
			P = patternSlots.source;
			F = flags === undefined ? patternSlots.flags : flags;
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
		apply(slotSet, slots, [O, initialize(P, F)]);
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

	const thisSlots = (R, method) => {
		const s = slotOf(R);
		if (s === undefined) {
			throw new TypeError(`RegExp.prototype.${method} called on an object that is not a RegExp`);
		}
		return s;
	};

	const methods = {
		// RegExp.prototype.exec (https://tc39.es/ecma262/#sec-regexp.prototype.exec).
		exec(string) {
			const s = thisSlots(this, "exec");
			return native.exec(this, s.matcher, `${string}`);
		},
		// RegExp.prototype.test (https://tc39.es/ecma262/#sec-regexp.prototype.test).
		test(S) {
			const R = this;
			if (typeof R !== "object" && typeof R !== "function" || R === null) {
				throw new TypeError("RegExp.prototype.test called on a non-object");
			}
			const string = `${S}`;
			// RegExpExec (https://tc39.es/ecma262/#sec-regexpexec).
			const exec = R.exec;
			if (typeof exec === "function") {
				const result = apply(exec, R, [string]);
				if (typeof result !== "object" && typeof result !== "function") {
					throw new TypeError("exec returned neither an object nor null");
				}
				return result !== null;
			}
			return native.exec(R, thisSlots(R, "test").matcher, string) !== null;
		},
		// RegExp.prototype.compile (https://tc39.es/ecma262/#sec-regexp.prototype.compile).
		compile(pattern, flags) {
			const O = this;
			thisSlots(O, "compile");
			let P, F;
			const patternSlots = slotOf(pattern);
			if (patternSlots !== undefined) {
				if (flags !== undefined) {
					throw new TypeError("Cannot supply flags when constructing one RegExp from another");
				}
				P = patternSlots.source;
				F = patternSlots.flags;
			} else {
				P = pattern;
				F = flags;
			}
			apply(slotSet, slots, [O, initialize(P, F)]);
			O.lastIndex = 0;
			return O;
		},
	};
	for (const name of ["exec", "test", "compile"]) {
		defineProperty(proto, name, { value: methods[name], writable: true, enumerable: false, configurable: true });
	}

	const accessors = {
		// get RegExp.prototype.source (https://tc39.es/ecma262/#sec-get-regexp.prototype.source).
		get source() {
			const R = this;
			if (typeof R !== "object" && typeof R !== "function" || R === null) {
				throw new TypeError("RegExp.prototype.source getter called on a non-object");
			}
			const s = slotOf(R);
			if (s === undefined) {
				if (R === proto) {
					return "(?:)";
				}
				throw new TypeError("RegExp.prototype.source getter called on an object that is not a RegExp");
			}
			return native.escapeSource(s.source);
		},
		// get RegExp.prototype.flags (https://tc39.es/ecma262/#sec-get-regexp.prototype.flags).
		get flags() {
			const R = this;
			if (typeof R !== "object" && typeof R !== "function" || R === null) {
				throw new TypeError("RegExp.prototype.flags getter called on a non-object");
			}
			let result = "";
			if (R.hasIndices) result += "d";
			if (R.global) result += "g";
			if (R.ignoreCase) result += "i";
			if (R.multiline) result += "m";
			if (R.dotAll) result += "s";
			if (R.unicode) result += "u";
			if (R.unicodeSets) result += "v";
			if (R.sticky) result += "y";
			return result;
		},
	};
	defineProperty(proto, "source", { get: getOwn(accessors, "source").get, enumerable: false, configurable: true });
	defineProperty(proto, "flags", { get: getOwn(accessors, "flags").get, enumerable: false, configurable: true });

	// RegExpHasFlag (https://tc39.es/ecma262/#sec-regexphasflag) behind the
	// getters of https://tc39.es/ecma262/#sec-get-regexp.prototype.global and
	// its siblings.
	const flagGetters = [
		["hasIndices", "d"], ["global", "g"], ["ignoreCase", "i"], ["multiline", "m"],
		["dotAll", "s"], ["unicode", "u"], ["unicodeSets", "v"], ["sticky", "y"],
	];
	for (const [name, letter] of flagGetters) {
		const get = {
			get [name]() {
				const R = this;
				if (typeof R !== "object" && typeof R !== "function" || R === null) {
					throw new TypeError(`RegExp.prototype.${name} getter called on a non-object`);
				}
				const s = slotOf(R);
				if (s === undefined) {
					if (R === proto) {
						return undefined;
					}
					throw new TypeError(`RegExp.prototype.${name} getter called on an object that is not a RegExp`);
				}
				return s.flags.includes(letter);
			},
		};
		defineProperty(proto, name, { get: getOwn(get, name).get, enumerable: false, configurable: true });
	}
	globalThis.RegExp = RegExp;
	// What regexp.go calls to see whether the script was interrupted: calling
	// script fails at once if it was.
	return () => {};
});
