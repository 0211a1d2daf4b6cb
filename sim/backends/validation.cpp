#include "sim/backends/validation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace rejuv::sim::backends {

namespace {

nlohmann::json stats_json(const OpStats& s, bool with_planned) {
  nlohmann::json j = {
      {"count", s.count},       {"failures", s.failures}, {"unsupported", s.unsupported},
      {"emulated", s.emulated}, {"mean_s", s.mean_s},     {"p50_s", s.p50_s},
      {"p95_s", s.p95_s}};
  if (with_planned) j["planned_mean_s"] = s.planned_mean_s;
  return j;
}

// A CSV cell: quoted when it holds a comma, a quote or a line break.
std::string cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q.push_back('"');
    q.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  return q + "\"";
}

}  // namespace

nlohmann::json compare_logs(const std::vector<OpRecord>& simulated,
                            const std::vector<OpRecord>& measured) {
  const auto sim = summarize(simulated);
  const auto real = summarize(measured);
  nlohmann::json out = nlohmann::json::array();
  for (int k = 0; k < kOpCount; ++k) {
    const Op op = Op(k);
    auto find = [op](const std::vector<OpStats>& v) -> OpStats {
      for (const auto& s : v)
        if (s.op == op) return s;
      OpStats none;
      none.op = op;
      return none;
    };
    const OpStats s = find(sim), r = find(real);
    if (s.count == 0 && r.count == 0) continue;
    nlohmann::json row = {{"op", std::string(name(op))},
                          {"simulated", stats_json(s, false)},
                          {"measured", stats_json(r, true)}};
    const bool both = s.count > s.failures + s.unsupported && r.count > r.failures + r.unsupported;
    row["measured_minus_simulated_mean_s"] =
        both ? nlohmann::json(r.mean_s - s.mean_s) : nlohmann::json(nullptr);
    out.push_back(std::move(row));
  }
  return out;
}

Listener record_states(const Backend& backend, std::vector<StateChange>& out) {
  return [&backend, &out](const LifecycleEvent& e) {
    if (e.domain == kNoId) return;  // a host failed or came back: its domains' own changes follow
    out.push_back(
        StateChange{e.time, backend.host_name(e.host), backend.domain_name(e.domain), e.state});
  };
}

