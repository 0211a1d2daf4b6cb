#include "sim/event_queue.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace rejuv::sim {

EventQueue& EventQueue::operator=(EventQueue&& other) noexcept {
  if (this == &other) return *this;
  // Chunks live in the slabs, which move with their addresses intact; `other` is left empty.
  buckets_ = std::exchange(other.buckets_, {});
  words_ = std::exchange(other.words_, {});
  summary_ = std::exchange(other.summary_, 0);
  last_ = std::exchange(other.last_, 0);
  size_ = std::exchange(other.size_, 0);
  bucket0_head_ = std::exchange(other.bucket0_head_, nullptr);
  bucket0_pos_ = std::exchange(other.bucket0_pos_, 0);
  free_ = std::exchange(other.free_, nullptr);
  carve_ = std::exchange(other.carve_, nullptr);
  carve_end_ = std::exchange(other.carve_end_, nullptr);
  chunks_carved_ = std::exchange(other.chunks_carved_, 0);
  slab_chunks_ = std::exchange(other.slab_chunks_, 0);
  spare_slabs_ = std::move(other.spare_slabs_);
  other.spare_slabs_.clear();
  slabs_ = std::move(other.slabs_);
  other.slabs_.clear();
  return *this;
}

void EventQueue::refill(unsigned b) {
  Bucket& from = buckets_[b];
  const uint64_t m = from.min_key;
  Chunk* c = from.head;
  from = Bucket{};
  last_ = m;
  unmark(b);
  // Buckets below b are empty, so each receives events in the order they had here.
  while (c != nullptr) {
    const uint32_t n = c->size;  // read once: appends write other chunks' sizes
    for (uint32_t i = 0; i < n; ++i) {
      const Event& ev = c->events[i];
      const uint64_t key = key_of(ev.time);
      const unsigned to = bucket_of(key, m);
      append(to, ev, key);
      mark(to);
    }
    Chunk* next = c->next;
    give_chunk(c);  // read: the next append may take it back
    c = next;
  }
}

// Slabs are allocated uninitialised and handed out one chunk at a time, so memory the queue never
// needed is never touched (and not resident).
EventQueue::Chunk* EventQueue::carve_chunk() {
  if (carve_ == carve_end_) {
    if (spare_slabs_.empty()) add_slab(std::max(kMinSlabChunks, slab_chunks_));  // doubles the pool
    std::tie(carve_, carve_end_) = spare_slabs_.back();
    spare_slabs_.pop_back();
  }
  ++chunks_carved_;
  return carve_++;
}

void EventQueue::add_slab(size_t chunks) {
  slabs_.push_back(std::make_unique_for_overwrite<Chunk[]>(chunks));
  Chunk* begin = slabs_.back().get();
  spare_slabs_.emplace_back(begin, begin + chunks);
  slab_chunks_ += chunks;
}

void EventQueue::reserve(size_t events) {
  // Every bucket may hold one partly filled chunk.
  const size_t needed = (size_ + events + kChunkEvents - 1) / kChunkEvents + kBuckets;
  if (needed <= slab_chunks_) return;
  add_slab(needed - slab_chunks_);  // carved once the current slab's rest is used
}

}  // namespace rejuv::sim
