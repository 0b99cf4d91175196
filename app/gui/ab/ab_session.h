// The A/B setting (ab_state.h) as the "ab" object of a session file (docs/sessions.md):
// whether B runs, where it came from, which tiles show. Only a B loaded from a file can be
// restored from it; a snapshot or a swapped-out model lived only in that studio.
#pragma once

#include <string>

#include "gui/ab/ab_state.h"

namespace rrcnn {

// "none", "file", "snapshot", "swapped": the word session files and reports use.
const char* ab_source_name(AbSource s);

// {"on": true, "source": "file", "path": "...", "snapshot_step": 0, "show_b": true, "show_diff": true}
std::string ab_session_json(const AbState& s);
// The object ab_session_json writes; rrcnn::Error "<what>: ..." naming the key for unknown keys,
// wrong types or an unknown source.
AbState ab_state_from_json(const std::string& text, const std::string& what);

// The script line (script.h's `ab` action) that redoes `action` on a studio whose A/B setting
// is now `now` (for a load, its path): what a session recording writes.
std::string ab_script_line(AbAction action, const AbState& now, bool flag);

}  // namespace rrcnn
