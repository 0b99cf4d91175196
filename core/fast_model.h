// The CPU backend's fast path for the RRCNN in float: the same math as Model<float> (reference/model.h,
// the clear reference it is tested against), organised for speed:
// - one sample per task: a sample's whole rollout, and its whole backward pass, run on one
//   thread with no synchronisation; weight gradients are summed per sample and then over samples
//   in order, so results do not depend on the number of threads;
// - the MLP on kept cells only (a dropped cell's update is multiplied by 0);
// - an incremental perception: the convolution is linear and a step changes only the kept
//   cells, so perceive(s + d) = perceive(s) + perceive(d) costs a convolution of the kept rows
//   only; its input gradient likewise only has kept source rows. Both halve the convolution's
//   work at rate 0.5. The rollout recomputes the perception in full every kRefreshSteps so
//   rounding cannot build up over long runs;
// - kernels with fused epilogues (cpu_kernels.h) instead of BLAS calls plus extra passes.
// Results equal Model<float>'s up to float reassociation.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/config.h"
#include "core/cpu_kernels.h"
#include "core/param_layout.h"

namespace rrcnn {

struct FastTape;  // one sample's forward record for its backward pass (fast_model.cpp)

class FastModel {
 public:
  // Full perception recomputed at least this often in a rollout.
  static constexpr int kRefreshSteps = 64;

  // kernels: nullptr picks the widest this processor runs (cpu_kernels_for).
  explicit FastModel(const ModelConfig& config, const CpuKernels* kernels = nullptr);
  ~FastModel();  // frees the training tapes (45 MB each at the seed config)
  FastModel(const FastModel&) = delete;
  FastModel& operator=(const FastModel&) = delete;

  const ModelConfig& config() const { return config_; }
  const CpuKernels& kernels() const { return *kernels_; }

  // Dropout of a rollout, drawn per (episode, step, sample, cell) as make_keep_masks does.
  struct LiveDropout {
    float rate = 0.5f;  // 0: none
    uint64_t seed = 0;
    uint32_t episode = 0;
    uint32_t first_step = 0;  // step counter of the first step taken
  };

  // Advances every sample of `state` (B, H, W, C) n steps in place. image_trajectory, when not
  // null, receives the image channel after each step: (n, B, H, W). The perception of the
  // current state is kept between calls; call invalidate_perception() whenever the state or
  // the perception kernel changes by any other route.
  void rollout(const float* params, int batch, float* state, int n, const LiveDropout& dropout,
               float* image_trajectory);
  void invalidate_perception() { perception_valid_ = false; }

  // As Model<float>::loss_and_grad: loss after `steps` steps from init_state; grad (layout
  // total, OVERWRITTEN; a frozen kernel's entries are 0, a trained one's are its gradient);
  // masks (steps, B, H, W) or null.
  float loss_and_grad(const float* params, int batch, int steps, const float* init_state,
                      const float* clean, const uint8_t* masks, float keep_prob, float* grad,
                      float* final_state = nullptr);

  // Training tapes alive in the process, all models together (tests: freed with their model).
  static int live_tapes();

 private:
  // A tape for one parallel chunk of loss_and_grad: a free one of this model's, or a new one.
  // The model keeps them (at most one per thread at once) and frees them when it goes away,
  // which thread_local tapes on the long-lived pool threads never were.
  std::unique_ptr<FastTape> take_tape();
  void return_tape(std::unique_ptr<FastTape> tape);
  void prepare_weights(const float* params);
  // p (N, P) = perception of s (N, C), in full.
  void perceive_full(const float* s, float* p) const;
  // MLP forward on m rows: hidden[l] (m, K_l) after relu, update (m, C).
  void mlp_forward(int m, const float* perc_rows, const std::vector<float*>& hidden,
                   float* update) const;
  // next = s with the m listed rows advanced by the update; delta (m, C) = next - s on them.
  void apply_update(const uint32_t* rows, int m, const float* update, bool dropout,
                    float keep_prob, const float* s, float* next, float* delta) const;
  // p += perception of the sparse change delta on `rows`.
  void perceive_delta(const uint32_t* rows, int m, const float* delta, float* p) const;
  void forward_sample(FastTape& tape, int b, int steps, const float* init, const uint8_t* masks,
                      int batch, float keep_prob) const;
  // dkernel (3, 3, C, P) += the perception kernel's gradient of one sample-step: state s (N, C),
  // dperc (m, P) on the kept `rows` (ModelConfig::train_perception).
  void kernel_grad(const uint32_t* rows, int m, const float* s, const float* dperc,
                   float* dkernel) const;
  void backward_sample(const FastTape& tape, int steps, const float* clean, float grad_scale,
                       float keep_prob, bool dropout, float* grad) const;

  ModelConfig config_;
  ParamLayout layout_;
  const CpuKernels* kernels_;
  int cells_;
  std::vector<float> conv_bwd_;                 // (9, P, C): K[dy,dx]^T per tap
  std::vector<std::vector<float>> w_t_;         // layer l: W_l^T (out, in)
  const float* params_ = nullptr;
  std::vector<float> perception_;               // rollout cache (B, H, W, P)
  bool perception_valid_ = false;
  int perception_batch_ = 0, steps_since_refresh_ = 0;
  std::vector<std::vector<float>> grad_parts_;  // per sample, layout total
  std::mutex tapes_mutex_;
  std::vector<std::unique_ptr<FastTape>> tapes_;  // free tapes, guarded by tapes_mutex_
};

}  // namespace rrcnn
