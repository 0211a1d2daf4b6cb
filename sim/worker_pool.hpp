#pragma once
// Independent jobs on a few threads: the runs of `rejuv run` (strategy × replication) and the
// points of `rejuv sweep`. Results are put back in order by the caller, so nothing depends on how
// many threads ran or in which order they finished.
#include <functional>
#include <vector>

namespace rejuv::sim {

// Runs work(k) for every k in `todo` on `workers` threads; after each, done(k) runs serialised.
// The first exception stops handing out work and is rethrown once every thread has stopped.
void run_parallel(const std::vector<size_t>& todo, unsigned workers, const std::function<void(size_t)>& work,
                  const std::function<void(size_t)>& done);

}  // namespace rejuv::sim
