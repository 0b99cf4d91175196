// Backend and data setup shared by the subcommands.
#include "cli/model_setup.h"

#include <cstdio>
#include <vector>

#include "core/cpu_backend.h"
#include "core/cpu_kernels.h"
#include "core/error.h"
#include "core/parallel.h"
#include "gpu/backend_factory.h"

namespace rrcnn {

void add_backend_flags(Flags& flags) {
  flags.group("compute")
      .text("backend", "auto|cpu|cuda", "compute backend (default auto: CUDA when a GPU is present)")
      .integer("threads", "N", "CPU threads (default: all cores)", 0, 256)
      .text("precision", "fp32|bf16",
            "CPU arithmetic (default fp32; bf16: bf16 products with fp32\n"
            "sums on processors with AVX512_BF16, CPU backend only)");
}

void add_session_flag(Flags& flags) {
  flags.text("session", "FILE",
             "a studio session file's settings (File > Save session) as this\n"
             "command's flags, at its place: flags after it override them\n"
             "(docs/sessions.md)");
}

std::unique_ptr<Backend> open_backend(const Flags& args, const ModelConfig& config, bool quiet) {
  set_num_threads(args.integer("threads", 0));
  std::string note;
  const std::string precision = args.str("precision", "fp32");
  std::unique_ptr<Backend> backend;
  if (precision != "fp32") {
    // Reduced precision exists on the CPU only; auto then means the CPU, said so.
    const BackendKind kind = parse_backend_kind(args.str("backend", "auto"));
    RRCNN_CHECK(kind != BackendKind::kCuda, "--precision " << precision << " runs on the CPU backend only (drop --backend cuda)");
    std::vector<int> widths = {config.channels, config.perception};
    widths.insert(widths.end(), config.hidden.begin(), config.hidden.end());
    backend = std::make_unique<CpuBackend>(config, &cpu_kernels_for_precision(precision, widths));
    if (kind == BackendKind::kAuto) note = "--precision " + precision + " runs on the CPU";
  } else {
    backend = make_backend(parse_backend_kind(args.str("backend", "auto")), config, &note);
  }
  if (!quiet) {
    std::fprintf(stderr, "backend: %s (%s)%s%s\n", backend->name().c_str(),
                 backend->device_name().c_str(), note.empty() ? "" : "; ", note.c_str());
  }
  return backend;
}

DataSplit open_data(const Flags& args) { return load_data_dir(args.str("data", default_data_dir())); }

}  // namespace rrcnn
