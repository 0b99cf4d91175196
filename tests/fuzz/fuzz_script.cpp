// libFuzzer target: the studio's script parser (app/gui/script.cpp, no GL involved) on
// arbitrary text, and the typed argument accessors on whatever it accepts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "gui/scripting/script.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto actions =
        rrcnn::parse_script(std::string(reinterpret_cast<const char*>(data), size), "fuzz.script");
    volatile double sink = 0;
    for (const auto& a : actions) {
      if (a.op.empty() || a.line < 1) __builtin_trap();
      for (size_t i = 0; i < a.args.size(); ++i)
        sink = sink + a.int_arg(i) + a.float_arg(i) + double(a.str_arg(i).size());
    }
  } catch (const rrcnn::Error&) {
  }
  return 0;
}
