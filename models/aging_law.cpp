#include "models/aging_law.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace rejuv {

namespace {

// No promotion of double to long double inside Boost.Math, whose width differs between platforms:
// the same inputs give the same plan everywhere (as sim/distribution.cpp does for its samplers).
using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

void check(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(what);
}

double Phi_c(double x) { return 0.5 * boost::math::erfc(x / std::numbers::sqrt2, Policy()); }  // 1 − Φ(x)
double Phi(double x) { return 0.5 * boost::math::erfc(-x / std::numbers::sqrt2, Policy()); }
double phi(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * std::numbers::pi); }
double Phi_c_inv(double q) { return std::numbers::sqrt2 * boost::math::erfc_inv(2 * q, Policy()); }

}  // namespace

std::string_view name(AgingLaw::Hazard h) {
  switch (h) {
    case AgingLaw::Hazard::Increasing: return "increasing";
    case AgingLaw::Hazard::Constant: return "constant";
    case AgingLaw::Hazard::Decreasing: return "decreasing";
    case AgingLaw::Hazard::RisingThenFalling: return "rising then falling";
    case AgingLaw::Hazard::Empirical: return "estimated from data";
  }
  return "?";
}

AgingLaw AgingLaw::exponential(Seconds mean) {
  check(std::isfinite(mean) && mean > 0, "exponential aging: the mean must be > 0");
  return AgingLaw(Kind::Exponential, mean, 0);
}

AgingLaw AgingLaw::weibull(double shape, Seconds scale) {
  check(std::isfinite(shape) && shape > 0 && std::isfinite(scale) && scale > 0,
        "Weibull aging: shape and scale must be > 0");
  AgingLaw a(Kind::Weibull, shape, scale);
  a.cut_at_quantiles();
  return a;
}

AgingLaw AgingLaw::gamma(double shape, Seconds scale) {
  check(std::isfinite(shape) && shape > 0 && std::isfinite(scale) && scale > 0,
        "gamma aging: shape and scale must be > 0");
  AgingLaw a(Kind::Gamma, shape, scale);
  a.cut_at_quantiles();
  return a;
}

AgingLaw AgingLaw::lognormal(Seconds mean, Seconds sd) {
  check(std::isfinite(mean) && mean > 0 && std::isfinite(sd) && sd > 0, "lognormal aging: mean and sd must be > 0");
  const double sigma2 = std::log1p((sd / mean) * (sd / mean));
  AgingLaw a(Kind::Lognormal, std::log(mean) - sigma2 / 2, std::sqrt(sigma2));
  a.c1_ = mean;
  a.cut_at_quantiles();
  return a;
}

AgingLaw AgingLaw::normal(Seconds mean, Seconds sd) {
  check(std::isfinite(mean) && mean >= 0 && std::isfinite(sd) && sd > 0, "normal aging: need mean ≥ 0 and sd > 0");
  AgingLaw a(Kind::Normal, mean, sd);
  a.c1_ = Phi_c(-mean / sd);  // the mass the truncation at 0 keeps
  a.cut_at_quantiles();
  return a;
}

AgingLaw AgingLaw::uniform(Seconds min, Seconds max) {
  check(std::isfinite(min) && std::isfinite(max) && 0 <= min && min < max, "uniform aging: need 0 ≤ min < max");
  AgingLaw a(Kind::Uniform, min, max);
  a.cut_at_quantiles();
  return a;
}

AgingLaw AgingLaw::empirical(StepSurvival s) {
  check(!s.times.empty() && s.times.size() == s.surv.size() && s.surv.back() == 0,
        "empirical aging: a step survival ending at 0 is needed");
  AgingLaw a(Kind::Empirical, 0, 0);
  auto integral = std::make_shared<std::vector<double>>(s.times.size());
  double acc = s.times[0], prev_t = s.times[0];  // S = 1 before the first time
  (*integral)[0] = acc;
  for (size_t k = 1; k < s.times.size(); ++k) {
    acc += s.surv[k - 1] * (s.times[k] - prev_t);
    prev_t = s.times[k];
    (*integral)[k] = acc;
  }
  a.steps_ = std::make_shared<const StepSurvival>(std::move(s));
  a.step_integral_ = std::move(integral);
  return a;
}

AgingLaw::Hazard AgingLaw::hazard() const {
  switch (kind_) {
    case Kind::Exponential: return Hazard::Constant;
    case Kind::Weibull:
    case Kind::Gamma: return p1_ > 1 ? Hazard::Increasing : p1_ == 1 ? Hazard::Constant : Hazard::Decreasing;
    case Kind::Lognormal: return Hazard::RisingThenFalling;
    case Kind::Normal:
    case Kind::Uniform: return Hazard::Increasing;
    case Kind::Empirical: return Hazard::Empirical;
  }
  return Hazard::Empirical;
}

