#pragma once
// Table 2: the extraction functions, which keep the elements they did not choose ("unused
// elements") so that a failed element can be replaced (seed 000 §3.2.2). Each keeps the size of
// its result: a failed element is replaced by the unused element nearest its cut (take,
// dropRight, takeWhile, accumulateWhile: the first one after its result; drop, takeRight,
// dropWhile: the last one before it), and, for the functions with a predicate, only while the
// predicate holds for it at the time of the failure (§3.2.3): takeWhile's p, accumulateWhile's p
// over the result without the failed element, dropWhile's p failing (a dropped element rejoins
// only if it no longer qualifies to be dropped). When none qualifies, LackOfElements.
//
// Beyond the paper (§4.1): takeByRandom draws its result and its substitutes at random from a
// named stream; takeByScore takes the highest scores first, and its substitutes in score order.
//
// A substitute that walks back through an extraction function later in the chain (a blame-aware
// walk-back to an earlier one) is let through it.
#include <algorithm>
#include <numeric>

#include "sim/lineage/steps.hpp"
#include "sim/random.hpp"

namespace rejuv::sim::lineage {

template <class T>
class Extraction : public Step<T, T> {
 public:
  using Step<T, T>::Step;
  bool is_extraction() const override { return true; }
  ListView unused_view() const override {
    return make_view(std::vector<Item<T>>(unused_.begin() + long(cursor_), unused_.end()));
  }
  std::optional<Batch> draw() override {
    while (cursor_ < unused_.size()) {
      const Item<T>& x = unused_[cursor_];
      if (!qualifies(x)) return std::nullopt;  // the predicate ends the supply (a prefix stays one)
      ++cursor_;
      this->insert(x);
      return Batch(std::vector<Item<T>>{x});
    }
    return std::nullopt;
  }

 protected:
  // Computes out_ and unused_ (in the order substitutes are drawn) from the input.
  virtual void select(const std::vector<Item<T>>& in) = 0;
  virtual bool qualifies(const Item<T>&) { return true; }
  void evaluate() override {
    selecting_ = true;
    select(this->in_->out());
    selecting_ = false;
    // Policy restart: a run again from the source that yields fewer elements than the first is
    // as short of elements as lineage is when its unused elements run out.
    if (!first_size_)
      first_size_ = this->out_.size();
    else if (this->out_.size() < *first_size_)
      throw LackOfElements(this->label(), this->lineage().run_failures());
  }
  // While selecting, the subclass's judgement; otherwise a substitute walking through.
  void apply(const Item<T>& x, std::vector<Item<T>>& produced) override {
    if (selecting_)
      judge(x, produced);
    else
      produced.push_back(x);
  }
  virtual void judge(const Item<T>& x, std::vector<Item<T>>& produced) { produced.push_back(x); }
  void reset() override {
    Step<T, T>::reset();
    unused_.clear();
    cursor_ = 0;
    stopped_ = false;
  }

  std::vector<Item<T>> unused_;
  size_t cursor_ = 0;
  bool stopped_ = false;
  bool selecting_ = false;

 private:
  std::optional<size_t> first_size_;
};

template <class T>
class Take : public Extraction<T> {
 public:
  Take(std::shared_ptr<Node<T>> in, size_t n, std::string op = "take")
      : Extraction<T>(std::move(in), std::move(op), std::to_string(n)), n_(n) {}

 protected:
  void select(const std::vector<Item<T>>& in) override {
    const size_t k = std::min(n_, in.size());
    this->out_.assign(in.begin(), in.begin() + long(k));
    this->unused_.assign(in.begin() + long(k), in.end());
  }
  size_t n_;
};

template <class T>
class Drop : public Extraction<T> {
 public:
  Drop(std::shared_ptr<Node<T>> in, size_t n)
      : Extraction<T>(std::move(in), "drop", std::to_string(n)), n_(n) {}

