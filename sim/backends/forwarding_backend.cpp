#include "sim/backends/forwarding_backend.hpp"

#include "sim/engine.hpp"

namespace rejuv::sim::backends {

Seconds ForwardingBackend::now() const { return engine_ ? engine_->now() : 0.0; }

}  // namespace rejuv::sim::backends
