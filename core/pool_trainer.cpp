// Sample-pool training (see pool_trainer.h). Every random choice is a counter-based draw keyed
// by (seed, step) or by the fresh-sample serial, so a resumed run with its pool file continues
// bit for bit.
#include "core/pool_trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <numeric>
#include <sstream>
#include <sys/stat.h>
#include <utility>

#include "core/brush.h"
#include "core/cell_math.h"
#include "core/error.h"
#include "core/noise.h"
#include "core/rng.h"
#include "core/safetensors.h"

namespace rrcnn {
namespace {

// Fresh samples' noise comes from a seed of its own, so it never repeats a training batch's.
constexpr uint64_t kFreshNoiseSalt = 0x632BE59BD9B4E019ull;
constexpr uint64_t kDamageNoiseSalt = 0x8CB92BA72F3D8DD7ull;
// Sub-streams of RngStream::kPool, in the draw's `step` slot.
enum : uint32_t { kPick = 0, kFreshDigit = 1, kHorizon = 2, kDamagePlace = 3, kDamageShape = 4,
                  kFreshAlpha = 5 };

uint64_t wide(const Philox4& r) { return (uint64_t(r.v[0]) << 32) | r.v[1]; }

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

DamageMode parse_damage_mode(const std::string& name) {
  if (name == "erase") return DamageMode::kErase;
  if (name == "noise") return DamageMode::kNoise;
  if (name == "mixed") return DamageMode::kMixed;
  if (name == "brushes") return DamageMode::kBrushes;
  RRCNN_FAIL("unknown damage mode '" << name << "' (choose erase, noise, mixed or brushes)");
}

const char* damage_mode_name(DamageMode mode) {
  switch (mode) {
    case DamageMode::kErase: return "erase";
    case DamageMode::kNoise: return "noise";
    case DamageMode::kMixed: return "mixed";
    case DamageMode::kBrushes: return "brushes";
  }
  return "?";
}

void parse_range(const std::string& text, const std::string& what, int* lo, int* hi) {
  const size_t dots = text.find("..");
  try {
    size_t used = 0;
    if (dots == std::string::npos) {
      *lo = *hi = std::stoi(text, &used);
      RRCNN_CHECK(used == text.size(), "");
    } else {
      *lo = std::stoi(text.substr(0, dots), &used);
      RRCNN_CHECK(used == dots, "");
      *hi = std::stoi(text.substr(dots + 2), &used);
      RRCNN_CHECK(used == text.size() - dots - 2, "");
    }
  } catch (const std::exception&) {
    RRCNN_FAIL(what << " '" << text << "' is not a number or a range like 64..96");
  }
  RRCNN_CHECK(*lo >= 1 && *hi >= *lo, what << " '" << text << "' must be a range lo..hi with 1 <= lo <= hi");
}

void parse_brush_mix(const std::string& text, const std::string& what, int out[3]) {
  int v[3] = {0, 0, 0};
  size_t pos = 0;
  for (int k = 0; k < 3; ++k) {
    const size_t end = k < 2 ? text.find(',', pos) : text.size();
    const std::string part = end == std::string::npos ? "" : text.substr(pos, end - pos);
    char* stop = nullptr;
    const long n = part.empty() ? -1 : std::strtol(part.c_str(), &stop, 10);
    RRCNN_CHECK(!part.empty() && *stop == '\0' && n >= 0 && n <= 1000 && (k < 2 || end == text.size()),
                what << " '" << text << "' must be three weights E,S,N in 0..1000 (erase discs, erase strokes, noise discs)");
    v[k] = int(n);
    pos = end + 1;
  }
  RRCNN_CHECK(v[0] + v[1] + v[2] > 0, what << " '" << text << "' has no weight above 0");
  std::copy(v, v + 3, out);
}

std::string brush_mix_text(const int mix[3]) {
  return std::to_string(mix[0]) + "," + std::to_string(mix[1]) + "," + std::to_string(mix[2]);
}

void PoolConfig::validate(int batch) const {
  RRCNN_CHECK(pool_size >= batch, "pool size " << pool_size << " must be at least the batch (" << batch << ")");
  RRCNN_CHECK(replace >= 0 && replace <= batch, "pool replace " << replace << " must be in 0.." << batch);
  RRCNN_CHECK(horizon_min >= 1 && horizon_max >= horizon_min && horizon_max <= 100000,
              "horizon " << horizon_min << ".." << horizon_max << " must satisfy 1 <= lo <= hi");
  RRCNN_CHECK(damage >= 0 && damage <= batch - replace,
              "damage " << damage << " must be in 0.." << batch - replace
                        << " (the batch less the replaced samples)");
  RRCNN_CHECK(damage_radius >= 1 && damage_radius <= 64, "damage radius " << damage_radius << " must be in 1..64");
  RRCNN_CHECK(damage_radius_min >= 0 && damage_radius_min <= damage_radius,
              "damage radius range " << damage_radius_min << ".." << damage_radius << " must satisfy 1 <= lo <= hi");
  RRCNN_CHECK(stroke_length_min >= 1 && stroke_length_max >= stroke_length_min && stroke_length_max <= 1000,
              "stroke length " << stroke_length_min << ".." << stroke_length_max << " must satisfy 1 <= lo <= hi <= 1000");
  RRCNN_CHECK(brush_mix[0] >= 0 && brush_mix[1] >= 0 && brush_mix[2] >= 0 && brush_mix[0] <= 1000 &&
                  brush_mix[1] <= 1000 && brush_mix[2] <= 1000 && brush_mix[0] + brush_mix[1] + brush_mix[2] > 0,
              "brush mix " << brush_mix_text(brush_mix) << " must be three weights in 0..1000, not all 0");
  RRCNN_CHECK(loss_steps >= 1 && loss_spacing >= 1 && int64_t(loss_steps - 1) * loss_spacing < horizon_min,
              "loss over " << loss_steps << " steps " << loss_spacing << " apart needs a horizon of at least "
                           << int64_t(loss_steps - 1) * loss_spacing + 1 << " steps (the horizon starts at "
                           << horizon_min << ")");
  RRCNN_CHECK(noise_start >= 0.0f && noise_start <= 1.0f, "noise curriculum start " << noise_start << " must be in [0, 1]");
  RRCNN_CHECK(noise_ramp >= 0, "noise curriculum length " << noise_ramp << " must be at least 0");
}

std::string PoolConfig::describe() const {
  std::ostringstream os;
  os << "pool " << pool_size << ", replace " << replace << ", horizon " << horizon_min;
  if (horizon_max != horizon_min) os << ".." << horizon_max;
  if (damage > 0) {
    os << ", damage " << damage << " " << damage_mode_name(damage_mode) << " r";
    if (damage_radius_min > 0 && damage_radius_min != damage_radius) os << damage_radius_min << "..";
    os << damage_radius;
    if (damage_mode == DamageMode::kBrushes) {
      os << " strokes " << stroke_length_min << ".." << stroke_length_max;
      if (!brush_mix_is_default())
        os << " mix " << brush_mix[0] << ":" << brush_mix[1] << ":" << brush_mix[2];
    }
  }
  if (loss_steps > 1) os << ", loss mean of " << loss_steps << " steps " << loss_spacing << " apart";
  if (noise_ramp > 0 && noise_start < 1.0f) os << ", noise curriculum " << noise_start << "..1 over " << noise_ramp << " steps";
  return os.str();
}

PoolTrainer::PoolTrainer(Backend& backend, const Dataset& train, const PoolConfig& config,
                         uint64_t seed)
    : backend_(backend), train_(train), config_(config), seed_(seed) {
  const ModelConfig& c = backend.config();
  RRCNN_CHECK(train.height == c.height && train.width == c.width,
              "pool training: the data's " << train.height << "x" << train.width
                                           << " images do not fit the model's " << c.height << "x" << c.width << " grid");
  RRCNN_CHECK(train.count() >= 1, "pool training: the training set is empty");
  config_.validate(backend.train_config().batch);
  state_size_ = size_t(c.cells()) * c.channels;
  states_.assign(size_t(config_.pool_size) * state_size_, 0.0f);
  digits_.assign(config_.pool_size, 0);
  for (int s = 0; s < config_.pool_size; ++s) fill_fresh(s);
}

// A new clean digit and a new noisy start (noise level ~ U(0, 1) as in training), hidden 0.
void PoolTrainer::fill_fresh(int slot) {
  const ModelConfig& c = backend_.config();
  const uint32_t serial = fresh_serial_++;
  const Philox4 r = rng_draw(rng_key(seed_, RngStream::kPool), serial, kFreshDigit, 0, 0);
  const int digit = int(wide(r) % uint64_t(train_.count()));
  digits_[slot] = digit;
  std::vector<float> noisy(c.cells());
  float alpha = -1.0f;  // U(0, 1) per sample, as the reference recipe draws it
  if (config_.noise_ramp > 0 && step_ < uint32_t(config_.noise_ramp) && config_.noise_start < 1.0f) {
    const float cap = config_.noise_start + (1.0f - config_.noise_start) * float(step_) / float(config_.noise_ramp);
    alpha = cap * sample_alpha(-1.0f, seed_ ^ kFreshNoiseSalt, serial, 0);
  }
  make_noisy_batch(train_.image(digit), 1, c.cells(), alpha, seed_ ^ kFreshNoiseSalt, serial, noisy.data());
  float* s = states_.data() + size_t(slot) * state_size_;
  std::fill(s, s + state_size_, 0.0f);
  for (int i = 0; i < c.cells(); ++i) s[size_t(i) * c.channels + c.channels - 1] = noisy[i];
}

// Damage centred on an ink pixel of the clean digit 3 times in 4 (what a user erases) and
// anywhere otherwise, made with the studio's brushes (core/brush.h): a disc of damage_radius
// cells (or a radius from the range) zeroed in every channel (erase) or given N(0, 1) noise in
// the image channel (noise), or in `brushes` mode an erase stroke at any angle as well.
void PoolTrainer::damage(int slot, uint32_t step, int which) {
  const ModelConfig& c = backend_.config();
  const RngKey key = rng_key(seed_, RngStream::kPool);
  const Philox4 r = rng_draw(key, step, kDamagePlace, uint32_t(which), 0);
  const float* clean = train_.image(digits_[slot]);
  std::vector<int> ink;
  for (int i = 0; i < c.cells(); ++i)
    if (clean[i] > 0.5f) ink.push_back(i);
  const bool on_ink = !ink.empty() && rng_uniform(r.v[0]) < 0.75f;
  const int cell = on_ink ? ink[r.v[1] % ink.size()] : int(r.v[1] % uint32_t(c.cells()));
  BrushMode mode = config_.damage_mode == DamageMode::kNoise ? BrushMode::kNoise : BrushMode::kErase;
  if (config_.damage_mode == DamageMode::kMixed) mode = (r.v[2] & 1u) == 0 ? BrushMode::kErase : BrushMode::kNoise;
  float radius = float(config_.damage_radius), length = 0.0f, angle = 0.0f;
  // Shapes beyond the plain recipe's fixed disc take a draw of their own, so the plain recipe's
  // draws stay as they were.
  const bool ranged = config_.damage_radius_min > 0 && config_.damage_radius_min != config_.damage_radius;
  if (ranged || config_.damage_mode == DamageMode::kBrushes) {
    const Philox4 q = rng_draw(key, step, kDamageShape, uint32_t(which), 0);
    if (ranged)
      radius = float(config_.damage_radius_min) +
               rng_uniform(q.v[0]) * float(config_.damage_radius - config_.damage_radius_min);
    if (config_.damage_mode == DamageMode::kBrushes) {
      // Erase disc, erase stroke, noise disc by their weights; 1:1:1 is the old `% 3`.
      // Reduced by their common divisor, so only the ratio counts (3:3:3 draws as 1:1:1).
      const int g = std::gcd(std::gcd(config_.brush_mix[0], config_.brush_mix[1]), config_.brush_mix[2]);
      const int mix[3] = {config_.brush_mix[0] / g, config_.brush_mix[1] / g, config_.brush_mix[2] / g};
      const uint32_t pick = q.v[1] % uint32_t(mix[0] + mix[1] + mix[2]);
      const uint32_t kind = pick < uint32_t(mix[0]) ? 0u : pick < uint32_t(mix[0] + mix[1]) ? 1u : 2u;
      mode = kind == 2 ? BrushMode::kNoise : BrushMode::kErase;
      if (kind == 1) {
        length = float(config_.stroke_length_min) +
                 float(q.v[2] % uint32_t(config_.stroke_length_max - config_.stroke_length_min + 1));
        angle = rng_uniform(q.v[3]) * 3.14159265f;
        radius = 1.0f + 1.5f * rng_uniform(r.v[3]);
      }
    }
  }
  // The studio's erase and noise brushes, so training damage is what a user does.
  BrushStroke stroke = centred_stroke(0, cell % c.width, cell / c.width, length, angle, radius, mode, 1.0f);
  stroke.serial = step;
  const RngKey noise_key = rng_key(seed_ ^ kDamageNoiseSalt, RngStream::kBrush);
  float* s = states_.data() + size_t(slot) * state_size_;
  for (int y = 0; y < c.height; ++y)
    for (int x = 0; x < c.width; ++x)
      if (brush_covers(stroke, x, y))
        brush_apply_cell(stroke, noise_key, which, x, y, c.width, c.channels,
                         s + (size_t(y) * c.width + x) * c.channels);
}

float PoolTrainer::slot_loss(int slot) const {
  const ModelConfig& c = backend_.config();
  const float* s = states_.data() + size_t(slot) * state_size_;
  const float* y = train_.image(digits_[slot]);
  double sum = 0;
  for (int i = 0; i < c.cells(); ++i) {
    const double d = double(s[size_t(i) * c.channels + c.channels - 1]) - y[i];
    sum += d * d;
  }
  const double mse = sum / c.cells();
  return std::isfinite(mse) ? float(mse) : INFINITY;  // a blown-up state is the worst
}

TrainStepResult PoolTrainer::train_step(uint32_t step) {
  const ModelConfig& c = backend_.config();
  const int batch = backend_.train_config().batch;
  config_.validate(batch);
  const RngKey key = rng_key(seed_, RngStream::kPool);
  step_ = step;

  // Distinct slots by a partial Fisher-Yates shuffle.
  std::vector<int> order(config_.pool_size);
  std::iota(order.begin(), order.end(), 0);
  for (int b = 0; b < batch; ++b) {
    const Philox4 r = rng_draw(key, step, kPick, uint32_t(b), 0);
    std::swap(order[b], order[b + int(wide(r) % uint64_t(config_.pool_size - b))]);
  }
  std::vector<int> slots(order.begin(), order.begin() + batch);

  // Work on copies so a diverged step leaves the pool untouched.
  const std::vector<float> saved_states = [&] {
    std::vector<float> v(size_t(batch) * state_size_);
    for (int b = 0; b < batch; ++b)
      std::copy_n(states_.begin() + size_t(slots[b]) * state_size_, state_size_, v.begin() + b * state_size_);
    return v;
  }();
  std::vector<int> saved_digits(batch);
  for (int b = 0; b < batch; ++b) saved_digits[b] = digits_[slots[b]];
  const uint32_t saved_serial = fresh_serial_;
  auto restore = [&] {
    for (int b = 0; b < batch; ++b) {
      std::copy_n(saved_states.begin() + b * state_size_, state_size_,
                  states_.begin() + size_t(slots[b]) * state_size_);
      digits_[slots[b]] = saved_digits[b];
    }
    fresh_serial_ = saved_serial;
  };

  // Rank by current loss: the worst start over, the best continuing ones get damaged.
  std::vector<float> loss(batch);
  for (int b = 0; b < batch; ++b) loss[b] = slot_loss(slots[b]);
  std::vector<int> rank(batch);
  std::iota(rank.begin(), rank.end(), 0);
  std::stable_sort(rank.begin(), rank.end(), [&](int a, int b) { return loss[a] > loss[b]; });
  for (int i = 0; i < config_.replace; ++i) fill_fresh(slots[rank[i]]);
  for (int i = 0; i < config_.damage; ++i) damage(slots[rank[batch - 1 - i]], step, i);

  last_horizon_ = config_.horizon_min +
                  int(wide(rng_draw(key, step, kHorizon, 0, 0)) %
                      uint64_t(config_.horizon_max - config_.horizon_min + 1));
  init_.resize(size_t(batch) * state_size_);
  clean_.resize(size_t(batch) * c.cells());
  for (int b = 0; b < batch; ++b) {
    std::copy_n(states_.begin() + size_t(slots[b]) * state_size_, state_size_, init_.begin() + b * state_size_);
    std::copy_n(train_.image(digits_[slots[b]]), c.cells(), clean_.begin() + size_t(b) * c.cells());
  }
  masks_.clear();
  if (c.dropout_rate > 0.0f) {
    masks_.resize(size_t(last_horizon_) * batch * c.cells());
    make_keep_masks(batch, c.cells(), 0, last_horizon_, c.dropout_rate, seed_, step, masks_.data());
  }
  TrainStepResult r;
  try {
    const float l = rollout_loss(batch, step);
    RRCNN_CHECK_DIVERGED(std::isfinite(l), "training diverged: loss is " << l << " at optimiser step "
                                                                          << step << " (lower the learning rate)");
    RRCNN_CHECK_DIVERGED(std::all_of(grad_.begin(), grad_.end(), [](float v) { return std::isfinite(v); }),
                         "training diverged: the gradient is not finite at optimiser step "
                             << step << " (lower the learning rate)");
    r = backend_.apply_gradients(grad_);
    r.loss = l;
  } catch (...) {
    restore();
    throw;
  }
  for (int b = 0; b < batch; ++b)
    std::copy_n(final_.begin() + b * state_size_, state_size_, states_.begin() + size_t(slots[b]) * state_size_);
  return r;
}

float PoolTrainer::rollout_loss(int batch, uint32_t step) {
  if (config_.loss_steps <= 1)
    return backend_.loss_and_grad(init_, clean_, batch, last_horizon_, masks_, grad_, &final_);
  // Segments ending at each loss step; each continues from the state the previous one left.
  const ModelConfig& c = backend_.config();
  const size_t mask_step = size_t(batch) * c.cells();
  std::vector<float> seg_init = init_;
  std::vector<uint8_t> seg_masks;
  double loss = 0;
  int done = 0;
  grad_.assign(backend_.layout().total(), 0.0f);
  const float w = 1.0f / float(config_.loss_steps);
  for (int j = config_.loss_steps - 1; j >= 0; --j) {
    const int end = last_horizon_ - j * config_.loss_spacing, len = end - done;
    if (!masks_.empty())
      seg_masks.assign(masks_.begin() + done * mask_step, masks_.begin() + end * mask_step);
    const float l = backend_.loss_and_grad(seg_init, clean_, batch, len, seg_masks, seg_grad_, &final_);
    RRCNN_CHECK_DIVERGED(std::isfinite(l), "training diverged: loss is " << l << " at rollout step " << end
                                                                          << " of optimiser step " << step
                                                                          << " (lower the learning rate)");
    for (size_t i = 0; i < grad_.size(); ++i) grad_[i] += w * seg_grad_[i];
    loss += double(l) / config_.loss_steps;
    seg_init = final_;
    done = end;
  }
  return float(loss);
}

void PoolTrainer::save(const std::string& path) const {
  const ModelConfig& c = backend_.config();
  StFile f;
  f.metadata["format"] = "rrcnn-pool";
  f.metadata["fresh_serial"] = std::to_string(fresh_serial_);
  f.metadata["config"] = config_.describe();
  StTensor s;
  s.shape = {config_.pool_size, c.height, c.width, c.channels};
  s.data = states_;
  StTensor d;
  d.shape = {config_.pool_size};
  d.data.assign(digits_.begin(), digits_.end());  // exact: indices < 2^24
  f.tensors.push_back({"pool.states", std::move(s)});
  f.tensors.push_back({"pool.digits", std::move(d)});
  write_safetensors(path, f);
}

bool PoolTrainer::load(const std::string& path) {
  if (!file_exists(path)) return false;
  const ModelConfig& c = backend_.config();
  const StFile f = read_safetensors(path);
  const auto it = f.metadata.find("format");
  RRCNN_CHECK(it != f.metadata.end() && it->second == "rrcnn-pool", path << ": not a sample-pool file");
  const StTensor* s = f.find("pool.states");
  const StTensor* d = f.find("pool.digits");
  RRCNN_CHECK(s && d, path << ": pool file lacks pool.states or pool.digits");
  RRCNN_CHECK(s->shape == std::vector<int>({config_.pool_size, c.height, c.width, c.channels}) &&
                  d->shape == std::vector<int>({config_.pool_size}),
              path << ": pool of a different size or model (expected " << config_.pool_size << " states of "
                   << c.height << "x" << c.width << "x" << c.channels << ")");
  std::vector<int> digits(config_.pool_size);
  for (int i = 0; i < config_.pool_size; ++i) {
    const float v = d->data[i];
    RRCNN_CHECK(v >= 0 && v < float(train_.count()) && v == std::floor(v),
                path << ": pool digit " << i << " is not an index into the training set");
    digits[i] = int(v);
  }
  const auto serial = f.metadata.find("fresh_serial");
  RRCNN_CHECK(serial != f.metadata.end(), path << ": pool file lacks fresh_serial");
  try {
    fresh_serial_ = uint32_t(std::stoul(serial->second));
  } catch (const std::exception&) {
    RRCNN_FAIL(path << ": pool file's fresh_serial '" << serial->second << "' is not a number");
  }
  states_ = s->data;
  digits_ = std::move(digits);
  return true;
}

}  // namespace rrcnn
