// The fast float path of the CPU backend (see fast_model.h for what it does differently from
// Model<float> and why the results agree).
#include "core/fast_model.h"

#include <algorithm>
#include <atomic>
#include <numeric>
#include <utility>

#include "core/cell_math.h"
#include "core/conv_index.h"
#include "core/error.h"
#include "core/ops.h"
#include "core/parallel.h"

namespace rrcnn {
namespace {

// Temporaries of one sample's step, one set per thread (a sample runs on one thread).
struct Scratch {
  std::vector<float> perc, update, delta, dupdate, dact, dact2, dperc, shifted;
  std::vector<std::vector<float>> hidden;
  std::vector<float*> hidden_ptrs;
  std::vector<uint32_t> rows;
  std::vector<uint8_t> keep;
};

Scratch& thread_scratch() {
  thread_local Scratch s;
  return s;
}

// Tap t = (ky, kx) of the 3x3 kernel: the source cell (y, x) reaches output (y - dy, x - dx) in
// the forward convolution and (y + dy, x + dx) in its input gradient, dy = ky - 1, dx = kx - 1.
void tap_offsets(int sign, int (&offset)[9][2]) {
  for (int t = 0; t < 9; ++t) {
    offset[t][0] = sign * (t / 3 - 1);
    offset[t][1] = sign * (t % 3 - 1);
  }
}

}  // namespace

namespace {
std::atomic<int> g_live_tapes{0};
}  // namespace

// A sample's forward pass and backward pass run back to back on one thread, so a tape per
// parallel chunk suffices (45 MB at the seed config) rather than one per sample.
struct FastTape {
  FastTape() { ++g_live_tapes; }
  ~FastTape() { --g_live_tapes; }
  FastTape(const FastTape&) = delete;
  FastTape& operator=(const FastTape&) = delete;
  std::vector<uint32_t> rows;              // (T, N) capacity; step t's kept rows at t * N
  std::vector<int> count;                  // (T) rows per step
  std::vector<size_t> begin;               // (T + 1) prefix sums of count
  std::vector<float> states;               // (T + 1, N, C)
  std::vector<float> perc;                 // (sum of counts, P): the MLP's inputs
  std::vector<std::vector<float>> hidden;  // layer l: (sum of counts, K_l) after relu
};

FastModel::~FastModel() = default;

int FastModel::live_tapes() { return g_live_tapes.load(); }

std::unique_ptr<FastTape> FastModel::take_tape() {
  std::lock_guard<std::mutex> lock(tapes_mutex_);
  if (tapes_.empty()) return std::make_unique<FastTape>();
  std::unique_ptr<FastTape> t = std::move(tapes_.back());
  tapes_.pop_back();
  return t;
}

void FastModel::return_tape(std::unique_ptr<FastTape> tape) {
  std::lock_guard<std::mutex> lock(tapes_mutex_);
  tapes_.push_back(std::move(tape));
}

FastModel::FastModel(const ModelConfig& config, const CpuKernels* kernels)
    : config_(config), layout_(config), cells_(config.cells()) {
  std::vector<int> widths = {config.channels, config.perception};
  for (int w : config.hidden) widths.push_back(w);
  kernels_ = kernels ? kernels : &cpu_kernels_for(widths);
  for (int w : widths)
    RRCNN_CHECK(w % kernels_->width_multiple == 0, "CPU kernels '" << kernels_->isa << "' need widths that are multiples of "
                                                        << kernels_->width_multiple << ", got " << w);
}

void FastModel::prepare_weights(const float* params) {
  params_ = params;
  const int c_n = config_.channels, p_n = config_.perception;
  const float* k = params + layout_.perceive_kernel().offset;  // (3, 3, C, P)
  conv_bwd_.resize(size_t(9) * p_n * c_n);
  // Tap t of the input gradient is K[t]^T at the mirrored offset (the flip is in the offsets,
  // tap_offsets(+1), not in the tap order as in flipped_kernel_index).
  for (int t = 0; t < 9; ++t)
    for (int c = 0; c < c_n; ++c)
      for (int o = 0; o < p_n; ++o)
        conv_bwd_[(size_t(t) * p_n + o) * c_n + c] = k[conv_kernel_index(t, c, o, c_n, p_n)];
  const int layers = config_.num_layers();
  w_t_.resize(layers);
  for (int l = 0; l < layers; ++l) {
    const int in = config_.layer_in(l), out = config_.layer_out(l);
    const float* w = params + layout_.layer_kernel(l).offset;
    w_t_[l].resize(size_t(in) * out);
    for (int i = 0; i < in; ++i)
      for (int o = 0; o < out; ++o) w_t_[l][size_t(o) * in + i] = w[size_t(i) * out + o];
  }
}

void FastModel::perceive_full(const float* s, float* p) const {
  Scratch& ws = thread_scratch();
  ws.rows.resize(cells_);
  std::iota(ws.rows.begin(), ws.rows.end(), 0u);
  std::fill(p, p + size_t(cells_) * config_.perception, 0.0f);
  perceive_delta(ws.rows.data(), cells_, s, p);
}

void FastModel::perceive_delta(const uint32_t* rows, int m, const float* delta, float* p) const {
  ConvScatter a;
  a.height = config_.height;
  a.width = config_.width;
  a.in_width = config_.channels;
  a.out_width = config_.perception;
  a.rows = m;
  a.cells = rows;
  a.x = delta;
  a.taps = params_ + layout_.perceive_kernel().offset;
  tap_offsets(-1, a.offset);
  a.out = p;
  kernels_->conv_scatter(a);
}

void FastModel::mlp_forward(int m, const float* perc_rows, const std::vector<float*>& hidden,
                            float* update) const {
  const int layers = config_.num_layers();
  const float* in = perc_rows;
  for (int l = 0; l < layers; ++l) {
    const bool last = l + 1 == layers;
    const int iw = config_.layer_in(l), ow = config_.layer_out(l);
    float* out = last ? update : hidden[l];
    // Bias after the product, as flax's Conv adds it (and Model<T> does).
    kernels_->gemm(m, ow, iw, in, iw, params_ + layout_.layer_kernel(l).offset, ow, out, ow,
                   last ? Epilogue::kBias : Epilogue::kBiasRelu,
                   params_ + layout_.layer_bias(l).offset);
    in = out;
  }
}

void FastModel::apply_update(const uint32_t* rows, int m, const float* update, bool dropout,
                             float keep_prob, const float* s, float* next, float* delta) const {
  const int c_n = config_.channels;
  const float step = config_.step_size;
  if (next != s) std::copy(s, s + size_t(cells_) * c_n, next);  // dropped: residual(s, 0) == s
  for (int i = 0; i < m; ++i) {
    const size_t o = size_t(rows[i]) * c_n;
    const float* u = update + size_t(i) * c_n;
    float* d = delta + size_t(i) * c_n;
    for (int c = 0; c < c_n; ++c) {
      const float before = s[o + c];
      const float after =
          residual(before, dropout ? dropout_apply(u[c], uint8_t(1), keep_prob) : u[c], step);
      next[o + c] = after;
      d[c] = after - before;
    }
  }
}

void FastModel::rollout(const float* params, int batch, float* state, int n,
                        const LiveDropout& dropout, float* image_trajectory) {
  if (n <= 0 || batch <= 0) return;
  prepare_weights(params);
  const int c_n = config_.channels, p_n = config_.perception;
  const size_t sc = size_t(cells_) * c_n, sp = size_t(cells_) * p_n;
  if (!perception_valid_ || perception_batch_ != batch) {
    perception_.resize(batch * sp);
    perception_valid_ = false;
  }
  const bool refresh = !perception_valid_;
  const int since = refresh ? 0 : steps_since_refresh_;
  const bool masked = dropout.rate > 0.0f;
  const float keep_prob = 1.0f - dropout.rate;
  parallel_for(size_t(batch), 1, [&](size_t b0, size_t b1) {
    Scratch& ws = thread_scratch();
    ws.update.resize(sc);
    ws.delta.resize(sc);
    ws.perc.resize(sp);
    ws.keep.resize(cells_);
    ws.hidden.resize(config_.hidden.size());
    ws.hidden_ptrs.resize(config_.hidden.size());
    for (size_t l = 0; l < ws.hidden.size(); ++l) {
      ws.hidden[l].resize(size_t(cells_) * config_.hidden[l]);
      ws.hidden_ptrs[l] = ws.hidden[l].data();
    }
    std::vector<uint32_t> rows(cells_);
    for (size_t b = b0; b < b1; ++b) {
      float* s = state + b * sc;
      float* p = perception_.data() + b * sp;
      int fresh = since;
      if (refresh) perceive_full(s, p);
      for (int i = 0; i < n; ++i) {
        if (fresh >= kRefreshSteps) {
          perceive_full(s, p);
          fresh = 0;
        }
        int m = 0;
        if (masked) {
          const uint32_t t = dropout.first_step + uint32_t(i);
          for (int cell = 0; cell < cells_; ++cell)
            if (draw_keep(dropout.seed, dropout.episode, t, uint32_t(b), uint32_t(cell), keep_prob))
              rows[m++] = uint32_t(cell);
        } else {
          std::iota(rows.begin(), rows.end(), 0u);
          m = cells_;
        }
        gather_rows<float>(size_t(m), p_n, rows.data(), p, ws.perc.data());
        mlp_forward(m, ws.perc.data(), ws.hidden_ptrs, ws.update.data());
        apply_update(rows.data(), m, ws.update.data(), masked, keep_prob, s, s, ws.delta.data());
        perceive_delta(rows.data(), m, ws.delta.data(), p);
        ++fresh;
        if (image_trajectory) {
          float* out = image_trajectory + (size_t(i) * batch + b) * cells_;
          for (int cell = 0; cell < cells_; ++cell) out[cell] = s[size_t(cell) * c_n + c_n - 1];
        }
      }
    }
  });
  int fresh = since;  // the samples' common refresh counter, replayed
  for (int i = 0; i < n; ++i) fresh = (fresh >= kRefreshSteps ? 0 : fresh) + 1;
  steps_since_refresh_ = fresh;
  perception_valid_ = true;
  perception_batch_ = batch;
}

void FastModel::forward_sample(FastTape& tape, int b, int steps, const float* init,
                               const uint8_t* masks, int batch, float keep_prob) const {
  const int c_n = config_.channels, p_n = config_.perception;
  const size_t sc = size_t(cells_) * c_n, sp = size_t(cells_) * p_n;
  tape.rows.resize(size_t(steps) * cells_);
  tape.count.resize(steps);
  tape.begin.assign(steps + 1, 0);
  for (int t = 0; t < steps; ++t) {
    uint32_t* rows = tape.rows.data() + size_t(t) * cells_;
    if (masks) {
      tape.count[t] = int(kept_rows(cells_, masks + (size_t(t) * batch + b) * cells_, rows));
    } else {
      std::iota(rows, rows + cells_, 0u);
      tape.count[t] = cells_;
    }
    tape.begin[t + 1] = tape.begin[t] + size_t(tape.count[t]);
  }
  const size_t total = tape.begin[steps];
  tape.states.resize((steps + 1) * sc);
  tape.perc.resize(total * p_n);
  tape.hidden.resize(config_.hidden.size());
  for (size_t l = 0; l < tape.hidden.size(); ++l) tape.hidden[l].resize(total * config_.hidden[l]);

  Scratch& ws = thread_scratch();
  ws.perc.resize(sp);  // the full perception p_t of this sample
  ws.update.resize(sc);
  ws.delta.resize(sc);
  std::vector<float*> hidden(tape.hidden.size());
  float* p = ws.perc.data();
  std::copy(init, init + sc, tape.states.begin());
  perceive_full(tape.states.data(), p);
  for (int t = 0; t < steps; ++t) {
    const uint32_t* rows = tape.rows.data() + size_t(t) * cells_;
    const int m = tape.count[t];
    const size_t r0 = tape.begin[t];
    float* perc_rows = tape.perc.data() + r0 * p_n;
    gather_rows<float>(size_t(m), p_n, rows, p, perc_rows);
    for (size_t l = 0; l < hidden.size(); ++l) hidden[l] = tape.hidden[l].data() + r0 * config_.hidden[l];
    mlp_forward(m, perc_rows, hidden, ws.update.data());
    const float* s = tape.states.data() + t * sc;
    float* next = tape.states.data() + (t + 1) * sc;
    apply_update(rows, m, ws.update.data(), masks != nullptr, keep_prob, s, next, ws.delta.data());
    if (t + 1 < steps) perceive_delta(rows, m, ws.delta.data(), p);
  }
}

void FastModel::backward_sample(const FastTape& tape, int steps, const float* clean,
                                float grad_scale, float keep_prob, bool dropout, float* g) const {
  const int c_n = config_.channels, p_n = config_.perception, layers = config_.num_layers();
  const size_t sc = size_t(cells_) * c_n;
  const float step = config_.step_size;
  const bool train_kernel = config_.train_perception;
  std::fill(g, g + layout_.total(), 0.0f);
  Scratch& ws = thread_scratch();
  const int widest = config_.max_width();
  ws.dupdate.resize(sc);
  ws.dact.resize(size_t(cells_) * widest);
  ws.dact2.resize(size_t(cells_) * widest);
  ws.dperc.resize(size_t(cells_) * p_n);
  // dstate holds dL/d state_{t+1} on entry to iteration t (image_mse_backward for this sample).
  std::vector<float>& dstate = ws.delta;
  dstate.assign(sc, 0.0f);
  const float* last = tape.states.data() + steps * sc;
  for (int i = 0; i < cells_; ++i)
    dstate[size_t(i) * c_n + c_n - 1] = grad_scale * (last[size_t(i) * c_n + c_n - 1] - clean[i]);

  ConvScatter conv;
  conv.height = config_.height;
  conv.width = config_.width;
  conv.in_width = p_n;
  conv.out_width = c_n;
  conv.taps = conv_bwd_.data();
  tap_offsets(+1, conv.offset);
  conv.out = dstate.data();
  for (int t = steps - 1; t >= 0; --t) {
    const uint32_t* rows = tape.rows.data() + size_t(t) * cells_;
    const int m = tape.count[t];
    const size_t r0 = tape.begin[t];
    float* du = ws.dupdate.data();
    for (int i = 0; i < m; ++i) {
      const float* dn = dstate.data() + size_t(rows[i]) * c_n;
      float* d = du + size_t(i) * c_n;
      for (int c = 0; c < c_n; ++c)
        d[c] = dropout ? residual_update_grad(dn[c], uint8_t(1), keep_prob, step) : step * dn[c];
    }
    // Walk the MLP backwards; dout = dL/d(pre-activation) of layer l, (m, out_l).
    const float* dout = du;
    for (int l = layers - 1; l >= 0; --l) {
      const int iw = config_.layer_in(l), ow = config_.layer_out(l);
      const float* in = l == 0 ? tape.perc.data() + r0 * p_n
                               : tape.hidden[l - 1].data() + r0 * config_.hidden[l - 1];
      kernels_->gemm_at_acc(iw, ow, m, in, iw, dout, ow, g + layout_.layer_kernel(l).offset,
                            ow);
      float* db = g + layout_.layer_bias(l).offset;
      for (int i = 0; i < m; ++i) {
        const float* row = dout + size_t(i) * ow;
        for (int j = 0; j < ow; ++j) db[j] += row[j];
      }
      if (l > 0) {
        float* din = dout == ws.dact.data() ? ws.dact2.data() : ws.dact.data();
        kernels_->gemm(m, iw, ow, dout, ow, w_t_[l].data(), iw, din, iw, Epilogue::kReluMask, in);
        dout = din;
      } else if (t > 0 || train_kernel) {
        // dL/d state_t = dL/d state_{t+1} (identity path) + the perception's input gradient,
        // whose sources are the kept rows only; the initial state's gradient is never used.
        kernels_->gemm(m, p_n, ow, dout, ow, w_t_[0].data(), p_n, ws.dperc.data(), p_n,
                       Epilogue::kStore, nullptr);
        if (train_kernel) kernel_grad(rows, m, tape.states.data() + size_t(t) * sc, ws.dperc.data(),
                                      g + layout_.perceive_kernel().offset);
        if (t > 0) {
          conv.rows = m;
          conv.cells = rows;
          conv.x = ws.dperc.data();
          kernels_->conv_scatter(conv);
        }
      }
    }
  }
}

void FastModel::kernel_grad(const uint32_t* rows, int m, const float* s, const float* dperc,
                            float* dkernel) const {
  // dK[tap] (C, P) += S_tap^T (C, m) dperc (m, P), where row i of S_tap is the state at the cell
  // tap reads for kept row i (zeros outside the grid): only kept rows have a perception gradient.
  const int c_n = config_.channels, p_n = config_.perception, w = config_.width, h = config_.height;
  std::vector<float>& shifted = thread_scratch().shifted;
  shifted.resize(size_t(m) * c_n);
  for (int tap = 0; tap < 9; ++tap) {
    const int dy = tap / 3 - 1, dx = tap % 3 - 1;
    for (int i = 0; i < m; ++i) {
      const int y = int(rows[i]) / w + dy, x = int(rows[i]) % w + dx;
      float* dst = shifted.data() + size_t(i) * c_n;
      if (y < 0 || y >= h || x < 0 || x >= w) {
        std::fill(dst, dst + c_n, 0.0f);
      } else {
        const float* src = s + (size_t(y) * w + x) * c_n;
        std::copy(src, src + c_n, dst);
      }
    }
    kernels_->gemm_at_acc(c_n, p_n, m, shifted.data(), c_n, dperc, p_n,
                          dkernel + size_t(tap) * c_n * p_n, p_n);
  }
}

float FastModel::loss_and_grad(const float* params, int batch, int steps, const float* init_state,
                               const float* clean, const uint8_t* masks, float keep_prob,
                               float* grad, float* final_state) {
  RRCNN_CHECK(steps >= 1, "loss_and_grad: needs at least one step, got " << steps);
  prepare_weights(params);
  const int c_n = config_.channels;
  const size_t sc = size_t(cells_) * c_n;
  grad_parts_.resize(batch);
  for (auto& g : grad_parts_) g.resize(layout_.total());
  const size_t n_total = size_t(batch) * cells_;
  const float grad_scale = 2.0f / float(n_total);  // as image_mse_backward
  std::vector<double> sq(batch, 0.0);
  parallel_for(size_t(batch), 1, [&](size_t b0, size_t b1) {
    std::unique_ptr<FastTape> owned = take_tape();
    FastTape& tape = *owned;
    for (size_t b = b0; b < b1; ++b) {
      forward_sample(tape, int(b), steps, init_state + b * sc, masks, batch, keep_prob);
      const float* last = tape.states.data() + size_t(steps) * sc;
      if (final_state) std::copy(last, last + sc, final_state + b * sc);
      const float* y = clean + b * cells_;
      double sum = 0;
      for (int i = 0; i < cells_; ++i) {
        const double d = double(last[size_t(i) * c_n + c_n - 1]) - double(y[i]);
        sum += d * d;
      }
      sq[b] = sum;
      backward_sample(tape, steps, y, grad_scale, keep_prob, masks != nullptr,
                      grad_parts_[b].data());
    }
    return_tape(std::move(owned));  // for the next chunk or call (an exception frees it)
  });
  // Per-sample sums in sample order: the result does not depend on the thread count.
  std::fill(grad, grad + layout_.total(), 0.0f);
  double sum = 0;
  for (int b = 0; b < batch; ++b) {
    sum += sq[b];
    const std::vector<float>& g = grad_parts_[b];
    for (size_t i = layout_.trained_offset(); i < g.size(); ++i) grad[i] += g[i];
  }
  return float(sum / double(n_total));
}

}  // namespace rrcnn
