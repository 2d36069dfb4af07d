# Everyday commands. A fresh machine needs only Go (see go.mod for the version).
GO ?= go

.PHONY: demo test wpt wpt-all test262 test262-update test262-compare build bench fmt

demo:
	$(GO) run ./examples/demo

# test checks formatting with gofmt and that go.mod and go.sum are tidy, builds
# every package for Windows and macOS (objects discarded), then runs go vet, the
# tests of every package with the race detector, and make wpt. The tests include a
# sample of test262 (scripts/test262's package test: some 750 files, about 20 CPU-seconds
# under the race detector, 45 s measured on a loaded 2-core machine).
test:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) mod tidy -diff
	GOOS=windows GOARCH=amd64 $(GO) build ./...
	GOOS=darwin GOARCH=arm64 $(GO) build ./...
	$(GO) vet ./...
	$(GO) test -race -timeout 25m ./...
	$(MAKE) wpt

# wpt runs the web-platform-tests (from ../shared/wpt) of websockets/ and of the web
# APIs around it, and fails on any result the expectations files
# (wpt-runner/expectations/<directory>.json) do not record. Most websockets/ tests wait
# on the network or on timers, so six run at once even on two cores (45 s for that
# directory on an idle 2-core machine, about 3 minutes for the others listed in
# WPT_DIRS); timeouts, and testharness.js's step_timeout delays with them, are 1.5
# times upstream's so that a loaded machine does not turn slow passes, such as the
# idlharness tests parsing IDL files in goja, into timeouts. wpt-all adds the legacy
# multi-byte encoding pages of Japanese, Korean and traditional Chinese, whose tens of
# thousands of subtests (most of them needing a document) take some 15 CPU-minutes.
WPT_DIRS ?= FileAPI compression dom/events dom/abort webmessaging \
	html/webappapis hr-time console webidl/ecmascript-binding streams url encoding
WPT_LEGACY_MB = encoding/legacy-mb-japanese encoding/legacy-mb-korean encoding/legacy-mb-tchinese
#
# websockets/ runs in a process of its own, first: its pages that build strings in long
# loops (Send-65K-data) slow down several times in a runner whose heap holds what two
# thousand other pages left (the collector has more to scan) and then time out.
wpt:
	$(GO) run ./wpt-runner -j 6 --timeout-multiplier 1.5 websockets
	$(GO) run ./wpt-runner -j 6 --timeout-multiplier 1.5 $(addprefix --skip ,$(WPT_LEGACY_MB)) $(WPT_DIRS)

wpt-all: wpt
	$(GO) run ./wpt-runner -j 6 --timeout-multiplier 1.5 $(WPT_LEGACY_MB)

# test262 runs test262's test/built-ins (without Temporal), test/language and
# test/annexB from ../shared/test262 in wsjs, each test in a fresh runtime and loaded
# as RunScript loads a script, and fails on any failure that
# scripts/test262/expectations.txt does not list. Its 44,000 files take some 7 CPU-minutes,
# about 4 minutes on an idle 2-core machine (12 to 29 minutes measured on a loaded one).
# test262-update rewrites that file from a full run, keeping the reasons given and
# marking new entries "TODO:" for a person to replace with a reason; run it after a
# change to the built-ins or the loader. test262-compare prints files passing per
# directory and per feature in wsjs, plain goja and Node.js.
test262:
	$(GO) run ./scripts/test262

test262-update:
	$(GO) run ./scripts/test262 -update

test262-compare:
	$(GO) run ./scripts/test262 -engine wsjs,goja,node -summary

build:
	$(GO) build -o bin/wsjs ./cmd/wsjs

bench: build
	scripts/bench

fmt:
	gofmt -w $$(git ls-files '*.go')

.PHONY: fuzz soak

# fuzz runs each fuzz target of each package for FUZZTIME, one after the other
# (`make test` only replays their seed corpora and the inputs kept in testdata).
# A failing input is written to the package's testdata/fuzz and fails the run.
# Fuzzing uses Go 1.27.4, which `go` downloads through the module proxy on first
# use: Go 1.26's fuzzing coordinator can fail a target with "context deadline
# exceeded", and no failing input, when FUZZTIME ends while a worker is busy
# (golang/go#75804, fixed in 1.27). Where that download fails, the local Go is
# used, and says so.
FUZZTIME ?= 10s
FUZZTIMEOUT ?= 30m
FUZZTOOLCHAIN ?= go1.27.4
fuzz:
	@set -e; fuzzgo="env GOTOOLCHAIN=$(FUZZTOOLCHAIN) $(GO)"; \
	if ! $$fuzzgo version; then \
		echo "make fuzz: could not get $(FUZZTOOLCHAIN); fuzzing with $$($(GO) env GOVERSION), which has golang/go#75804"; fuzzgo="$(GO)"; \
	fi; \
	for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$target ($(FUZZTIME))"; out=$$(mktemp); \
			if $$fuzzgo test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 100x -timeout $(FUZZTIMEOUT) $$pkg > $$out 2>&1; then \
				tail -n 3 $$out; rm -f $$out; \
			else \
				cat $$out; rm -f $$out; exit 1; \
			fi; \
		done; \
	done

# soak runs the load and soak tests, which `make test` leaves out: 10,000 concurrent
# WebSocket connections, 100,000 connect/close cycles and 1,000,000 messages in one
# runtime, with memory and goroutines checked afterwards, and the Autobahn-style client
# cases at Autobahn's sizes (messages of up to 16 MiB, every compression case).
soak:
	$(GO) test -tags soak -run '^TestSoak' -count=1 -timeout 30m -v ./bindings/websocket/
