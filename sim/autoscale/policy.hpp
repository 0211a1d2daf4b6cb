#pragma once
// The autoscaler's decisions as pure functions of what it has read.
//
// Threshold policy (seed 004 §3): each VM's CPU is sampled every interval; above the threshold
// the containers of that VM are read by introspection, and the one to scale out is the hottest.
// When none stands out (three containers at 30 % each make a VM at 90 %), the paper suggests
// choosing from the change in usage: here, the one whose usage rises fastest.
//
// Proportional policy (Kubernetes' horizontal pod autoscaler): desired replicas =
// ⌈current × utilisation / target⌉, unchanged while the ratio is within the tolerance band.
#include <optional>
#include <vector>

namespace rejuv::sim::autoscale {

// What introspection read of one container: its CPU use (vCPUs) over each interval, oldest first.
struct ContainerUsage {
  int service = -1;
  std::vector<double> usage;
};

struct ContainerChoice {
  enum class Reason : unsigned char { hottest, rising_fastest };
  int service = -1;
  Reason reason = Reason::hottest;
};

// The container to scale out, or nullopt when more readings are needed to see a trend (none stands
// out and fewer than `trend_samples` usages were read). The hottest stands out when it uses at
// least `stand_out` times what the second uses (or is the only candidate). Otherwise the one
// whose usage rose the most over the last `trend_samples` usages (least-squares slope) is chosen;
// ties go to the hotter. `candidates` must not be empty, and each must hold at least one usage.
std::optional<ContainerChoice> choose_container(const std::vector<ContainerUsage>& candidates,
                                                double stand_out, int trend_samples);

// Kubernetes' HPA: ⌈current × utilisation / target⌉ unless |utilisation / target − 1| ≤ tolerance,
// within [min_replicas, max_replicas]. `current` ≥ 1.
int hpa_desired(int current, double utilisation, double target, double tolerance, int min_replicas,
                int max_replicas);

}  // namespace rejuv::sim::autoscale
