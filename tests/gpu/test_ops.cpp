// Per-kernel parity in the style of ggml's test-backend-ops: every launcher of gpu/ops_cuda.h,
// and the row-major GEMM of gemm_cuda.h, against its CPU twin in core/ on random inputs of odd
// sizes (nothing a power of two) and one seed-sized case. Each comparison prints one line,
// "[kernel] <launcher> <shape>: max abs err ... OK|FAIL", so a first run on a new GPU names the
// kernel that is wrong instead of "the state after one step differs".
// Tolerances: element-wise kernels run the same formulas as the CPU (nvcc --fmad=false) and must
// match exactly; only sums in another order (cuBLAS products, tree reductions) get float slack.
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/cpu_backend.h"
#include "core/gemm.h"
#include "core/noise.h"
#include "core/ops.h"
#include "core/optimizer.h"
#include "gpu/cuda_handles.h"
#include "gpu/gemm_cuda.h"
#include "gpu/ops_cuda.h"
#include "tests/gpu/device_vec.h"
#include "tests/gpu/fixtures.h"

using namespace rrcnn;
using namespace rrcnn::test;

namespace {

const Tol kExact{};                       // bit for bit (up to -0 == 0)
const Tol kElement{1e-6, 0.0, 1e-6};      // double log/cos of the noise: last float bit
const Tol kProduct{0.0, 1e-5, 1e-5};      // a sum of up to ~600 products in another order

struct Env {
  CudaStream stream;
  CublasHandle cublas;
  Env() {
    RRCNN_CUDA_CHECK(cudaSetDevice(0));
    RRCNN_CUBLAS_CHECK(cublasSetStream(cublas.get(), stream.get()));
    RRCNN_CUBLAS_CHECK(cublasSetMathMode(cublas.get(), CUBLAS_DEFAULT_MATH));  // FP32, no TF32
  }
  cudaStream_t s() const { return stream.get(); }
};

std::string grid_name(const GridShape& g, int p = 0) {
  std::string t = "B" + std::to_string(g.batch) + " " + std::to_string(g.height) + "x" +
                  std::to_string(g.width) + " C" + std::to_string(g.channels);
  return p ? t + " P" + std::to_string(p) : t;
}

const std::vector<GridShape> kGrids = {{2, 5, 7, 4}, {3, 3, 11, 5}, {2, 28, 28, 64}};

// cols[r, (ky*3+kx)*C + c] for cells r0..r1, written from the spec's loops, not the helpers.
std::vector<float> host_im2col(const GridShape& g, const std::vector<float>& src, size_t r0,
                               size_t r1) {
  const int c_n = g.channels;
  std::vector<float> cols((r1 - r0) * 9 * size_t(c_n), 0.0f);
  for (size_t n = r0; n < r1; ++n) {
    const size_t b = n / (size_t(g.height) * g.width);
    const int y = int(n / g.width % g.height), x = int(n % g.width);
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const int sy = y + dy, sx = x + dx;
        if (sy < 0 || sy >= g.height || sx < 0 || sx >= g.width) continue;
        for (int c = 0; c < c_n; ++c)
          cols[((n - r0) * 9 + size_t((dy + 1) * 3 + dx + 1)) * c_n + c] =
              src[((b * g.height + sy) * g.width + sx) * c_n + c];
      }
  }
  return cols;
}

}  // namespace

TEST_CASE("kernels: this build's kernel image loads on the device") {
  std::string why;
  const bool ok = cuda::kernels_loadable(&why);
  std::printf("[kernel] %-28s %-26s %s %s\n", "kernels_loadable", "", why.c_str(),
              ok ? "OK" : "FAIL");
  CHECK_MESSAGE(ok, why);
}

