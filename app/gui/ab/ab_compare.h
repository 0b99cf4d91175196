// What A and B share and what differs, as the A/B panel's two lines: the noise and the dropout
// masks are drawn per cell (core/noise.h), so any two configs of the same grid share digits,
// noise and masks; another grid shares nothing and cannot run beside A. No GL.
#pragma once

#include <string>

#include "core/config.h"

namespace rrcnn {

struct AbComparison {
  bool compatible = true;  // same grid: B can run beside A
  std::string differs;     // "channels 64 vs 32, hidden 128,128 vs 64" ("" when identical)
  std::string shared;      // one line for the UI
};

AbComparison compare_models(const ModelConfig& a, const ModelConfig& b);

}  // namespace rrcnn
