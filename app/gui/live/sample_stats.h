// Summaries of per-frame measurements for the scripted-run report (frame times, live steps/s):
// count, mean, median, 95th percentile and maximum. No window code; unit-tested.
#pragma once

#include <cstddef>
#include <vector>

namespace rrcnn {

class SampleStats {
 public:
  void add(double v) { values_.push_back(v); }
  size_t count() const { return values_.size(); }
  double mean() const;
  double max() const;
  // p in [0, 100], nearest-rank; 0 when empty.
  double percentile(double p) const;

 private:
  std::vector<double> values_;
};

}  // namespace rrcnn
