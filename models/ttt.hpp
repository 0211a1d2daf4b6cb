#pragma once
// The optimal rejuvenation interval without assuming a distribution: Dohi, Goševa-Popstojanova and
// Trivedi, "Statistical non-parametric algorithms to estimate the optimal software rejuvenation
// schedule" (PRDC 2000).
//
// Minimising (a·S(T) + b·F(T)) / ∫_0^T S(t) dt (a: what a rejuvenation costs, b: what a crash
// costs, b > a) is, with p = F(T) and the scaled total-time-on-test transform
// φ(p) = ∫_0^{F⁻¹(p)} S(t) dt / E[X], maximising φ(p) / (p + β), β = a / (b − a): the optimum is
// the point of the TTT plot where the line from (−β, 0) on the horizontal axis is steepest. At
// p = 1 (φ = 1) the best is never to rejuvenate. From observed times to crash the TTT plot is
// estimated by its points (F̂(t_k), ∫_0^{t_k} Ŝ / ∫_0^∞ Ŝ) at each crash time t_k; with no
// censoring this is Dohi et al.'s (j/n, ψ_j/ψ_n), ψ_j = Σ_{i≤j} (n − i + 1)(x_(i) − x_(i−1)).
// Right-censored times (a rejuvenation came first) enter through the Kaplan–Meier estimate Ŝ; when
// the largest time is censored Ŝ is closed there (Efron's convention), so that E[X] is finite.
#include <optional>
#include <vector>

#include "models/aging_law.hpp"

namespace rejuv {

struct CrashObservation {
  Seconds time = 0;     // age at the crash, or at the rejuvenation that censored it
  bool crashed = true;  // false: right-censored
};

// Kaplan–Meier (crashes before censorings at equal times), closed at the largest time.
// Throws std::invalid_argument for no crash at all or a time that is not finite and > 0.
StepSurvival kaplan_meier(const std::vector<CrashObservation>& obs);

struct TttPoint {
  double p = 0;    // F̂(t)
  double phi = 0;  // scaled total time on test
  Seconds t = 0;
};
// The scaled TTT plot of a step survival: (0, 0), then one point per step, ending at (1, 1).
std::vector<TttPoint> scaled_ttt(const StepSurvival& s);
// The same transform of any law at p in [0, 1] (the analytic curve to draw beside the data).
double scaled_ttt(const AgingLaw& law, double p);

struct TttOptimum {
  size_t k = 0;      // index of the best point
  TttPoint point;
  double slope = 0;  // φ / (p + β)
  bool never = false;  // the best point is (1, 1): never rejuvenate
};
// The point maximising φ/(p + β) (β > 0; ties go to the later point, so never wins them).
TttOptimum ttt_optimum(const std::vector<TttPoint>& pts, double beta);

}  // namespace rejuv
