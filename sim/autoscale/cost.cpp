#include "sim/autoscale/cost.hpp"

namespace rejuv::sim::autoscale {

namespace {
constexpr double kGiB = 1024.0 * 1024 * 1024;
}

void Bill::running(int vcpus, double memory_bytes, Seconds dt) {
  vcpu_s += vcpus * dt;
  gib_s += memory_bytes / kGiB * dt;
}

void Bill::suspended(double memory_bytes, Seconds dt) { gib_s += memory_bytes / kGiB * dt; }

}  // namespace rejuv::sim::autoscale
