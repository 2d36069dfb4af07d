# Everyday commands. A fresh machine needs only Go (see go.mod for the version).
GO ?= go

.PHONY: demo test wpt build bench fmt

demo:
	$(GO) run ./examples/demo

test:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -race ./...
	$(MAKE) wpt

# wpt runs the web-platform-tests websockets/ directory (from ../shared/wpt) and fails
# on any result its expectations file does not record. Most tests wait on the network or
# on timers, so six run at once even on two cores (45 s for the whole directory on an
# idle 2-core machine); timeouts, and testharness.js's step_timeout delays with them,
# are 1.5 times upstream's so that a loaded machine does not turn slow passes, such as
# idlharness.any.js parsing the IDL files in goja, into timeouts.
wpt:
	$(GO) run ./wpt-runner -j 6 --timeout-multiplier 1.5

build:
	$(GO) build -o bin/wsjs ./cmd/wsjs

bench: build
	scripts/bench

fmt:
	gofmt -w $$(git ls-files '*.go')

.PHONY: fuzz soak

# fuzz runs each fuzz target of each package for FUZZTIME, one after the other
# (`make test` only replays their seed corpora and the inputs kept in testdata).
# A failing input is written to the package's testdata/fuzz and fails the run. Go
# 1.26 may also report "context deadline exceeded" when FUZZTIME ends while a worker
# is busy (golang/go#75804); without a failing input that is only reported.
FUZZTIME ?= 10s
FUZZTIMEOUT ?= 30m
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$target ($(FUZZTIME))"; \
			before=$$(ls $$dir/testdata/fuzz/$$target 2>/dev/null | wc -l); out=$$(mktemp); \
			if $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 100x -timeout $(FUZZTIMEOUT) $$pkg > $$out 2>&1; then \
				tail -n 3 $$out; \
			else \
				cat $$out; \
				if [ "$$(ls $$dir/testdata/fuzz/$$target 2>/dev/null | wc -l)" != "$$before" ] || ! grep -q 'context deadline exceeded' $$out; then rm -f $$out; exit 1; fi; \
				echo "== $$target: no failing input; the error above is the end-of-fuzzing race of golang/go#75804"; \
			fi; rm -f $$out; \
		done; \
	done

# soak runs the load and soak tests, which `make test` leaves out: 10,000 concurrent
# WebSocket connections, 100,000 connect/close cycles and 1,000,000 messages in one
# runtime, with memory and goroutines checked afterwards.
soak:
	$(GO) test -tags soak -run '^TestSoak' -count=1 -timeout 30m -v ./bindings/websocket/
