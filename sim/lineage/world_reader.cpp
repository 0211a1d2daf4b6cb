// Reads a lineage scenario's hosts and VMs into the World.
#include "sim/lineage/world_reader.hpp"

#include <cmath>

#include "sim/lineage/json_reading.hpp"
#include "sim/random.hpp"

namespace rejuv::sim::lineage {

using namespace reading;

namespace {

// An attribute's value: a number, a size or duration with its unit (a number), or a string.
struct Value {
  ValueType type;
  double num = 0;
  std::string str;
};

Value attribute_value(const json& v, const std::string& at) {
  if (v.is_number()) return {ValueType::number, require_number(v, at, "a finite number"), {}};
  if (!v.is_string())
    throw InputError(
        at, fmt::format("expected a number, a size, a duration or a string, got {}", describe(v)));
  const std::string s = v.get<std::string>();
  if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.')) {
    try {
      return {ValueType::number, parse_bytes(v, at), {}};
    } catch (const InputError&) {
    }
    try {
      return {ValueType::number, parse_duration_text(s, at), {}};
    } catch (const InputError&) {
    }
  }
  return {ValueType::string, 0, s};
}

// A generator's attribute: a value, {"uniform": [a, b]} or {"choice": [...], "weights": [...]}.
struct ValueSpec {
  enum class Kind : uint8_t { fixed, uniform, choice } kind = Kind::fixed;
  std::vector<Value> values;       // fixed: one; uniform: low, high; choice: the choices
  std::vector<double> cumulative;  // choice: cumulative weights, ending at 1
  ValueType type() const { return values.front().type; }
  Value draw(Rng& rng) const {
    switch (kind) {
      case Kind::fixed:
        return values.front();
      case Kind::uniform:
        return {ValueType::number, rng.uniform(values[0].num, values[1].num), {}};
      case Kind::choice: {
        const double u = rng.uniform01();
        for (size_t k = 0; k < cumulative.size(); ++k)
          if (u < cumulative[k]) return values[k];
        return values.back();
      }
    }
    return values.front();
  }
};

ValueSpec value_spec(const json& v, const std::string& at) {
  ValueSpec s;
  if (!v.is_object()) {
    s.values.push_back(attribute_value(v, at));
    return s;
  }
  if (v.contains("uniform")) {
    check_keys(v, at, {"uniform"});
    const json& u = v["uniform"];
    if (!u.is_array() || u.size() != 2)
      throw InputError(at + "/uniform", fmt::format("expected [low, high], got {}", describe(u)));
    s.kind = ValueSpec::Kind::uniform;
    for (int k = 0; k < 2; ++k) {
      s.values.push_back(attribute_value(u[size_t(k)], fmt::format("{}/uniform/{}", at, k)));
      if (s.values.back().type != ValueType::number)
        throw InputError(fmt::format("{}/uniform/{}", at, k),
                         fmt::format("expected a number, got {}", describe(u[size_t(k)])));
    }
    if (s.values[1].num < s.values[0].num)
      throw InputError(at + "/uniform", fmt::format("expected low ≤ high, got {}", describe(u)));
    return s;
  }
  if (v.contains("choice")) {
    check_keys(v, at, {"choice", "weights"});
    const json& c = v["choice"];
    if (!c.is_array() || c.empty())
      throw InputError(at + "/choice",
                       fmt::format("expected a non-empty list, got {}", describe(c)));
    s.kind = ValueSpec::Kind::choice;
    for (size_t k = 0; k < c.size(); ++k) {
      s.values.push_back(attribute_value(c[k], fmt::format("{}/choice/{}", at, k)));
      if (s.values.back().type != s.values.front().type)
        throw InputError(fmt::format("{}/choice/{}", at, k),
                         fmt::format("expected {} like the first choice, got {}", name(s.type()),
                                     describe(c[k])));
    }
    std::vector<double> w(c.size(), 1.0);
    if (v.contains("weights")) {
      const json& ws = v["weights"];
      if (!ws.is_array() || ws.size() != c.size())
        throw InputError(at + "/weights",
                         fmt::format("expected {} weights, got {}", c.size(), describe(ws)));
      for (size_t k = 0; k < ws.size(); ++k)
        w[k] = number_at_least(ws[k], fmt::format("{}/weights/{}", at, k), 0);
    }
    double total = 0;
    for (double x : w) total += x;
    if (!(total > 0)) throw InputError(at + "/weights", "expected weights that sum to more than 0");
    double acc = 0;
    for (double x : w) s.cumulative.push_back((acc += x) / total);
    return s;
  }
  throw InputError(
      at,
      fmt::format("expected a value, {{\"uniform\": [low, high]}} or {{\"choice\": [...]}}, got {}",
                  describe(v)));
}

class HostReader {
 public:
  HostReader(World& w, uint64_t seed) : w_(w), seed_(seed) {}

