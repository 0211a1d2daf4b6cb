// LibvirtBackend::migrate: virDomainMigrate3 with a bandwidth and a downtime limit, optionally
// under Xen-like rate control (the limit raised from the dirtying rate while the migration runs),
// the job's statistics from virDomainGetJobStats; on the test driver, which has no migration, save
// on the source and restore on the target instead.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "sim/backends/libvirt_backend.hpp"
#include "sim/backends/libvirt_detail.hpp"
#include "sim/backends/pacing.hpp"
#include "sim/backends/safety.hpp"

namespace rejuv::sim::backends {

using namespace libvirt_detail;

namespace {

// A typed parameter list that frees itself.
struct Params {
  virTypedParameterPtr p = nullptr;
  int n = 0, max = 0;
  ~Params() { virTypedParamsFree(p, n); }
};

// The completed (or current) job's statistics of a domain, where the driver keeps them.
JobInfo read_job(virDomainPtr dom, unsigned flags) {
  JobInfo job;
  int type = 0;
  Params s;
  if (virDomainGetJobStats(dom, &type, &s.p, &s.n, flags) < 0) {
    virResetLastError();
    return job;
  }
  unsigned long long v = 0;
  job.available = type != VIR_DOMAIN_JOB_NONE;
  if (virTypedParamsGetULLong(s.p, s.n, VIR_DOMAIN_JOB_TIME_ELAPSED, &v) == 1)
    job.total_s = double(v) * 1e-3;
  if (virTypedParamsGetULLong(s.p, s.n, VIR_DOMAIN_JOB_DOWNTIME, &v) == 1)
    job.downtime_s = double(v) * 1e-3;
  if (virTypedParamsGetULLong(s.p, s.n, VIR_DOMAIN_JOB_DATA_PROCESSED, &v) == 1)
    job.data_bytes = double(v);
  if (virTypedParamsGetULLong(s.p, s.n, VIR_DOMAIN_JOB_MEMORY_ITERATION, &v) == 1)
    job.iterations = int(v);
  unsigned long long rate = 0, page = 4096;
  virTypedParamsGetULLong(s.p, s.n, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, &page);
  if (virTypedParamsGetULLong(s.p, s.n, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, &rate) == 1)  // pages/s
    job.dirty_rate_Bps = double(rate) * double(page);
  virResetLastError();
  return job;
}

}  // namespace

Outcome LibvirtBackend::migrate(DomainId d, HostId to, const MigrateOptions& options,
                                const MigrationPlan& plan) {
  if (interrupt_requested()) throw Interrupted();
  if (auto r = refuse(d, Op::migrate)) return *r;
  DomRec& x = doms_[d];
  if (to >= hosts_.size())
    return Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", to));
  if (to == x.host)
    return Outcome::failure(0, codes::kOperationInvalid,
                            fmt::format("domain {} is on {} already", x.name, hosts_[to].name));
  if (hosts_[to].state == HostState::failed)
    return Outcome::failure(0, codes::kHostFailed,
                            fmt::format("host {} has failed", hosts_[to].name), Blame::target_host);
  if (options_.dry_run) {
    std::string limits;
    if (options.rate_control)
      limits =
          fmt::format(", rate control {}–{} MiB/s every {:g} s by virDomainMigrateSetMaxSpeed",
                      to_mib_per_s(options.rate_control->min_Bps),
                      to_mib_per_s(options.rate_control->max_Bps), options.rate_control->poll_s);
    else if (options.max_bandwidth_Bps > 0)
      limits = fmt::format(", bandwidth {} MiB/s", to_mib_per_s(options.max_bandwidth_Bps));
    if (options.max_downtime > 0)
      limits +=
          fmt::format(", virDomainMigrateSetMaxDowntime {:.0f} ms", options.max_downtime * 1e3);
    dry(fmt::format("virDomainMigrate3({}, {} → {}{}{})", x.name, hosts_[x.host].uri,
                    hosts_[to].uri, options.live ? ", live" : "", limits));
    x.host = to;
    x.job = JobInfo{true, plan.total, plan.downtime, plan.bytes, plan.iterations, 0};
    emit(Op::migrate, to, d, x.state);
    return Outcome::success(plan.total);
  }
  pump_events();
  Outcome native = migrate_native(d, to, options);
  if (native.status == Outcome::Status::unsupported && hosts_[x.host].test_driver &&
      hosts_[to].test_driver)
    return emulate_migration(d, to, native);
  return native;
}

Outcome LibvirtBackend::migrate_native(DomainId d, HostId to, const MigrateOptions& options) {
  DomRec& x = doms_[d];
  Stopwatch sw;
  DomPtr src{lookup(x.host, x.name)};
  if (!src) return failure(sw.elapsed(), "virDomainLookupByName");
  if (options.max_downtime > 0 &&
      virDomainMigrateSetMaxDowntime(
          src.get(), static_cast<unsigned long long>(std::llround(options.max_downtime * 1e3)), 0) <
          0)
    return failure(sw.elapsed(), "virDomainMigrateSetMaxDowntime");
  Params params;
  const double first_limit =
      options.rate_control ? options.rate_control->min_Bps : options.max_bandwidth_Bps;
  if (first_limit > 0)
    virTypedParamsAddULLong(&params.p, &params.n, &params.max, VIR_MIGRATE_PARAM_BANDWIDTH,
                            to_mib_per_s(first_limit));
  if (!hosts_[to].migration_uri.empty())
    virTypedParamsAddString(&params.p, &params.n, &params.max, VIR_MIGRATE_PARAM_URI,
                            hosts_[to].migration_uri.c_str());
  const unsigned flags = (options.live ? unsigned(VIR_MIGRATE_LIVE) : 0u) |
                         VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE;

  virDomainPtr moved = nullptr;
  LibvirtError error;
  bool interrupted = false;
  if (!options.rate_control) {
    moved = virDomainMigrate3(src.get(), hosts_[to].conn, params.p, unsigned(params.n), flags);
    if (!moved) error = take_last_error();
  } else {
    // The migration blocks its thread; this one raises the limit with the dirtying rate the
    // hypervisor reports: limit = min(max, dirty rate + step), never lowered (seed 003 §4.2).
    const RateControl rc = *options.rate_control;
    std::atomic<bool> done{false};
    std::thread worker([&] {
      moved = virDomainMigrate3(src.get(), hosts_[to].conn, params.p, unsigned(params.n), flags);
      if (!moved) error = take_last_error();  // libvirt's errors are per thread
      done.store(true);
    });
    double limit = rc.min_Bps;
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::duration<double>(rc.poll_s));
      if (done.load()) break;
      if (interrupt_requested() && !interrupted) {
        interrupted = true;
        virDomainAbortJob(src.get());
        virResetLastError();
        continue;
      }
      const JobInfo now_job = read_job(src.get(), 0);
      const double wanted = std::min(rc.max_Bps, now_job.dirty_rate_Bps + rc.step_Bps);
      if (wanted > limit) {
        limit = wanted;
        if (virDomainMigrateSetMaxSpeed(src.get(), to_mib_per_s(limit), 0) < 0) virResetLastError();
      }
    }
    worker.join();
  }
  const Seconds elapsed = sw.elapsed();
  if (interrupted) {
    if (moved) virDomainFree(moved);
    throw Interrupted();
  }
  if (!moved) return failure(elapsed, "virDomainMigrate3", error);
  DomPtr dest{moved};
  x.job = read_job(dest.get(), VIR_DOMAIN_JOB_STATS_COMPLETED);
  x.host = to;
  x.state = map_state(dest.get());
  pump_events({d});
  emit(Op::migrate, to, d, x.state);
  return Outcome::success(elapsed);
}

