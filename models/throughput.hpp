#pragma once
// The closed-form total-throughput models of seed 003 §3 (Kourai): Warm-VM reboot P_w (eq. 1–2),
// Cold-VM reboot P_c (eq. 3–4), VM migration P_m (§3.3.1), live migration P_l (eq. 6), and live
// migration with adaptive rate control (eq. 6 with its own curves and M_l).
#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "models/params.hpp"

namespace rejuv {

enum class Strategy { Warm, Cold, Migration, Live, LiveRateControl };
inline constexpr std::array<Strategy, 5> kStrategies{Strategy::Warm, Strategy::Cold, Strategy::Migration,
                                                     Strategy::Live, Strategy::LiveRateControl};
std::string_view name(Strategy s);
std::optional<Strategy> parse_strategy(std::string_view text);
// Migration-based strategies hold s hosts as spares and serve with (m − s)·p.
bool uses_spares(Strategy s);
// The per-VM curves a migration strategy moves along; nullptr for warm and cold.
const MigrationCurves* migration_curves(const Params& p, Strategy s);
// Whether the parameter file has the strategy's block; the strategies it has, and those left out.
bool has_block(const Params& p, Strategy s);
std::vector<Strategy> strategies_present(const Params& p);
std::vector<Strategy> strategies_left_out(const Params& p);
std::string_view name(MigrationMode m);  // "stay_on", "return_back"
// How many times a migration strategy moves each group per VMM cycle: 1 stay-on, 2 return-back.
int moves_per_cycle(const Params& p);

// --- The paper's quantities, by their symbols ---------------------------------------------------
// OS rejuvenations per T_vmm.
double N_w(const Params& p);  // (T_vmm − D_w(n)) / T_os, §3.1
double N_c(const Params& p);  // (T_vmm − D_c(n)) / T_os before the floor, §3.2
double N_c_floor(const Params& p);  // ⌊N_c⌋, and 0 when T_vmm ≤ T_os (eq. 3–4)
// The paper leaves N_m open (§3.3.1). rejuvkit takes N_m = (T_vmm − D_m) / T_os: an OS
// rejuvenation timer counts only while its VM runs, as in N_w, and a migrated VM is stopped for D_m
// per VMM cycle; its timer is not reset, since the OS is not rebooted. Return-back migration stops
// it twice: (T_vmm − 2 D_m) / T_os.
double N_m(const Params& p);
double N_l(const Params& p);  // T_vmm / T_os, §3.3.2: live migration never stops the VM

// V_c = Σ M(i)/M_t ((n−i)V_s(i) + (i−1)V_d(i)) and γ = 1 − V_c / ((n−1)/n · p), §3.3.1,
// with M_t = Σ M(i) as the paper defines it.
double V_c(const Params& p);
double gamma_derived(const Params& p);
// V'_c = Σ M(i)/M_l ((n−i)V_s(i) + V_m(i) + (i−1)V_d(i)), γ' = 1 − V'_c / p, §3.3.2, with the
// weights M(i)/ΣM(i) so that they sum to 1.
double V_c_prime(const Params& p, const LiveMigration& live);
double gamma_prime_derived(const Params& p, const LiveMigration& live);
// The γ (or γ') the model uses: the measured one where given, else the derived one.
double gamma(const Params& p);
double gamma_prime(const Params& p, const LiveMigration& live);

// --- One strategy, broken into its terms -------------------------------------------------------
// P = (A − vmm_degradation − os_degradation) · serving_hosts · p. All three terms are fractions of
// T_vmm and do not depend on m.
struct Terms {
  Strategy strategy = Strategy::Warm;
  double N_os = 0;             // N_w, ⌊N_c⌋, N_m, N_l
  double availability = 0;     // A_w, A_c, A_m, A_l
  double vmm_degradation = 0;  // ωR_vmm/T_vmm, ω'R'_vmm/T_vmm, γ(n−1)D_m/T_vmm, γ'M_l/T_vmm (×2 return-back)
  double os_degradation = 0;   // N δ R_os / T_vmm
  std::optional<double> gamma;  // γ or γ' where the strategy has one
  // The index of one serving host: A − the two degradation terms.
  double per_host() const { return availability - vmm_degradation - os_degradation; }
};
Terms terms(const Params& p, Strategy s);

// Hosts that serve out of m: m, or m − s for migration-based strategies (never below 0).
double serving_hosts(const Params& p, Strategy s, double m);
double P(const Params& p, Strategy s, double m);  // total throughput, requests/s
double index(const Params& p, Strategy s, double m);  // P / (m·p), the paper's performance index (§4.3)
// The same index from terms already computed (sweeps over m compute the terms once).
double index(const Params& p, const Terms& t, double m);

inline double P_w(const Params& p, double m) { return P(p, Strategy::Warm, m); }
inline double P_c(const Params& p, double m) { return P(p, Strategy::Cold, m); }
inline double P_m(const Params& p, double m) { return P(p, Strategy::Migration, m); }
inline double P_l(const Params& p, double m) { return P(p, Strategy::Live, m); }

// The smallest integer m ≥ 2 at which a's index exceeds b's, or nullopt if there is none.
// Every index has the form k·(m − s)/m, so the answer is found in closed form, then confirmed
// by evaluating both indices at it and at m − 1.
std::optional<long long> crossover(const Params& p, Strategy a, Strategy b);

}  // namespace rejuv
