#include "models/ttt.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace rejuv {

StepSurvival kaplan_meier(const std::vector<CrashObservation>& obs_in) {
  std::vector<CrashObservation> obs = obs_in;
  for (const auto& o : obs)
    if (!std::isfinite(o.time) || !(o.time > 0)) throw std::invalid_argument("kaplan_meier: every time must be > 0");
  // At equal times crashes come first: a unit censored at t was still running at t.
  std::sort(obs.begin(), obs.end(), [](const CrashObservation& x, const CrashObservation& y) {
    return x.time < y.time || (x.time == y.time && x.crashed && !y.crashed);
  });
  StepSurvival s;
  double S = 1;
  size_t at_risk = obs.size();
  for (size_t i = 0; i < obs.size();) {
    size_t j = i, deaths = 0;
    while (j < obs.size() && obs[j].time == obs[i].time) deaths += obs[j++].crashed ? 1 : 0;
    if (deaths > 0) {
      S *= 1 - double(deaths) / double(at_risk);
      s.times.push_back(obs[i].time);
      s.surv.push_back(S);
    }
    s.crashes += int(deaths);
    s.censored += int(j - i - deaths);
    at_risk -= j - i;
    i = j;
  }
  if (s.crashes == 0) throw std::invalid_argument("kaplan_meier: no crash among the observations");
  if (s.surv.back() > 0) {  // the largest time is censored: close the estimate there (Efron)
    if (s.times.back() == obs.back().time) {
      s.surv.back() = 0;
    } else {
      s.times.push_back(obs.back().time);
      s.surv.push_back(0);
    }
  }
  return s;
}

std::vector<TttPoint> scaled_ttt(const StepSurvival& s) {
  std::vector<TttPoint> pts{{0, 0, 0}};
  double integral = 0, prev_t = 0, S = 1;
  std::vector<double> cum;
  for (size_t k = 0; k < s.times.size(); ++k) {
    integral += S * (s.times[k] - prev_t);
    prev_t = s.times[k];
    S = s.surv[k];
    pts.push_back({1 - S, integral, s.times[k]});
  }
  for (auto& p : pts) p.phi /= integral;
  pts.back().p = 1;
  pts.back().phi = 1;
  return pts;
}

double scaled_ttt(const AgingLaw& law, double p) {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return law.integral_survival(law.quantile(p)) / law.mean();
}

TttOptimum ttt_optimum(const std::vector<TttPoint>& pts, double beta) {
  if (pts.size() < 2 || !(beta > 0)) throw std::invalid_argument("ttt_optimum: need points and β > 0");
  TttOptimum best;
  for (size_t k = 1; k < pts.size(); ++k) {
    const double slope = pts[k].phi / (pts[k].p + beta);
    if (k == 1 || slope >= best.slope) best = {k, pts[k], slope, false};
  }
  best.never = best.k + 1 == pts.size();
  return best;
}

}  // namespace rejuv
