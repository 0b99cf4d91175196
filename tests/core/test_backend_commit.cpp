// Backend's transactional live batch (core/backend.cpp): when an implementation throws in reset
// or set_state (out of memory for a bigger batch, a device error), the batch size, step counter
// and state stay those of the batch the backend still holds, and stepping goes on with it.
#include <doctest/doctest.h>

#include <new>
#include <vector>

#include "core/backend.h"
#include "core/config.h"
#include "core/error.h"

using namespace rrcnn;

namespace {

// A backend whose "device" holds at most `capacity` floats; growing past it fails like an
// allocation would, before anything is changed (as the CUDA backend's buffers do).
class BoundedBackend final : public Backend {
 public:
  BoundedBackend(const ModelConfig& c, size_t capacity) : Backend(c), capacity_(capacity) {}
  std::string name() const override { return "bounded"; }
  std::string device_name() const override { return "test"; }
  int impl_batch_seen = 0;

 protected:
  void set_params_impl(const std::vector<float>&) override {}
  std::vector<float> params_impl() const override { return std::vector<float>(layout_.total()); }
  void set_adam_state_impl(const AdamState&) override {}
  AdamState adam_state_impl() const override { return {}; }
  void reset_impl(const std::vector<float>& clean, float, uint64_t, uint32_t) override {
    impl_batch_seen = batch_;
    grow(state_size(batch_));
    state_.assign(state_size(batch_), 0.0f);
    for (size_t i = 0; i < clean.size(); ++i) state_[i * config_.channels + config_.channels - 1] = clean[i];
  }
  void set_image_channel_impl(const std::vector<float>&) override {}
  void set_state_impl(const std::vector<float>& s) override {
    impl_batch_seen = batch_;
    grow(s.size());
    state_ = s;
  }
  std::vector<float> state_impl() const override { return state_; }
  void step_impl(int n, std::vector<float>*) override {
    for (float& v : state_) v += float(n);
  }
  void brush_impl(const BrushStroke&) override {}
  TrainStepResult train_step_impl(const std::vector<float>&, uint64_t, uint32_t) override {
    return {};
  }
  float loss_and_grad_impl(const std::vector<float>&, const std::vector<float>&, int, int,
                           const uint8_t*, std::vector<float>&, std::vector<float>*) override {
    return 0;
  }
  TrainStepResult apply_gradients_impl(const std::vector<float>&) override { return {}; }

 private:
  void grow(size_t count) {
    if (count > capacity_) throw Error("out of memory (test)");
  }
  size_t capacity_;
  std::vector<float> state_;
};

ModelConfig small() {
  ModelConfig c;
  c.height = 3;
  c.width = 4;
  c.channels = 2;
  c.perception = 2;
  c.hidden = {3};
  return c;
}

}  // namespace

TEST_CASE("a failed reset or set_state keeps the previous batch, step counter and state") {
  const ModelConfig c = small();
  BoundedBackend be(c, size_t(2) * c.cells() * c.channels);  // room for 2 digits
  be.reset(std::vector<float>(size_t(2) * c.cells(), 0.5f), 2, 0.0f, 7, 1);
  CHECK(be.impl_batch_seen == 2);  // the implementation sees the new batch while it runs
  be.step(3);
  const std::vector<float> before = be.state();
  REQUIRE(be.batch() == 2);
  REQUIRE(be.live_step() == 3);

  CHECK_THROWS_AS(be.reset(std::vector<float>(size_t(5) * c.cells(), 0.5f), 5, 0.0f, 9, 2), Error);
  CHECK(be.impl_batch_seen == 5);
  CHECK(be.batch() == 2);
  CHECK(be.live_step() == 3);
  CHECK(be.state() == before);

  CHECK_THROWS_AS(be.set_state(std::vector<float>(size_t(4) * c.cells() * c.channels, 1.0f), 4),
                  Error);
  CHECK(be.batch() == 2);
  CHECK(be.state() == before);

  be.step(1);  // the old batch goes on
  CHECK(be.live_step() == 4);
  CHECK(be.state().size() == before.size());
  CHECK(be.state()[0] == before[0] + 1.0f);

  // Rejected input never reaches the implementation and changes nothing either.
  be.impl_batch_seen = 0;
  CHECK_THROWS_AS(be.set_state(std::vector<float>(3, 0.0f), 1), Error);
  CHECK(be.impl_batch_seen == 0);
  CHECK(be.batch() == 2);

  // Success commits.
  be.set_state(std::vector<float>(size_t(1) * c.cells() * c.channels, 2.0f), 1);
  CHECK(be.batch() == 1);
  CHECK(be.live_step() == 4);  // set_state keeps the step counter, as before
}
