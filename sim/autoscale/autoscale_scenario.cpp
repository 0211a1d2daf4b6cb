#include "sim/autoscale/autoscale_scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "models/input_error.hpp"
#include "sim/autoscale/json_read.hpp"

namespace rejuv::sim::autoscale {

using nlohmann::json;

namespace {

constexpr std::pair<Strategy, std::string_view> kStrategies[] = {
    {Strategy::vm, "vm"},
    {Strategy::ciel, "ciel"},
    {Strategy::vm_pooled, "vm_pooled"},
    {Strategy::ciel_pooled, "ciel_pooled"},
    {Strategy::flexcapsule, "flexcapsule"},
};

constexpr double kMiB = 1024.0 * 1024;

std::string mib(double bytes) { return fmt::format("{:.0f} MiB", bytes / kMiB); }

// The number of a key that may be absent.
template <class F>
auto optional_key(const json& o, const char* key, const std::string& at, F reader,
                  double fallback) {
  return o.contains(key) ? reader(o[key], at + "/" + key) : fallback;
}

Seconds duration_at(const json& v, const std::string& where) { return parse_duration(v, where); }
double bytes_at(const json& v, const std::string& where) { return parse_bytes(v, where); }
double fraction_of_cpus(const json& v, const std::string& where) {
  return read::number(v, where, 0, 1e6, "a number of vCPUs ≥ 0");
}

GuestOs parse_os(const json& o) {
  const std::string at = "/os";
  read::object_keys(o, at, {"boot", "boot_cpu", "memory", "used", "idle_cpu", "shutdown"});
  GuestOs os;
  os.boot = parse_distribution(require_key(o, "boot", at), at + "/boot");
  os.boot_cpu = parse_duration(require_key(o, "boot_cpu", at), at + "/boot_cpu");
  os.memory_bytes = parse_bytes(require_key(o, "memory", at), at + "/memory");
  os.used_bytes = parse_bytes(require_key(o, "used", at), at + "/used");
  os.idle_cpu = optional_key(o, "idle_cpu", at, fraction_of_cpus, 0.0);
  os.shutdown = optional_key(o, "shutdown", at, duration_at, 0.0);
  return os;
}

Service parse_service(const std::string& name, const json& o, bool flexcapsule) {
  const std::string at = "/services/" + name;
  read::object_keys(o, at,
                    {"cpu_per_request", "memory", "start_cpu", "start_memory", "image", "idle_cpu",
                     "cpu_request", "vm", "nested"});
  Service s;
  s.name = name;
  s.cpu_per_request =
      parse_duration(require_key(o, "cpu_per_request", at), at + "/cpu_per_request", true);
  s.memory_bytes = parse_bytes(require_key(o, "memory", at), at + "/memory");
  s.start_cpu = parse_duration(require_key(o, "start_cpu", at), at + "/start_cpu");
  s.start_memory_bytes = optional_key(o, "start_memory", at, bytes_at, s.memory_bytes);
  s.image_bytes = parse_bytes(require_key(o, "image", at), at + "/image");
  s.idle_cpu = optional_key(o, "idle_cpu", at, fraction_of_cpus, 0.0);
  if (o.contains("cpu_request"))
    s.cpu_request =
        read::number_above(o["cpu_request"], at + "/cpu_request", 0, 1e6, "a number of vCPUs > 0");
  if (o.contains("vm")) {
    const json& v = o["vm"];
    read::object_keys(v, at + "/vm", {"vcpus", "memory"});
    if (v.contains("vcpus")) s.vm_vcpus = int(read::integer(v["vcpus"], at + "/vm/vcpus", 1, 4096));
    if (v.contains("memory")) s.vm_memory_bytes = parse_bytes(v["memory"], at + "/vm/memory", true);
  }
  if (o.contains("nested")) {
    const json& n = o["nested"];
    read::object_keys(n, at + "/nested", {"memory", "dirty_rate"});
    s.nested_memory_bytes =
        parse_bytes(require_key(n, "memory", at + "/nested"), at + "/nested/memory", true);
    s.dirty_rate_Bps =
        parse_bit_rate(require_key(n, "dirty_rate", at + "/nested"), at + "/nested/dirty_rate") / 8;
  } else if (flexcapsule) {
    throw InputError(at + "/nested",
                     "missing key (the flexcapsule strategy moves each service's nested VM: give "
                     "{\"memory\": …, \"dirty_rate\": …})");
  }
  return s;
}

FlexCapsuleConfig parse_flexcapsule(const json& o) {
  const std::string at = "/flexcapsule";
  read::object_keys(o, at, {"template_extra", "start_cpu", "memory", "cpu_overhead", "migration"});
  FlexCapsuleConfig f;
  f.extra_bytes = optional_key(o, "template_extra", at, bytes_at, 0.0);
  f.extra_start_cpu = optional_key(o, "start_cpu", at, duration_at, 0.0);
  f.extra_memory_bytes = optional_key(o, "memory", at, bytes_at, 0.0);
  if (o.contains("cpu_overhead"))
    f.cpu_overhead = read::number(o["cpu_overhead"], at + "/cpu_overhead", 0, 100,
                                  "a fraction ≥ 0 of extra CPU");
  json m = o.contains("migration") ? o["migration"] : json::object();
  if (!m.is_object())
    throw InputError(at + "/migration", fmt::format("expected an object, got {}", describe(m)));
  for (const char* k : {"memory", "dirty_rate"})
    if (m.contains(k))
      throw InputError(at + "/migration/" + k,
                       "comes from each service's \"nested\" object, not from here");
  m["memory"] = 1;  // placeholders; each service sets its own
  m["dirty_rate"] = 0;
  f.migration = parse_precopy(m, at + "/migration");
  return f;
}

Autoscaler parse_autoscaler(const json& o) {
  const std::string at = "/autoscaler";
  read::object_keys(
      o, at,
      {"policy", "interval", "threshold", "stand_out", "trend_samples", "cooldown", "max_instances",
       "introspection", "target", "tolerance", "min_replicas", "max_replicas", "scale_in"});
  Autoscaler a;
  if (o.contains("policy")) {
    const json& p = o["policy"];
    if (p == "threshold")
      a.policy = Autoscaler::Policy::threshold;
    else if (p == "hpa")
      a.policy = Autoscaler::Policy::hpa;
    else
      throw InputError(at + "/policy",
                       fmt::format("expected \"threshold\" or \"hpa\", got {}", describe(p)));
  }
  if (o.contains("interval")) a.interval = parse_duration(o["interval"], at + "/interval", true);
  if (o.contains("threshold"))
    a.threshold =
        read::number_above(o["threshold"], at + "/threshold", 0, 1, "a CPU fraction in (0, 1]");
  if (o.contains("stand_out"))
    a.stand_out = read::number(o["stand_out"], at + "/stand_out", 1, 1e6, "a ratio ≥ 1");
  if (o.contains("trend_samples"))
    a.trend_samples = int(read::integer(o["trend_samples"], at + "/trend_samples", 2, 100));
  if (o.contains("cooldown")) a.cooldown = parse_duration(o["cooldown"], at + "/cooldown");
  if (o.contains("max_instances"))
    a.max_instances = int(read::integer(o["max_instances"], at + "/max_instances", 1, 10000));
  if (o.contains("introspection")) {
    const json& i = o["introspection"];
    read::object_keys(i, at + "/introspection", {"time", "cpu"});
    if (i.contains("time"))
      a.introspection_time = parse_duration(i["time"], at + "/introspection/time");
    if (i.contains("cpu"))
      a.introspection_cpu = parse_duration(i["cpu"], at + "/introspection/cpu");
  }
  if (o.contains("target"))
    a.target = read::number_above(o["target"], at + "/target", 0, 100, "a target utilisation > 0");
  if (o.contains("tolerance"))
    a.tolerance = read::number(o["tolerance"], at + "/tolerance", 0, 1, "a fraction in [0, 1]");
  if (o.contains("min_replicas"))
    a.min_replicas = int(read::integer(o["min_replicas"], at + "/min_replicas", 1, 10000));
  if (o.contains("max_replicas"))
    a.max_replicas = int(read::integer(o["max_replicas"], at + "/max_replicas", 1, 10000));
  if (a.max_replicas < a.min_replicas)
    throw InputError(
        at + "/max_replicas",
        fmt::format("expected at least min_replicas ({}), got {}", a.min_replicas, a.max_replicas));
  if (o.contains("scale_in")) {
    const json& s = o["scale_in"];
    const std::string sat = at + "/scale_in";
    read::object_keys(s, sat, {"threshold", "window"});
    ScaleIn in;
    if (s.contains("threshold"))
      in.threshold =
          read::number(s["threshold"], sat + "/threshold", 0, 1, "a CPU fraction in [0, 1]");
    if (a.policy == Autoscaler::Policy::threshold && in.threshold >= a.threshold)
      throw InputError(sat + "/threshold",
                       fmt::format("expected a fraction below the scale-out threshold {}, got {}",
                                   a.threshold, in.threshold));
    if (s.contains("window")) in.window = parse_duration(s["window"], sat + "/window");
    a.scale_in = in;
  }
  return a;
}

Pool parse_pool(const json& o) {
  const std::string at = "/pool";
  read::object_keys(o, at, {"size", "prebooted", "resume", "suspend", "refill"});
  Pool p;
  if (o.contains("size")) p.size = int(read::integer(o["size"], at + "/size", 0, 10000));
  if (o.contains("prebooted")) p.prebooted = read::boolean(o["prebooted"], at + "/prebooted");
  if (o.contains("resume")) p.resume = parse_duration(o["resume"], at + "/resume");
  if (o.contains("suspend")) p.suspend = parse_duration(o["suspend"], at + "/suspend");
  if (o.contains("refill")) p.refill = read::boolean(o["refill"], at + "/refill");
  return p;
}

Prices parse_prices(const json& o) {
  const std::string at = "/prices";
  read::object_keys(o, at, {"vcpu_hour", "gib_hour"});
  Prices p;
  if (o.contains("vcpu_hour"))
    p.vcpu_hour = read::number(o["vcpu_hour"], at + "/vcpu_hour", 0, 1e9, "a price ≥ 0");
  if (o.contains("gib_hour"))
    p.gib_hour = read::number(o["gib_hour"], at + "/gib_hour", 0, 1e9, "a price ≥ 0");
  return p;
}

// Rounds a VM's memory up to whole 128 MiB, as cloud VM sizes go.
double vm_size(double bytes) { return std::ceil(bytes / (128 * kMiB)) * 128 * kMiB; }

}  // namespace

std::string_view name(Strategy s) {
  for (const auto& [k, n] : kStrategies)
    if (k == s) return n;
  return "?";
}

std::optional<Strategy> parse_strategy(std::string_view text) {
  for (const auto& [k, n] : kStrategies)
    if (n == text) return k;
  return std::nullopt;
}

bool is_pooled(Strategy s) { return s == Strategy::vm_pooled || s == Strategy::ciel_pooled; }
bool per_service(Strategy s) {
  return s == Strategy::ciel || s == Strategy::ciel_pooled || s == Strategy::flexcapsule;
}

int AutoscaleScenario::service_index(std::string_view n) const {
  for (size_t k = 0; k < services.size(); ++k)
    if (services[k].name == n) return int(k);
  return -1;
}

AutoscaleScenario parse_autoscale_scenario(const json& doc) {
  read::object_keys(doc, "",
                    {"kind", "strategies", "horizon", "seed", "os", "services", "vms",
                     "copy_bandwidth", "load", "load_scale", "queue", "autoscaler", "pool",
                     "prices", "flexcapsule", "step", "timeline_rows"});
  AutoscaleScenario sc;
  {
    const json& s = require_key(doc, "strategies", "");
    if (!s.is_array() || s.empty())
      throw InputError("/strategies",
                       fmt::format("expected a non-empty list of strategies, got {}", describe(s)));
    for (size_t k = 0; k < s.size(); ++k) {
      const auto st = s[k].is_string() ? parse_strategy(s[k].get<std::string>()) : std::nullopt;
      if (!st)
        throw InputError(
            fmt::format("/strategies/{}", k),
            fmt::format("expected vm, ciel, vm_pooled, ciel_pooled or flexcapsule, got {}",
                        describe(s[k])));
      sc.strategies.push_back(*st);
    }
  }
  const bool flexcapsule = std::find(sc.strategies.begin(), sc.strategies.end(),
                                     Strategy::flexcapsule) != sc.strategies.end();
  sc.horizon = parse_duration(require_key(doc, "horizon", ""), "/horizon", true);
  {
    const json& s = require_key(doc, "seed", "");
    if (!s.is_number_integer() || (!s.is_number_unsigned() && s.get<long long>() < 0))
      throw InputError("/seed", fmt::format("expected an integer ≥ 0, got {}", describe(s)));
    sc.seed = s.get<uint64_t>();
  }
  sc.os = parse_os(require_key(doc, "os", ""));
  sc.copy_bandwidth_Bps =
      parse_bit_rate(require_key(doc, "copy_bandwidth", ""), "/copy_bandwidth", true) / 8;
  // Below a kilobyte per second no copy of a VM image ends within any horizon: a slip of the unit.
  if (sc.copy_bandwidth_Bps < 1000)
    throw InputError("/copy_bandwidth", fmt::format("expected a copy bandwidth of at least 1 kB/s, got {}",
                                                    describe(doc["copy_bandwidth"])));
  if (doc.contains("load_scale"))
    sc.load_scale = read::number(doc["load_scale"], "/load_scale", 0, 1e9, "a factor ≥ 0");
  if (doc.contains("queue"))
    sc.queue_bound = read::number(doc["queue"], "/queue", 0, 1e15,
                                  "a number of requests ≥ 0 queued per instance");
  if (doc.contains("autoscaler")) sc.autoscaler = parse_autoscaler(doc["autoscaler"]);
  if (doc.contains("pool")) sc.pool = parse_pool(doc["pool"]);
  if (doc.contains("prices")) sc.prices = parse_prices(doc["prices"]);
  if (doc.contains("flexcapsule")) sc.flexcapsule = parse_flexcapsule(doc["flexcapsule"]);
  if (doc.contains("step")) sc.step = parse_duration(doc["step"], "/step", true);
  if (doc.contains("timeline_rows"))
    sc.timeline_rows = int(read::integer(doc["timeline_rows"], "/timeline_rows", 1, 100000));
  if (flexcapsule && sc.autoscaler.policy == Autoscaler::Policy::hpa)
    throw InputError(
        "/autoscaler/policy",
        "flexcapsule moves an application rather than adding replicas, so it runs with the "
        "\"threshold\" policy only");

  // Services, then the VMs that hold them.
  const json& services = require_key(doc, "services", "");
  if (!services.is_object() || services.empty())
    throw InputError("/services", fmt::format("expected an object of services by name, got {}",
                                              describe(services)));
  for (const auto& [n, o] : services.items()) {
    if (n.starts_with("_")) continue;
    sc.services.push_back(parse_service(n, o, flexcapsule));
  }
  const json& vms = require_key(doc, "vms", "");
  if (!vms.is_array() || vms.empty())
    throw InputError("/vms",
                     fmt::format("expected a non-empty list of VMs, got {}", describe(vms)));
  std::vector<std::pair<int, int>> copies;  // (vm, service) of each idle copy to add
  for (size_t v = 0; v < vms.size(); ++v) {
    const std::string at = fmt::format("/vms/{}", v);
    const json& o = vms[v];
    read::object_keys(o, at, {"name", "vcpus", "memory", "services", "idle_copies"});
    VmSpec spec;
    spec.name = read::text(require_key(o, "name", at), at + "/name", "a VM name");
    for (const auto& other : sc.vms)
      if (other.name == spec.name)
        throw InputError(at + "/name", fmt::format("another VM is named \"{}\"", spec.name));
    spec.vcpus = int(read::integer(require_key(o, "vcpus", at), at + "/vcpus", 1, 4096));
    spec.memory_bytes = parse_bytes(require_key(o, "memory", at), at + "/memory", true);
    const json& list = require_key(o, "services", at);
    if (!list.is_array() || list.empty())
      throw InputError(
          at + "/services",
          fmt::format("expected a non-empty list of service names, got {}", describe(list)));
    for (size_t k = 0; k < list.size(); ++k) {
      const std::string sat = fmt::format("{}/services/{}", at, k);
      const int s = list[k].is_string() ? sc.service_index(list[k].get<std::string>()) : -1;
      if (s < 0)
        throw InputError(sat, fmt::format("expected the name of a service of /services, got {}",
                                          describe(list[k])));
      if (sc.services[s].home_vm >= 0)
        throw InputError(sat,
                         fmt::format("service {} is in VM {} already; a service starts in one VM",
                                     sc.services[s].name, sc.vms[sc.services[s].home_vm].name));
      sc.services[s].home_vm = int(v);
      spec.services.push_back(s);
    }
    if (o.contains("idle_copies")) {
      const json& c = o["idle_copies"];
      if (!c.is_object())
        throw InputError(at + "/idle_copies",
                         fmt::format("expected an object, got {}", describe(c)));
      for (const auto& [n, count] : c.items()) {
        const std::string cat = at + "/idle_copies/" + n;
        const int s = sc.service_index(n);
        if (s < 0) throw InputError(cat, "expected the name of a service of /services");
        for (long long i = read::integer(count, cat, 0, 1000); i > 0; --i)
          copies.push_back({int(v), s});
      }
    }
    sc.vms.push_back(std::move(spec));
  }
  for (const auto& s : sc.services)
    if (s.home_vm < 0)
      throw InputError("/services/" + s.name,
                       "is in no VM (list it in the services of one of /vms)");

  // Load traces, one per service.
  const std::filesystem::path folder =
      doc.contains("_scenario_folder") && doc["_scenario_folder"].is_string()
          ? doc["_scenario_folder"].get<std::string>()
          : "";
  const json& load = require_key(doc, "load", "");
  if (!load.is_object())
    throw InputError(
        "/load",
        fmt::format("expected an object of load traces by service name, got {}", describe(load)));
  for (const auto& [n, _] : load.items())
    if (!n.starts_with("_") && sc.service_index(n) < 0)
      throw InputError("/load/" + n, "expected the name of a service of /services");
  for (auto& s : sc.services) {
    if (!load.contains(s.name))
      throw InputError(
          "/load/" + s.name,
          "missing key (every service needs a load trace; {\"constant\": 0} for none)");
    s.load = parse_load_trace(load[s.name], "/load/" + s.name, folder).scaled(sc.load_scale);
  }

  // Idle copies: the same figures under another name, with no load (a VM with more services).
  std::map<int, int> copy_count;
  for (const auto& [v, s] : copies) {
    Service c = sc.services[s];
    c.name = fmt::format("{}-copy{}", sc.services[s].name, ++copy_count[s]);
    c.load = LoadTrace::constant(0);
    c.home_vm = v;
    sc.vms[v].services.push_back(int(sc.services.size()));
    sc.services.push_back(std::move(c));
  }

  // Sizes: each VM holds its OS and services; each service's own VM holds it.
  for (size_t v = 0; v < sc.vms.size(); ++v) {
    const VmSpec& spec = sc.vms[v];
    const std::string at = fmt::format("/vms/{}/memory", v);
    double need = sc.os.memory_bytes;
    std::string parts = fmt::format("the OS's {}", mib(sc.os.memory_bytes));
    for (int s : spec.services) {
      const Service& svc = sc.services[s];
      if (sc.os.memory_bytes + svc.memory_bytes > spec.memory_bytes)
        throw InputError(
            at, fmt::format("expected at least {} to hold the OS ({}) and service {} ({}), got {}",
                            mib(sc.os.memory_bytes + svc.memory_bytes), mib(sc.os.memory_bytes),
                            svc.name, mib(svc.memory_bytes), mib(spec.memory_bytes)));
      need += svc.memory_bytes;
      parts += fmt::format(", {}'s {}", svc.name, mib(svc.memory_bytes));
    }
    if (need > spec.memory_bytes)
      throw InputError(at, fmt::format("expected at least {} ({}), got {}", mib(need), parts,
                                       mib(spec.memory_bytes)));
  }
  for (auto& s : sc.services) {
    double need = sc.os.memory_bytes + std::max(s.memory_bytes, s.start_memory_bytes);
    if (flexcapsule)
      need = std::max(
          need, sc.os.memory_bytes + sc.flexcapsule.extra_memory_bytes + s.nested_memory_bytes);
    const std::string at = "/services/" + s.name + "/vm/memory";
    if (s.vm_memory_bytes == 0)
      s.vm_memory_bytes = vm_size(need);
    else if (s.vm_memory_bytes < need)
      throw InputError(
          at, fmt::format("expected at least {} (the OS and the service{}), got {}", mib(need),
                          flexcapsule ? " or its nested VM" : "", mib(s.vm_memory_bytes)));
  }
  return sc;
}

}  // namespace rejuv::sim::autoscale
