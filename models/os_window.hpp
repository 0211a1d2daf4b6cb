#pragma once
// The OS's renewal process inside one window of OS-clock time that starts with a fresh OS: how
// many OS rejuvenations and OS aging crashes to expect in [0, ℓ], when the OS is rejuvenated T_os
// after each renewal and crashes at age X ~ F_os. Cold-VM reboot needs it: every cold VMM reboot
// boots the OSes afresh (seed 003 §3.2, hence ⌊N_c⌋), so its OS counts are those of such windows,
// not a long-run rate. With no crash (S ≡ 1) the rejuvenations are ⌊ℓ/T_os⌋, Kourai's count.
//
// The renewal equation has no closed form for these laws, so it is solved on a grid of step
// h = T_os/K (T_os a whole number of steps, so that rejuvenations fall exactly on it): the OS age
// distribution moves one step at a time, each age surviving the step with S(a + h)/S(a); crashed
// mass restarts at age 0 at the end of its step (a crash is placed at most h late, which delays
// the renewals after it by less than h: a relative error of order 1/K in the crash counts).
#include <vector>

#include "models/aging_law.hpp"

namespace rejuv {

class OsWindow {
 public:
  // Counts for every ℓ in [0, horizon]. T_os = kNever: no OS rejuvenation, crashes only.
  OsWindow(const AgingLaw& os, Seconds T_os, Seconds horizon, int cells_per_T_os = 256);
  // Expected OS rejuvenations at OS-clock times ≤ ℓ (T_os, 2 T_os, … after each renewal).
  double rejuvenations(Seconds l) const;
  // Expected OS crashes in [0, ℓ].
  double crashes(Seconds l) const;
  Seconds step() const { return h_; }
  Seconds horizon() const { return horizon_; }

 private:
  size_t steps_before(Seconds l) const;
  Seconds h_ = 0, horizon_ = 0;
  std::vector<double> R_, K_;  // cumulative counts at the grid times j·h
};

}  // namespace rejuv
