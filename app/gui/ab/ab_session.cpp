// A/B in session files (see ab_session.h).
#include "gui/ab/ab_session.h"

#include <cstdint>

#include "core/error.h"
#include "core/json_io.h"

namespace rrcnn {
const char* ab_source_name(AbSource s) {
  switch (s) {
    case AbSource::kFile: return "file";
    case AbSource::kSnapshot: return "snapshot";
    case AbSource::kSwapped: return "swapped";
    case AbSource::kNone: break;
  }
  return "none";
}

std::string ab_session_json(const AbState& s) {
  Json j = Json::object();
  j["on"] = s.on;
  j["source"] = ab_source_name(s.source);
  j["path"] = s.path;
  j["snapshot_step"] = s.snapshot_step;
  j["show_b"] = s.show_b;
  j["show_diff"] = s.show_diff;
  return json_dump(j);
}

std::string ab_script_line(AbAction action, const AbState& now, bool flag) {
  switch (action) {
    case AbAction::kLoad: return "ab load " + now.path;
    case AbAction::kSnapshot: return "ab snapshot";
    case AbAction::kSwap: return "ab swap";
    case AbAction::kOff: return "ab off";
    case AbAction::kShowB: return std::string("ab b-tile ") + (flag ? "on" : "off");
    case AbAction::kShowDiff: return std::string("ab diff ") + (flag ? "on" : "off");
  }
  return "";
}

AbState ab_state_from_json(const std::string& text, const std::string& what) {
  const Json j = parse_json(text, what);
  RRCNN_CHECK(j.is_object(), what << ": 'ab' must be an object");
  AbState s;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const Json& v = it.value();
    if (k == "on" || k == "show_b" || k == "show_diff") {
      RRCNN_CHECK(v.is_boolean(), what << ": 'ab." << k << "' must be true or false");
      (k == "on" ? s.on : k == "show_b" ? s.show_b : s.show_diff) = v.get<bool>();
    } else if (k == "source") {
      RRCNN_CHECK(v.is_string(), what << ": 'ab.source' must be a string");
      const std::string w = v.get<std::string>();
      s.source = w == "file" ? AbSource::kFile : w == "snapshot" ? AbSource::kSnapshot
               : w == "swapped" ? AbSource::kSwapped : AbSource::kNone;
      RRCNN_CHECK(s.source != AbSource::kNone || w == "none",
                  what << ": 'ab.source' '" << w << "' is not one of none, file, snapshot, swapped");
    } else if (k == "path") {
      RRCNN_CHECK(v.is_string(), what << ": 'ab.path' must be a string");
      s.path = v.get<std::string>();
    } else if (k == "snapshot_step") {
      RRCNN_CHECK(v.is_number_integer() && v.get<int64_t>() >= 0,
                  what << ": 'ab.snapshot_step' must be a whole number >= 0");
      s.snapshot_step = v.get<int64_t>();
    } else {
      RRCNN_FAIL(what << ": unknown key 'ab." << k << "'");
    }
  }
  RRCNN_CHECK(!s.on || s.source != AbSource::kNone, what << ": 'ab.on' is true but 'ab.source' is none");
  return s;
}

}  // namespace rrcnn