  void set_attribute(Kind k, uint32_t i, const std::string& key, const Value& v,
                     const std::string& at) {
    const auto col = w_.find_column(k, key);
    if (col && col->type != v.type)
      throw InputError(at, fmt::format("expected {} (\"{}\" is {} elsewhere), got {}",
                                       name(col->type), key, name(col->type),
                                       v.type == ValueType::string ? "\"" + v.str + "\""
                                                                   : fmt::format("{}", v.num)));
    const uint32_t c = col ? col->index : w_.column(k, key, v.type);
    if (v.type == ValueType::string)
      w_.set_str(k, c, i, v.str);
    else
      w_.set_num(k, c, i, v.num);
  }

  // The keys every host may have besides its attributes.
  struct HostInit {
    std::optional<double> free_memory, cpu_ratio;
  };

  void host_key(uint32_t h, const std::string& key, const Value& v, const std::string& at,
                HostInit& init) {
    if (key == "memory" || key == "free_memory" || key == "cpus" || key == "cpu_ratio") {
      if (v.type != ValueType::number || v.num < 0)
        throw InputError(
            at,
            fmt::format("expected a number ≥ 0{}",
                        key.find("memory") != std::string::npos ? " or a size (\"2GiB\")" : ""));
      if (key == "free_memory")
        init.free_memory = v.num;
      else if (key == "cpu_ratio")
        init.cpu_ratio = v.num;
      else
        set_attribute(Kind::host, h, key, v, at);
      return;
    }
    set_attribute(Kind::host, h, key, v, at);
  }

  void vm_keys(uint32_t vm, const std::vector<std::pair<std::string, Value>>& kv,
               const std::string& at) {
    for (const auto& [key, v] : kv) set_attribute(Kind::vm, vm, key, v, at + "/" + key);
  }

  // Adds a VM; its memory and CPU count against its host once it runs (finish_host).
  uint32_t add_vm(const std::string& vm_name, uint32_t h, const std::string& at) {
    if (w_.find(Kind::vm, vm_name))
      throw InputError(at, fmt::format("another VM is named \"{}\"", vm_name));
    return w_.add_vm(vm_name, h, 0, 0);
  }

  void finish_host(uint32_t h, const HostInit& init,
                   const std::vector<std::pair<uint32_t, bool>>& vms) {
    // free_memory and cpu_ratio: as given, or what the running VMs leave of the host.
    w_.host_num(World::host_free_memory, h) = w_.num(Kind::host, World::host_memory, h);
    for (const auto& [vm, running] : vms)
      if (running) w_.set_running(vm, true, "running");
    if (init.free_memory) w_.host_num(World::host_free_memory, h) = *init.free_memory;
    if (init.cpu_ratio) w_.host_num(World::host_cpu_ratio, h) = *init.cpu_ratio;
  }

  bool vm_state(const json& v, const std::string& at) {
    const std::string s = text(v, at, "\"running\" or \"shutoff\"");
    if (s != "running" && s != "shutoff")
      throw InputError(at, fmt::format("expected \"running\" or \"shutoff\", got \"{}\"", s));
    return s == "running";
  }

