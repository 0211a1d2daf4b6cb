#include "models/curve.hpp"

#include <fmt/format.h>

#include <climits>
#include <cmath>
#include <stdexcept>

#include "models/input_error.hpp"
#include "models/units.hpp"

namespace rejuv {

Curve Curve::constant(double c) {
  Curve k;
  k.form_ = Form::Constant;
  k.coef_ = {c};
  return k;
}
Curve Curve::linear(double a, double b) {
  Curve k;
  k.form_ = Form::Linear;
  k.coef_ = {a, b};
  return k;
}
Curve Curve::exp(double a, double b) {
  Curve k;
  k.form_ = Form::Exp;
  k.coef_ = {a, b};
  return k;
}
Curve Curve::values(std::vector<double> v) {
  Curve k;
  k.form_ = Form::Values;
  k.coef_ = std::move(v);
  return k;
}
Curve Curve::piecewise(std::vector<Segment> segments) {
  Curve k;
  k.form_ = Form::Piecewise;
  k.segments_ = std::move(segments);
  return k;
}

bool Curve::covers(int i) const {
  switch (form_) {
    case Form::Values:
      return i >= 1 && static_cast<size_t>(i) <= coef_.size();
    case Form::Piecewise:
      for (const auto& s : segments_)
        if (i >= s.from && i <= s.to && s.f->covers(i)) return true;
      return false;
    default:
      return true;
  }
}

double Curve::operator()(int i) const {
  switch (form_) {
    case Form::Constant:
      return coef_[0];
    case Form::Linear:
      return coef_[0] * i + coef_[1];
    case Form::Exp:
      return std::exp(coef_[0] * i + coef_[1]);
    case Form::Values:
      if (!covers(i)) throw std::out_of_range(fmt::format("curve has no value for i = {}", i));
      return coef_[static_cast<size_t>(i - 1)];
    case Form::Piecewise:
      for (const auto& s : segments_)
        if (i >= s.from && i <= s.to && s.f->covers(i)) return (*s.f)(i);
      throw std::out_of_range(fmt::format("piecewise curve does not cover i = {}", i));
  }
  return 0;
}

nlohmann::json Curve::to_json() const {
  switch (form_) {
    case Form::Constant:
      return coef_[0];
    case Form::Linear:
      return {{"linear", coef_}};
    case Form::Exp:
      return {{"exp", coef_}};
    case Form::Values:
      return {{"values", coef_}};
    case Form::Piecewise: {
      nlohmann::json segs = nlohmann::json::array();
      for (const auto& s : segments_) {
        nlohmann::json j;
        if (s.from != INT_MIN) j["from"] = s.from;
        if (s.to != INT_MAX) j["to"] = s.to;
        j["f"] = s.f->to_json();
        segs.push_back(j);
      }
      return {{"piecewise", segs}};
    }
  }
  return nullptr;
}

namespace {

constexpr const char* kForms =
    "a number, {\"linear\":[a,b]}, {\"exp\":[a,b]}, {\"values\":[...]} or {\"piecewise\":[...]}";

std::vector<double> pair_of(const nlohmann::json& v, const std::string& where) {
  if (!v.is_array() || v.size() != 2)
    throw InputError(where, fmt::format("expected [a, b], got {}", describe(v)));
  return {require_number(v[0], where + "/0", "a number"), require_number(v[1], where + "/1", "a number")};
}

int bound_of(const nlohmann::json& v, const std::string& where) {
  if (!v.is_number_integer())
    throw InputError(where, fmt::format("expected an integer VM index, got {}", describe(v)));
  return v.get<int>();
}

Curve parse_form(const nlohmann::json& value, const std::string& where) {
  if (value.is_number()) return Curve::constant(require_number(value, where, "a number"));
  if (!value.is_object() || value.size() != 1)
    throw InputError(where, fmt::format("expected a curve: {}; got {}", kForms, describe(value)));
  const auto first = value.begin();
  const std::string key = first.key();
  const nlohmann::json& arg = first.value();
  const std::string at = where + "/" + key;
  if (key == "linear") {
    auto c = pair_of(arg, at);
    return Curve::linear(c[0], c[1]);
  }
  if (key == "exp") {
    auto c = pair_of(arg, at);
    return Curve::exp(c[0], c[1]);
  }
  if (key == "values") {
    if (!arg.is_array() || arg.empty())
      throw InputError(at, fmt::format("expected a non-empty array of numbers, got {}", describe(arg)));
    std::vector<double> v;
    for (size_t k = 0; k < arg.size(); ++k)
      v.push_back(require_number(arg[k], fmt::format("{}/{}", at, k), "a number"));
    return Curve::values(std::move(v));
  }
  if (key == "piecewise") {
    if (!arg.is_array() || arg.empty())
      throw InputError(at, fmt::format("expected a non-empty array of segments, got {}", describe(arg)));
    std::vector<Curve::Segment> segs;
    for (size_t k = 0; k < arg.size(); ++k) {
      const std::string s_at = fmt::format("{}/{}", at, k);
      const auto& s = arg[k];
      if (!s.is_object())
        throw InputError(s_at, fmt::format("expected {{\"from\":i0,\"to\":i1,\"f\":<curve>}}, got {}", describe(s)));
      for (const auto& [sk, _] : s.items())
        if (sk != "from" && sk != "to" && sk != "f")
          throw InputError(s_at + "/" + sk, "unknown key (expected from, to, f)");
      Curve::Segment seg{INT_MIN, INT_MAX, nullptr};
      if (s.contains("from")) seg.from = bound_of(s["from"], s_at + "/from");
      if (s.contains("to")) seg.to = bound_of(s["to"], s_at + "/to");
      if (seg.from > seg.to)
        throw InputError(s_at, fmt::format("expected from ≤ to, got from = {} > to = {}", seg.from, seg.to));
      seg.f = std::make_shared<const Curve>(parse_form(require_key(s, "f", s_at), s_at + "/f"));
      segs.push_back(std::move(seg));
    }
    return Curve::piecewise(std::move(segs));
  }
  throw InputError(where, fmt::format("unknown curve form \"{}\" (expected {})", key, kForms));
}

}  // namespace

Curve parse_curve(const nlohmann::json& value, const std::string& where, int first, int last,
                  bool positive) {
  Curve c = parse_form(value, where);
  if (c.form() == Curve::Form::Values && c.coefficients().size() < static_cast<size_t>(last))
    throw InputError(where + "/values",
                     fmt::format("expected at least {} values (one per VM i = 1..{}), got {}", last, last,
                                 c.coefficients().size()));
  for (int i = first; i <= last; ++i)
    if (!c.covers(i))
      throw InputError(where, fmt::format("curve does not cover i = {} (it must cover i = {}..{})", i, first, last));
  // A linear or exponential form can leave the meaningful range inside i = first..last
  // ({"exp": [800, 1]} overflows at i = 1), so every value the formulas will read is checked.
  for (int i = first; i <= last; ++i) {
    const double f = c(i);
    if (!std::isfinite(f) || f < 0 || (positive && f == 0))
      throw InputError(where, fmt::format("expected a finite value {} at every VM i = {}..{}, got f({}) = {}",
                                          positive ? "> 0" : "≥ 0", first, last, i, f));
  }
  return c;
}

}  // namespace rejuv
