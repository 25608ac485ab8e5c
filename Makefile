# Thin front door: installs dependencies, then drives cmake/ctest through the presets.
PRESET ?= release
BUILD := build/$(PRESET)
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
RUN_PAYLOAD ?= corpus/text/valid/drone-server.prom

.PHONY: deps configure build run test fuzz-smoke bench compare fuzz format format-check clean deb dist

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@echo "== promtool-cpp check metrics < $(RUN_PAYLOAD)   (drop-in for promtool; exit 3 = lint problems)"
	@$(BUILD)/promtool-cpp check metrics < $(RUN_PAYLOAD); rc=$$?; echo "exit code $$rc"; test $$rc -eq 3
	@echo "== promtool-cpp validate $(RUN_PAYLOAD)"
	@$(BUILD)/promtool-cpp validate $(RUN_PAYLOAD)
	@echo "== the same payload with Windows line endings"
	@sed 's/$$/\r/' $(RUN_PAYLOAD) | $(BUILD)/promtool-cpp validate - ; test $$? -eq 1

FUZZ_TARGETS := $(basename $(notdir $(wildcard fuzz/fuzz_*.cc)))

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory fuzz-smoke

# Each libFuzzer target for a short deterministic run (clang, ASan + UBSan): see fuzz/CMakeLists.txt.
fuzz-smoke: deps
	@if command -v clang++ >/dev/null 2>&1; then \
	  cmake --preset fuzz >/dev/null && cmake --build build/fuzz -j $(JOBS) --target $(FUZZ_TARGETS) && \
	  cd build/fuzz && ctest -L '^fuzz$$' --output-on-failure -j $(JOBS); \
	else echo "fuzz-smoke: clang++ not found, skipped"; fi

BENCHES := bench_text_parser bench_openmetrics bench_convert

bench: configure
	@cmake --build $(BUILD) --target $(BENCHES) -j $(JOBS)
	@for b in $(BENCHES); do $(BUILD)/bench/$$b $(or $(BENCH_ARGS),--benchmark_repetitions=5 --benchmark_report_aggregates_only=true) || exit 1; done

compare: configure
	@cmake --build $(BUILD) --target promtool-cpp promtool-gen -j $(JOBS)
	@bash bench/compare.sh $(BUILD)

fuzz:
	@bash scripts/install-deps.sh
	@cmake --preset fuzz >/dev/null && cmake --build build/fuzz -j $(JOBS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash fuzz/run.sh build/fuzz

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

format-check:
	@git ls-files '*.cc' '*.h' | xargs clang-format --dry-run -Werror

# The Debian package of the CLI (binary, man pages, completions, docs) in $(BUILD)/.
deb: configure
	@cmake --build $(BUILD) -j $(JOBS) --target promtool-cpp cli_docs
	@cd $(BUILD) && cpack -G DEB

# As static as Debian 12's archives allow (see dist/make-dist.sh), and a tarball with the rest, in
# build/dist/: links the release build's objects, nothing is recompiled.
dist: configure
	@cmake --build $(BUILD) -j $(JOBS) --target promtool-cpp
	@bash dist/make-dist.sh $(BUILD) build/dist

clean:
	@rm -rf build
