#pragma once
// What the formulas of seed 003 §3 need beyond each value's own type and range: every downtime and
// degraded period must fit in its interval, the derived γ and γ' must be fractions, and every term
// must come out finite. A parameter file that passes gives a finite, non-negative index for every
// strategy at every host count.
//
// The checks go block by block (os, then each strategy's own block), so a parameter file that leaves
// out the blocks of strategies nobody measured can skip theirs. Each throws InputError naming the
// JSON path of the block and the reason.
#include "models/params.hpp"
#include "models/throughput.hpp"

namespace rejuv {

// T_vmm / T_os finite, and D_os + R_os ≤ T_os (an OS rejuvenation ends before the next is due).
void check_os(const Params& p);

// The strategy's own block within T_vmm (D_w(n) + R_vmm ≤ T_vmm, D_c(n) + R'_vmm ≤ T_vmm,
// n·D_m ≤ T_vmm, M_l ≤ T_vmm, ΣM(i) ≤ T_vmm), γ or γ' in [0, 1], and its terms finite with an
// index per serving host ≥ 0. Needs check_os to have passed.
void check_strategy(const Params& p, Strategy s);

// check_os, then check_strategy for every strategy.
void check_params(const Params& p);

}  // namespace rejuv
