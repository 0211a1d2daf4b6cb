// `rejuv sweep`: a scenario over the cross product of parameter values, on every local core, on
// many machines through MPI (`mpirun -n K rejuv sweep …`), or in shards for batch schedulers.
//
// The output folder holds sweep.json (what the sweep is), points/p<k>.csv (the rows of point k,
// each written atomically as soon as it is done) and, once every point is there, sweep.csv. A
// point whose file exists is never run again: an interrupted sweep resumes where it stopped.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/output_folder.hpp"
#include "models/input_error.hpp"
#include "sim/scenario.hpp"
#include "sim/seed.hpp"
#include "sim/sweep.hpp"
#include "sim/worker_pool.hpp"

#ifdef REJUV_HAVE_MPI
#include <mpi.h>
#endif

namespace rejuv::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct SweepOptions {
  std::string scenario, out, shard;
  std::vector<std::string> sets;
  unsigned jobs = 0;
  std::vector<std::string> merge_dirs;
  std::string merge_out;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path point_file(const fs::path& dir, size_t k) { return dir / "points" / fmt::format("p{}.csv", k); }

// A sweep ready to run: its axes, points and manifest.
struct Plan {
  const sim::ScenarioKind* kind = nullptr;
  json scenario;
  std::vector<sim::SweepAxis> axes;
  std::vector<sim::SweepPoint> points;
  json manifest;
};

Plan make_plan(const SweepOptions& o) {
  Plan plan;
  for (const auto& s : o.sets) plan.axes.push_back(sim::parse_sweep_axis(s));
  plan.scenario = sim::read_scenario(o.scenario);
  plan.kind = &sim::scenario_kind(plan.scenario);
  plan.points = sim::sweep_points(plan.axes, sim::read_seed(plan.scenario));
  plan.manifest = sim::sweep_manifest(plan.scenario, plan.axes, plan.points.size());
  return plan;
}

// Creates the folder and its manifest, or checks that the manifest there is this sweep's. From the
// manifest on, the folder is kept whatever happens: finished points are what a resumed run skips.
void prepare_folder(const fs::path& dir, const json& manifest) {
  OutputFolder out(dir);
  out.make_subfolder("points");
  const fs::path m = dir / "sweep.json";
  if (fs::exists(m)) {
    json old = json::parse(slurp(m), nullptr, false);
    if (old != manifest)
      throw CliError(fmt::format("{}: holds another sweep (its sweep.json differs); use another --out", dir.string()));
  } else {
    out.write("sweep.json", manifest.dump(2) + "\n");
  }
  out.keep();
}

// Joins the point files into sweep.csv once every point is there; returns how many are missing.
size_t assemble(const fs::path& dir, const Plan& plan) {
  std::string csv = sim::sweep_header(plan.axes, *plan.kind);
  size_t missing = 0;
  for (size_t k = 0; k < plan.points.size(); ++k) {
    const fs::path f = point_file(dir, k);
    if (!fs::exists(f)) {
      ++missing;
      continue;
    }
    csv += slurp(f);
  }
  if (missing == 0) write_atomic(dir / "sweep.csv", csv);
  return missing;
}

// Progress with an ETA on stderr, once the sweep has run for a second.
class SweepProgress {
 public:
  SweepProgress(size_t total, size_t already) : total_(total), already_(already) {}
  ~SweepProgress() {
    if (printed_) std::fputc('\n', stderr);
  }
  void point_done() {
    ++done_;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    if (elapsed < 1.0 && done_ + already_ < total_) return;
    printed_ = true;
    const double eta = elapsed / double(done_) * double(total_ - already_ - done_);
    std::fprintf(stderr, "\rrejuv sweep: %zu/%zu points, %.1f s elapsed, ETA %.1f s   ", done_ + already_, total_,
                 elapsed, eta);
    std::fflush(stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;
  size_t total_, already_, done_ = 0;
  bool printed_ = false;
  Clock::time_point start_ = Clock::now();
};

std::string run_point(const Plan& plan, size_t k) {
  return sim::sweep_point_rows(*plan.kind, plan.scenario, plan.axes, plan.points[k]);
}

#ifdef REJUV_HAVE_MPI
bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

// Rank 0 hands out point indices one at a time (dynamic load balancing) and writes what the
// other ranks send back; the others run points until told to stop.
void sweep_mpi(const SweepOptions& o, const Plan& plan, const std::vector<size_t>& todo) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  constexpr int kWork = 1, kRows = 2, kFailed = 3;
  if (rank == 0) {
    SweepProgress progress(todo.size(), 0);
    size_t next = 0;
    int active = size - 1;
    std::string failure;
    while (active > 0) {
      MPI_Status st;
      MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      int len = 0;
      MPI_Get_count(&st, MPI_CHAR, &len);
      std::string msg(size_t(len), '\0');
      MPI_Recv(msg.data(), len, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (st.MPI_TAG == kRows) {  // "<k>\n<rows>"
        const size_t nl = msg.find('\n');
        write_atomic(point_file(o.out, std::stoull(msg.substr(0, nl))), msg.substr(nl + 1));
        progress.point_done();
      } else if (st.MPI_TAG == kFailed && failure.empty()) {
        failure = msg;
      }
      long long k = (failure.empty() && next < todo.size()) ? (long long)todo[next++] : -1;
      MPI_Send(&k, 1, MPI_LONG_LONG, st.MPI_SOURCE, kWork, MPI_COMM_WORLD);
      if (k < 0) --active;
    }
    if (!failure.empty()) throw CliError(failure);
  } else {
    std::string hello;
    MPI_Send(hello.data(), 0, MPI_CHAR, 0, kRows + 10, MPI_COMM_WORLD);
    for (;;) {
      long long k = -1;
      MPI_Recv(&k, 1, MPI_LONG_LONG, 0, kWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (k < 0) return;
      std::string msg;
      int tag = kRows;
      try {
        msg = fmt::format("{}\n{}", k, run_point(plan, size_t(k)));
      } catch (const InputError& e) {
        msg = format_input_error(o.scenario, e);
        tag = kFailed;
      }
      MPI_Send(msg.data(), int(msg.size()), MPI_CHAR, 0, tag, MPI_COMM_WORLD);
    }
  }
}
#endif

void sweep(const SweepOptions& o) {
  Plan plan;
  size_t shard = 0, shards = 1;
  try {
    if (!o.shard.empty()) std::tie(shard, shards) = sim::parse_shard(o.shard);
    plan = make_plan(o);
  } catch (const InputError& e) {
    if (e.where() == "--set" || e.where() == "--shard") throw CliError(fmt::format("{}: {}", e.where(), e.message()));
    throw CliError(format_input_error(o.scenario, e));
  }
  // Points of this shard (k mod N = i) not already done.
  std::vector<size_t> todo;
  for (size_t k = shard; k < plan.points.size(); k += shards)
    if (!fs::exists(point_file(o.out, k))) todo.push_back(k);
  // A bad point fails before anything is written: every point's scenario is read first.
  try {
    for (size_t k : todo) sim::check_sweep_point(*plan.kind, plan.scenario, plan.axes, plan.points[k]);
  } catch (const InputError& e) {
    if (e.where() == "--set") throw CliError(fmt::format("{}: {}", e.where(), e.message()));
    throw CliError(format_input_error(o.scenario, e));
  }

  bool coordinator = true;
#ifdef REJUV_HAVE_MPI
  int mpi_size = 1;
  if (launched_by_mpirun()) {
    MPI_Init(nullptr, nullptr);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &mpi_size);
    coordinator = rank == 0;
  }
  if (mpi_size > 1) {
    if (coordinator) prepare_folder(o.out, plan.manifest);
    MPI_Barrier(MPI_COMM_WORLD);
    try {
      sweep_mpi(o, plan, todo);
    } catch (...) {
      MPI_Finalize();
      throw;
    }
    MPI_Finalize();
  } else {
    if (launched_by_mpirun()) MPI_Finalize();
#endif
    prepare_folder(o.out, plan.manifest);
    const unsigned workers = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
    SweepProgress progress(todo.size(), 0);
    try {
      sim::run_parallel(
          todo, workers, [&](size_t k) { write_atomic(point_file(o.out, k), run_point(plan, k)); },
          [&](size_t) { progress.point_done(); });
    } catch (const InputError& e) {
      throw CliError(format_input_error(o.scenario, e));
    }
#ifdef REJUV_HAVE_MPI
  }
#endif
  if (!coordinator) return;
  const size_t missing = assemble(o.out, plan);
  if (missing == 0)
    std::fprintf(stderr, "rejuv sweep: wrote %s (%zu points)\n", (fs::path(o.out) / "sweep.csv").c_str(),
                 plan.points.size());
  else
    std::fprintf(stderr, "rejuv sweep: %zu of %zu points done in %s; run the other shards, then `rejuv sweep merge`\n",
                 plan.points.size() - missing, plan.points.size(), o.out.c_str());
}

// Joins shard folders of one sweep into one folder.
void merge(const SweepOptions& o) {
  json manifest;
  for (const auto& d : o.merge_dirs) {
    const fs::path m = fs::path(d) / "sweep.json";
    if (!fs::exists(m)) throw CliError(fmt::format("{}: no sweep.json: not a sweep folder", d));
    json here;
    try {
      here = load_json(m);
    } catch (const InputError& e) {
      throw CliError(format_input_error(m.string(), e));
    }
    if (manifest.is_null())
      manifest = here;
    else if (here != manifest)
      throw CliError(fmt::format("{}: belongs to another sweep than {}", d, o.merge_dirs.front()));
  }
  sim::SweepManifest read;
  try {
    read = sim::read_sweep_manifest(manifest);
  } catch (const InputError& e) {
    throw CliError(format_input_error((fs::path(o.merge_dirs.front()) / "sweep.json").string(), e));
  }
  const size_t n = read.points;
  std::string csv = sim::sweep_header(read.axes, *read.kind);
  std::vector<size_t> missing;
  for (size_t k = 0; k < n; ++k) {
    bool found = false;
    for (const auto& d : o.merge_dirs) {
      const fs::path f = point_file(d, k);
      if (fs::exists(f)) {
        csv += slurp(f);
        found = true;
        break;
      }
    }
    if (!found) missing.push_back(k);
  }
  if (!missing.empty())
    throw CliError(fmt::format("sweep merge: {} of {} points missing (first: point {}); run their shards first",
                               missing.size(), n, missing.front()));
  std::error_code ec;
  fs::create_directories(o.merge_out, ec);
  if (ec) throw CliError(fmt::format("{}: cannot create the output folder: {}", o.merge_out, ec.message()));
  write_atomic(fs::path(o.merge_out) / "sweep.csv", csv);
  std::fprintf(stderr, "rejuv sweep merge: wrote %s (%zu points)\n", (fs::path(o.merge_out) / "sweep.csv").c_str(), n);
}

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto o = std::make_shared<SweepOptions>();
  CLI::App* cmd = app.add_subcommand("sweep", "Run a scenario over the cross product of --set values, on every core");
  cmd->footer(
      "Example (where does one spare stop keeping up?):\n"
      "  rejuv sweep scenarios/spare-saturation.json --set hosts=2000,4000,6000,6300,6400,8000 --out out/sat\n"
      "KEY is a top-level key or a path (warm/downtime); values are JSON (1000, \"41s\") or bare text (41s).\n"
      "Writes OUT/sweep.csv: one row per point and strategy, with the point's derived seed. Points already\n"
      "in OUT/points/ are not run again (resume). Many machines: `mpirun -n K rejuv sweep …` (when built\n"
      "with MPI), or `--shard i/N` per batch job and `rejuv sweep merge DIR… --out DIR`.");
  cmd->add_option("scenario", o->scenario, "Scenario file (JSON), kind \"rejuvenation\"");
  cmd->add_option("--set", o->sets, "KEY=V1,V2,… (repeatable; the cross product is swept)");
  cmd->add_option("--out", o->out, "Output folder (created if missing)");
  cmd->add_option("--jobs", o->jobs, "Worker threads (default: every core)");
  cmd->add_option("--shard", o->shard, "i/N: run only points k with k mod N = i (batch array jobs)");
  CLI::App* mcmd = cmd->add_subcommand("merge", "Join the folders of a sweep's shards into one sweep.csv");
  mcmd->footer("Example:\n  rejuv sweep merge out/s0 out/s1 out/s2 --out out/all");
  mcmd->add_option("dirs", o->merge_dirs, "Shard output folders")->required();
  mcmd->add_option("--out", o->merge_out, "Output folder")->required();
  mcmd->callback([o] { merge(*o); });
  cmd->callback([o, cmd] {
    if (cmd->got_subcommand("merge")) return;
    if (o->scenario.empty() || o->sets.empty() || o->out.empty())
      throw CliError("sweep: expected SCENARIO, at least one --set and --out (see rejuv sweep --help)");
    sweep(*o);
  });
}

}  // namespace rejuv::cli
