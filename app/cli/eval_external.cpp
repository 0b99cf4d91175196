// `rrcnn eval --dump-noisy` and `--score`: other denoisers (tools/anchor/, a PyTorch DnCNN) are
// measured by this program's protocol, not a copy of it. --dump-noisy writes the held-out
// digits and the very noisy inputs every model sees (same seed, batches and noise episodes as
// the rest of `rrcnn eval`); --score reads that program's outputs for them and scores them with
// the same clipped MSE, PSNR of the mean MSE and 95% intervals as --baselines.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/eval_parts.h"
#include "core/json_io.h"
#include "core/noise.h"
#include "core/safetensors.h"

namespace rrcnn {
namespace {

std::string tensor_name(const char* what, float alpha) { return std::string(what) + "/" + level_label(alpha); }

// The held-out clean digits (count, H, W) and, per level, their noisy inputs.
std::vector<float> held_out(const DataSplit& data, int count) {
  std::vector<int> idx(count);
  for (int i = 0; i < count; ++i) idx[i] = i;
  return gather_batch(data.test, idx);
}

}  // namespace

EvalReport dump_noisy(const DataSplit& data, int count, int batch, uint64_t seed, const std::vector<float>& alphas,
                      const std::string& path) {
  const int cells = data.test.height * data.test.width;
  StFile f;
  f.metadata["format"] = "rrcnn-eval-noisy";
  f.metadata["data"] = data.test.source;
  f.metadata["seed"] = std::to_string(seed);
  f.metadata["batch"] = std::to_string(batch);
  f.metadata["note"] = "rrcnn eval --dump-noisy: denoise each noisy/LEVEL into denoised/LEVEL, then rrcnn eval --score";
  StTensor clean;
  clean.shape = {count, data.test.height, data.test.width};
  clean.data = held_out(data, count);
  for (float alpha : alphas) {
    StTensor noisy;
    noisy.shape = clean.shape;
    noisy.data.resize(clean.data.size());
    // The batches and episodes of start_rollout: backends draw the noisy digits with this code.
    for (int start = 0; start < count; start += batch) {
      const int b = std::min(batch, count - start);
      make_noisy_batch(clean.data.data() + size_t(start) * cells, b, cells, alpha, seed,
                       noise_episode(alpha, start), noisy.data.data() + size_t(start) * cells);
    }
    f.tensors.push_back({tensor_name("noisy", alpha), std::move(noisy)});
  }
  f.tensors.insert(f.tensors.begin(), {"clean", std::move(clean)});
  write_safetensors(path, f);
  std::ostringstream table, json;
  table << "wrote " << path << ": " << count << " held-out digits, clean and noisy at " << alphas.size() << " levels\n";
  json << "{\"path\":" << json_quote(path) << ",\"digits\":" << count << "}";
  return {table.str(), json.str()};
}

EvalReport score_outputs(const DataSplit& data, int count, int batch, uint64_t seed, const std::vector<float>& alphas,
                         const std::string& path) {
  const StFile f = read_safetensors(path);
  const int h = data.test.height, w = data.test.width, cells = h * w;
  const std::vector<float> clean = held_out(data, count);
  const auto name_it = f.metadata.find("method");
  const std::string method = name_it == f.metadata.end() ? path : name_it->second;
  std::ostringstream table, json;
  char buf[240];
  std::snprintf(buf, sizeof buf, "\n%s on %d held-out digits (clipped to [0, 1], PSNR of the mean MSE)\n%-8s %-22s %-22s\n",
                method.c_str(), count, "alpha", "noisy input PSNR dB", "denoised PSNR dB [95%]");
  table << buf;
  json << "{\"method\":" << json_quote(method) << ",\"path\":" << json_quote(path) << ",\"levels\":[";
  for (size_t a = 0; a < alphas.size(); ++a) {
    const float alpha = alphas[a];
    const std::string name = tensor_name("denoised", alpha);
    const StTensor* t = f.find(name);
    RRCNN_CHECK(t, path << ": no tensor '" << name << "' (denoise the noisy/" << level_label(alpha)
                        << " inputs of rrcnn eval --dump-noisy into it)");
    RRCNN_CHECK(t->shape.size() == 3 && t->shape[0] >= count && t->shape[1] == h && t->shape[2] == w,
                path << ": tensor '" << name << "' must be (" << count << ", " << h << ", " << w << ") or hold more digits");
    std::vector<float> noisy(clean.size());
    for (int start = 0; start < count; start += batch) {
      const int b = std::min(batch, count - start);
      make_noisy_batch(clean.data() + size_t(start) * cells, b, cells, alpha, seed, noise_episode(alpha, start),
                       noisy.data() + size_t(start) * cells);
    }
    const QualitySummary qn = summarize_quality(per_sample_mse(noisy.data(), clean.data(), count, cells));
    const QualitySummary qd = summarize_quality(per_sample_mse(t->data.data(), clean.data(), count, cells));
    std::snprintf(buf, sizeof buf, "%-8s %-22.2f %s\n", level_label(alpha).c_str(), qn.psnr, psnr_cell(qd).c_str());
    table << buf;
    json << (a ? "," : "") << "{\"alpha\":" << level_json(alpha) << ",\"noisy\":{" << quality_fields(qn)
         << "},\"denoised\":{" << quality_fields(qd) << "}}";
  }
  json << "]}";
  return {table.str(), json.str()};
}

}  // namespace rrcnn
