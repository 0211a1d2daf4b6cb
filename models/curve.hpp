#pragma once
// A per-VM curve f(i), i = 1..n: the V_s(i), V_m(i), V_d(i) and M(i) of Table 1 (seed 003 §4.2).
// Forms: a number (constant), {"linear":[a,b]} = a·i+b, {"exp":[a,b]} = e^(a·i+b),
// {"values":[v1,…,vn]}, {"piecewise":[{"from":i0,"to":i1,"f":<curve>},…]} (bounds inclusive and
// optional; the first segment that covers i gives f(i)).
#include <nlohmann/json.hpp>
#include <memory>
#include <string>
#include <vector>

namespace rejuv {

class Curve {
 public:
  enum class Form { Constant, Linear, Exp, Values, Piecewise };
  struct Segment {
    int from;  // inclusive; INT_MIN when open
    int to;    // inclusive; INT_MAX when open
    std::shared_ptr<const Curve> f;
  };

  static Curve constant(double c);
  static Curve linear(double a, double b);
  static Curve exp(double a, double b);
  static Curve values(std::vector<double> v);
  static Curve piecewise(std::vector<Segment> segments);

  // f(i); throws std::out_of_range where the curve does not cover i.
  double operator()(int i) const;
  bool covers(int i) const;
  Form form() const { return form_; }
  const std::vector<double>& coefficients() const { return coef_; }
  const std::vector<Segment>& segments() const { return segments_; }

  nlohmann::json to_json() const;

 private:
  Form form_ = Form::Constant;
  std::vector<double> coef_;  // {c}, {a,b}, or the values
  std::vector<Segment> segments_;
};

// Parses a curve and checks that it covers every i in [first, last] with a finite value ≥ 0 (> 0
// with `positive`, as M(i) must be: γ weighs each VM by M(i)/ΣM(i)); errors name the JSON path.
Curve parse_curve(const nlohmann::json& value, const std::string& where, int first, int last,
                  bool positive = false);

}  // namespace rejuv
