// Sample-pool training (see pool_trainer.h). Every random choice is a counter-based draw keyed
// by (seed, step) or by the fresh-sample serial, so a resumed run with its pool file continues
// bit for bit.
#include "core/pool_trainer.h"

#include <algorithm>
#include <cmath>
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
enum : uint32_t { kPick = 0, kFreshDigit = 1, kHorizon = 2, kDamagePlace = 3 };

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
  RRCNN_FAIL("unknown damage mode '" << name << "' (choose erase, noise or mixed)");
}

const char* damage_mode_name(DamageMode mode) {
  switch (mode) {
    case DamageMode::kErase: return "erase";
    case DamageMode::kNoise: return "noise";
    case DamageMode::kMixed: return "mixed";
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

void PoolConfig::validate(int batch) const {
  RRCNN_CHECK(pool_size >= batch, "pool size " << pool_size << " must be at least the batch (" << batch << ")");
  RRCNN_CHECK(replace >= 0 && replace <= batch, "pool replace " << replace << " must be in 0.." << batch);
  RRCNN_CHECK(horizon_min >= 1 && horizon_max >= horizon_min && horizon_max <= 100000,
              "horizon " << horizon_min << ".." << horizon_max << " must satisfy 1 <= lo <= hi");
  RRCNN_CHECK(damage >= 0 && damage <= batch - replace,
              "damage " << damage << " must be in 0.." << batch - replace
                        << " (the batch less the replaced samples)");
  RRCNN_CHECK(damage_radius >= 1 && damage_radius <= 64, "damage radius " << damage_radius << " must be in 1..64");
}

std::string PoolConfig::describe() const {
  std::ostringstream os;
  os << "pool " << pool_size << ", replace " << replace << ", horizon " << horizon_min;
  if (horizon_max != horizon_min) os << ".." << horizon_max;
  if (damage > 0) os << ", damage " << damage << " " << damage_mode_name(damage_mode) << " r" << damage_radius;
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
  make_noisy_batch(train_.image(digit), 1, c.cells(), -1.0f, seed_ ^ kFreshNoiseSalt, serial, noisy.data());
  float* s = states_.data() + size_t(slot) * state_size_;
  std::fill(s, s + state_size_, 0.0f);
  for (int i = 0; i < c.cells(); ++i) s[size_t(i) * c.channels + c.channels - 1] = noisy[i];
}

// A disc of damage_radius cells, centred on an ink pixel of the clean digit 3 times in 4 (what
// a user erases) and anywhere otherwise: zeroed in every channel (erase) or given N(0, 1) noise
// in the image channel (noise), exactly as the studio's brushes do.
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
  bool erase = config_.damage_mode == DamageMode::kErase;
  if (config_.damage_mode == DamageMode::kMixed) erase = (r.v[2] & 1u) == 0;
  // The studio's erase and noise brushes, so training damage is what a user does.
  BrushStroke disc;
  disc.x0 = disc.x1 = float(cell % c.width) + 0.5f;
  disc.y0 = disc.y1 = float(cell / c.width) + 0.5f;
  disc.radius = float(config_.damage_radius);
  disc.mode = erase ? BrushMode::kErase : BrushMode::kNoise;
  disc.strength = 1.0f;
  disc.serial = step;
  const RngKey noise_key = rng_key(seed_ ^ kDamageNoiseSalt, RngStream::kBrush);
  float* s = states_.data() + size_t(slot) * state_size_;
  for (int y = 0; y < c.height; ++y)
    for (int x = 0; x < c.width; ++x)
      if (brush_covers(disc, x, y))
        brush_apply_cell(disc, noise_key, which, x, y, c.width, c.channels,
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
    const float l = backend_.loss_and_grad(init_, clean_, batch, last_horizon_, masks_, grad_, &final_);
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