TEST_CASE("kernels: im2col and flip_kernel against the spec's loops") {
  Env env;
  for (const GridShape& g : kGrids) {
    const std::vector<float> src = random_normal(g.cells() * g.channels, 1, 1.0f);
    DeviceVec<float> d_src(src);
    for (const auto& range : {std::pair<size_t, size_t>{0, g.cells()},
                              std::pair<size_t, size_t>{3, g.cells() - 2}}) {
      DeviceVec<float> cols((range.second - range.first) * 9 * g.channels);
      cuda::im2col(g.batch, g.height, g.width, g.channels, d_src.get(), range.first, range.second,
                   cols.get(), env.s());
      report_kernel("im2col", grid_name(g) + " rows " + std::to_string(range.first) + ".." +
                                  std::to_string(range.second),
                    cols.download(), host_im2col(g, src, range.first, range.second), kExact);
    }
    const int p_n = g.channels == 64 ? 64 : g.channels + 3;
    const std::vector<float> k = random_normal(size_t(9) * g.channels * p_n, 2, 1.0f);
    std::vector<float> ref(k.size());
    for (int ky = 0; ky < 3; ++ky)
      for (int kx = 0; kx < 3; ++kx)
        for (int c = 0; c < g.channels; ++c)
          for (int o = 0; o < p_n; ++o)
            ref[(size_t((2 - ky) * 3 + (2 - kx)) * p_n + o) * g.channels + c] =
                k[(size_t(ky * 3 + kx) * g.channels + c) * p_n + o];
    DeviceVec<float> d_k(k), flipped(k.size());
    cuda::flip_kernel(g.channels, p_n, d_k.get(), flipped.get(), env.s());
    report_kernel("flip_kernel", "C" + std::to_string(g.channels) + " P" + std::to_string(p_n),
                  flipped.download(), ref, kExact);
  }
}

TEST_CASE("kernels: row-major GEMM on cuBLAS against core's gemm, every transpose") {
  Env env;
  struct Case { int m, n, k; };
  for (const Case cs : {Case{37, 19, 23}, Case{5, 1, 130}, Case{6272, 64, 576}}) {
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb) {
        // Leading dimensions past the minimum, so a row/column-major mix-up cannot hide.
        const int lda = (ta ? cs.m : cs.k) + 3, ldb = (tb ? cs.k : cs.n) + 2, ldc = cs.n + 1;
        const size_t rows_a = ta ? cs.k : cs.m, rows_b = tb ? cs.n : cs.k;
        const std::vector<float> a = random_normal(rows_a * lda, 3, 1.0f);
        const std::vector<float> b = random_normal(rows_b * ldb, 4, 1.0f);
        std::vector<float> c = random_normal(size_t(cs.m) * ldc, 5, 1.0f);
        DeviceVec<float> da(a), db(b), dc(c);
        cuda::gemm(env.cublas.get(), ta, tb, cs.m, cs.n, cs.k, 0.75f, da.get(), lda, db.get(), ldb,
                   0.5f, dc.get(), ldc);
        gemm<float>(ta, tb, cs.m, cs.n, cs.k, 0.75f, a.data(), lda, b.data(), ldb, 0.5f, c.data(),
                    ldc);
        report_kernel(std::string("gemm ") + (ta ? "T" : "N") + (tb ? "T" : "N"),
                      std::to_string(cs.m) + "x" + std::to_string(cs.n) + "x" +
                          std::to_string(cs.k),
                      dc.download(), c, kProduct);
      }
  }
}

TEST_CASE("kernels: perception (im2col + GEMM, flipped kernel) against perceive_forward/backward") {
  Env env;
  for (const GridShape& g : kGrids) {
    const int p_n = g.channels == 64 ? 64 : g.channels + 2;
    const size_t n = g.cells();
    const std::vector<float> s = random_normal(n * g.channels, 6, 1.0f);
    const std::vector<float> k = random_normal(size_t(9) * g.channels * p_n, 7, 0.2f);
    std::vector<float> ref(n * p_n), scratch;
    perceive_forward<float>(g, p_n, s.data(), k.data(), ref.data(), scratch);
    DeviceVec<float> ds(s), dk(k), cols(n * 9 * size_t(std::max(g.channels, p_n))), out(n * p_n);
    cuda::im2col(g.batch, g.height, g.width, g.channels, ds.get(), 0, n, cols.get(), env.s());
    cuda::gemm(env.cublas.get(), false, false, n, p_n, 9 * g.channels, 1.0f, cols.get(),
               9 * g.channels, dk.get(), p_n, 0.0f, out.get(), p_n);
    report_kernel("perception forward", grid_name(g, p_n), out.download(), ref, kProduct);

    // Input gradient: conv of dperception with the flipped kernel, accumulated into dstate.
    const std::vector<float> dp = random_normal(n * p_n, 8, 1.0f);
    std::vector<float> dstate = random_normal(n * g.channels, 9, 1.0f);
    DeviceVec<float> ddp(dp), dflip(k.size()), dds(dstate);
    perceive_backward<float>(g, p_n, dp.data(), k.data(), dstate.data(), scratch);
    cuda::flip_kernel(g.channels, p_n, dk.get(), dflip.get(), env.s());
    cuda::im2col(g.batch, g.height, g.width, p_n, ddp.get(), 0, n, cols.get(), env.s());
    cuda::gemm(env.cublas.get(), false, false, n, g.channels, 9 * p_n, 1.0f, cols.get(), 9 * p_n,
               dflip.get(), g.channels, 1.0f, dds.get(), g.channels);
    report_kernel("perception backward", grid_name(g, p_n), dds.download(), dstate, kProduct);
  }
}

