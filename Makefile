# The two commands a new user types (README, first screen):
#   make demo   installs what is missing, builds, prints the paper's comparison and crossovers
#   make test   installs what is missing, builds the sanitizer test build, runs every test
# Both are safe to run on a fresh Debian machine; they call tools/install-deps first.

BUILD      ?= build
TESTBUILD  ?= build-test
JOBS       ?= $(shell nproc)
PARAMS     ?= data/kourai2007.json
# cmake --build runs make below this one: without this every step says which folder it is in.
MAKEFLAGS  += --no-print-directory
REJUV       = $(BUILD)/rejuv

.PHONY: all deps build demo test bench fuzz clean validate-real

all: build

deps:
	@tools/install-deps

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DREJUV_TESTS=OFF >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target rejuv

demo: build
	@echo "== Performance index of the five strategies (seed 003 §4.3, T_vmm = 28 d, T_os = 7 d) =="
	@$(REJUV) model $(PARAMS) --hosts 2 --hosts 10 --hosts 1000 --hosts 11249 --hosts 1000000 \
	    --format table
	@echo
	@echo "== Crossover host counts (figure 7: migration beats Cold-VM reboot above about 11,000 hosts) =="
	@for s in migration live live_rate_control; do \
	    $(REJUV) crossover $(PARAMS) --strategy $$s --versus cold || exit $$?; done
	@$(REJUV) crossover $(PARAMS) --strategy migration --versus warm
	@echo
	@echo "== The simulator replays the same cluster (1,000 hosts, one year; simulated data) =="
	@$(REJUV) run scenarios/kourai2007-cluster.json --out out/kourai2007 --quiet
	@echo
	@echo "== Autoscaling: Ciel against VM-level scale-out, pools and FlexCapsule (seed 004 §5; simulated data) =="
	@$(REJUV) run scenarios/ciel-apache.json --out out/ciel-apache --quiet
	@echo
	@echo "== Lineage: seed 000's experiment 1, ibm34 fails to deploy; each policy's answer (simulated data) =="
	@$(REJUV) run scenarios/lineage-deploy.json --out out/lineage-deploy --quiet
	@echo
	@echo "== Planning: each strategy's best T_vmm and T_os under Weibull aging (analytic) =="
	@$(REJUV) plan scenarios/plan-aging.json --out out/plan --quiet
	@echo
	@echo "== The paper's comparison plots, regenerated =="
	@mkdir -p out/plots
	@$(REJUV) plot fig7 $(PARAMS) --out out/plots/fig7.svg
	@$(REJUV) plot curves $(PARAMS) --out out/plots/table1-curves.svg
	@$(REJUV) plot timeline out/kourai2007 --out out/plots/simulated-timeline.svg
	@$(REJUV) plot timeline data/curves/warm --out out/plots/warm-reboot-curve.svg
	@$(REJUV) plot timeline out/ciel-apache --out out/plots/ciel-apache-timeline.svg
	@echo "Plots (SVG and PNG, with their .dat and .gp beside them) are in $(CURDIR)/out/plots/"

# The test build runs under AddressSanitizer and UBSan (-fsanitize=address,undefined).
test: deps
	@cmake -S . -B $(TESTBUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREJUV_SANITIZE=ON >/dev/null
	@cmake --build $(TESTBUILD) -j $(JOBS)
	@cd $(TESTBUILD) && ctest --output-on-failure -j $(JOBS)

bench: deps
	@tools/install-deps libbenchmark-dev
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DREJUV_TESTS=OFF -DREJUV_BENCH=ON >/dev/null
	@cmake --build build-bench -j $(JOBS)

# libFuzzer on every reader (fuzz/), with clang under ASan/UBSan: FUZZ_SECONDS per target,
# FUZZ_TARGETS to choose (default: all), FUZZ_JOBS targets at a time. The corpus grows in
# build-fuzz/corpus/<target>/; findings go to build-fuzz/findings/<target>/ (see fuzz/README.md).
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 1
FUZZ_TARGETS ?= $(filter-out replay_main,$(basename $(notdir $(wildcard fuzz/*.cpp))))
fuzz:
	@tools/install-deps clang-14 libclang-rt-14-dev
	@CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREJUV_TESTS=OFF \
	    -DREJUV_SANITIZE=ON -DREJUV_FUZZ=ON -DREJUV_MPI=OFF >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) fuzz/run build-fuzz $(FUZZ_TARGETS)

# Live migrations on a real two-host rig on this machine (root, /dev/kvm; otherwise it says what is
# missing and exits 0), through the libvirt adapter; fits the pre-copy model (tests/realvirt/).
validate-real: build
	@tests/realvirt/validate-real

clean:
	rm -rf $(BUILD) $(TESTBUILD) build-bench build-fuzz