Outcome LibvirtBackend::emulate_migration(DomainId d, HostId to, const Outcome& native) {
  DomRec& x = doms_[d];
  const HostId from = x.host;
  const bool paused = x.state == DomainState::paused;
  const std::filesystem::path file = work_dir() / (x.name + ".save");
  Stopwatch sw;
  DomPtr src{lookup(from, x.name)};
  if (!src) return failure(sw.elapsed(), "virDomainLookupByName");
  if (virDomainSave(src.get(), file.c_str()) < 0) return failure(sw.elapsed(), "virDomainSave");
  if (restore_maybe_paused(hosts_[to].conn, file.c_str(), x.name.c_str(), paused) < 0) {
    Outcome o = failure(sw.elapsed(), "virDomainRestore");
    o.emulated = "emulated migration (save, restore) failed at the restore";
    return o;
  }
  DomPtr dest{lookup(to, x.name)};
  if (!dest) return failure(sw.elapsed(), "virDomainLookupByName");
  if (!shared_driver(from, to)) {
    // A restored domain is transient on a separate driver: define it there, forget it on the
    // source.
    char* xml = virDomainGetXMLDesc(dest.get(), VIR_DOMAIN_XML_INACTIVE);
    if (!xml) return failure(sw.elapsed(), "virDomainGetXMLDesc");
    DomPtr defined{virDomainDefineXML(hosts_[to].conn, xml)};
    free(xml);
    if (!defined) return failure(sw.elapsed(), "virDomainDefineXML");
    if (virDomainUndefineFlags(src.get(), VIR_DOMAIN_UNDEFINE_MANAGED_SAVE) < 0)
      return failure(sw.elapsed(), "virDomainUndefineFlags");
  }
  const Seconds elapsed = sw.elapsed();
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(file, ec);
  std::filesystem::remove(file, ec);
  x.host = to;
  x.state = map_state(dest.get());
  // Not live: the domain is stopped from the save to the restore, so all of it is downtime.
  x.job = JobInfo{true, elapsed, elapsed, ec ? 0.0 : double(bytes), 1, 0};
  pump_events({d});
  emit(Op::migrate, to, d, x.state);
  Outcome o = Outcome::success(elapsed);
  o.emulated = fmt::format(
      "emulated: save on {}, restore on {} ({}); not live, no bandwidth or downtime limit",
      hosts_[from].name, hosts_[to].name, native.message);
  return o;
}

}  // namespace rejuv::sim::backends
