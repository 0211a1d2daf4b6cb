#include "sim/autoscale/scale_out_time.hpp"

#include <algorithm>
#include <stdexcept>

namespace rejuv::sim::autoscale {

Seconds copy_time(double used_bytes, double bandwidth_Bps) {
  if (!(bandwidth_Bps > 0) || !(used_bytes >= 0))
    throw std::invalid_argument("copy_time: out of range");
  return used_bytes / bandwidth_Bps;
}

Seconds boot_time(Seconds os_boot, Seconds boot_cpu, int vcpus) {
  if (vcpus < 1) throw std::invalid_argument("boot_time: no vCPU");
  return std::max(os_boot, boot_cpu / vcpus);
}

Seconds startup_makespan(std::vector<Seconds> work, int vcpus) {
  if (vcpus < 1) throw std::invalid_argument("startup_makespan: no vCPU");
  std::sort(work.begin(), work.end());
  // The jobs finish in order of their work; between two finishes the n jobs left each run at
  // min(1, v/n) CPUs.
  Seconds t = 0, done = 0;
  const size_t n = work.size();
  for (size_t k = 0; k < n; ++k) {
    const double rate = std::min(1.0, double(vcpus) / double(n - k));
    t += (work[k] - done) / rate;
    done = work[k];
  }
  return t;
}

}  // namespace rejuv::sim::autoscale