double AgingLaw::survival(Seconds t) const {
  if (!(t > 0)) return 1.0;
  switch (kind_) {
    case Kind::Exponential:
    case Kind::Weibull: return std::exp(log_survival(t));
    case Kind::Gamma: return boost::math::gamma_q(p1_, t / p2_, Policy());
    case Kind::Lognormal: return Phi_c((std::log(t) - p1_) / p2_);
    case Kind::Normal: return Phi_c((t - p1_) / p2_) / c1_;
    case Kind::Uniform: return t <= p1_ ? 1.0 : t >= p2_ ? 0.0 : (p2_ - t) / (p2_ - p1_);
    case Kind::Empirical: {
      const auto& st = *steps_;
      const auto it = std::upper_bound(st.times.begin(), st.times.end(), t);
      return it == st.times.begin() ? 1.0 : st.surv[size_t(it - st.times.begin()) - 1];
    }
  }
  return 1.0;
}

double AgingLaw::cdf(Seconds t) const {
  if (!(t > 0)) return 0.0;
  switch (kind_) {
    case Kind::Exponential:
    case Kind::Weibull: return -std::expm1(log_survival(t));
    case Kind::Gamma: return boost::math::gamma_p(p1_, t / p2_, Policy());
    case Kind::Lognormal: return Phi((std::log(t) - p1_) / p2_);
    case Kind::Normal: return (Phi_c(-p1_ / p2_) - Phi_c((t - p1_) / p2_)) / c1_;
    case Kind::Uniform:
    case Kind::Empirical: return 1.0 - survival(t);
  }
  return 0.0;
}

double AgingLaw::log_survival(Seconds t) const {
  if (!(t > 0)) return 0.0;
  switch (kind_) {
    case Kind::Exponential: return -t / p1_;
    case Kind::Weibull: return -std::pow(t / p2_, p1_);
    default: {
      const double s = survival(t);
      return s > 0 ? std::log(s) : -std::numeric_limits<double>::infinity();
    }
  }
}

Seconds AgingLaw::integral_survival(Seconds T) const {
  if (!(T > 0)) return 0.0;
  const bool all = std::isinf(T);
  switch (kind_) {
    case Kind::Exponential: return all ? p1_ : -p1_ * std::expm1(-T / p1_);
    case Kind::Weibull: {  // λ Γ(1 + 1/k) P(1/k, (T/λ)^k)
      const double full = p2_ * boost::math::tgamma(1 + 1 / p1_, Policy());
      return all ? full : full * boost::math::gamma_p(1 / p1_, std::pow(T / p2_, p1_), Policy());
    }
    case Kind::Gamma: {  // T Q(k, T/θ) + kθ P(k + 1, T/θ)
      if (all) return p1_ * p2_;
      const double x = T / p2_;
      return T * boost::math::gamma_q(p1_, x, Policy()) + p1_ * p2_ * boost::math::gamma_p(p1_ + 1, x, Policy());
    }
    case Kind::Lognormal:  // T S(T) + E[X] Φ((ln T − μ − σ²)/σ)
      if (all) return c1_;
      return T * survival(T) + c1_ * Phi((std::log(T) - p1_ - p2_ * p2_) / p2_);
    case Kind::Normal: {  // T S(T) + ∫_0^T x f(x) dx for the normal truncated at 0
      const double a = -p1_ / p2_;
      if (all) return p1_ + p2_ * phi(a) / c1_;
      const double b = (T - p1_) / p2_;
      const double mass = Phi_c(a) - Phi_c(b);
      return T * survival(T) + (p1_ * mass - p2_ * (phi(b) - phi(a))) / c1_;
    }
    case Kind::Uniform: {
      const double a = p1_, b = p2_;
      if (T <= a) return T;
      if (T >= b) return (a + b) / 2;
      return a + ((b - a) * (b - a) - (b - T) * (b - T)) / (2 * (b - a));
    }
    case Kind::Empirical: {
      const auto& st = *steps_;
      const auto& I = *step_integral_;
      if (all || T >= st.times.back()) return I.back();
      const auto it = std::upper_bound(st.times.begin(), st.times.end(), T);
      if (it == st.times.begin()) return T;
      const size_t k = size_t(it - st.times.begin()) - 1;
      return I[k] + st.surv[k] * (T - st.times[k]);
    }
  }
  return 0.0;
}

void AgingLaw::cut_at_quantiles() {
  auto cuts = std::make_shared<std::vector<double>>();
  // Halving pieces towards 0, where S may have a fractional power of t (a Weibull or gamma shape
  // between 1 and 2), then pieces between quantiles.
  const double first = quantile(0.25);
  for (int j = 10; j >= 1; --j) cuts->push_back(std::ldexp(first, -j));
  for (double q : {0.25, 0.5, 0.75, 0.9, 0.97, 0.99, 0.999, 1 - 1e-4, 1 - 1e-6, 1 - 1e-9, 1 - 1e-12, 1 - 1e-15})
    cuts->push_back(quantile(q));
  cuts_ = std::move(cuts);
}

