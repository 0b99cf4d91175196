// Script execution (see script_runner.h). Every action that emits a command ends the frame's
// tick, so the next action sees the state that command produced.
#include "gui/scripting/script_runner.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "gui/scripting/script_commands.h"

namespace rrcnn {

void ScriptRunner::tick(const StudioState& s, ScriptHost& host, Commands& out,
                        std::vector<ProbeRequest>* probes) {
  while (next_ < actions_.size() && !quit_) {
    const ScriptAction& a = actions_[next_];
    const bool emitted_before = !out.empty();
    const size_t first = out.size();
    current_line_ = a.line;
    const bool done = run(a, s, host, out, probes, emitted_before);
    out.tag(first, a.line);
    if (!done) {
      ++waited_;
      return;
    }
    ++next_;
    waited_ = 0;
    synced_ = false;
    if (!out.empty()) return;  // let the command take effect before the next action
  }
}

bool ScriptRunner::expected_error(const std::string& message) {
  auto lower = [](std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (auto it = expected_.begin(); it != expected_.end(); ++it)
    if (lower(message).find(lower(it->second)) != std::string::npos) {
      expected_.erase(it);
      return true;
    }
  return false;
}

void ScriptRunner::finish() {
  for (const auto& [line, text] : expected_)
    failures_.push_back("script line " + std::to_string(line) + ": no error containing '" + text +
                        "' happened");
  expected_.clear();
}

bool ScriptRunner::wait_until(bool done, const ScriptAction& a, int limit_arg, int default_limit) {
  if (done) return true;
  const int limit = a.has(size_t(limit_arg)) ? a.int_arg(size_t(limit_arg)) : default_limit;
  if (waited_ >= limit) {
    failures_.push_back("script line " + std::to_string(a.line) + ": '" + a.op +
                        "' still waiting after " + std::to_string(limit) + " frames");
    return true;
  }
  return false;
}

bool ScriptRunner::run(const ScriptAction& a, const StudioState& s, ScriptHost& host, Commands& out,
                       std::vector<ProbeRequest>* probes, bool emitted) {
  const std::string& op = a.op;
  if (op == "wait") return waited_ >= a.int_arg(0);
  if (op == "wait-step") {
    if (!synced_) {
      host.sync_live();  // judge by a snapshot that includes the commands sent so far
      synced_ = true;
      return false;
    }
    return wait_until(s.snap.step >= a.int_arg(0), a, 1, 3000);
  }
  if (op == "wait-train") {
    // N points in the loss history, and the studio holding weights at least that far on: the
    // trainer publishes its weights every 0.25 s, so a fast model's points run ahead of them
    // and what follows (the model's name, its description) would see the weights before.
    const auto& pts = s.history.points();
    const size_t n = size_t(std::max(a.int_arg(0), 0));
    const bool arrived = pts.size() >= n && (n == 0 || s.model.optimizer_step >= pts[n - 1].step);
    return wait_until(arrived, a, 1, 3000);
  }
  if (op == "wait-uncertainty")  // the dropout rollouts finished (or failed)
    return wait_until(!s.tl.mc.busy, a, 0, 6000);
  if (op == "wait-estimate") return wait_until(s.train_step_seconds > 0, a, 0, 3000);
  if (op == "wait-new-model") return wait_until(s.new_model.median > 0, a, 0, 3000);
  if (op == "wait-trainer-idle")
    return wait_until(
        s.train_status.phase == TrainPhase::kIdle || s.train_status.phase == TrainPhase::kFinished,
        a, 0, 3000);
  if (op == "probe" || op == "screenshot") {
    if (emitted) return false;
    if (!synced_) {
      host.sync_live();  // the snapshot fetched after this tick shows every earlier command
      synced_ = true;
    }
    if (op == "probe") {
      probes->push_back({a.str_arg(0), a.int_arg(1), int(a.float_arg(2)), int(a.float_arg(3)),
                         a.float_arg(4), a.float_arg(5)});
    } else {
      Command shot{Cmd::kScreenshot};
      shot.path = a.str_arg(0);
      shot.overwrite = true;
      out.push(shot);
    }
    return true;
  }
  if (op == "quit") {
    quit_ = true;
    return true;
  }
  if (op == "recorded") {
    recorded_ = true;
    return true;
  }
  if (op == "assert") {
    const std::string got = observed(s, a.str_arg(0));
    std::string want;
    for (size_t i = 1; i < a.args.size(); ++i) want += (i > 1 ? " " : "") + a.args[i];
    const bool contains =
        a.str_arg(0) == "model" || a.str_arg(0) == "notice" || a.str_arg(0) == "plot" ||
        a.str_arg(0) == "toast" || a.str_arg(0) == "command" || a.str_arg(0) == "status" ||
        a.str_arg(0) == "description" || a.str_arg(0) == "name" || a.str_arg(0) == "config" ||
        a.str_arg(0) == "recent-runs" || a.str_arg(0) == "ab-name" ||
        a.str_arg(0) == "ab-differs";
    if (contains ? got.find(want) == std::string::npos : got != want)
      failures_.push_back("script line " + std::to_string(a.line) + ": " + a.str_arg(0) + " is '" +
                          got + "', expected '" + want + "'");
    return true;
  }
  if (op == "expect-error") {
    std::string text;
    for (const std::string& w : a.args) text += (text.empty() ? "" : " ") + w;
    expected_.emplace_back(a.line, text);
    return true;
  }
  Command c{Cmd::kQuit};
  if (!live_action_command(a, s, uint32_t(next_ + 1), &c) && !studio_action_command(a, s, &c)) {
    failures_.push_back("script line " + std::to_string(a.line) + ": '" + op +
                        "' is not implemented");
    return true;
  }
  if (op == "model" && c.path.empty()) {
    failures_.push_back("script line " + std::to_string(a.line) + ": no shipped model '" +
                        a.str_arg(0) + "'");
    return true;
  }
  if (recorded_) c.drawing_ok = c.discard_ok = true;
  out.push(c);
  return true;
}

}  // namespace rrcnn
