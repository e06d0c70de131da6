# Two commands: `make demo` and `make test`. Both set up what they need once
# and are quick when already set up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# llama-cpp-python compiles from source (~6 min on 2 cores): build its wheel
# once into a wheelhouse outside the repo and reuse it from every clone.
WHEELHOUSE ?= $(HOME)/.cache/eventsum/wheels
LLAMA_VERSION := 0.3.36
# A portable build (AVX2, no AMX): llama.cpp's native AMX kernels segfault on machines whose
# CPU flags advertise AMX but whose kernel or VM does not grant the tile state.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
LLAMA_WHEEL_STAMP := $(WHEELHOUSE)/.llama-cpp-python-$(LLAMA_VERSION)-avx2
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench browser clean

setup: $(STAMP)

$(LLAMA_WHEEL_STAMP):
	@mkdir -p $(WHEELHOUSE)
	@echo "Building llama-cpp-python $(LLAMA_VERSION) once (about 6 minutes on 2 cores)..."
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip wheel --no-cache-dir --no-deps -w $(WHEELHOUSE) \
		llama-cpp-python==$(LLAMA_VERSION)
	@touch $@

$(STAMP): pyproject.toml $(LLAMA_WHEEL_STAMP)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --find-links $(WHEELHOUSE) -e '.[dev]'
	$(BIN)/pip install -q --force-reinstall --no-deps $(WHEELHOUSE)/llama_cpp_python-$(LLAMA_VERSION)-*.whl
	@touch $@

# Debian's chromium, for the HTML report test (skipped where it cannot be installed).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: the browser test will be skipped"

DEMO := runs/demo
# The main loop on the seed suite: a briefing, then runs of the offline pipeline and of two prompt
# versions on the embedded model, a report, and the paired comparison of the two prompt versions.
# Model answers are cached (~/.cache/eventsum/responses), so a second `make demo` is quick.
demo: setup
	$(BIN)/eventsum suites validate seeds
	$(BIN)/eventsum brief seeds/milley-zaluzhnyi-poland
	$(BIN)/eventsum eval run seeds --prompt crosssource --out $(DEMO)/crosssource --resume
	$(BIN)/eventsum eval run seeds --prompt summarize@v1 --out $(DEMO)/v1 --resume
	$(BIN)/eventsum eval run seeds --prompt summarize@v2 --out $(DEMO)/v2 --resume
	$(BIN)/eventsum eval report $(DEMO)/crosssource $(DEMO)/v1 $(DEMO)/v2 --html $(DEMO)/report.html
	$(BIN)/eventsum eval compare $(DEMO)/v1 $(DEMO)/v2

test: setup browser
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.brief_memory --mb 3

clean:
	rm -rf $(VENV)
