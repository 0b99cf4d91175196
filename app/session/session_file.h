// A studio session as a file: every live setting (model and data, noise, dropout, seed, rollout,
// digits, speed, brush, view, training) in one JSON document, and the one mapping from those
// settings to `rrcnn <command>` flags that "Copy as command", F1's help and `--session FILE`
// share. Plain data and JSON only: no window, no backend (the studio fills and applies it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/pool_trainer.h"

namespace rrcnn {

// The whole file. Defaults are the studio's own start-up settings, so a file that leaves a
// section out gets what a fresh window would show.
struct Session {
  static constexpr int kVersion = 1;

  struct Model {
    std::string checkpoint;  // "" = the default model (or fresh weights of `preset`)
    std::string preset;      // "" | "seed" | "lite": fresh weights when there is no checkpoint
    std::string backend = "auto";  // auto | cpu | cuda
    int threads = 0;               // CPU threads, 0 = all cores
  } model;
  std::string data;  // IDX digits directory; "" = the embedded digits

  struct Live {
    bool random_alpha = true;  // one noise level per digit, U(0,1)
    float alpha = 0.5f;        // the fixed level when !random_alpha
    float dropout = 0.5f;
    uint64_t seed = 1;
    int digits = 8;
    int rollout = 64;
    bool endless = false;
    bool loop = false;
    float speed = 30;  // steps per second
    bool max_speed = false;
    bool playing = true;
  } live;

  struct Brush {
    std::string mode = "draw";  // draw | erase | noise
    float radius = 1.5f;
    float strength = 1.0f;
    bool all_digits = false;
  } brush;

  struct View {
    std::string tile = "image";  // image | channel | error | change | mean | std | original
    int channel = 0;
    bool auto_range = true;
    float range = 1.0f;
    float error_range = 0.5f;
    std::string colormap = "dark";  // dark | light
    int selected = 0;
    bool controls = true, inspector = true, training = true, help = false;
    bool captions = true;
    bool timeline = true;  // record the rollout (timeline and error curves)
    int timeline_full_steps = -1;  // full states kept, -1: the default for the batch
    bool curves = true, psnr = false;
    int uncertainty_k = 16;
  } view;

  struct Train {
    int batch = 8;
    int target_steps = 8192;
    float lr_start = 1e-3f, lr_end = 1e-4f;
    int lr_decay_steps = 2000;
    uint64_t seed = 0;
    std::string recipe = "seed";  // how the model was trained: seed | pool (checkpoint.h)
    std::string run_recipe = "seed";  // how the next run trains: seed | pool (with `pool`)
    PoolConfig pool;                  // the pool recipe's knobs (core/pool_trainer.h)
    std::string save_to;          // the checkpoint Save (Ctrl+S) writes
    bool save_optimizer = true;
  } train;

  // A/B comparison (issue 23 item 1): kept as the JSON object the A/B view writes and reads, so
  // the file format has its place before that view exists. Absent when empty.
  std::string ab_json;
};

// The document is core's rrcnn::Json (core/json_io.h; ordered_json, so a file is written in
// the order of the struct above, "version" first). Throws rrcnn::Error "<what>: <problem>"
// naming the key: unknown keys, wrong types, values out of range, a missing or newer "version".
Session session_from_json(const nlohmann::ordered_json& j, const std::string& what);
nlohmann::ordered_json session_to_json(const Session& s);
// Parses the file once with core's parse_json (nesting limit, duplicate keys refused, one line
// naming the file and the byte), then reads it as session_from_json does.
Session load_session(const std::string& path);
void save_session(const std::string& path, const Session& s);  // atomic (temp file + rename)

// The flags of `rrcnn <command>` (gui, render, eval, train) for the settings that command
// takes. `display`: the line a user copies (adds `--out` placeholders a command needs); off:
// only the session's own settings (what --session expands to).
std::vector<std::string> session_flags(const Session& s, const std::string& command, bool display);
// The shortest decimal text that reads back (strtof) as `v` itself, 0.3 and not 0.300000012:
// how command lines, session files and recordings write a float, so a replay gets the same bits.
std::string float_text(float v);
// "rrcnn render --ckpt ... --out rollout.gif ...", quoted for a POSIX shell where needed.
std::string session_command_line(const Session& s, const std::string& command);
// The commands "Copy as command" and F1 offer, in order.
const std::vector<std::string>& session_commands();

// `rrcnn CMD ... --session FILE ...`: the file's flags for CMD replace `--session FILE` at its
// place, so flags given after it override them (the parsers keep the last value). For `gui`
// the `--session FILE` pair stays in front of them: the studio also loads the settings that
// have no flag (view, brush, training). Arguments without --session come back unchanged.
std::vector<std::string> expand_session_args(const std::vector<std::string>& args);

}  // namespace rrcnn