TEST_CASE("kernels: bias_forward, bias_backward and relu_backward_inplace against the dense layer") {
  Env env;
  struct Case { size_t n; int in, out; };
  for (const Case cs : {Case{105, 6, 8}, Case{37, 9, 5}, Case{12544, 128, 64}}) {
    const std::string shape = "N" + std::to_string(cs.n) + " " + std::to_string(cs.in) + "->" +
                              std::to_string(cs.out);
    const std::vector<float> x = random_normal(cs.n * cs.in, 10, 1.0f);
    const std::vector<float> w = random_normal(size_t(cs.in) * cs.out, 11, 0.3f);
    const std::vector<float> b = random_normal(cs.out, 12, 0.3f);
    DeviceVec<float> dx(x), dw(w), db(b), dy(cs.n * cs.out);
    for (bool relu_on : {false, true}) {
      std::vector<float> ref(cs.n * cs.out);
      dense_forward<float>(cs.n, cs.in, cs.out, x.data(), w.data(), b.data(), relu_on, ref.data());
      cuda::gemm(env.cublas.get(), false, false, cs.n, cs.out, cs.in, 1.0f, dx.get(), cs.in,
                 dw.get(), cs.out, 0.0f, dy.get(), cs.out);
      cuda::bias_forward(cs.n, cs.out, db.get(), relu_on, dy.get(), env.s());
      report_kernel(relu_on ? "bias_forward (relu)" : "bias_forward", shape, dy.download(), ref,
                    kProduct);
    }
    // Backward: dW += x^T dout (GEMM), db += column sums (bias_backward), accumulating.
    const std::vector<float> dout = random_normal(cs.n * cs.out, 13, 1.0f);
    std::vector<float> gw = random_normal(w.size(), 14, 1.0f), gb = random_normal(b.size(), 15, 1.0f);
    DeviceVec<float> d_dout(dout), d_gw(gw), d_gb(gb),
        partials(size_t(cuda::kColumnChunks) * cs.out);
    dense_backward<float>(cs.n, cs.in, cs.out, x.data(), w.data(), dout.data(), gw.data(),
                          gb.data(), nullptr);
    cuda::gemm(env.cublas.get(), true, false, cs.in, cs.out, cs.n, 1.0f, dx.get(), cs.in,
               d_dout.get(), cs.out, 1.0f, d_gw.get(), cs.out);
    cuda::bias_backward(cs.n, cs.out, d_dout.get(), partials.get(), d_gb.get(), env.s());
    report_kernel("dense dW (gemm TN)", shape, d_gw.download(), gw, kProduct);
    report_kernel("bias_backward", shape, d_gb.download(), gb, kProduct);

    const std::vector<float> act = random_normal(cs.n * cs.in, 16, 1.0f);
    std::vector<float> dact = random_normal(cs.n * cs.in, 17, 1.0f);
    DeviceVec<float> d_act(act), d_dact(dact);
    relu_backward_inplace<float>(dact.size(), act.data(), dact.data());
    cuda::relu_backward_inplace(act.size(), d_act.get(), d_dact.get(), env.s());
    report_kernel("relu_backward_inplace", shape, d_dact.download(), dact, kExact);
  }
}

TEST_CASE("kernels: dropout_residual_forward/backward, with and without masks, in place") {
  Env env;
  for (const GridShape& g : kGrids) {
    const size_t n = g.cells(), count = n * g.channels;
    const std::vector<float> s = random_normal(count, 20, 1.0f), u = random_normal(count, 21, 1.0f);
    const std::vector<uint8_t> keep = random_masks(n, 22, 0.5f);
    DeviceVec<float> ds(s), du(u), next(count);
    DeviceVec<uint8_t> dkeep(keep);
    for (bool masked : {true, false}) {
      const std::string shape = grid_name(g) + (masked ? " masked" : "");
      std::vector<float> ref(count);
      dropout_residual_forward<float>(g, s.data(), u.data(), masked ? keep.data() : nullptr, 0.5f,
                                      0.75f, ref.data());
      cuda::dropout_residual_forward(n, g.channels, ds.get(), du.get(),
                                     masked ? dkeep.get() : nullptr, 0.5f, 0.75f, next.get(),
                                     env.s());
      report_kernel("dropout_residual_forward", shape, next.download(), ref, kExact);
      // In place, as the live step runs it (next aliases state).
      DeviceVec<float> inplace(s);
      cuda::dropout_residual_forward(n, g.channels, inplace.get(), du.get(),
                                     masked ? dkeep.get() : nullptr, 0.5f, 0.75f, inplace.get(),
                                     env.s());
      report_kernel("dropout_residual_forward (in place)", shape, inplace.download(), ref, kExact);

      std::vector<float> dupd(count);
      dropout_residual_backward<float>(g, u.data(), masked ? keep.data() : nullptr, 0.5f, 0.75f,
                                       dupd.data());
      DeviceVec<float> d_dupd(count);
      cuda::dropout_residual_backward(n, g.channels, du.get(), masked ? dkeep.get() : nullptr,
                                      0.5f, 0.75f, d_dupd.get(), env.s());
      report_kernel("dropout_residual_backward", shape, d_dupd.download(), dupd, kExact);
    }
  }
}

