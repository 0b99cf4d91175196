// CudaBackend: the Backend on one CUDA device. Host-side orchestration only (the kernels are in
// the .cu files, the model sequence in model_cuda.cpp).
//
// Memory policy. Parameters, gradient and Adam moments live on the device for the backend's
// lifetime (one flat buffer each, in the ParamLayout order, so params()/set_params() are one
// copy). The live batch is one (B, H, W, C) buffer updated in place, step after step. Training
// keeps every activation of the rollout for BPTT (see model_cuda.h: ~0.6 GB at the seed config).
// Buffers only grow. Host inputs go through a pinned staging buffer fenced by an event, so an
// upload never waits for the GPU unless the previous upload is still in flight.
//
// Synchronisation. step() only enqueues (it waits only to hand back an image trajectory);
// train_step() enqueues the whole optimiser step and waits once at the end to read the loss
// and norm. Nothing inside a rollout or a train step talks to the host.
//
// CUDA graphs. The live step (mask draw, perception, MLP, dropout-residual, step counter) is
// captured once as a graph and relaunched n times; the whole train step (noise, masks, 64-step
// forward, loss, BPTT, norm, clip, Adam) is one graph. Per-call values (seed, episode, step,
// learning rate, bias corrections) are read by the kernels from a small device struct written
// before the launch, so graphs are re-captured only when a shape, the dropout rate, TF32 or a
// buffer address changes. The first call after such a change runs directly (warm-up), the
// second captures. If capture fails the backend warns and launches directly (for good after
// two failures). set_use_graphs(false) launches the same kernels one by one.
#include "gpu/cuda_backend.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/init.h"
#include "core/optimizer.h"
#include "gpu/cuda_check.h"
#include "gpu/cuda_handles.h"
#include "gpu/device_buffer.h"
#include "gpu/model_cuda.h"
#include "gpu/ops_cuda.h"

namespace rrcnn {
namespace {

constexpr size_t kCublasWorkspace = size_t(32) << 20;  // NVIDIA's advice for Hopper
constexpr int kTrajectoryChunk = 256;                   // steps per trajectory read-back

// What a captured graph baked in; a graph is reused only while all of it is unchanged.
struct GraphKey {
  bool valid = false;
  int batch = 0, steps = 0;
  float keep_prob = 1;
  bool dropout = false, tf32 = false;
  uint64_t generation = 0;
  const void* buffers[2] = {nullptr, nullptr};
  bool operator==(const GraphKey& o) const {
    return valid == o.valid && batch == o.batch && steps == o.steps && keep_prob == o.keep_prob &&
           dropout == o.dropout && tf32 == o.tf32 && generation == o.generation &&
           buffers[0] == o.buffers[0] && buffers[1] == o.buffers[1];
  }
};

}  // namespace

struct CudaBackend::Impl {
  Impl(const ModelConfig& config, int dev) : device(dev), model(config) {}

  int device;
  CudaDeviceInfo info;
  CudaStream stream;
  DeviceBuffer<unsigned char> cublas_workspace;  // before the handle: freed after it
  CublasHandle cublas;
  cuda::CudaModel model;
  DeviceBuffer<float> params, grad, mu, nu;          // full layout; mu, nu: the trained tail
  DeviceBuffer<float> live_state, live_scratch, trajectory;
  DeviceBuffer<uint8_t> live_keep;
  DeviceBuffer<cuda::DeviceArgs> live_args, train_args;
  DeviceBuffer<double> norm_partials;
  PinnedBuffer<cuda::DeviceArgs> readback;
  PinnedBuffer<unsigned char> staging;
  CudaEvent staging_fence;
  bool use_graphs = true, graphs_failed = false, tf32 = false;
  int capture_failures = 0;
  int64_t captures = 0;  // successful graph captures, for the tests of re-capture
  int64_t adam_step = 0;
  bool adam_moments = false;  // false: a fresh optimiser (moments zero, adam_state() empty)
  GraphKey live_key, train_key;
  CudaGraphExec live_graph, train_graph;  // last: destroyed first

  cudaStream_t s() const { return stream.get(); }

  void ensure_device() const {
    int current = -1;
    RRCNN_CUDA_CHECK(cudaGetDevice(&current));
    if (current != device) RRCNN_CUDA_CHECK(cudaSetDevice(device));
  }

