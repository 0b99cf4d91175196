// A/B's comparison of two model configs (see ab_compare.h).
#include "gui/ab/ab_compare.h"

#include <sstream>
#include <string>

namespace rrcnn {
namespace {

std::string num(float v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

AbComparison compare_models(const ModelConfig& a, const ModelConfig& b) {
  AbComparison r;
  std::ostringstream d;
  bool any = false;
  auto diff = [&](const char* what, const std::string& x, const std::string& y) {
    if (x == y) return;
    d << (any ? ", " : "") << what << " " << x << " vs " << y;
    any = true;
  };
  diff("grid", std::to_string(a.height) + "x" + std::to_string(a.width),
       std::to_string(b.height) + "x" + std::to_string(b.width));
  diff("channels", std::to_string(a.channels), std::to_string(b.channels));
  diff("perception", std::to_string(a.perception), std::to_string(b.perception));
  diff("hidden", a.hidden_string(), b.hidden_string());
  diff("horizon", std::to_string(a.rollout_steps), std::to_string(b.rollout_steps));
  diff("trained dropout", num(a.dropout_rate), num(b.dropout_rate));
  diff("step size", num(a.step_size), num(b.step_size));
  diff("perception", a.train_perception ? "trained" : "fixed",
       b.train_perception ? "trained" : "fixed");
  r.differs = d.str();
  r.compatible = a.height == b.height && a.width == b.width;
  r.shared = r.compatible
                 ? "same digits, noise, dropout masks and strokes (drawn per cell, so any "
                   "channel count shares them)"
                 : "nothing can be shared: digits, noise and masks are drawn per cell and the "
                   "grids differ";
  return r;
}

}  // namespace rrcnn
