// Loss history (moving average, rates, CSV) and the log-scale plot arithmetic.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "gui/training/loss_history.h"
#include "gui/panels/plot_math.h"

using namespace rrcnn;

TEST_CASE("moving average: trailing window, warm-up, recompute on a new window") {
  LossHistory h(3);
  const float losses[] = {1, 2, 3, 4, 5};
  for (int i = 0; i < 5; ++i) h.add({i + 1, losses[i], 1e-3f, 0.5f, double(i)});
  const auto& ma = h.moving_average();
  REQUIRE(ma.size() == 5);
  CHECK(ma[0] == doctest::Approx(1));
  CHECK(ma[1] == doctest::Approx(1.5));
  CHECK(ma[2] == doctest::Approx(2));
  CHECK(ma[3] == doctest::Approx(3));
  CHECK(ma[4] == doctest::Approx(4));
  h.set_window(1);
  CHECK(h.moving_average()[4] == doctest::Approx(5));
  h.set_window(100);
  CHECK(h.moving_average()[4] == doctest::Approx(3));
  h.clear();
  CHECK(h.empty());
  CHECK(h.moving_average().empty());
}

TEST_CASE("steps per second and ETA from the active time") {
  LossHistory h;
  CHECK(h.steps_per_second() == 0);
  CHECK(h.eta_seconds(100) < 0);
  for (int i = 1; i <= 11; ++i) h.add({i, 1.0f, 1e-3f, 1.0f, 0.5 * i});  // 2 steps per second
  CHECK(h.steps_per_second() == doctest::Approx(2.0));
  CHECK(h.eta_seconds(31) == doctest::Approx(10.0));
  CHECK(h.eta_seconds(5) == doctest::Approx(0.0));
}

TEST_CASE("CSV export: header and one row per step") {
  LossHistory h(2);
  h.add({1, 0.5f, 1e-3f, 2.0f, 0.25});
  h.add({2, 0.25f, 9e-4f, 1.0f, 0.5});
  const std::string csv = h.to_csv();
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  CHECK(line == "step,loss,loss_avg,lr,grad_norm,time_s");
  std::getline(in, line);
  CHECK(line.rfind("1,0.5,0.5,", 0) == 0);
  std::getline(in, line);
  CHECK(line.rfind("2,0.25,0.375,", 0) == 0);
  const std::string path =
      (std::filesystem::temp_directory_path() / "rrcnn_gui_test_loss.csv").string();
  h.write_csv(path);
  std::ifstream f(path);
  std::stringstream back;
  back << f.rdbuf();
  CHECK(back.str() == csv);
  std::filesystem::remove(path);
  CHECK_THROWS_WITH_AS(h.write_csv("/nonexistent-dir/x.csv"),
                       doctest::Contains("/nonexistent-dir/x.csv"), Error);
}

TEST_CASE("log axis: range, mapping, ignoring non-positive values") {
  const LogAxis a = log_axis_for({0.1f, 0.01f, 0.001f, 0.0f, -1.0f, NAN});
  CHECK(a.lo < -3);
  CHECK(a.lo > -3.3);
  CHECK(a.hi > -1);
  CHECK(a.hi < -0.7);
  CHECK(log_to_unit(0.01, {-3, -1}) == doctest::Approx(0.5));
  CHECK(log_to_unit(1e-3, {-3, -1}) == doctest::Approx(0.0));
  CHECK(log_to_unit(1e-9, {-3, -1}) == 0.0);  // clamped
  CHECK(log_to_unit(0.0, {-3, -1}) == 0.0);   // log of 0: bottom
  CHECK(log_to_unit(1e3, {-3, -1}) == 1.0);
  CHECK(unit_to_log_value(0.5, {-3, -1}) == doctest::Approx(0.01));
  const LogAxis flat = log_axis_for({0.05f, 0.05f});
  CHECK(flat.hi - flat.lo >= 0.25 - 1e-9);
  CHECK(log_to_unit(0.05, flat) == doctest::Approx(0.5));
  const LogAxis none = log_axis_for({0.0f}, LogAxis{-2, 0});
  CHECK(none.lo == -2);
  CHECK(none.hi == 0);
}

TEST_CASE("log ticks: decades, plus 2 and 5 on short ranges; labels") {
  const std::vector<double> wide = log_ticks({-6.5, -0.5});
  CHECK(wide.size() == 6);  // 1e-6 .. 1e-1
  CHECK(wide.front() == doctest::Approx(1e-6));
  const std::vector<double> narrow = log_ticks({-2.1, -0.9});
  // 1e-2, 2e-2, 5e-2, 1e-1
  REQUIRE(narrow.size() == 4);
  CHECK(narrow[1] == doctest::Approx(0.02));
  CHECK(narrow[2] == doctest::Approx(0.05));
  CHECK(tick_label(0.001) == "1e-3");
  CHECK(tick_label(0.5) == "0.5");
  CHECK(tick_label(2e-5) == "2e-5");
  CHECK(tick_label(0.05) == "0.05");
  CHECK(tick_label(1000) == "1000");
  CHECK(tick_label(1e5) == "1e5");
}