  // Room for a live batch of `cells` cells, all or nothing: whatever must grow is allocated
  // first and swapped in only when every allocation succeeded, so an out-of-memory error leaves
  // the current batch intact (Backend then keeps its old batch size). The state keeps its
  // contents, so the current batch stays valid until the caller overwrites it.
  void reserve_live(size_t cells, int channels) {
    const size_t count = cells * size_t(channels);
    DeviceBuffer<float> state, scratch;
    DeviceBuffer<uint8_t> keep;
    if (live_state.capacity() < count) state = DeviceBuffer<float>::allocate(count);
    if (live_scratch.capacity() < cells) scratch = DeviceBuffer<float>::allocate(cells);
    if (live_keep.capacity() < cells) keep = DeviceBuffer<uint8_t>::allocate(cells);
    if (state) {
      if (live_state.capacity())
        RRCNN_CUDA_CHECK(cudaMemcpyAsync(state.get(), live_state.get(),
                                         live_state.capacity() * sizeof(float),
                                         cudaMemcpyDeviceToDevice, s()));
      live_state.adopt(std::move(state), s());
    }
    if (scratch) live_scratch.adopt(std::move(scratch), s());
    if (keep) live_keep.adopt(std::move(keep), s());
  }

  void upload(void* dst, const void* src, size_t bytes) {
    if (bytes == 0) return;
    RRCNN_CUDA_CHECK(cudaEventSynchronize(staging_fence.get()));  // staging free again
    staging.reserve(bytes);  // the fence above: no copy reads the old staging any more
    std::memcpy(staging.get(), src, bytes);
    RRCNN_CUDA_CHECK(cudaMemcpyAsync(dst, staging.get(), bytes, cudaMemcpyHostToDevice, s()));
    RRCNN_CUDA_CHECK(cudaEventRecord(staging_fence.get(), s()));
  }

  void download(void* dst, const void* src, size_t bytes) {
    if (bytes == 0) return;
    RRCNN_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, s()));
    RRCNN_CUDA_CHECK(cudaStreamSynchronize(s()));
  }

  cuda::DeviceArgs read_args(const cuda::DeviceArgs* args) {
    RRCNN_CUDA_CHECK(cudaMemcpyAsync(readback.get(), args, sizeof(cuda::DeviceArgs),
                                     cudaMemcpyDeviceToHost, s()));
    RRCNN_CUDA_CHECK(cudaStreamSynchronize(s()));
    return *readback.get();
  }

  // Captures `body` into `exec`; false (with the reason) when the stream cannot be captured.
  bool capture(const std::function<void()>& body, CudaGraphExec& exec, std::string* why) {
    RRCNN_CUDA_CHECK(cudaStreamBeginCapture(s(), cudaStreamCaptureModeThreadLocal));
    try {
      body();
    } catch (const std::exception& e) {
      CudaGraph broken;
      cudaStreamEndCapture(s(), broken.out());
      cudaGetLastError();
      *why = e.what();
      return false;
    }
    CudaGraph graph;
    cudaError_t e = cudaStreamEndCapture(s(), graph.out());
    cudaGraphExec_t instance = nullptr;
    if (e == cudaSuccess) e = cudaGraphInstantiate(&instance, graph.get(), 0);
    if (e != cudaSuccess) {
      cudaGetLastError();
      *why = std::string(cudaGetErrorName(e)) + ": " + cudaGetErrorString(e);
      return false;
    }
    exec.reset(instance);
    ++captures;
    return true;
  }

  // Runs `body` through the graph cached under `key`, or directly when graphs are off. Policy:
  // the first call with a new key runs directly (a warm-up: modules load lazily, cuBLAS picks
  // its kernels), the second captures and launches, later ones only launch. A failed capture
  // runs the body directly; after two failures graphs stay off for this backend.
  void run(CudaGraphExec& exec, GraphKey& key, GraphKey want, const std::function<void()>& body) {
    if (!use_graphs || graphs_failed) {
      body();
      return;
    }
    want.valid = true;
    want.tf32 = tf32;
    if (!(key == want)) {
      if (exec) RRCNN_CUDA_CHECK(cudaStreamSynchronize(s()));  // no launch of it in flight
      exec.reset();
      key = want;
      body();
      return;
    }
    if (!exec) {
      std::string why;
      if (!capture(body, exec, &why)) {
        if (++capture_failures >= 2) graphs_failed = true;
        std::fprintf(stderr, "rrcnn: warning: CUDA graph capture failed (%s); %s\n", why.c_str(),
                     graphs_failed ? "launching kernels one by one from now on"
                                   : "launching directly this time");
        body();
        return;
      }
    }
    RRCNN_CUDA_CHECK(cudaGraphLaunch(exec.get(), s()));
  }

  void invalidate_graphs() {
    RRCNN_CUDA_CHECK(cudaStreamSynchronize(s()));
    live_graph.reset();
    train_graph.reset();
    live_key = GraphKey{};
    train_key = GraphKey{};
  }
};