TEST_CASE("kernels: image_mse and image_mse_backward, extract_channel and insert_channel") {
  Env env;
  for (const GridShape& g : kGrids) {
    const size_t n = g.cells(), count = n * g.channels;
    const std::vector<float> s = random_normal(count, 30, 1.0f), clean = random_uniform(n, 31);
    DeviceVec<float> ds(s), dclean(clean), dgrad(count);
    DeviceVec<double> partials(cuda::kReduceBlocks);
    DeviceVec<cuda::DeviceArgs> args(1);
    cuda::image_mse(n, g.channels, ds.get(), dclean.get(), partials.get(), args.get(), env.s());
    const float ref_loss = image_mse<float>(g, s.data(), clean.data());
    report_kernel("image_mse", grid_name(g), {args.download()[0].loss}, {ref_loss}, kElement);

    std::vector<float> ref(count);
    image_mse_backward<float>(g, s.data(), clean.data(), ref.data());
    cuda::image_mse_backward(n, g.channels, ds.get(), dclean.get(), dgrad.get(), env.s());
    report_kernel("image_mse_backward", grid_name(g), dgrad.download(), ref, kExact);

    const int channel = g.channels / 2;
    std::vector<float> plane(n);
    for (size_t i = 0; i < n; ++i) plane[i] = s[i * g.channels + channel];
    DeviceVec<float> dplane(n);
    cuda::extract_channel(n, g.channels, channel, ds.get(), dplane.get(), env.s());
    report_kernel("extract_channel", grid_name(g), dplane.download(), plane, kExact);

    std::vector<float> inserted = s;
    for (size_t i = 0; i < n; ++i) inserted[i * g.channels + g.channels - 1] = clean[i];
    cuda::insert_channel(n, g.channels, g.channels - 1, dclean.get(), ds.get(), env.s());
    report_kernel("insert_channel", grid_name(g), ds.download(), inserted, kExact);
  }
}

TEST_CASE("kernels: random inputs (noise, keep masks, brush) and the DeviceArgs setters") {
  Env env;
  for (const NamedConfig& nc : {small_configs()[0], small_configs()[1], seed_config(3)}) {
    const ModelConfig& c = nc.config;
    const int batch = nc.batch, pixels = c.cells();
    const GridShape g{batch, c.height, c.width, c.channels};
    DeviceVec<cuda::DeviceArgs> args(1);
    cuda::set_rng_args(args.get(), 0x1234567890ull, 17, 5, env.s());
    const cuda::DeviceArgs a = args.download()[0];
    CHECK(a.seed == 0x1234567890ull);
    CHECK(a.episode == 17);
    CHECK(a.step == 5);
    cuda::advance_step(args.get(), env.s());
    cuda::advance_step(args.get(), env.s());
    CHECK(args.download()[0].step == 7);
    std::printf("[kernel] %-28s %-26s %s\n", "set_rng_args, advance_step", nc.name.c_str(),
                args.download()[0].step == 7 ? "OK" : "FAIL");

    const std::vector<float> clean = synthetic_digits(c, batch, 2);
    DeviceVec<float> dclean(clean), state(g.cells() * c.channels);
    for (float alpha : {-1.0f, 0.35f}) {
      std::vector<float> noisy(clean.size());
      make_noisy_batch(clean.data(), batch, pixels, alpha, 0x1234567890ull, 17, noisy.data());
      cuda::init_noisy_state(batch, pixels, c.channels, alpha, dclean.get(), args.get(),
                             state.get(), env.s());
      report_kernel(alpha < 0 ? "init_noisy_state" : "init_noisy_state (fixed alpha)",
                    grid_name(g), state.download(), initial_state(c, noisy), kElement);
    }

    // Masks for steps 7..10 (args->step is 7 now).
    const int steps = 4;
    std::vector<uint8_t> ref(size_t(steps) * g.cells());
    make_keep_masks(batch, pixels, 7, steps, c.dropout_rate, 0x1234567890ull, 17, ref.data());
    DeviceVec<uint8_t> keep(ref.size());
    cuda::make_keep_masks(batch, pixels, steps, 1.0f - c.dropout_rate, args.get(), keep.get(),
                          env.s());
    report_kernel_bytes("make_keep_masks", grid_name(g) + " T4", keep.download(), ref);

    const std::vector<float> start = random_uniform(g.cells() * c.channels, 40);
    for (BrushMode mode : {BrushMode::kDraw, BrushMode::kErase, BrushMode::kNoise}) {
      for (int sample : {-1, batch - 1}) {
        CpuBackend cpu(c);
        cpu.reset(clean, batch, 0.2f, 77, 0);  // the live seed the noise brush draws from
        cpu.set_state(start, batch);
        const BrushStroke s = test_stroke(sample, mode, c.width);
        cpu.brush(s);
        DeviceVec<float> dstate(start);
        cuda::brush_apply(s, sample < 0 ? 0 : sample, sample < 0 ? batch : sample + 1, c.height,
                          c.width, c.channels, 77, dstate.get(), env.s());
        report_kernel(std::string("brush_apply ") + brush_mode_name(mode),
                      grid_name(g) + " sample " + std::to_string(sample), dstate.download(),
                      cpu.state(), mode == BrushMode::kNoise ? kElement : kExact);
      }
    }
  }
}