TEST_CASE("linear ticks: 1-2-5 steps inside the range") {
  const std::vector<double> t = linear_ticks(-1, 150, 5);
  REQUIRE(t.size() == 4);  // step 50: 0, 50, 100, 150
  CHECK(t.front() == 0);
  CHECK(t.back() == doctest::Approx(150));
  const std::vector<double> u = linear_ticks(0, 8192, 5);
  CHECK(u.size() == 5);  // step 2000: 0 .. 8000
  CHECK(u[1] == doctest::Approx(2000));
  const std::vector<double> v = linear_ticks(3, 4, 5);  // step 0.2
  CHECK(v.front() == doctest::Approx(3));
  CHECK(v.size() == 6);
  CHECK(linear_ticks(1, 1).empty());
}

TEST_CASE("decimation keeps the ends; nearest point under the mouse") {
  CHECK(plot_indices(5, 10).size() == 5);
  const auto idx = plot_indices(10000, 100);
  CHECK(idx.size() <= 101);
  CHECK(idx.front() == 0);
  CHECK(idx.back() == 9999);
  for (size_t i = 1; i < idx.size(); ++i) CHECK(idx[i] > idx[i - 1]);
  CHECK(plot_indices(0, 10).empty());
  const std::vector<double> xs = {1, 2, 4, 8};
  CHECK(nearest_index(xs, -5) == 0);
  CHECK(nearest_index(xs, 2.9) == 1);
  CHECK(nearest_index(xs, 3.1) == 2);
  CHECK(nearest_index(xs, 100) == 3);
  CHECK(nearest_index({}, 1) == -1);
  CHECK(format_duration(42) == "42 s");
  CHECK(format_duration(200) == "3 min 20 s");
  CHECK(format_duration(7500) == "2 h 05 min");
  CHECK(format_duration(841980) == "9 d 17 h");
  CHECK(format_duration(-1) == "--");
}

TEST_CASE("axes: at least two distinct ticks on every axis, integer steps never repeat") {
  // A learning rate that barely changes (step 596 of the decay): no decade, no 2 or 5 inside.
  const LogAxis lr = log_axis_for({7.32e-4f, 7.31e-4f, 7.30e-4f});
  REQUIRE(log_ticks(lr).size() < 2);
  const std::vector<double> t = log_ticks_at_least(lr);
  REQUIRE(t.size() >= 2);
  for (double v : t) {
    CHECK(std::log10(v) >= lr.lo - 1e-9);
    CHECK(std::log10(v) <= lr.hi + 1e-9);
  }
  const std::vector<std::string> labels = tick_labels(t);
  for (size_t i = 1; i < labels.size(); ++i) CHECK(labels[i] != labels[i - 1]);
  // Wide ranges keep the plain decades.
  CHECK(log_ticks_at_least({-4, -1}) == log_ticks({-4, -1}));
  // Labels that would collide get more digits.
  const std::vector<std::string> l2 = tick_labels({6.1e-4, 6.2e-4, 6.3e-4});
  CHECK(l2[0] != l2[1]);
  CHECK(l2[1] != l2[2]);
  // Steps 595..597 (a resumed run): whole numbers only, each once.
  const std::vector<double> x = integer_ticks(595, 597, 5);
  REQUIRE(x.size() == 3);
  CHECK(x[0] == 595);
  CHECK(x[2] == 597);
  const std::vector<double> y = integer_ticks(0, 8192, 5);
  CHECK(y.size() >= 4);
  for (double v : y) CHECK(v == std::floor(v));
  CHECK(integer_ticks(5, 5).empty());
}

TEST_CASE("training log beside a checkpoint: found, read with 1-based steps, cut at the save") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("rrcnn-log-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string ckpt = (dir / "m.safetensors").string();
  CHECK(loss_log_beside(ckpt).empty());
  {
    std::ofstream f(dir / "m.train.jsonl");
    f << "{\"run\": {\"checkpoint\": \"m.safetensors\", \"first_step\": 0}}\n"  // rrcnn train's first line
      << "{\"step\":0,\"loss\":0.5,\"lr\":0.001,\"grad_norm\":2,\"seconds\":1.5}\n"
      << "{\"step\":1,\"loss\":0.25,\"lr\":0.001,\"grad_norm\":1,\"seconds\":3}\n"
      << "\n"
      << "{\"step\":2,\"loss\":0.125,\"lr\":0.001,\"grad_norm\":1,\"seconds\":4.5}\n";
  }
  REQUIRE(loss_log_beside(ckpt) == (dir / "m.train.jsonl").string());
  const std::vector<TrainPoint> all = read_loss_log(loss_log_beside(ckpt), 0);
  REQUIRE(all.size() == 3);
  CHECK(all[0].step == 1);
  CHECK(all[2].step == 3);
  CHECK(all[1].loss == doctest::Approx(0.25));
  CHECK(all[1].time_s == doctest::Approx(3.0));
  CHECK(read_loss_log(loss_log_beside(ckpt), 2).size() == 2);  // the checkpoint is at step 2
  {
    std::ofstream f(dir / "bad.jsonl");
    f << "{\"step\":0,\"loss\":0.5}\n{\"loss\":0.1}\n";
  }
  CHECK_THROWS_WITH(read_loss_log((dir / "bad.jsonl").string(), 0),
                    doctest::Contains("bad.jsonl:2"));
  std::filesystem::remove_all(dir);
}