Seconds AgingLaw::integral_survival_discounted(Seconds T, double kappa) const {
  if (!(kappa > 0)) return integral_survival(T);
  if (!(T > 0)) return 0.0;
  if (kind_ == Kind::Exponential) {  // ∫ e^{−(1/μ + κ) t}
    const double r = 1 / p1_ + kappa;
    return std::isinf(T) ? 1 / r : -std::expm1(-r * T) / r;
  }
  if (kind_ == Kind::Uniform) {  // 1 up to min, then (max − t)/(max − min): exact
    const double lo = p1_, hi = p2_, k = kappa;
    auto flat = [&](double x0, double x1) { return (std::exp(-k * x0) - std::exp(-k * x1)) / k; };
    auto ramp = [&](double x0, double x1) {  // ∫ (hi − t) e^{−κt} dt
      return ((hi - x0) * std::exp(-k * x0) - (hi - x1) * std::exp(-k * x1)) / k - flat(x0, x1) / k;
    };
    double sum = flat(0, std::min(T, lo));
    if (T > lo) sum += ramp(lo, std::min(T, hi)) / (hi - lo);
    return sum;
  }
  if (kind_ == Kind::Empirical) {  // exact on each step: S_k ∫ e^{−κt} dt
    const auto& st = *steps_;
    auto piece = [&](double a, double b) { return (std::exp(-kappa * a) - std::exp(-kappa * b)) / kappa; };
    double sum = piece(0, std::min(T, st.times[0])), S = 1;
    for (size_t k = 0; k < st.times.size() && st.times[k] < T; ++k) {
      S = st.surv[k];
      const double b = k + 1 < st.times.size() ? std::min(T, st.times[k + 1]) : T;
      if (S > 0 && b > st.times[k]) sum += S * piece(st.times[k], b);
    }
    return sum;
  }
  // A fixed rule, not an adaptive one: the result must move smoothly with T and κ, since a minimiser
  // searches over them. 20-point Gauss–Legendre on pieces cut at the law's quantiles (where the
  // integrand changes), clipped at T; past the last, S < 1e-15.
  auto f = [&](double t) { return survival(t) * std::exp(-kappa * t); };
  double sum = 0, a = 0;
  for (double cut : *cuts_) {
    const double b = std::min(T, cut);
    if (b > a) sum += boost::math::quadrature::gauss<double, 20>::integrate(f, a, b);
    a = std::max(a, b);
    if (a >= T) break;
  }
  return sum;
}

Seconds AgingLaw::quantile(double p) const {
  check(p > 0 && p < 1, "AgingLaw::quantile: p must be in (0, 1)");
  switch (kind_) {
    case Kind::Exponential: return -p1_ * std::log1p(-p);
    case Kind::Weibull: return p2_ * std::pow(-std::log1p(-p), 1 / p1_);
    case Kind::Gamma: return p2_ * boost::math::gamma_p_inv(p1_, p, Policy());
    case Kind::Lognormal: return std::exp(p1_ - p2_ * Phi_c_inv(p));
    case Kind::Normal: return std::max(0.0, p1_ + p2_ * Phi_c_inv((1 - p) * c1_));
    case Kind::Uniform: return p1_ + p * (p2_ - p1_);
    case Kind::Empirical: {
      const auto& st = *steps_;
      for (size_t k = 0; k < st.times.size(); ++k)
        if (1 - st.surv[k] >= p) return st.times[k];
      return st.times.back();
    }
  }
  return 0.0;
}

std::string AgingLaw::describe() const {
  auto d = [](Seconds s) { return s >= 86400 ? fmt::format("{:.4g} d", s / 86400) : fmt::format("{:.4g} s", s); };
  switch (kind_) {
    case Kind::Exponential: return fmt::format("exponential (mean {})", d(p1_));
    case Kind::Weibull: return fmt::format("weibull (shape {:g}, scale {})", p1_, d(p2_));
    case Kind::Gamma: return fmt::format("gamma (shape {:g}, scale {})", p1_, d(p2_));
    case Kind::Lognormal: return fmt::format("lognormal (mean {}, sigma of ln X {:.4g})", d(c1_), p2_);
    case Kind::Normal: return fmt::format("normal truncated at 0 (mean {}, sd {})", d(p1_), d(p2_));
    case Kind::Uniform: return fmt::format("uniform ({} to {})", d(p1_), d(p2_));
    case Kind::Empirical:
      return fmt::format("Kaplan–Meier estimate of {} crash times and {} censored ones", steps_->crashes,
                         steps_->censored);
  }
  return "?";
}

}  // namespace rejuv
