#pragma once
// The time X to an aging crash since the last renewal (a rejuvenation or a crash) of a VMM or an OS:
// a parametric law computed with Boost.Math, or a Kaplan–Meier estimate from observed crash times
// (models/ttt.hpp). The planner needs only S(t) = P(X > t), F(t) and ∫_0^T S(t) dt = E[min(X, T)],
// the expected length of a renewal cycle when rejuvenation comes at age T (Huang et al., FTCS 1995;
// Dohi et al., PRDC 2000). Survival is computed directly, never as 1 − F, so that ages far below
// the scale keep their digits.
//
// models/ knows no sim/: the CLI converts a sim::Distribution (its parameters, from to_json) into
// one of these at the edge.
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "models/units.hpp"

namespace rejuv {

inline constexpr Seconds kNever = std::numeric_limits<double>::infinity();

// A step survival function: S(t) = surv[k] for times[k] ≤ t < times[k+1], 1 before times[0].
// The last value is 0 (the estimate ends with a crash, or is closed at its last time; models/ttt.hpp).
struct StepSurvival {
  std::vector<Seconds> times;  // increasing
  std::vector<double> surv;    // non-increasing, ends at 0
  int crashes = 0, censored = 0;  // the observations it was estimated from, for describe()
};

class AgingLaw {
 public:
  enum class Kind { Exponential, Weibull, Gamma, Lognormal, Normal, Uniform, Empirical };
  // The shape of the hazard h(t) = f(t)/S(t): with an increasing hazard there is one best interval
  // (or none better than never); with a constant one rejuvenation never pays; with a decreasing one
  // it can only lose; lognormal's rises then falls.
  enum class Hazard { Increasing, Constant, Decreasing, RisingThenFalling, Empirical };

  // Parameters as sim::Distribution takes them; each throws std::invalid_argument outside its domain.
  static AgingLaw exponential(Seconds mean);
  static AgingLaw weibull(double shape, Seconds scale);
  static AgingLaw gamma(double shape, Seconds scale);
  static AgingLaw lognormal(Seconds mean, Seconds sd);  // mean and sd of X itself, not of ln X
  static AgingLaw normal(Seconds mean, Seconds sd);     // N(mean, sd²) truncated to X ≥ 0
  static AgingLaw uniform(Seconds min, Seconds max);    // min < max
  static AgingLaw empirical(StepSurvival s);

  Kind kind() const { return kind_; }
  Hazard hazard() const;
  double survival(Seconds t) const;      // S(t)
  double cdf(Seconds t) const;           // F(t) = 1 − S(t), computed directly
  double log_survival(Seconds t) const;  // ln S(t), −inf where S = 0
  // ∫_0^T S(t) dt = E[min(X, T)]; T = kNever gives the mean.
  Seconds integral_survival(Seconds T) const;
  // ∫_0^T S(t) e^{−κt} dt = E[min(X, T, E)], E ~ exponential of rate κ ≥ 0 independent of X: the
  // mean cycle when something else (a VMM crash) also renews at rate κ.
  Seconds integral_survival_discounted(Seconds T, double kappa) const;
  Seconds mean() const { return integral_survival(kNever); }
  Seconds quantile(double p) const;  // the smallest t with F(t) ≥ p, p in (0, 1)
  // "weibull(shape 3, scale 5184000 s)", "Kaplan–Meier estimate of 40 crash times".
  std::string describe() const;
  const StepSurvival* steps() const { return steps_.get(); }

 private:
  AgingLaw(Kind kind, double p1, double p2) : kind_(kind), p1_(p1), p2_(p2) {}
  Kind kind_;
  double p1_, p2_;     // mean | shape, scale | shape, scale | mu, sigma of ln X | mean, sd | min, max
  double c1_ = 0;      // derived: lognormal/normal mass kept above 0, etc.
  void cut_at_quantiles();
  std::shared_ptr<const std::vector<double>> cuts_;  // quadrature pieces of a parametric law
  std::shared_ptr<const StepSurvival> steps_;
  std::shared_ptr<const std::vector<double>> step_integral_;  // ∫_0^{times[k]} S
};

std::string_view name(AgingLaw::Hazard h);

}  // namespace rejuv