TEST_CASE("kernels: global_norm and clip_adam against clip_by_global_norm + adam_update") {
  Env env;
  for (size_t count : {size_t(301), size_t(41345)}) {
    for (float scale : {1e-3f, 1.0f}) {  // clip inactive, active
      const std::string shape = std::to_string(count) + (scale < 0.5f ? " no clip" : " clipped");
      const std::vector<float> grad = random_normal(count, 50, scale);
      const std::vector<float> params = random_normal(count, 51, 0.1f);
      AdamState state;
      state.mu = random_normal(count, 52, 1e-3f);
      state.nu = random_uniform(count, 53);
      for (float& v : state.nu) v *= 1e-5f;
      state.step = 3;
      TrainConfig tc;
      DeviceVec<float> dgrad(grad), dparams(params), dmu(state.mu), dnu(state.nu);
      DeviceVec<double> partials(cuda::kReduceBlocks);
      DeviceVec<cuda::DeviceArgs> args(1);
      cuda::set_optim_args(args.get(), adam_hyper(tc, state.step), tc.clip_norm, env.s());
      cuda::global_norm(count, dgrad.get(), partials.get(), args.get(), env.s());
      const float ref_norm = float(global_norm(grad.data(), count));
      report_kernel("global_norm", shape, {args.download()[0].grad_norm}, {ref_norm}, kElement);

      // The loss guard: a non-finite loss leaves parameters and moments untouched.
      cuda::DeviceArgs a = args.download()[0];
      a.loss = NAN;
      args.upload({a});
      cuda::clip_adam(count, dparams.get(), dmu.get(), dnu.get(), dgrad.get(), args.get(), true,
                      env.s());
      const bool untouched = bitwise_equal(dparams.download(), params) &&
                             bitwise_equal(dmu.download(), state.mu) &&
                             bitwise_equal(dnu.download(), state.nu);
      std::printf("[kernel] %-28s %-26s %s\n", "clip_adam (NaN loss: skip)", shape.c_str(),
                  untouched ? "OK" : "FAIL");
      CHECK_MESSAGE(untouched, "clip_adam changed parameters although the loss was NaN");

      a.loss = 0.5f;
      args.upload({a});
      std::vector<float> g = grad, p = params;
      clip_by_global_norm(g.data(), count, tc.clip_norm);
      adam_update(tc, p.data(), g.data(), count, state);
      cuda::clip_adam(count, dparams.get(), dmu.get(), dnu.get(), dgrad.get(), args.get(), true,
                      env.s());
      report_kernel("clip_adam params", shape, dparams.download(), p, Tol{1e-9, 0.0, 1e-6});
      report_kernel("clip_adam mu", shape, dmu.download(), state.mu, Tol{1e-12, 0.0, 1e-6});
      report_kernel("clip_adam nu", shape, dnu.download(), state.nu, Tol{1e-15, 0.0, 1e-6});
    }
  }
}
