// Scripted GUI sessions (`rrcnn gui --script FILE`): the smoke test and the documentation
// screenshots drive the real window with them. One action per line, '#' starts a comment:
//   wait FRAMES | wait-step N [MAX_FRAMES] | wait-train N [MAX_FRAMES] | wait-trainer-idle [MAX]
//   play | pause | step [N] | reset | new-digits [keep-hidden] | new-noise | blank | add-noise
//   speed N|max | noise ALPHA|random | dropout RATE | seed N | rollout N | loop on|off | batch N
//   brush draw|erase|noise [RADIUS] | paint SAMPLE X Y | stroke SAMPLE X0 Y0 X1 Y1
//   view image|channel N|error | mosaic on|off | select SAMPLE | colormap dark|light
//   window training|inspector|help|controls on|off
//   train start|pause|resume|stop | train-batch N | train-target N | lr START [END]
//   model NAME (a shipped model, by file stem, as the switcher loads it) | endless on|off
//   preset seed|lite (fresh weights of that size) | wait-estimate [MAX] (a step time measured)
//   probe NAME SAMPLE X Y [DX DY] (screen pixels off the cell's centre) | screenshot FILE | save FILE | load FILE | export-loss FILE
//   open PATH (as if dropped on the window) | gif FILE | gif-stop | captions on|off | quit
//   assert unsaved|playing|help true|false, prompt none|replace|unsaved|diverged,
//          train PHASE, browser open|closed, rollout N|endless, model|notice|plot TEXT (contained;
//          plot: the empty loss plot's message), diverged N (live digits marked diverged)
//   hover SAMPLE X Y | hover off (the pointer over a live cell: the brush outline shows)
//   window-size W H | panel Controls|Live|Inspector|Training X Y W H (as if dragged there)
//   weights reset|reseed | close (as if the window's close button were clicked)
//   key CHORD (a quick tap through the real keyboard path: t, shift+t, ctrl+s, space, f12)
//   type TEXT (characters into the focused text field, e.g. the file browser's name)
//   timeline on|off [FULL_STEPS] | show-step N|newest | fork [STEP] | keep branch|original
//   curves on|off|mse|psnr | uncertainty [K] | uncertainty-cancel | wait-uncertainty [MAX]
//   view change|mean|std|original (the timeline's 4th tiles); assert shown-step|kept-from|
//          full-from|curve-steps N, forked|full-state true|false, uncertainty ready|busy|none
//   ab load FILE | ab model NAME | ab snapshot | ab swap | ab off | ab b-tile|diff on|off (A/B:
//          B beside A on the same digits, noise and masks); assert ab on|off, ab-name|ab-differs TEXT
//   new-model-dialog|new-model field=value ... | wait-new-model | recipe seed|pool [...] |
//   overlay PATH|remove N|all; assert recipe|train-recipe|config|overlays|recent-runs
//   (models and runs of your own: model_script.h)
//   expect-error TEXT (the next error containing TEXT is expected: reported apart, not a
//   failure; one that never comes is)
//   session-save FILE | session-load FILE (every setting, session_file.h) | copy-command [CMD|close]
//   record [FILE] | record-stop (record what happens as a script like this one: the lines below)
//   stroke-at SAMPLE X0 Y0 X1 Y1 RADIUS MODE STRENGTH SERIAL (a stroke exactly as recorded: cell
//          units, cell centres at +0.5) | restore SEED DIGITS NOISE (these digits and noise draws
//          from step 0: where a recording starts); assert session-recording true|false
//   recorded (a recording's first line: what follows was agreed to when it was done, so the
//          questions about a drawing or unsaved weights are not asked again)
// This file only parses and validates; script_runner carries the actions out.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace rrcnn {

struct ScriptAction {
  std::string op;
  std::vector<std::string> args;
  int line = 0;  // 1-based, for messages

  int int_arg(size_t i, int fallback = 0) const;
  float float_arg(size_t i, float fallback = 0) const;
  const std::string& str_arg(size_t i) const;
  bool has(size_t i) const { return i < args.size(); }
};

// Throws rrcnn::Error "<what>:<line>: <problem>" for unknown actions, wrong argument counts
// and malformed numbers.
std::vector<ScriptAction> parse_script(const std::string& text, const std::string& what);
std::vector<ScriptAction> load_script(const std::string& path);

}  // namespace rrcnn