 protected:
  void select(const std::vector<Item<T>>& in) override {
    const size_t k = std::min(n_, in.size());
    this->out_.assign(in.begin() + long(k), in.end());
    this->unused_.assign(in.rbegin() + long(in.size() - k), in.rend());
  }
  size_t n_;
};

template <class T>
class TakeRight : public Extraction<T> {
 public:
  TakeRight(std::shared_ptr<Node<T>> in, size_t n)
      : Extraction<T>(std::move(in), "takeRight", std::to_string(n)), n_(n) {}

 protected:
  void select(const std::vector<Item<T>>& in) override {
    const size_t k = std::min(n_, in.size());
    this->out_.assign(in.end() - long(k), in.end());
    this->unused_.assign(in.rbegin() + long(k), in.rend());
  }
  size_t n_;
};

template <class T>
class DropRight : public Extraction<T> {
 public:
  DropRight(std::shared_ptr<Node<T>> in, size_t n)
      : Extraction<T>(std::move(in), "dropRight", std::to_string(n)), n_(n) {}

 protected:
  void select(const std::vector<Item<T>>& in) override {
    const size_t k = std::min(n_, in.size());
    this->out_.assign(in.begin(), in.end() - long(k));
    this->unused_.assign(in.end() - long(k), in.end());
  }
  size_t n_;
};

template <class T>
class TakeWhile : public Extraction<T> {
 public:
  TakeWhile(std::shared_ptr<Node<T>> in, std::function<bool(const T&)> p, std::string arg)
      : Extraction<T>(std::move(in), "takeWhile", std::move(arg)), p_(std::move(p)) {}

 protected:
  void select(const std::vector<Item<T>>& in) override { this->out_ = this->run(in, false); }
  void judge(const Item<T>& x, std::vector<Item<T>>& produced) override {
    if (!this->stopped_ && p_(x.value))
      produced.push_back(x);
    else {
      this->stopped_ = true;
      this->unused_.push_back(x);
    }
  }
  bool qualifies(const Item<T>& x) override { return p_(x.value); }
  std::function<bool(const T&)> p_;
};

template <class T>
class DropWhile : public Extraction<T> {
 public:
  DropWhile(std::shared_ptr<Node<T>> in, std::function<bool(const T&)> p, std::string arg)
      : Extraction<T>(std::move(in), "dropWhile", std::move(arg)), p_(std::move(p)) {}

 protected:
  void select(const std::vector<Item<T>>& in) override {
    this->out_ = this->run(in, false);
    std::reverse(this->unused_.begin(), this->unused_.end());  // the last dropped is drawn first
  }
  void judge(const Item<T>& x, std::vector<Item<T>>& produced) override {
    if (!this->stopped_ && p_(x.value))
      this->unused_.push_back(x);
    else {
      this->stopped_ = true;
      produced.push_back(x);
    }
  }
  bool qualifies(const Item<T>& x) override { return !p_(x.value); }
  std::function<bool(const T&)> p_;
};

// accumulateWhile (the paper's own, §3.2.2): the longest prefix for which p(prefix taken so far,
// next element) holds.
template <class T>
class AccumulateWhile : public Extraction<T> {
 public:
  using Predicate = std::function<bool(const std::vector<T>& prefix, const T& next)>;
  AccumulateWhile(std::shared_ptr<Node<T>> in, Predicate p, std::string arg)
      : Extraction<T>(std::move(in), "accumulateWhile", std::move(arg)), p_(std::move(p)) {}

 protected:
  void select(const std::vector<Item<T>>& in) override {
    prefix_.clear();
    this->out_ = this->run(in, false);
  }
  void judge(const Item<T>& x, std::vector<Item<T>>& produced) override {
    if (!this->stopped_ && p_(prefix_, x.value)) {
      produced.push_back(x);
      prefix_.push_back(x.value);
    } else {
      this->stopped_ = true;
      this->unused_.push_back(x);
    }
  }
  // Judged against the result as it is now: without the failed element, with the substitutes.
  bool qualifies(const Item<T>& x) override {
    prefix_.clear();
    for (const auto& y : this->out_) prefix_.push_back(y.value);
    return p_(prefix_, x.value);
  }
  Predicate p_;
  std::vector<T> prefix_;
};

template <class T>
class TakeByRandom : public Extraction<T> {
 public:
  TakeByRandom(std::shared_ptr<Node<T>> in, size_t n, Rng rng)
      : Extraction<T>(std::move(in), "takeByRandom", std::to_string(n)),
        n_(n),
        rng_(std::move(rng)) {}
  std::optional<Batch> draw() override {
    if (this->cursor_ >= this->unused_.size()) return std::nullopt;
    // Any remaining unused element, uniformly: swap it to the cursor and take it from there.
    const size_t j = this->cursor_ + size_t(rng_.below(this->unused_.size() - this->cursor_));
    std::swap(this->unused_[this->cursor_], this->unused_[j]);
    return Extraction<T>::draw();
  }

