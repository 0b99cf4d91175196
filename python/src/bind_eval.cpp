// The parts of `rrcnn eval` from Python: the CLI's own code (app/cli/eval_*.cpp) run on a
// model's backend, returning the dict its --json prints, so the numbers are the CLI's.
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cli/eval_common.h"
#include "cli/eval_parts.h"
#include "common.h"
#include "core/error.h"
#include "model_state.h"

namespace rrcnn::python {
namespace {

struct EvalArgs {
  int count = 200, batch = 100;
  uint64_t seed = 1234;
  py::object dropout;
  std::string data, backend = "auto";
  int threads = 0;
};

py::object run_eval_part(ModelState& m, const EvalArgs& a, const std::function<EvalReport(const EvalContext&)>& part) {
  const float rate = a.dropout.is_none() ? m.ck.config.dropout_rate : a.dropout.cast<float>();
  RRCNN_CHECK(rate >= 0.0f && rate < 1.0f, "dropout " << rate << " must be in [0, 1)");
  RRCNN_CHECK(a.count >= 1 && a.batch >= 1 && a.batch <= 4096, "eval: count must be >= 1 and batch in 1..4096");
  EvalReport report;
  {
    py::gil_scoped_release nogil;
    std::shared_ptr<const DataSplit> data = data_split(a.data);
    RRCNN_CHECK(data->test.height == m.ck.config.height && data->test.width == m.ck.config.width,
                "eval: the data's digits do not fit the model's grid");
    std::lock_guard<std::mutex> lock(m.mu);
    ThreadsScope threads(a.threads);
    Backend& be = m.inference_backend(a.backend);
    EvalContext ctx{m.ck, be, *data};
    ctx.count = std::min(a.count, data->test.count());
    ctx.batch = a.batch;
    ctx.seed = a.seed;
    ctx.dropout = rate;
    report = part(ctx);
  }
  return py::module_::import("json").attr("loads")(report.json);
}

}  // namespace

void bind_eval(py::module_& m) {
  m.def("noise_episode", &noise_episode, py::arg("alpha"), py::arg("start"),
        "The noise episode `rrcnn eval` uses for held-out digits from index `start` at level alpha (-1: random).");
  auto eval_doc = [](const char* what) {
    return std::string(what) +
           " Runs the CLI's own code on the first `count` held-out digits in batches of `batch` "
           "with noise seed `seed`; returns the dict `rrcnn eval --json` prints for this part.";
  };
#define RRCNN_EVAL_ARGS py::arg("count") = 200, py::arg("batch") = 100, py::arg("seed") = 1234, \
    py::arg("dropout") = py::none(), py::arg("data") = "", py::arg("backend") = "auto", py::arg("threads") = 0
  m.def("eval_baselines", [](ModelState& s, int tune_count, int count, int batch, uint64_t seed, const py::object& dropout,
                             const std::string& data, const std::string& backend, int threads) {
    RRCNN_CHECK(tune_count >= 1, "eval_baselines: tune_count must be >= 1");
    EvalArgs a{count, batch, seed, dropout, data, backend, threads};
    return run_eval_part(s, a, [&](const EvalContext& ctx) { return eval_baselines(ctx, tune_count); });
  }, py::arg("model"), py::kw_only(), py::arg("tune_count") = 1000, RRCNN_EVAL_ARGS,
     eval_doc("`rrcnn eval --baselines`: the model (1x, 2x its horizon, dropout on and off) next to the noisy "
              "input, the mean training digit, a Gaussian blur and a median filter tuned on training digits.").c_str());
  m.def("eval_persistence", [](ModelState& s, float alpha, std::vector<int> at, int count, int batch, uint64_t seed,
                               const py::object& dropout, const std::string& data, const std::string& backend, int threads) {
    for (size_t i = 0; i < at.size(); ++i)
      RRCNN_CHECK(at[i] >= 1 && (i == 0 || at[i] > at[i - 1]), "eval_persistence: at steps must be >= 1 and increase");
    const float level = alpha_of(py::float_(alpha));  // with the GIL: the part runs without it
    EvalArgs a{count, batch, seed, dropout, data, backend, threads};
    return run_eval_part(s, a, [&](const EvalContext& ctx) { return eval_persistence(ctx, level, at); });
  }, py::arg("model"), py::kw_only(), py::arg("alpha") = 0.5f, py::arg("at") = std::vector<int>{64, 256, 1024},
     RRCNN_EVAL_ARGS, eval_doc("`rrcnn eval --persistence`: PSNR after each of `at` steps.").c_str());
  m.def("eval_repair", [](ModelState& s, float alpha, py::object damage_step, py::object recover_steps,
                          const std::string& kinds, int count, int batch, uint64_t seed, const py::object& dropout,
                          const std::string& data, const std::string& backend, int threads) {
    const int horizon = s.ck.config.rollout_steps;
    const int ds = damage_step.is_none() ? horizon : damage_step.cast<int>();
    std::vector<int> recover_at = {horizon, 4 * horizon};
    if (py::isinstance<py::int_>(recover_steps)) recover_at = {recover_steps.cast<int>()};
    else if (!recover_steps.is_none()) recover_at = recover_steps.cast<std::vector<int>>();
    RRCNN_CHECK(ds >= 0 && !recover_at.empty(), "eval_repair: damage_step >= 0 and at least one recover step");
    for (size_t i = 0; i < recover_at.size(); ++i)
      RRCNN_CHECK(recover_at[i] >= 1 && (i == 0 || recover_at[i] > recover_at[i - 1]),
                  "eval_repair: recover_steps must be >= 1 and increase");
    const std::vector<const RepairKind*> parsed = parse_repair_kinds(kinds);
    const float level = alpha_of(py::float_(alpha));
    EvalArgs a{count, batch, seed, dropout, data, backend, threads};
    return run_eval_part(s, a, [&](const EvalContext& ctx) { return eval_repair(ctx, level, ds, recover_at, parsed); });
  }, py::arg("model"), py::kw_only(), py::arg("alpha") = 0.5f, py::arg("damage_step") = py::none(),
     py::arg("recover_steps") = py::none(), py::arg("kinds") = "all", RRCNN_EVAL_ARGS,
     eval_doc("`rrcnn eval --repair`: the studio's brushes (kinds: erase_r3, erase_r6, erase_stroke, noise_r4, "
              "ink_stroke, or all) at damage_step, the share of the region's lost PSNR won back at each of "
              "recover_steps (default 1x and 4x the horizon).").c_str());
  m.def("eval_per_step", [](ModelState& s, std::vector<float> alphas, int steps, int count, int batch, uint64_t seed,
                            const py::object& dropout, const std::string& data, const std::string& backend, int threads) {
    for (float al : alphas) alpha_of(py::float_(al));
    RRCNN_CHECK(steps >= 1, "eval_per_step: steps must be >= 1");
    EvalArgs a{count, batch, seed, dropout, data, backend, threads};
    return run_eval_part(s, a, [&](const EvalContext& ctx) { return eval_per_step(ctx, alphas, steps); });
  }, py::arg("model"), py::kw_only(), py::arg("alphas") = std::vector<float>{0.25f, 0.5f, 0.75f},
     py::arg("steps") = 128, RRCNN_EVAL_ARGS,
     eval_doc("`rrcnn eval --per-step`: mean MSE after every step 0..steps.").c_str());
#undef RRCNN_EVAL_ARGS
}

}  // namespace rrcnn::python
