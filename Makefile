# Recurrent Neural Networks in TensorFlow 2: every command the course needs.
# `make help` lists them. Everything runs inside .venv, which the first command creates.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# nbgrader calls the `alembic` script next to the interpreter, so the venv goes first.
export PATH := $(CURDIR)/$(BIN):$(PATH)
# TensorFlow's C++ start-up messages are noise in logs; errors still show.
export TF_CPP_MIN_LOG_LEVEL ?= 2
# Set REQUIRE_GPU=1 on a GPU machine: installs TensorFlow's CUDA wheels and fails
# unless TensorFlow can see a GPU.
REQUIRE_GPU ?=
STAMP := $(VENV)/.installed$(if $(REQUIRE_GPU),-gpu)

.DEFAULT_GOAL := help
.PHONY: help env book test check test-grading test-assignments test-grader test-notebooks test-book lint unit notebooks book-strict check-gpu assignments setup-cells outputs bench \
	bench-grading grade export-grades extension limits sandbox export-student lock clean

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

env: $(STAMP)  ## create .venv with the pinned versions (the other commands do this first)

$(STAMP): requirements.txt requirements-lock.txt pyproject.toml ci/fast_imports.py
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] in ((3, 11), (3, 12)), \
	  f"Python 3.11 or 3.12 is needed, this is {sys.version.split()[0]}: make PYTHON=python3.11"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c requirements-lock.txt
	$(if $(REQUIRE_GPU),$(BIN)/python -m pip install --quiet "tensorflow[and-cuda]==2.21.0" -c requirements-lock.txt)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python ci/fast_imports.py
	touch $@

# Jupyter Book's cache keys on each notebook's own code; a change to the package the
# notebooks import must re-execute them all.
RNNBOOK_STAMP := _build/.rnnbook-stamp
$(RNNBOOK_STAMP): $(wildcard rnnbook/*.py)
	rm -rf _build/.jupyter_cache _build/.doctrees
	mkdir -p _build && touch $@

book: $(STAMP) $(RNNBOOK_STAMP)  ## execute every notebook (cached, one per core) and build the HTML book
	$(BIN)/python -m ci.execute_book
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"

test: $(STAMP)  ## everything CI checks: lint, unit and grading tests, notebooks, the book
	bash ci/run_tests.sh

check: $(STAMP)  ## the quick loop while writing (< 2 min): lint, clean notebooks, unit tests, book/package agreement, quizzes, exercises up to date
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests -m "not slow and not built" -n 2 -q

test-grading: test-assignments test-grader  ## both of the next two

test-assignments: $(STAMP)  ## every assignment (or ASSIGNMENT=name) graded in the sandbox: solution full marks, blank zero, each wrong answer loses its points
	bash ci/install_sandbox.sh
	$(BIN)/python -m pytest tests/assignments -m slow $(if $(ASSIGNMENT),-k $(ASSIGNMENT))

test-grader: $(STAMP)  ## the grader itself: a hostile class graded in the sandbox, the sandbox, the set-up cell on a Colab-like Python
	bash ci/install_sandbox.sh
	$(BIN)/python -m pytest tests -m slow --ignore=tests/assignments

test-notebooks: $(STAMP)  ## every solution notebook runs top to bottom (nbval), one per core; chapters: make book
	$(BIN)/python -m pytest --nbval-lax --nbval-cell-timeout=900 -n 2 --dist loadfile solutions

test-book: $(STAMP)  ## after make book: checked outputs against the book's execution; the book in Chromium
	bash ci/install_chromium.sh
	$(BIN)/python -m pytest tests -m built

lint: $(STAMP)  ## ruff over the package, the tests and every notebook
	$(BIN)/ruff check .

check-gpu: $(STAMP)  ## fail unless TensorFlow sees a GPU (the GPU runner's first step)
	$(BIN)/python ci/check_gpu.py

assignments: $(STAMP)  ## regenerate the student versions in exercises/ from solutions/
	mkdir -p term
	$(BIN)/nbgrader generate_assignment "*" --force

setup-cells: $(STAMP)  ## write the set-up cell (repository and release from pyproject.toml) into every notebook, then regenerate exercises/
	$(BIN)/python -m ci.setup_cell write
	$(MAKE) --no-print-directory assignments

outputs: $(STAMP)  ## re-execute the chapters and keep only the outputs nbval checks
	$(BIN)/python -m ci.notebook_outputs refresh

SUBMISSIONS ?=
ASSIGNMENT ?=
STUDENTS ?=
WORKERS ?=
UNSANDBOXED ?=
grade: $(STAMP)  ## grade in the sandbox into nbgrader's gradebook: make grade [ASSIGNMENT=a] [STUDENTS="s1 s2"] [SUBMISSIONS=dir] [WORKERS=n]
	$(BIN)/rnn-grade $(SUBMISSIONS) $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) \
	  $(foreach s,$(STUDENTS),--student $(s)) \
	  $(if $(WORKERS),--workers $(WORKERS)) $(if $(UNSANDBOXED),--unsandboxed)

export-grades: $(STAMP)  ## from the gradebook: a student x test CSV per assignment and a Canvas import file, in term/exports/
	$(BIN)/python -m grading.exports $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

DAYS ?= 0
extension: $(STAMP)  ## give a student more time in the gradebook: make extension ASSIGNMENT=a STUDENTS=s DAYS=2
	$(BIN)/python -m grading.term extension $(ASSIGNMENT) $(STUDENTS) --days $(DAYS)

limits: $(STAMP)  ## measure each solution (or ASSIGNMENT=name) and write its time limits to solutions/grading_limits.json
	bash ci/install_sandbox.sh
	$(BIN)/python -m grading.limits $(ASSIGNMENT)

sandbox:  ## install bubblewrap, the sandbox student code is graded in (Debian/Ubuntu, needs root or sudo)
	bash ci/install_sandbox.sh

STUDENT_EXPORT ?= _build/student-course
export-student: $(STAMP)  ## write the student-facing course (no solutions, no hidden tests) to STUDENT_EXPORT
	$(BIN)/python -m grading.student_edition $(STUDENT_EXPORT)

bench: $(STAMP)  ## time the chapter 3 RNN (TF1 graph, TF2 loop taught, fastest), how cost grows with size, chapter 8's model choices; writes bench/*.json (about 30 minutes)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.sweep
	$(BIN)/python -m bench.charmodel
	$(BIN)/python -m bench.determinism

bench-grading: $(STAMP)  ## submissions graded per minute, sandboxed and not; writes bench/grading.json
	$(BIN)/python -m bench.grading

lock:  ## re-resolve every dependency from requirements.txt into requirements-lock.txt
	rm -rf _build/lock-venv && $(PYTHON) -m venv _build/lock-venv
	_build/lock-venv/bin/python -m pip install --quiet -r requirements.txt
	_build/lock-venv/bin/python -m pip freeze --exclude-editable | sort > requirements-lock.txt

clean:  ## remove the built book, caches and scratch files (keeps .venv and term/, the gradebook and grades)
	rm -rf _build .pytest_cache .ruff_cache