 protected:
  void select(const std::vector<Item<T>>& in) override {
    // A partial Fisher-Yates shuffle: the first k positions are the result.
    std::vector<uint32_t> idx(in.size());
    std::iota(idx.begin(), idx.end(), 0u);
    const size_t k = std::min(n_, in.size());
    for (size_t i = 0; i < k; ++i) std::swap(idx[i], idx[i + size_t(rng_.below(in.size() - i))]);
    std::sort(idx.begin(), idx.begin() + long(k));
    for (size_t i = 0; i < k; ++i) this->out_.push_back(in[idx[i]]);
    for (size_t i = k; i < in.size(); ++i) this->unused_.push_back(in[idx[i]]);
  }
  size_t n_;
  Rng rng_;
};

template <class T>
class TakeByScore : public Extraction<T> {
 public:
  TakeByScore(std::shared_ptr<Node<T>> in, size_t n, std::function<double(const T&)> score,
              std::string arg)
      : Extraction<T>(std::move(in), "takeByScore", std::move(arg)),
        n_(n),
        score_(std::move(score)) {}
  ListView unused_view() const override {
    const_cast<TakeByScore*>(this)->sort_unused();
    return Extraction<T>::unused_view();
  }
  std::optional<Batch> draw() override {
    sort_unused();
    return Extraction<T>::draw();
  }

 protected:
  void select(const std::vector<Item<T>>& in) override {
    items_.clear();
    scores_.clear();
    // Every element's score, in a tight loop unless a score throws (then with failure handling).
    size_t k = 0;
    try {
      for (; k < in.size(); ++k) {
        scores_.push_back(score_(in[k].value));
        items_.push_back(in[k]);
      }
    } catch (...) {
      this->run(std::vector<Item<T>>(in.begin() + long(k), in.end()), false);
    }
    rest_.resize(items_.size());
    std::iota(rest_.begin(), rest_.end(), 0u);
    const size_t n = std::min(n_, rest_.size());
    std::nth_element(rest_.begin(), rest_.begin() + long(n), rest_.end(), better());
    std::sort(rest_.begin(), rest_.begin() + long(n));  // the chosen ones in list order
    for (size_t i = 0; i < n; ++i) this->out_.push_back(items_[rest_[i]]);
    rest_.erase(rest_.begin(), rest_.begin() + long(n));
    sorted_ = false;
  }
  void judge(const Item<T>& x, std::vector<Item<T>>&) override {
    scores_.push_back(score_(x.value));
    items_.push_back(x);
  }
  void reset() override {
    Extraction<T>::reset();
    rest_.clear();
    sorted_ = false;
  }

 private:
  // Higher scores first; equal scores in list order.
  auto better() const {
    return [this](uint32_t a, uint32_t b) {
      return scores_[a] > scores_[b] || (scores_[a] == scores_[b] && a < b);
    };
  }
  // The unused elements in draw order, sorted only when first needed (most requests need none).
  void sort_unused() {
    if (sorted_) return;
    std::sort(rest_.begin(), rest_.end(), better());
    this->unused_.clear();
    for (uint32_t i : rest_) this->unused_.push_back(items_[i]);
    sorted_ = true;
  }
  size_t n_;
  std::function<double(const T&)> score_;
  std::vector<Item<T>> items_;
  std::vector<double> scores_;
  std::vector<uint32_t> rest_;
  bool sorted_ = false;
};

}  // namespace rejuv::sim::lineage
