#pragma once
// What the LibvirtBackend's translation units share: the wall clock, libvirt errors as Outcomes,
// and an owning domain pointer. Private to sim/backends/libvirt_*.cpp.
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <chrono>
#include <string>

#include "sim/backends/backend.hpp"

namespace rejuv::sim::backends::libvirt_detail {

// Wall-clock time of one operation: the adapter's durations are measured, never planned.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  Seconds elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// The calling thread's last libvirt error (libvirt keeps one per thread), then cleared.
struct LibvirtError {
  int code = VIR_ERR_INTERNAL_ERROR;
  std::string message = "unknown libvirt error";
};
LibvirtError take_last_error();

// A failed call as an Outcome: libvirt's code and message ("virDomainResume: <libvirt's message>"),
// blamed on the domain, the host or neither as the code tells; VIR_ERR_NO_SUPPORT → unsupported.
Outcome failure(Seconds elapsed, const char* call, const LibvirtError& error);
inline Outcome failure(Seconds elapsed, const char* call) {
  return failure(elapsed, call, take_last_error());
}

// Owns one virDomainPtr.
class DomPtr {
 public:
  DomPtr() = default;
  explicit DomPtr(virDomainPtr p) : p_(p) {}
  DomPtr(DomPtr&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  DomPtr& operator=(DomPtr&& o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  DomPtr(const DomPtr&) = delete;
  DomPtr& operator=(const DomPtr&) = delete;
  ~DomPtr() {
    if (p_) virDomainFree(p_);
  }
  virDomainPtr get() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  virDomainPtr p_ = nullptr;
};

// libvirt's domain state as the interface's (a shut-off domain with a managed save image is saved).
DomainState map_state(virDomainPtr dom);

// Starts a domain (from its managed save image if it has one) or restores a save file, paused if
// `paused`. Drivers that lack the PAUSED flag (the test driver) get the call without it, then
// virDomainSuspend. Returns libvirt's result (< 0: the error is the thread's last).
int create_maybe_paused(virDomainPtr dom, bool paused);
int restore_maybe_paused(virConnectPtr conn, const char* file, const char* dom_name, bool paused);

// Bytes per second → libvirt's MiB/s for migration bandwidth (rounded, at least 1: 0 means "no
// limit").
unsigned long to_mib_per_s(double bytes_per_s);

}  // namespace rejuv::sim::backends::libvirt_detail