CudaBackend::CudaBackend(const ModelConfig& config, int device) : Backend(config) {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) cudaGetLastError();
  RRCNN_CHECK(e == cudaSuccess && count > 0,
              "CUDA backend: no CUDA device ("
                  << (e == cudaSuccess ? "none found" : cudaGetErrorString(e)) << ")");
  RRCNN_CHECK(device >= 0 && device < count,
              "CUDA backend: device " << device << " does not exist (" << count << " found)");
  RRCNN_CUDA_CHECK(cudaSetDevice(device));
  std::string why;
  RRCNN_CHECK(cuda::kernels_loadable(&why), "CUDA backend: " << why);

  impl_ = std::make_unique<Impl>(config_, device);
  Impl& m = *impl_;
  m.info = cuda_device_info(device);
  const cublasHandle_t h = m.cublas.get();
  RRCNN_CUBLAS_CHECK(cublasSetStream(h, m.s()));
  // A fixed workspace: no allocation inside graph capture, the same algorithms every run.
  m.cublas_workspace.reserve(kCublasWorkspace, m.s());
  RRCNN_CUBLAS_CHECK(cublasSetWorkspace(h, m.cublas_workspace.get(), kCublasWorkspace));
  // Plain FP32 products (no TF32) unless set_tf32(true).
  RRCNN_CUBLAS_CHECK(cublasSetMathMode(h, CUBLAS_DEFAULT_MATH));
  m.model.bind(h, m.s());

  const size_t total = layout_.total(), trained = layout_.trained_count();
  m.params.reserve(total, m.s());
  m.grad.reserve(total, m.s());
  m.mu.reserve(trained, m.s());
  m.nu.reserve(trained, m.s());
  m.live_args.reserve(1, m.s());
  m.train_args.reserve(1, m.s());
  m.norm_partials.reserve(cuda::kReduceBlocks, m.s());
  m.readback.reserve(1);
  m.grad.zero(m.s(), total);
  m.mu.zero(m.s(), trained);
  m.nu.zero(m.s(), trained);
  m.live_args.zero(m.s(), 1);
  m.train_args.zero(m.s(), 1);
  set_params_impl(init_params(layout_, 0));  // as CpuBackend: seed-0 initialisation
  synchronize();
}

CudaBackend::~CudaBackend() {
  if (!impl_) return;
  RRCNN_CUDA_LOG(cudaSetDevice(impl_->device));
  RRCNN_CUDA_LOG(cudaStreamSynchronize(impl_->s()));
}

std::string CudaBackend::device_name() const { return impl_->info.summary(); }
const CudaDeviceInfo& CudaBackend::info() const { return impl_->info; }
int CudaBackend::device() const { return impl_->device; }
const float* CudaBackend::device_state() const { return impl_->live_state.get(); }
void* CudaBackend::stream() const { return static_cast<void*>(impl_->s()); }

double CudaBackend::peak_fp32_gflops() const { return impl_->info.fp32_peak_gflops; }

void CudaBackend::synchronize() {
  impl_->ensure_device();
  RRCNN_CUDA_CHECK(cudaStreamSynchronize(impl_->s()));
}

