// Sample summaries (see sample_stats.h).
#include "gui/live/sample_stats.h"

#include <algorithm>
#include <cmath>

namespace rrcnn {

double SampleStats::mean() const {
  if (values_.empty()) return 0;
  double s = 0;
  for (double v : values_) s += v;
  return s / double(values_.size());
}

double SampleStats::max() const {
  return values_.empty() ? 0 : *std::max_element(values_.begin(), values_.end());
}

double SampleStats::percentile(double p) const {
  if (values_.empty()) return 0;
  std::vector<double> v = values_;
  std::sort(v.begin(), v.end());
  const double rank = std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * double(v.size()));
  const size_t i = rank < 1 ? 0 : size_t(rank) - 1;
  return v[std::min(i, v.size() - 1)];
}

}  // namespace rrcnn