  void hosts(const json& hs) {
    if (hs.is_object()) return generate_hosts(hs);
    if (!hs.is_array() || hs.empty())
      throw InputError(
          "/hosts",
          fmt::format("expected a non-empty list of hosts or a generator {{\"count\": …}}, got {}",
                      describe(hs)));
    for (size_t i = 0; i < hs.size(); ++i) {
      const std::string at = fmt::format("/hosts/{}", i);
      const json& o = hs[i];
      if (!o.is_object())
        throw InputError(at, fmt::format("expected a host object, got {}", describe(o)));
      const std::string host_name = text(require_key(o, "name", at), at + "/name", "a host name");
      if (w_.find(Kind::host, host_name))
        throw InputError(at + "/name", fmt::format("another host is named \"{}\"", host_name));
      const uint32_t h = w_.add_host(host_name);
      HostInit init;
      for (const auto& [k, v] : o.items()) {
        if (k == "name" || k == "vms" || k.starts_with("_")) continue;
        host_key(h, k, attribute_value(v, at + "/" + k), at + "/" + k, init);
      }
      std::vector<std::pair<uint32_t, bool>> vms;
      if (o.contains("vms")) {
        const json& vs = o["vms"];
        if (!vs.is_array())
          throw InputError(at + "/vms",
                           fmt::format("expected a list of VMs, got {}", describe(vs)));
        for (size_t j = 0; j < vs.size(); ++j) {
          const std::string vat = fmt::format("{}/vms/{}", at, j);
          const json& vo = vs[j];
          if (!vo.is_object())
            throw InputError(vat, fmt::format("expected a VM object, got {}", describe(vo)));
          const uint32_t vm = add_vm(text(require_key(vo, "name", vat), vat + "/name", "a VM name"),
                                     h, vat + "/name");
          bool running = true;
          std::vector<std::pair<std::string, Value>> kv;
          for (const auto& [k, v] : vo.items()) {
            if (k == "name" || k.starts_with("_")) continue;
            if (k == "state") {
              running = vm_state(v, vat + "/state");
              continue;
            }
            Value val = attribute_value(v, vat + "/" + k);
            if ((k == "memory" || k == "cpu") && (val.type != ValueType::number || val.num < 0))
              throw InputError(vat + "/" + k,
                               fmt::format("expected a number ≥ 0{}, got {}",
                                           k == "memory" ? " or a size" : "", describe(v)));
            if (k == "host")
              throw InputError(vat + "/host", "a VM's host is the host it is listed under");
            kv.emplace_back(k, std::move(val));
          }
          vm_keys(vm, kv, vat);
          vms.emplace_back(vm, running);
        }
      }
      finish_host(h, init, vms);
    }
  }

  static std::string pattern(std::string p, const std::string& key, const std::string& value) {
    for (size_t at; (at = p.find("{" + key + "}")) != std::string::npos;)
      p.replace(at, key.size() + 2, value);
    return p;
  }

