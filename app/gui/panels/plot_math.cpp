// Log-scale plot arithmetic (see plot_math.h).
#include "gui/panels/plot_math.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rrcnn {

LogAxis log_axis_for(const std::vector<float>& v, const LogAxis& fallback) {
  double lo = INFINITY, hi = -INFINITY;
  for (float x : v) {
    if (!(x > 0) || !std::isfinite(x)) continue;
    const double e = std::log10(double(x));
    lo = std::min(lo, e);
    hi = std::max(hi, e);
  }
  if (!(lo <= hi)) return fallback;
  const double pad = std::max(0.05 * (hi - lo), 0.02);
  lo -= pad;
  hi += pad;
  if (hi - lo < 0.25) {
    const double mid = 0.5 * (lo + hi);
    lo = mid - 0.125;
    hi = mid + 0.125;
  }
  return {lo, hi};
}

LogAxis merge(const LogAxis& a, const LogAxis& b) {
  return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
}

double log_to_unit(double value, const LogAxis& axis) {
  if (!(value > 0)) return 0.0;
  const double t = (std::log10(value) - axis.lo) / (axis.hi - axis.lo);
  return std::clamp(t, 0.0, 1.0);
}

double unit_to_log_value(double unit, const LogAxis& axis) {
  return std::pow(10.0, axis.lo + unit * (axis.hi - axis.lo));
}

std::vector<double> log_ticks(const LogAxis& axis) {
  std::vector<double> ticks;
  const bool fine = axis.hi - axis.lo < 3.0;
  for (int e = int(std::floor(axis.lo)); e <= int(std::ceil(axis.hi)); ++e) {
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1.0 && !fine) continue;
      const double v = m * std::pow(10.0, e);
      const double l = std::log10(v);
      if (l >= axis.lo - 1e-9 && l <= axis.hi + 1e-9) ticks.push_back(v);
    }
  }
  return ticks;
}

std::vector<double> log_ticks_at_least(const LogAxis& axis, size_t min_count) {
  std::vector<double> t = log_ticks(axis);
  if (t.size() >= min_count) return t;
  t.clear();
  for (int e = int(std::floor(axis.lo)); e <= int(std::ceil(axis.hi)); ++e)
    for (int m = 1; m <= 9; ++m) {
      const double v = m * std::pow(10.0, e), l = std::log10(v);
      if (l >= axis.lo - 1e-9 && l <= axis.hi + 1e-9) t.push_back(v);
    }
  if (t.size() >= min_count) return t;
  return linear_ticks(std::pow(10.0, axis.lo), std::pow(10.0, axis.hi), 3);
}

std::vector<std::string> tick_labels(const std::vector<double>& ticks) {
  std::vector<std::string> out;
  for (double v : ticks) out.push_back(tick_label(v));
  auto distinct = [&] {
    for (size_t i = 1; i < out.size(); ++i)
      if (out[i] == out[i - 1]) return false;
    return true;
  };
  char buf[32];
  for (int digits = 2; !distinct() && digits <= 9; ++digits)
    for (size_t i = 0; i < ticks.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%.*g", digits, ticks[i]);
      out[i] = buf;
    }
  return out;
}

std::vector<double> integer_ticks(double lo, double hi, int count) {
  return linear_ticks(lo, hi, count, 1.0);
}

std::vector<double> linear_ticks(double lo, double hi, int count, double min_step) {
  std::vector<double> ticks;
  if (!(hi > lo) || count < 1) return ticks;
  const double raw = std::max(min_step, (hi - lo) / count);
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  double step = p;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw) {
      step = m * p;
      break;
    }
  for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step)
    ticks.push_back(std::fabs(t) < 1e-12 * step ? 0.0 : t);
  return ticks;
}

std::string tick_label(double value) {
  char buf[32];
  const int e = int(std::floor(std::log10(value) + 1e-9));
  const double m = value / std::pow(10.0, e);
  if (e >= -2 && e <= 3)
    std::snprintf(buf, sizeof buf, "%g", value);
  else
    std::snprintf(buf, sizeof buf, "%.0fe%d", m, e);
  return buf;
}

std::vector<size_t> plot_indices(size_t n, size_t max_points) {
  std::vector<size_t> idx;
  if (n == 0 || max_points == 0) return idx;
  if (n <= max_points) {
    for (size_t i = 0; i < n; ++i) idx.push_back(i);
    return idx;
  }
  const double stride = double(n - 1) / double(max_points - 1 > 0 ? max_points - 1 : 1);
  size_t last = size_t(-1);
  for (size_t k = 0; k < max_points; ++k) {
    const size_t i = std::min(n - 1, size_t(std::llround(k * stride)));
    if (i != last) idx.push_back(i);
    last = i;
  }
  if (idx.back() != n - 1) idx.push_back(n - 1);
  return idx;
}

long nearest_index(const std::vector<double>& xs, double x) {
  if (xs.empty()) return -1;
  const auto it = std::lower_bound(xs.begin(), xs.end(), x);
  if (it == xs.begin()) return 0;
  if (it == xs.end()) return long(xs.size() - 1);
  const long i = long(it - xs.begin());
  return (x - xs[size_t(i - 1)] <= xs[size_t(i)] - x) ? i - 1 : i;
}

std::string format_duration(double s) {
  char buf[48];
  if (!(s >= 0) || !std::isfinite(s)) return "--";
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%d min %02d s", int(s) / 60, int(s) % 60);
  } else if (s < 48 * 3600) {
    std::snprintf(buf, sizeof buf, "%d h %02d min", int(s) / 3600, (int(s) / 60) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f d %02d h", std::floor(s / 86400), int(std::fmod(s, 86400) / 3600));
  }
  return buf;
}

}  // namespace rrcnn
