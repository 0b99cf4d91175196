// parse_json as a SAX handler over nlohmann's parser (see json_io.h). The handler builds the
// document itself so that it can stop at the first nesting or duplicate-key violation, before
// a hostile file has been turned into a tree; nlohmann's parser is iterative, so depth costs no
// stack. An input iterator that counts the bytes the lexer has read gives those errors a byte.
#include "core/json_io.h"

#include <cstddef>
#include <iterator>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/error.h"

namespace rrcnn {
namespace {

// A pointer into the text that counts how far nlohmann's lexer has read (it reads one byte at
// a time through the input adapter and never rewinds it).
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* p, size_t* read) : p_(p), read_(read) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    ++p_;
    ++*read_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const CountingIterator& o) const { return p_ == o.p_; }
  bool operator!=(const CountingIterator& o) const { return p_ != o.p_; }

 private:
  const char* p_;
  size_t* read_;
};

// nlohmann's messages start "[json.exception.parse_error.101] parse error at line 1, column 5: "
// (or "[json.exception.out_of_range.406] "); the byte offset replaces that.
std::string problem_of(const std::string& message) {
  std::string m = message;
  if (m.rfind("[json.exception.", 0) == 0 && m.find("] ") != std::string::npos) m = m.substr(m.find("] ") + 2);
  if (m.rfind("parse error", 0) == 0) {
    const size_t colon = m.find(": ");
    if (colon != std::string::npos) m = m.substr(colon + 2);
  }
  return m;
}

class DomBuilder {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  DomBuilder(const std::string& what, int max_depth, const size_t* read)
      : what_(what), max_depth_(max_depth), read_(read) {}

  Json take() { return std::move(root_); }

  bool null() { return add(Json(nullptr)); }
  bool boolean(bool v) { return add(Json(v)); }
  bool number_integer(number_integer_t v) { return add(Json(v)); }
  bool number_unsigned(number_unsigned_t v) { return add(Json(v)); }
  bool number_float(number_float_t v, const string_t&) { return add(Json(v)); }
  bool string(string_t& v) { return add(Json(std::move(v))); }
  bool binary(binary_t&) { fail("binary data"); }  // CBOR and friends only, never JSON text

  bool start_object(std::size_t) { return open(Json::object()); }
  bool start_array(std::size_t) { return open(Json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(string_t& k) {
    // Which of two values would a reader take? Refuse instead of guessing (a second "dtype" or a
    // second tensor of one name in a safetensors header).
    if (!keys_.back().insert(k).second) fail("duplicate key " + json_quote(k));
    key_ = std::move(k);
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    // position counts the bytes read, end of input included: the offset of the offending byte.
    RRCNN_FAIL(what_ << ": invalid JSON at byte " << (position ? position - 1 : 0) << ": "
                     << problem_of(e.what()));
  }

 private:
  [[noreturn]] void fail(const std::string& problem) {
    RRCNN_FAIL(what_ << ": invalid JSON at byte " << (*read_ ? *read_ - 1 : 0) << ": " << problem);
  }

  // Places a value in the innermost open container (or as the document) and returns where it is.
  Json* place(Json&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      auto& array = parent.get_ref<Json::array_t&>();
      array.push_back(std::move(v));
      return &array.back();
    }
    // Keys are unique (key() checked), so append without ordered_map's linear search: a header
    // with a million keys must not take a million squared steps.
    auto& object = parent.get_ref<Json::object_t&>();
    auto& items = static_cast<Json::object_t::Container&>(object);
    items.emplace_back(std::move(key_), std::move(v));
    return &items.back().second;
  }
  bool add(Json&& v) {
    place(std::move(v));
    return true;
  }
  bool open(Json&& container) {
    if (int(stack_.size()) >= max_depth_)
      fail("nested more than " + std::to_string(max_depth_) + " levels deep");
    const bool is_object = container.is_object();
    stack_.push_back(place(std::move(container)));
    if (is_object) keys_.emplace_back();
    return true;
  }
  bool close() {
    if (stack_.back()->is_object()) keys_.pop_back();
    stack_.pop_back();
    return true;
  }

  const std::string& what_;
  const int max_depth_;
  const size_t* read_;
  Json root_;
  std::vector<Json*> stack_;  // open containers, outermost first; each lives in its parent
  std::vector<std::unordered_set<std::string>> keys_;  // keys seen, per open object
  std::string key_;
};

}  // namespace

Json parse_json(std::string_view text, const std::string& what, int max_depth) {
  size_t read = 0;
  DomBuilder builder(what, max_depth, &read);
  const CountingIterator begin(text.data(), &read), end(text.data() + text.size(), &read);
  try {
    Json::sax_parse(begin, end, &builder);
  } catch (const nlohmann::json::exception& e) {
    // The lexer and parser report through parse_error(); anything else is still one clear line.
    RRCNN_FAIL(what << ": invalid JSON at byte " << (read ? read - 1 : 0) << ": " << problem_of(e.what()));
  }
  return builder.take();
}

std::string json_quote(std::string_view text) {
  return Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string json_dump(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

const Json* json_find(const Json& value, std::string_view key) {
  if (!value.is_object()) return nullptr;
  const auto it = value.find(key);
  return it == value.end() ? nullptr : &*it;
}

bool json_number(const Json& value, double* out) {
  if (!value.is_number()) return false;
  *out = value.get<double>();
  return true;
}

}  // namespace rrcnn
