// Backend and data setup shared by the subcommands.
#include "cli/model_setup.h"

#include <cstdio>

#include "core/parallel.h"
#include "gpu/backend_factory.h"

namespace rrcnn {

std::unique_ptr<Backend> open_backend(const Args& args, const ModelConfig& config, bool quiet) {
  set_num_threads(args.integer("threads", 0, 0, 256));
  std::string note;
  auto backend = make_backend(parse_backend_kind(args.str("backend", "auto")), config, &note);
  if (!quiet) {
    std::fprintf(stderr, "backend: %s (%s)%s%s\n", backend->name().c_str(),
                 backend->device_name().c_str(), note.empty() ? "" : "; ", note.c_str());
  }
  return backend;
}

DataSplit open_data(const Args& args) { return load_data_dir(args.str("data", default_data_dir())); }

}  // namespace rrcnn
