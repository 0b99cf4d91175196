// Numbers behind the loss plot, apart from the drawing so they can be tested: the log-scale
// axis (range, mapping, decade and 2-5 ticks), which points to draw when there are more than
// pixels, and which point the mouse is over.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rrcnn {

// An axis in log10 space: [lo, hi] are exponents (lo < hi).
struct LogAxis {
  double lo = -3, hi = 0;
};

// Range covering the positive, finite values of v (non-positive ones are ignored), padded a
// little; a flat series still gets a range of at least a quarter decade.
LogAxis log_axis_for(const std::vector<float>& v, const LogAxis& fallback = LogAxis{});
LogAxis merge(const LogAxis& a, const LogAxis& b);

// 0 at lo, 1 at hi, clamped; non-positive or NaN values map to 0.
double log_to_unit(double value, const LogAxis& axis);
double unit_to_log_value(double unit, const LogAxis& axis);

// Tick values: every decade in range, plus 2x and 5x when the range spans < 3 decades.
std::vector<double> log_ticks(const LogAxis& axis);
// "1e-3", "2e-2", "0.5", "1": short labels for log ticks.
std::string tick_label(double value);

// At least `min_count` ticks inside the axis whenever the range allows: decades first, then 2x
// and 5x, then every mantissa 1..9, then evenly spaced "nice" values (a narrow range such as a
// learning rate that barely changes).
std::vector<double> log_ticks_at_least(const LogAxis& axis, size_t min_count = 2);
// Labels for ticks, all distinct: tick_label's short form, with more significant digits when two
// ticks would read the same.
std::vector<std::string> tick_labels(const std::vector<double>& ticks);

// "Nice" ticks (1, 2 or 5 times a power of ten apart, at least `min_step`) covering [lo, hi],
// about `count` of them.
std::vector<double> linear_ticks(double lo, double hi, int count = 5, double min_step = 0);
// The same for a whole-number axis (optimiser steps): never closer than 1 apart, so no two
// labels repeat.
std::vector<double> integer_ticks(double lo, double hi, int count = 5);

// Indices of at most `max_points` points spread evenly over [0, n), always with the last.
std::vector<size_t> plot_indices(size_t n, size_t max_points);

// Index of the point whose x (ascending) is nearest to `x`; -1 when xs is empty.
long nearest_index(const std::vector<double>& xs, double x);

// Seconds as "42 s", "3 min 20 s", "2 h 05 min", "9 d 17 h"; negative: "--".
std::string format_duration(double seconds);

}  // namespace rrcnn
