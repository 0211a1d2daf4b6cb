#include "sim/cluster/precopy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string_view>

#include "models/input_error.hpp"

namespace rejuv::sim {

namespace {

void check(const PrecopyConfig& c) {
  auto positive = [](double x) { return std::isfinite(x) && x > 0; };
  auto non_negative = [](double x) { return std::isfinite(x) && x >= 0; };
  if (!positive(c.memory_bytes) || !non_negative(c.dirty_rate_Bps) || !positive(c.page_bytes) ||
      !positive(c.min_rate_bps) || !positive(c.max_rate_bps) || c.min_rate_bps > c.max_rate_bps ||
      !non_negative(c.rate_step_bps) || !positive(c.link_rate_bps) || !non_negative(c.stop_pages) ||
      c.max_rounds < 1 || !(c.max_factor >= 1) || !non_negative(c.resume_s) ||
      !non_negative(c.working_set_bytes) || c.working_set_bytes > c.memory_bytes ||
      !(c.dirty_overlap >= 0 && c.dirty_overlap < 1) || !non_negative(c.downtime_limit_s) ||
      !non_negative(c.max_bandwidth_bps)) {
    throw std::invalid_argument("simulate_precopy: configuration out of range");
  }
}

}  // namespace

std::string_view name(PrecopyStop stop) {
  switch (stop) {
    case PrecopyStop::few_pages_left: return "few_pages_left";
    case PrecopyStop::not_converging: return "not_converging";
    case PrecopyStop::max_factor: return "max_factor";
    case PrecopyStop::max_rounds: return "max_rounds";
    case PrecopyStop::fits_downtime_limit: return "fits_downtime_limit";
  }
  return "?";
}

// Assumptions, each with its source:
// - Seed 003 §3.3: rounds resend what was dirtied during the previous round; the last round runs
//   with the VM stopped and is the downtime, with the execution state and resume (resume_s).
// - A fluid model (no randomness): a round sending B bytes at rate R lasts 8B/R; meanwhile the VM
//   dirties min(dirty_rate · duration, memory) distinct bytes, which the next round resends.
//   Xen skips pages dirtied again before their turn within a round; the model resends them, so
//   it errs toward more rounds, not fewer.
// - Rate control as Clark et al. describe it (NSDI 2005, §5.1; seed 003 §4.2 summarises it):
//   next rate = observed dirtying rate + 50 Mbit/s within [100, 500] Mbit/s, stop-and-copy at
//   the maximum. Xen 3.1's xc_linux_save.c (the version of seed 003 §4.2) differs in two details
//   the model leaves out: it only ever raises the rate (when the observed rate exceeds the
//   current one), and its last round runs at whatever rate it reached.
// - Stop rules from xc_linux_save.c, with two readings. "Pages sent in the round just done < 50"
//   becomes "pages left to send ≤ stop_pages", which ends the fluid model one (tiny) round
//   earlier. "Sent this round > sent last round, at the maximum rate" becomes "dirtied ≥ sent":
//   a round that dirties the whole memory dirties exactly what it sent, and is no progress
//   either. Xen 3.1 built without rate control has no such rule (RATE_IS_MAX() is 0) and relies
//   on the 3 × memory cap; the model applies it at the link rate too.
//   The QEMU rule (migration.c, migration_iteration_run and migration_update_counters, QEMU 7.2):
//   the threshold is the measured bandwidth × downtime_limit; while the pending dirty bytes exceed
//   it QEMU keeps sending, and it re-reads the dirty bitmap only once what is left of the round
//   is below the threshold (ram_save_pending), so its rounds are the model's: the first sends the
//   whole image, each later one what the previous round dirtied.
PrecopyResult simulate_precopy(const PrecopyConfig& c) {
  check(c);
  const bool qemu = c.stop_rule == PrecopyStopRule::qemu;
  const double stop_bytes = c.stop_pages * c.page_bytes;
  const double dirtied_cap = c.working_set_bytes > 0 ? c.working_set_bytes : c.memory_bytes;
  const double live_cap =
      c.max_bandwidth_bps > 0 ? std::min(c.max_bandwidth_bps, c.link_rate_bps) : c.link_rate_bps;
  const double top_rate = std::min(c.rate_control ? c.max_rate_bps : c.link_rate_bps, live_cap);
  PrecopyResult r;
  double to_send = c.memory_bytes;  // the first round sends the whole image
  double rate = std::min(c.rate_control ? c.min_rate_bps : c.link_rate_bps, live_cap);
  bool stopped = false;
  while (!stopped && r.rounds + 1 < c.max_rounds) {  // keep the last round for stop-and-copy
    const Seconds duration = 8 * to_send / rate;
    const double dirtied = std::min(c.dirty_rate_Bps * duration, dirtied_cap);
    const double resend = (1 - c.dirty_overlap) * dirtied;
    ++r.rounds;
    r.total_time_s += duration;
    r.bytes_sent += to_send;
    r.peak_rate_bps = std::max(r.peak_rate_bps, rate);

    stopped = true;
    if (qemu) {
      if (resend <= rate / 8 * c.downtime_limit_s) {
        r.stop = PrecopyStop::fits_downtime_limit;
      } else {
        stopped = false;
      }
    } else if (resend <= stop_bytes) {
      r.stop = PrecopyStop::few_pages_left;
    } else if (resend >= to_send && rate >= top_rate) {
      r.stop = PrecopyStop::not_converging;
    } else if (r.bytes_sent > c.max_factor * c.memory_bytes) {
      r.stop = PrecopyStop::max_factor;
    } else {
      stopped = false;
    }
    to_send = resend;
    if (c.rate_control && duration > 0) {
      const double observed_bps = 8 * dirtied / duration;
      rate = std::min(std::clamp(observed_bps + c.rate_step_bps, c.min_rate_bps, c.max_rate_bps),
                      live_cap);
    }
  }
  if (!stopped) r.stop = PrecopyStop::max_rounds;

  // Stop-and-copy: the VM is paused from here until it resumes on the destination.
  r.downtime_s = 8 * to_send / (qemu ? c.link_rate_bps : top_rate) + c.resume_s;
  ++r.rounds;
  r.total_time_s += r.downtime_s;
  r.bytes_sent += to_send;
  r.iterations = qemu ? r.rounds + 1 : r.rounds;
  return r;
}

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 17> kKeys{
    "memory",     "dirty_rate",     "rate_control",  "min_rate",    "max_rate",     "rate_step",
    "link_rate",  "page_size",      "stop_pages",    "max_rounds",  "max_factor",   "resume",
    "stop_rule",  "downtime_limit", "max_bandwidth", "working_set", "dirty_overlap"};

}  // namespace

