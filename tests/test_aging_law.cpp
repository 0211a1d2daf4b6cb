// The time to an aging crash (models/aging_law.hpp): survival, the integral ∫_0^T S = E[min(X, T)]
// each law has in closed form, its discounted form, quantiles, and the hazard's shape.
#include <gtest/gtest.h>

#include <boost/math/quadrature/tanh_sinh.hpp>
#include <cmath>

#include "models/aging_law.hpp"
#include "models/ttt.hpp"

namespace rejuv {
namespace {

constexpr double kDay = 86400;

std::vector<AgingLaw> laws() {
  return {AgingLaw::exponential(30 * kDay),     AgingLaw::weibull(3, 45 * kDay),      AgingLaw::weibull(1.4, 20 * kDay),
          AgingLaw::gamma(2.5, 8 * kDay),        AgingLaw::lognormal(30 * kDay, 12 * kDay), AgingLaw::normal(25 * kDay, 10 * kDay),
          AgingLaw::uniform(5 * kDay, 60 * kDay)};
}

// ∫_0^T g by tanh-sinh, split where the uniform law has kinks (5 d, 60 d) and into pieces short
// enough for the rest.
double integrate(const std::function<double(double)>& g, double T) {
  boost::math::quadrature::tanh_sinh<double> ts;
  double sum = 0, a = 0;
  for (double b : {1 * kDay, 3 * kDay, 5 * kDay, 10 * kDay, 30 * kDay, 60 * kDay, 120 * kDay, 400 * kDay, 4000 * kDay}) {
    b = std::min(b, T);
    if (b > a) sum += ts.integrate(g, a, b);
    a = b;
  }
  return sum;
}

TEST(AgingLaw, IntegralOfSurvivalIsItsClosedForm) {
  // E[min(X, T)] from the incomplete gamma (Weibull, gamma), Φ (lognormal, normal) or by hand
  // (uniform), against numerical quadrature of S; T = never gives the mean.
  for (const AgingLaw& law : laws()) {
    SCOPED_TRACE(law.describe());
    for (double T : {2 * kDay, 20 * kDay, 50 * kDay}) {
      const double numeric = integrate([&](double t) { return law.survival(t); }, T);
      EXPECT_NEAR(law.integral_survival(T), numeric, 1e-9 * numeric);
    }
    EXPECT_NEAR(law.mean(), integrate([&](double t) { return law.survival(t); }, 4000 * kDay), 1e-8 * law.mean());
  }
  EXPECT_NEAR(AgingLaw::weibull(3, 45 * kDay).mean(), 45 * kDay * std::tgamma(4.0 / 3), 1e-6);
  EXPECT_NEAR(AgingLaw::lognormal(30 * kDay, 12 * kDay).mean(), 30 * kDay, 1e-6);
}

TEST(AgingLaw, DiscountedIntegralIsTheMeanCycleWithAnExponentialRival) {
  // ∫_0^T S e^{−κt} dt = E[min(X, T, E)], E exponential of rate κ: quadrature against tanh-sinh,
  // and the Weibull of shape 1 (an exponential) against the closed form 1/(1/μ + κ).
  const double kappa = 1 / (60 * kDay);
  for (const AgingLaw& law : laws()) {
    SCOPED_TRACE(law.describe());
    for (double T : {3 * kDay, 20 * kDay, kNever}) {
      const double numeric = integrate([&](double t) { return law.survival(t) * std::exp(-kappa * t); },
                                       std::isinf(T) ? 4000 * kDay : T);
      EXPECT_NEAR(law.integral_survival_discounted(T, kappa), numeric, 1e-10 * numeric) << T;
    }
    EXPECT_EQ(law.integral_survival_discounted(20 * kDay, 0), law.integral_survival(20 * kDay));
  }
  const double mu = 30 * kDay;
  EXPECT_NEAR(AgingLaw::weibull(1, mu).integral_survival_discounted(kNever, kappa), 1 / (1 / mu + kappa), 1e-10 * mu);
}

TEST(AgingLaw, QuantileInvertsTheCdf) {
  for (const AgingLaw& law : laws()) {
    SCOPED_TRACE(law.describe());
    for (double p : {0.01, 0.3, 0.5, 0.9, 0.999}) EXPECT_NEAR(law.cdf(law.quantile(p)), p, 1e-10);
    for (double t : {1 * kDay, 10 * kDay, 40 * kDay}) EXPECT_NEAR(law.survival(t) + law.cdf(t), 1.0, 1e-14);
  }
}

TEST(AgingLaw, HazardShapeDecidesWhetherRejuvenationCanPay) {
  EXPECT_EQ(AgingLaw::exponential(kDay).hazard(), AgingLaw::Hazard::Constant);
  EXPECT_EQ(AgingLaw::weibull(1, kDay).hazard(), AgingLaw::Hazard::Constant);
  EXPECT_EQ(AgingLaw::weibull(2, kDay).hazard(), AgingLaw::Hazard::Increasing);
  EXPECT_EQ(AgingLaw::weibull(0.5, kDay).hazard(), AgingLaw::Hazard::Decreasing);
  EXPECT_EQ(AgingLaw::gamma(0.5, kDay).hazard(), AgingLaw::Hazard::Decreasing);
  EXPECT_EQ(AgingLaw::lognormal(kDay, kDay).hazard(), AgingLaw::Hazard::RisingThenFalling);
  EXPECT_THROW(AgingLaw::weibull(0, kDay), std::invalid_argument);
  EXPECT_THROW(AgingLaw::uniform(2, 2), std::invalid_argument);
}

TEST(AgingLaw, KaplanMeierLawSteps) {
  // Crashes at 1, 3, 5 d; censored at 2 and 4 d: S = 1, 0.8, 0.533, 0. ∫_0^∞ S = 1 + 0.8·2 + 0.533·2.
  const AgingLaw law = AgingLaw::empirical(
      kaplan_meier({{1 * kDay, true}, {2 * kDay, false}, {3 * kDay, true}, {4 * kDay, false}, {5 * kDay, true}}));
  EXPECT_EQ(law.survival(0.5 * kDay), 1.0);
  EXPECT_DOUBLE_EQ(law.survival(2 * kDay), 0.8);
  EXPECT_EQ(law.survival(6 * kDay), 0.0);
  EXPECT_NEAR(law.mean(), (1 + 0.8 * 2 + 0.8 * 2 / 3 * 2) * kDay, 1e-6);
  EXPECT_NEAR(law.integral_survival(2 * kDay), 1.8 * kDay, 1e-6);
  EXPECT_EQ(law.quantile(0.4), 3 * kDay);  // F(3 d) = 0.467
  EXPECT_EQ(law.quantile(0.5), 5 * kDay);
  const double kappa = 1 / (3 * kDay);
  EXPECT_NEAR(law.integral_survival_discounted(kNever, kappa),
              integrate([&](double t) { return law.survival(t) * std::exp(-kappa * t); }, 5 * kDay), 1e-6 * kDay);
}

}  // namespace
}  // namespace rejuv
