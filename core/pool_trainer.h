// Training for persistence and repair (growing-NCA style, Mordvintsev et al. 2020): instead of
// always starting from a fresh noisy digit and stopping after exactly T steps, part of each batch
// continues from states the model itself produced earlier for the same clean digits (a sample
// pool), the loss is taken after a horizon drawn from a range, and some continuing samples are
// damaged first (discs erased or re-noised). The model then learns a stable fixed point that
// also heals, not a 64-step transient. Off by default: the seed recipe never comes here.
// Runs on any Backend through loss_and_grad + apply_gradients, so both backends train it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/backend.h"
#include "core/dataset.h"

namespace rrcnn {

// erase: discs zeroed in every channel; noise: discs of N(0, 1) added to the image channel;
// mixed: either, half and half; brushes: a third each of erase discs, erase strokes (a drag of
// the studio's erase brush across the digit) and noise discs, the damage `rrcnn eval --repair`
// measures.
enum class DamageMode { kErase, kNoise, kMixed, kBrushes };
DamageMode parse_damage_mode(const std::string& name);  // "erase", "noise", "mixed", "brushes"
const char* damage_mode_name(DamageMode mode);

struct PoolConfig {
  int pool_size = 256;   // states kept
  int replace = 2;       // per batch: the worst (highest loss) samples start over, fresh
  int horizon_min = 64;  // steps before the loss, drawn uniformly per optimiser step
  int horizon_max = 96;
  int damage = 0;        // per batch: the best continuing samples are damaged first
  int damage_radius = 3; // disc radius in cells
  DamageMode damage_mode = DamageMode::kErase;
  // Recipe knobs of the repair search (issue 19). Their defaults leave every draw and result of
  // the earlier recipe as it was, so old runs resume bit for bit.
  int damage_radius_min = 0;  // > 0: disc radii drawn uniformly from [this, damage_radius]
  int stroke_length_min = 8;  // brushes: erase strokes this long (cells), drawn uniformly,
  int stroke_length_max = 20; //   at any angle, radius uniform in [1, 2.5]
  // brushes: relative weights of erase discs, erase strokes and noise discs (1:1:1 draws a third
  // each, exactly as before the knob existed).
  int brush_mix[3] = {1, 1, 1};
  bool brush_mix_is_default() const { return brush_mix[0] == 1 && brush_mix[1] == 1 && brush_mix[2] == 1; }
  // The loss is the mean of the image MSE at `loss_steps` steps of the rollout: the last one and
  // the ones `loss_spacing` apart before it. The rollout is cut at each of those steps (the
  // gradient of each loss reaches back to the previous one only), so it costs one rollout.
  int loss_steps = 1;
  int loss_spacing = 1;
  // Noise curriculum: fresh samples' noise level is U(0, cap), the cap rising linearly from
  // `noise_start` to 1 over the first `noise_ramp` optimiser steps (0: U(0, 1) throughout).
  float noise_start = 1.0f;
  int noise_ramp = 0;

  // Throws naming the first bad field (batch: the training batch it must fit).
  void validate(int batch) const;
  // One line for checkpoints and logs naming every knob that differs from the plain pool recipe:
  // "pool 256, replace 2, horizon 64..96, damage 2 erase r3" or "..., damage 3 brushes r2..6
  // strokes 8..20, loss mean of 8 steps 1 apart, noise curriculum 0.3..1 over 1000 steps".
  std::string describe() const;
};

// Parses "64..96" or "80" into [lo, hi]; throws naming `what` otherwise.
void parse_range(const std::string& text, const std::string& what, int* lo, int* hi);
// Parses "E,S,N" (three weights 0..1000, not all 0) into out[3]; throws naming `what` otherwise.
void parse_brush_mix(const std::string& text, const std::string& what, int out[3]);
std::string brush_mix_text(const int mix[3]);  // "1,1,2"

class PoolTrainer {
 public:
  PoolTrainer(Backend& backend, const Dataset& train, const PoolConfig& config, uint64_t seed);

  // One optimiser step with index `step` (0-based, the schedule's count): picks the batch from
  // the pool, replaces and damages, runs loss_and_grad over the drawn horizon, writes the final
  // states back, then clips and applies Adam. A non-finite loss or gradient throws before
  // anything is applied (the pool is left as it was).
  TrainStepResult train_step(uint32_t step);
  int last_horizon() const { return last_horizon_; }

  // The pool beside a checkpoint, so --resume continues bit for bit (tens of MB: not meant to
  // be committed). load returns false when `path` does not exist.
  void save(const std::string& path) const;
  bool load(const std::string& path);

  // For tests: the pool's states (S, H, W, C) and clean-digit indices.
  const std::vector<float>& states() const { return states_; }
  const std::vector<int>& digits() const { return digits_; }

 private:
  void fill_fresh(int slot);
  void damage(int slot, uint32_t step, int which);
  // The loss (mean over the loss steps) and its gradient over the rollout from init_, into
  // grad_ and final_.
  float rollout_loss(int batch, uint32_t step);
  float slot_loss(int slot) const;

  Backend& backend_;
  const Dataset& train_;
  PoolConfig config_;
  uint64_t seed_;
  size_t state_size_;          // H * W * C
  std::vector<float> states_;  // (S, H, W, C)
  std::vector<int> digits_;    // (S) index into the training set
  uint32_t fresh_serial_ = 0;  // fresh samples drawn so far: names their noise
  int last_horizon_ = 0;
  uint32_t step_ = 0;          // the optimiser step being taken (the noise curriculum's clock)
  std::vector<float> init_, clean_, final_, grad_, seg_grad_;
  std::vector<uint8_t> masks_;
};

}  // namespace rrcnn