CurveSetText curve_set(const std::vector<OpRecord>& log, const std::vector<StateChange>& changes,
                       double per_domain_throughput) {
  // Names to indices, hosts in order of appearance.
  std::map<std::string, size_t> dom_index, host_index;
  std::vector<std::string> hosts;
  auto host_of_name = [&](const std::string& h) {
    auto [it, added] = host_index.emplace(h, hosts.size());
    if (added) hosts.push_back(h);
    return it->second;
  };
  auto dom = [&](const std::string& d) {
    return dom_index.emplace(d, dom_index.size()).first->second;
  };
  for (const auto& c : changes) {
    host_of_name(c.host);
    dom(c.domain);
  }
  for (const auto& r : log)
    if (is_host_op(r.op)) host_of_name(r.subject);

  // The change points: a state change, or an operation starting or ending.
  struct Point {
    Seconds t;
    int kind;  // 0: operation ends, 1: state change, 2: operation starts (ends first at equal
               // times)
    size_t index;
  };
  std::vector<Point> points;
  for (size_t i = 0; i < changes.size(); ++i) points.push_back({changes[i].time, 1, i});
  for (size_t i = 0; i < log.size(); ++i) {
    const OpRecord& r = log[i];
    if (!r.outcome.ok()) continue;
    const bool makes_busy = r.op != Op::define && r.op != Op::undefine && r.op != Op::host_fail &&
                            r.op != Op::host_repair &&
                            (r.op != Op::migrate || !r.outcome.emulated.empty());
    if (!makes_busy || r.outcome.duration <= 0) continue;
    points.push_back({r.time, 2, i});
    points.push_back({r.time + r.outcome.duration, 0, i});
  }
  std::stable_sort(points.begin(), points.end(), [](const Point& a, const Point& b) {
    return a.t != b.t ? a.t < b.t : a.kind < b.kind;
  });

  const size_t n = dom_index.size();
  std::vector<DomainState> state(n, DomainState::undefined);
  std::vector<size_t> where(n, SIZE_MAX);
  std::vector<int> busy(n, 0);
  std::vector<std::vector<size_t>> busy_set(log.size());  // the domains each operation holds
  auto values = [&] {
    std::vector<double> v(hosts.size() + 1, 0.0);
    for (size_t d = 0; d < n; ++d)
      if (state[d] == DomainState::running && busy[d] == 0 && where[d] != SIZE_MAX) {
        v[0] += per_domain_throughput;
        v[1 + where[d]] += per_domain_throughput;
      }
    return v;
  };
  std::string csv = fmt::format(
      "# rejuv validate: derived from domain states, not measured throughput: a domain adds {:g} "
      "while\n"
      "# its backend reports it running and no operation on it or its host is in progress.\n"
      "# time_s: the run's clock (idle time as the model plans it, operations as the backend "
      "took).\n",
      per_domain_throughput);
  csv += "time_s,cluster";
  for (const auto& h : hosts) {
    csv += ',';
    csv += cell(h);
  }
  csv += "\n";
  auto row = [&](Seconds t, const std::vector<double>& v) {
    csv += fmt::format("{}", t);
    for (double x : v) csv += fmt::format(",{}", x);
    csv += "\n";
  };
  std::vector<double> last = values();
  row(0, last);
  for (size_t k = 0; k < points.size();) {
    const Seconds t = points[k].t;
    for (; k < points.size() && points[k].t == t; ++k) {
      const Point& p = points[k];
      if (p.kind == 1) {
        const StateChange& c = changes[p.index];
        const size_t d = dom_index[c.domain];
        state[d] = c.state;
        where[d] = host_index[c.host];
        continue;
      }
      const OpRecord& r = log[p.index];
      if (p.kind == 2) {
        auto& held = busy_set[p.index];
        if (is_host_op(r.op)) {
          const size_t h = host_index[r.subject];
          for (size_t d = 0; d < n; ++d)
            if (where[d] == h) held.push_back(d);
        } else if (auto it = dom_index.find(r.subject); it != dom_index.end()) {
          held.push_back(it->second);
        }
        for (size_t d : held) ++busy[d];
      } else {
        for (size_t d : busy_set[p.index]) --busy[d];
      }
    }
    std::vector<double> now = values();
    if (now != last) {
      row(t, last);  // a step: the value before and after at the same time
      row(t, now);
      last = std::move(now);
    }
  }

  std::string events = "time_s,event,subject\n";
  for (const auto& r : log) {
    const std::string subject = cell(r.subject);
    if (!r.outcome.ok()) {
      events += fmt::format("{},{}_failed,{}\n", r.time, name(r.op), subject);
      continue;
    }
    const Seconds end = r.time + r.outcome.duration;
    switch (r.op) {
      case Op::host_reboot:
        events += fmt::format("{},vmm_reboot_start,{}\n{},vmm_reboot_end,{}\n", r.time, subject,
                              end, subject);
        break;
      case Op::reboot:
        events += fmt::format("{},os_reboot_start,{}\n{},os_reboot_end,{}\n", r.time, subject, end,
                              subject);
        break;
      case Op::migrate:
        events += fmt::format("{},migration_start,{}\n{},migration_end,{}\n", r.time, subject, end,
                              subject);
        break;
      default:
        events += fmt::format("{},{},{}\n", r.time, name(r.op), subject);
    }
  }
  return {std::move(csv), std::move(events)};
}

std::string operations_csv(const std::vector<OpRecord>& log) {
  std::string out = "time_s,op,subject,target,planned_s,duration_s,status,code,message,emulated\n";
  for (const auto& r : log) {
    const char* status = r.outcome.ok()                                ? "ok"
                         : r.outcome.status == Outcome::Status::failed ? "failed"
                                                                       : "unsupported";
    out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", r.time, name(r.op), cell(r.subject),
                       cell(r.target), r.planned, r.outcome.duration, status, r.outcome.code,
                       cell(r.outcome.message), cell(r.outcome.emulated));
  }
  return out;
}

}  // namespace rejuv::sim::backends