  void generate_hosts(const json& g) {
    check_keys(
        g, "/hosts",
        {"count", "name", "memory", "free_memory", "cpus", "cpu_ratio", "attributes", "vms"});
    const size_t n = count(require_key(g, "count", "/hosts"), "/hosts/count");
    if (n == 0 || n > 10'000'000)
      throw InputError("/hosts/count", fmt::format("expected 1 to 10^7 hosts, got {}", n));
    const std::string name_pattern =
        g.contains("name") ? text(g["name"], "/hosts/name", "a name pattern with {i}") : "h{i}";
    if (name_pattern.find("{i}") == std::string::npos)
      throw InputError("/hosts/name",
                       fmt::format("expected a pattern with {{i}} (the host's number), got \"{}\"",
                                   name_pattern));
    std::vector<std::pair<std::string, ValueSpec>> host_specs;
    for (const char* k : {"memory", "free_memory", "cpus", "cpu_ratio"})
      if (g.contains(k)) host_specs.emplace_back(k, value_spec(g[k], std::string("/hosts/") + k));
    if (g.contains("attributes")) {
      const json& a = g["attributes"];
      if (!a.is_object())
        throw InputError("/hosts/attributes",
                         fmt::format("expected an object, got {}", describe(a)));
      for (const auto& [k, v] : a.items())
        if (!k.starts_with("_"))
          host_specs.emplace_back(k, value_spec(v, "/hosts/attributes/" + k));
    }
    // VMs per host.
    std::optional<ValueSpec> vm_count;
    std::string vm_pattern = "{host}-{j}";
    std::vector<std::pair<std::string, ValueSpec>> vm_specs;
    std::optional<ValueSpec> vm_state_spec;
    if (g.contains("vms")) {
      const json& v = g["vms"];
      check_keys(v, "/hosts/vms", {"count", "name", "memory", "cpu", "state", "attributes"});
      vm_count = value_spec(require_key(v, "count", "/hosts/vms"), "/hosts/vms/count");
      if (vm_count->type() != ValueType::number)
        throw InputError("/hosts/vms/count", "expected a count");
      if (v.contains("name"))
        vm_pattern = text(v["name"], "/hosts/vms/name", "a name pattern with {host} and {j}");
      if (vm_pattern.find("{j}") == std::string::npos)
        throw InputError(
            "/hosts/vms/name",
            fmt::format("expected a pattern with {{j}} (the VM's number on its host), got \"{}\"",
                        vm_pattern));
      for (const char* k : {"memory", "cpu"})
        if (v.contains(k))
          vm_specs.emplace_back(k, value_spec(v[k], std::string("/hosts/vms/") + k));
      if (v.contains("state")) vm_state_spec = value_spec(v["state"], "/hosts/vms/state");
      if (v.contains("attributes")) {
        const json& a = v["attributes"];
        if (!a.is_object())
          throw InputError("/hosts/vms/attributes",
                           fmt::format("expected an object, got {}", describe(a)));
        for (const auto& [k, x] : a.items())
          if (!k.starts_with("_"))
            vm_specs.emplace_back(k, value_spec(x, "/hosts/vms/attributes/" + k));
      }
    }
    // Each attribute draws from its own stream, by host (or VM) number: adding an attribute
    // changes no other attribute's values.
    Streams streams(seed_);
    std::vector<Rng> host_rngs, vm_rngs;
    for (const auto& [k, _] : host_specs) host_rngs.push_back(streams.get("lineage/hosts/" + k));
    for (const auto& [k, _] : vm_specs) vm_rngs.push_back(streams.get("lineage/vms/" + k));
    Rng count_rng = streams.get("lineage/vms/count"), state_rng = streams.get("lineage/vms/state");
    for (size_t i = 0; i < n; ++i) {
      const uint32_t h = w_.add_host(pattern(name_pattern, "i", std::to_string(i)));
      HostInit init;
      for (size_t k = 0; k < host_specs.size(); ++k) {
        const std::string at =
            host_specs[k].first == "memory" || host_specs[k].first == "free_memory" ||
                    host_specs[k].first == "cpus" || host_specs[k].first == "cpu_ratio"
                ? "/hosts/" + host_specs[k].first
                : "/hosts/attributes/" + host_specs[k].first;
        host_key(h, host_specs[k].first, host_specs[k].second.draw(host_rngs[k]), at, init);
      }
      std::vector<std::pair<uint32_t, bool>> vms;
      const size_t m = vm_count ? size_t(std::llround(vm_count->draw(count_rng).num)) : 0;
      for (size_t j = 0; j < m; ++j) {
        const std::string vm_name =
            pattern(pattern(vm_pattern, "host", w_.name(Kind::host, h)), "j", std::to_string(j));
        const uint32_t vm = add_vm(vm_name, h, "/hosts/vms/name");
        std::vector<std::pair<std::string, Value>> kv;
        for (size_t k = 0; k < vm_specs.size(); ++k)
          kv.emplace_back(vm_specs[k].first, vm_specs[k].second.draw(vm_rngs[k]));
        vm_keys(vm, kv, "/hosts/vms");
        bool running = true;
        if (vm_state_spec) {
          const Value s = vm_state_spec->draw(state_rng);
          running = s.str != "shutoff";
          if (s.str != "running" && s.str != "shutoff")
            throw InputError(
                "/hosts/vms/state",
                fmt::format("expected \"running\" or \"shutoff\", got {}", describe(s.str)));
        }
        vms.emplace_back(vm, running);
      }
      finish_host(h, init, vms);
    }
  }

 private:
  World& w_;
  uint64_t seed_;
};

}  // namespace

void read_hosts(const json& hosts, World& world, uint64_t seed) {
  HostReader(world, seed).hosts(hosts);
}

}  // namespace rejuv::sim::lineage