void CudaBackend::set_tf32(bool on) {
  impl_->ensure_device();
  RRCNN_CUBLAS_CHECK(
      cublasSetMathMode(impl_->cublas.get(), on ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
  impl_->tf32 = on;
  impl_->invalidate_graphs();
}
bool CudaBackend::tf32() const { return impl_->tf32; }

void CudaBackend::set_use_graphs(bool on) {
  impl_->ensure_device();
  impl_->use_graphs = on;
  impl_->graphs_failed = false;
  impl_->capture_failures = 0;
  impl_->invalidate_graphs();
}
bool CudaBackend::use_graphs() const { return impl_->use_graphs && !impl_->graphs_failed; }
int64_t CudaBackend::graph_captures() const { return impl_->captures; }

// ---- parameters and optimiser

void CudaBackend::set_params_impl(const std::vector<float>& flat) {
  Impl& m = *impl_;
  m.ensure_device();
  m.upload(m.params.get(), flat.data(), flat.size() * sizeof(float));
  m.model.on_params_changed(m.params.get());
}

std::vector<float> CudaBackend::params_impl() const {
  Impl& m = *impl_;
  m.ensure_device();
  std::vector<float> flat(layout_.total());
  m.download(flat.data(), m.params.get(), flat.size() * sizeof(float));
  return flat;
}

void CudaBackend::set_adam_state_impl(const AdamState& state) {
  Impl& m = *impl_;
  m.ensure_device();
  const size_t trained = layout_.trained_count();
  if (state.empty()) {
    m.mu.zero(m.s(), trained);
    m.nu.zero(m.s(), trained);
  } else {
    m.upload(m.mu.get(), state.mu.data(), trained * sizeof(float));
    m.upload(m.nu.get(), state.nu.data(), trained * sizeof(float));
  }
  m.adam_moments = !state.empty();
  m.adam_step = state.step;
}

AdamState CudaBackend::adam_state_impl() const {
  Impl& m = *impl_;
  m.ensure_device();
  AdamState state;
  state.step = m.adam_step;
  if (m.adam_moments) {
    state.mu.resize(layout_.trained_count());
    state.nu.resize(layout_.trained_count());
    m.download(state.mu.data(), m.mu.get(), state.mu.size() * sizeof(float));
    m.download(state.nu.data(), m.nu.get(), state.nu.size() * sizeof(float));
  }
  return state;
}

// ---- live state

void CudaBackend::reset_impl(const std::vector<float>& clean, float alpha, uint64_t seed,
                             uint32_t episode) {
  Impl& m = *impl_;
  m.ensure_device();
  const size_t cells = image_size(batch_);
  m.reserve_live(cells, config_.channels);
  m.upload(m.live_scratch.get(), clean.data(), cells * sizeof(float));
  cuda::set_rng_args(m.live_args.get(), seed, episode, 0, m.s());
  cuda::init_noisy_state(batch_, config_.cells(), config_.channels, alpha, m.live_scratch.get(),
                         m.live_args.get(), m.live_state.get(), m.s());
}

void CudaBackend::set_image_channel_impl(const std::vector<float>& image) {
  Impl& m = *impl_;
  m.ensure_device();
  const size_t cells = image_size(batch_);
  m.upload(m.live_scratch.get(), image.data(), cells * sizeof(float));
  cuda::insert_channel(cells, config_.channels, config_.image_channel(), m.live_scratch.get(),
                       m.live_state.get(), m.s());
}

void CudaBackend::set_state_impl(const std::vector<float>& state) {
  Impl& m = *impl_;
  m.ensure_device();
  m.reserve_live(image_size(batch_), config_.channels);
  m.upload(m.live_state.get(), state.data(), state.size() * sizeof(float));
}

std::vector<float> CudaBackend::state_impl() const {
  Impl& m = *impl_;
  m.ensure_device();
  std::vector<float> s(state_size(batch_));
  m.download(s.data(), m.live_state.get(), s.size() * sizeof(float));
  return s;
}

std::vector<float> CudaBackend::image_impl() const {
  Impl& m = *impl_;
  m.ensure_device();
  const size_t cells = image_size(batch_);
  cuda::extract_channel(cells, config_.channels, config_.image_channel(), m.live_state.get(),
                        m.live_scratch.get(), m.s());
  std::vector<float> img(cells);
  m.download(img.data(), m.live_scratch.get(), cells * sizeof(float));
  return img;
}

void CudaBackend::step_impl(int n, std::vector<float>* image_trajectory) {
  Impl& m = *impl_;
  m.ensure_device();
  const size_t cells = image_size(batch_);
  const float rate = live_dropout_, keep_prob = 1.0f - rate;
  const bool dropout = rate > 0.0f;
  const int batch = batch_;
  m.model.reserve_step(batch);
  const int chunk = image_trajectory ? std::min(n, kTrajectoryChunk) : 0;
  if (chunk) m.trajectory.reserve(size_t(chunk) * cells, m.s());

  // The graph reads the dropout step from live_args and advances it itself.
  cuda::set_rng_args(m.live_args.get(), live_seed_, live_episode_, uint32_t(live_step_), m.s());
  GraphKey want;
  want.batch = batch;
  want.keep_prob = keep_prob;
  want.dropout = dropout;
  want.generation = m.model.generation();
  want.buffers[0] = m.live_state.get();
  want.buffers[1] = m.live_keep.get();
  const auto body = [&m, batch, cells, keep_prob, dropout] {
    if (dropout)
      cuda::make_keep_masks(batch, int(cells / batch), 1, keep_prob, m.live_args.get(),
                            m.live_keep.get(), m.s());
    m.model.step(m.params.get(), batch, m.live_state.get(), dropout ? m.live_keep.get() : nullptr,
                 keep_prob);
    cuda::advance_step(m.live_args.get(), m.s());
  };
  for (int i = 0; i < n; ++i) {
    m.run(m.live_graph, m.live_key, want, body);
    if (!chunk) continue;
    const int slot = i % chunk;
    cuda::extract_channel(cells, config_.channels, config_.image_channel(), m.live_state.get(),
                          m.trajectory.get() + size_t(slot) * cells, m.s());
    if (slot + 1 == chunk || i + 1 == n) {
      const size_t count = size_t(slot + 1) * cells, old = image_trajectory->size();
      image_trajectory->resize(old + count);
      m.download(image_trajectory->data() + old, m.trajectory.get(), count * sizeof(float));
    }
  }
}

void CudaBackend::brush_impl(const BrushStroke& stroke) {
  Impl& m = *impl_;
  m.ensure_device();
  const int b0 = stroke.sample < 0 ? 0 : stroke.sample;
  const int b1 = stroke.sample < 0 ? batch_ : stroke.sample + 1;
  cuda::brush_apply(stroke, b0, b1, config_.height, config_.width, config_.channels, live_seed_,
                    m.live_state.get(), m.s());
}

// ---- training

namespace {
// The optimiser kernel leaves everything unchanged on a non-finite gradient norm; this says so,
// as the CPU backend does before it updates.
void check_finite_norm(const cuda::DeviceArgs& a, int64_t adam_step) {
  RRCNN_CHECK_DIVERGED(std::isfinite(a.norm2), "training diverged: gradient norm is "
                                                 << a.grad_norm << " at optimiser step "
                                                 << adam_step << " (lower the learning rate)");
}
}  // namespace

TrainStepResult CudaBackend::train_step_impl(const std::vector<float>& clean, uint64_t seed,
                                             uint32_t episode) {
  Impl& m = *impl_;
  m.ensure_device();
  RRCNN_CHECK(m.adam_moments || m.adam_step == 0,
              "Adam state holds 0 moments, the model has " << layout_.trained_count()
                                                           << " trained parameters");
  const int cells = config_.cells();
  const int batch = int(clean.size() / cells);
  const int steps = config_.rollout_steps;
  const float rate = config_.dropout_rate, keep_prob = 1.0f - rate;
  const bool dropout = rate > 0.0f;
  const size_t off = layout_.trained_offset(), count = layout_.trained_count();
  m.model.reserve_rollout(batch, steps);
  m.upload(m.model.clean(), clean.data(), clean.size() * sizeof(float));
  cuda::set_rng_args(m.train_args.get(), seed, episode, 0, m.s());
  cuda::set_optim_args(m.train_args.get(), adam_hyper(train_, m.adam_step), train_.clip_norm, m.s());

  GraphKey want;
  want.batch = batch;
  want.steps = steps;
  want.keep_prob = keep_prob;
  want.dropout = dropout;
  want.generation = m.model.generation();
  const int channels = config_.channels;
  const bool train_kernel = config_.train_perception;
  const auto body = [&m, batch, cells, channels, steps, keep_prob, dropout, off, count, train_kernel] {
    cuda::DeviceArgs* args = m.train_args.get();
    cuda::init_noisy_state(batch, cells, channels, -1.0f, m.model.clean(), args,
                           m.model.rollout_state(0), m.s());
    if (dropout) cuda::make_keep_masks(batch, cells, steps, keep_prob, args, m.model.masks(), m.s());
    m.model.loss_and_grad(m.params.get(), batch, steps, m.model.clean(),
                          dropout ? m.model.masks() : nullptr, keep_prob, m.grad.get(), args);
    cuda::global_norm(count, m.grad.get() + off, m.norm_partials.get(), args, m.s());
    // Skipped on the device when the loss is not finite: parameters stay as they were.
    cuda::clip_adam(count, m.params.get() + off, m.mu.get(), m.nu.get(), m.grad.get() + off, args,
                    true, m.s());
    // A trained perception kernel moved: the input gradient's flipped copy follows it.
    if (train_kernel) m.model.on_params_changed(m.params.get());
  };
  m.run(m.train_graph, m.train_key, want, body);
  const cuda::DeviceArgs a = m.read_args(m.train_args.get());
  RRCNN_CHECK_DIVERGED(std::isfinite(a.loss), "training diverged: loss is "
                                         << a.loss << " at optimiser step " << m.adam_step
                                         << " (lower the learning rate)");
  check_finite_norm(a, m.adam_step);
  TrainStepResult r;
  r.loss = a.loss;
  r.grad_norm = a.grad_norm;
  r.lr = learning_rate(train_, m.adam_step);
  m.adam_step += 1;
  m.adam_moments = true;
  r.step = m.adam_step;
  return r;
}

float CudaBackend::loss_and_grad_impl(const std::vector<float>& init_state,
                                      const std::vector<float>& clean, int batch, int steps,
                                      const uint8_t* masks, std::vector<float>& grad,
                                      std::vector<float>* final_state) {
  Impl& m = *impl_;
  m.ensure_device();
  const size_t cells = image_size(batch);
  m.model.reserve_rollout(batch, steps);
  m.upload(m.model.rollout_state(0), init_state.data(), init_state.size() * sizeof(float));
  m.upload(m.model.clean(), clean.data(), cells * sizeof(float));
  if (masks) m.upload(m.model.masks(), masks, size_t(steps) * cells);
  m.model.loss_and_grad(m.params.get(), batch, steps, m.model.clean(),
                        masks ? m.model.masks() : nullptr, 1.0f - config_.dropout_rate,
                        m.grad.get(), m.train_args.get());
  m.download(grad.data(), m.grad.get(), layout_.total() * sizeof(float));
  if (final_state)
    m.download(final_state->data(), m.model.rollout_state(steps),
               state_size(batch) * sizeof(float));
  return m.read_args(m.train_args.get()).loss;
}

TrainStepResult CudaBackend::apply_gradients_impl(const std::vector<float>& grad) {
  Impl& m = *impl_;
  m.ensure_device();
  RRCNN_CHECK(m.adam_moments || m.adam_step == 0,
              "Adam state holds 0 moments, the model has " << layout_.trained_count()
                                                           << " trained parameters");
  const size_t off = layout_.trained_offset(), count = layout_.trained_count();
  m.upload(m.grad.get() + off, grad.data() + off, count * sizeof(float));
  cuda::DeviceArgs* args = m.train_args.get();
  cuda::set_optim_args(args, adam_hyper(train_, m.adam_step), train_.clip_norm, m.s());
  cuda::global_norm(count, m.grad.get() + off, m.norm_partials.get(), args, m.s());
  cuda::clip_adam(count, m.params.get() + off, m.mu.get(), m.nu.get(), m.grad.get() + off, args,
                  false, m.s());
  if (config_.train_perception) m.model.on_params_changed(m.params.get());
  const cuda::DeviceArgs a = m.read_args(args);
  check_finite_norm(a, m.adam_step);
  TrainStepResult r;
  r.grad_norm = a.grad_norm;
  r.lr = learning_rate(train_, m.adam_step);
  m.adam_step += 1;
  m.adam_moments = true;
  r.step = m.adam_step;
  return r;
}

}  // namespace rrcnn