PrecopyConfig parse_precopy(const json& obj, const std::string& where) {
  if (!obj.is_object()) {
    throw InputError(where.empty() ? "/" : where,
                     fmt::format("expected a pre-copy migration object such as "
                                 "{{\"memory\": \"1GiB\", \"dirty_rate\": \"20MB/s\"}}, got {}",
                                 describe(obj)));
  }
  for (const auto& [key, _] : obj.items()) {
    if (key.starts_with("_") || std::find(kKeys.begin(), kKeys.end(), key) != kKeys.end()) continue;
    std::string known;
    for (auto k : kKeys) known += (known.empty() ? "" : ", ") + std::string(k);
    throw InputError(
        where + "/" + key,
        fmt::format("expected one of the keys {}, got unknown key \"{}\"", known, key));
  }
  auto at = [&](std::string_view key) { return where + "/" + std::string(key); };
  auto has = [&](const char* key) { return obj.contains(key); };

  PrecopyConfig c;
  c.memory_bytes = parse_bytes(require_key(obj, "memory", where), at("memory"), true);
  c.dirty_rate_Bps = parse_bit_rate(require_key(obj, "dirty_rate", where), at("dirty_rate")) / 8;
  if (has("rate_control")) {
    const json& v = obj.at("rate_control");
    if (!v.is_boolean()) {
      throw InputError(at("rate_control"),
                       fmt::format("expected true or false, got {}", describe(v)));
    }
    c.rate_control = v.get<bool>();
  }
  if (has("min_rate")) c.min_rate_bps = parse_bit_rate(obj.at("min_rate"), at("min_rate"), true);
  if (has("max_rate")) c.max_rate_bps = parse_bit_rate(obj.at("max_rate"), at("max_rate"), true);
  if (c.max_rate_bps < c.min_rate_bps) {
    throw InputError(has("max_rate") ? at("max_rate") : at("min_rate"),
                     fmt::format("expected min_rate ≤ max_rate, got {:g} Mbit/s > {:g} Mbit/s",
                                 c.min_rate_bps / 1e6, c.max_rate_bps / 1e6));
  }
  if (has("rate_step")) c.rate_step_bps = parse_bit_rate(obj.at("rate_step"), at("rate_step"));
  if (has("link_rate"))
    c.link_rate_bps = parse_bit_rate(obj.at("link_rate"), at("link_rate"), true);
  if (has("page_size")) c.page_bytes = parse_bytes(obj.at("page_size"), at("page_size"), true);
  if (has("stop_pages")) {
    const json& v = obj.at("stop_pages");
    c.stop_pages = require_number(v, at("stop_pages"), "a number of pages ≥ 0");
    if (c.stop_pages < 0) {
      throw InputError(at("stop_pages"),
                       fmt::format("expected a number of pages ≥ 0, got {}", describe(v)));
    }
  }
  if (has("max_rounds")) {
    const json& v = obj.at("max_rounds");
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 1000) {
      throw InputError(at("max_rounds"),
                       fmt::format("expected an integer in [1, 1000] (rounds, the stop-and-copy "
                                   "round included), got {}",
                                   describe(v)));
    }
    c.max_rounds = v.get<int>();
  }
  if (has("max_factor")) {
    const json& v = obj.at("max_factor");
    c.max_factor = require_number(v, at("max_factor"), "a multiple of the memory size ≥ 1");
    if (c.max_factor < 1) {
      throw InputError(
          at("max_factor"),
          fmt::format("expected a multiple of the memory size ≥ 1, got {}", describe(v)));
    }
  }
  if (has("resume")) c.resume_s = parse_duration(obj.at("resume"), at("resume"));
  if (has("stop_rule")) {
    const json& v = obj.at("stop_rule");
    if (v == "xen") {
      c.stop_rule = PrecopyStopRule::xen;
    } else if (v == "qemu") {
      c.stop_rule = PrecopyStopRule::qemu;
    } else {
      throw InputError(at("stop_rule"), fmt::format("expected \"xen\" or \"qemu\", got {}", describe(v)));
    }
  }
  if (has("downtime_limit"))
    c.downtime_limit_s = parse_duration(obj.at("downtime_limit"), at("downtime_limit"), true);
  if (has("max_bandwidth"))
    c.max_bandwidth_bps = parse_bit_rate(obj.at("max_bandwidth"), at("max_bandwidth"), true);
  if (has("working_set")) {
    c.working_set_bytes = parse_bytes(obj.at("working_set"), at("working_set"), true);
    if (c.working_set_bytes > c.memory_bytes) {
      throw InputError(at("working_set"),
                       fmt::format("expected a working set ≤ memory ({:g} MiB), got {:g} MiB",
                                   c.memory_bytes / 1048576, c.working_set_bytes / 1048576));
    }
  }
  if (has("dirty_overlap")) {
    const json& v = obj.at("dirty_overlap");
    c.dirty_overlap = require_number(v, at("dirty_overlap"), "a fraction in [0, 1)");
    if (!(c.dirty_overlap >= 0 && c.dirty_overlap < 1)) {
      throw InputError(at("dirty_overlap"), fmt::format("expected a fraction in [0, 1), got {}", describe(v)));
    }
  }
  return c;
}

}  // namespace rejuv::sim
