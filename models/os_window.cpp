#include "models/os_window.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace rejuv {

namespace {
// Work bound of the grid (steps × ages): a few milliseconds, since an optimum evaluates it often.
constexpr double kMaxWork = 4e6;
constexpr int kCellsWithoutRejuvenation = 512;
}  // namespace

OsWindow::OsWindow(const AgingLaw& os, Seconds T_os, Seconds horizon, int cells_per_T_os) {
  if (!(horizon >= 0) || std::isinf(horizon)) throw std::invalid_argument("OsWindow: horizon must be finite and ≥ 0");
  if (!(T_os > 0)) throw std::invalid_argument("OsWindow: T_os must be > 0");
  horizon_ = horizon;
  const bool rejuvenates = T_os <= horizon;  // else no OS rejuvenation falls inside a window
  size_t ages = 0, steps = 0;
  if (rejuvenates) {
    double K = cells_per_T_os;
    const double cycles = horizon / T_os;
    if (K * K * cycles > kMaxWork) K = std::max(16.0, std::floor(std::sqrt(kMaxWork / cycles)));
    ages = size_t(K);
    h_ = T_os / K;
  } else {
    ages = kCellsWithoutRejuvenation;
    h_ = horizon > 0 ? horizon / kCellsWithoutRejuvenation : 1.0;
  }
  steps = size_t(std::ceil(horizon / h_ - 1e-9));
  if (!rejuvenates) ages = std::max(ages, steps + 1);  // no mass ever reaches the top age
  // Survival of each age cell over one step.
  std::vector<double> s(ages);
  double lnS_prev = 0;
  for (size_t a = 0; a < ages; ++a) {
    const double lnS = os.log_survival(double(a + 1) * h_);
    s[a] = std::isinf(lnS_prev) ? 0.0 : std::exp(lnS - lnS_prev);
    lnS_prev = lnS;
  }
  std::vector<double> mass(ages + 1, 0.0);
  mass[0] = 1.0;
  R_.assign(steps + 1, 0.0);
  K_.assign(steps + 1, 0.0);
  for (size_t j = 0; j < steps; ++j) {
    double crashed = 0;
    for (size_t a = ages; a-- > 0;) {
      const double m = mass[a];
      const double survived = m * s[a];
      crashed += m - survived;
      mass[a + 1] = survived;
    }
    const double rejuvenated = rejuvenates ? mass[ages] : 0.0;
    mass[ages] = 0;
    mass[0] = crashed + rejuvenated;
    R_[j + 1] = R_[j] + rejuvenated;
    K_[j + 1] = K_[j] + crashed;
  }
}

size_t OsWindow::steps_before(Seconds l) const {
  if (!(l > 0)) return 0;
  const size_t n = size_t(std::floor(l / h_));
  return std::min(n, R_.size() - 1);
}

double OsWindow::rejuvenations(Seconds l) const { return R_[steps_before(l)]; }

double OsWindow::crashes(Seconds l) const {
  if (!(l > 0)) return 0.0;
  const size_t n = steps_before(l);
  if (n + 1 >= K_.size()) return K_.back();
  const double f = std::clamp((l - double(n) * h_) / h_, 0.0, 1.0);
  return K_[n] + f * (K_[n + 1] - K_[n]);
}

}  // namespace rejuv
